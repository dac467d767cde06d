//! Opportunities: qualified leads. Their status is derived from their deals, never stored.

use serde::Serialize;

use crate::deal::DealStatus;
use crate::text::bounded_text;

bounded_text!(
    /// What an opportunity is called (by default the company's or the person's name).
    OpportunityTitle,
    200
);

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OpportunityStatus {
    Open,
    Won,
    Lost,
}

impl OpportunityStatus {
    /// Won if any deal is won; open while any deal is open (or none has been opened yet); lost
    /// when every deal is lost.
    pub fn derive<'a>(deals: impl IntoIterator<Item = &'a DealStatus>) -> OpportunityStatus {
        let (mut any, mut open) = (false, false);
        for status in deals {
            match status {
                DealStatus::Won { .. } => return OpportunityStatus::Won,
                DealStatus::Open => open = true,
                DealStatus::Lost { .. } => {}
            }
            any = true;
        }
        if open || !any { OpportunityStatus::Open } else { OpportunityStatus::Lost }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OpportunityStatus::Open => "open",
            OpportunityStatus::Won => "won",
            OpportunityStatus::Lost => "lost",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::deal::LostReason;
    use chrono::Utc;

    #[test]
    fn status_follows_the_deals() {
        let lost = DealStatus::Lost { reason: Some(LostReason::parse("price").unwrap()), reason_id: None, at: Utc::now() };
        let won = DealStatus::Won { at: Utc::now() };
        assert_eq!(OpportunityStatus::derive([]), OpportunityStatus::Open);
        assert_eq!(OpportunityStatus::derive([&DealStatus::Open, &lost]), OpportunityStatus::Open);
        assert_eq!(OpportunityStatus::derive([&lost, &lost]), OpportunityStatus::Lost);
        assert_eq!(OpportunityStatus::derive([&lost, &won, &DealStatus::Open]), OpportunityStatus::Won);
    }
}
