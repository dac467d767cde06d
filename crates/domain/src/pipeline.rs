//! Pipelines and their stages: names and the rotting threshold.

use serde::Serialize;
use thiserror::Error;

use crate::text::bounded_text;

bounded_text!(
    /// A pipeline's display name.
    PipelineName,
    100
);
bounded_text!(
    /// A stage's display name (a kanban column header).
    StageName,
    100
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("rotting days must be between 1 and 3650")]
pub struct RottingDaysError;

/// After this many days idle in a stage, an open deal is shown as rotting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct RottingDays(u16);

impl RottingDays {
    pub fn new(days: i64) -> Result<Self, RottingDaysError> {
        u16::try_from(days).ok().filter(|d| (1..=3650).contains(d)).map(RottingDays).ok_or(RottingDaysError)
    }

    pub fn days(self) -> u16 {
        self.0
    }

    /// Whether a deal that entered its stage at `entered_at` is rotting at `now`.
    pub fn is_rotting(self, entered_at: chrono::DateTime<chrono::Utc>, now: chrono::DateTime<chrono::Utc>) -> bool {
        now - entered_at > chrono::Duration::days(i64::from(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, Utc};

    #[test]
    fn rotting_days_are_bounded() {
        assert!(RottingDays::new(0).is_err());
        assert!(RottingDays::new(3651).is_err());
        assert_eq!(RottingDays::new(14).unwrap().days(), 14);
    }

    #[test]
    fn a_deal_rots_after_the_threshold_not_at_it() {
        let now = Utc::now();
        let days = RottingDays::new(7).unwrap();
        assert!(!days.is_rotting(now - Duration::days(7), now));
        assert!(days.is_rotting(now - Duration::days(7) - Duration::seconds(1), now));
    }

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(StageName::parse("  Proposal ").unwrap().as_str(), "Proposal");
        assert!(PipelineName::parse("").is_err());
        assert!(PipelineName::parse(&"x".repeat(101)).is_err());
    }
}
