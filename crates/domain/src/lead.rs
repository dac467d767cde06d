//! Leads: people or companies that may buy, not yet validated, and how they leave the inbox
//! (qualified into an opportunity, or disqualified with a reason).

use chrono::{DateTime, Utc};
use thiserror::Error;

use crate::text::bounded_text;
use crate::vocabulary::vocabulary;

bounded_text!(
    /// A lead's or contact's display name.
    LeadName,
    200
);
bounded_text!(
    /// A free-text note kept with a disqualification.
    DisqualifyNote,
    1000
);

vocabulary!(
    /// Where a lead came from.
    LeadSource {
        Website => "website",
        Social => "social",
        Exhibition => "exhibition",
        Event => "event",
        EmailCampaign => "email_campaign",
        Phone => "phone",
        Referral => "referral",
        Other => "other",
    }
);

vocabulary!(
    /// Why a lead was dropped; reportable, so a closed list.
    DisqualifyReason {
        NoBudget => "no_budget",
        NoNeed => "no_need",
        NoAuthority => "no_authority",
        BadTiming => "bad_timing",
        WrongContact => "wrong_contact",
        Unreachable => "unreachable",
        Competitor => "competitor",
        Duplicate => "duplicate",
        Other => "other",
    }
);

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum LeadError {
    #[error("the lead is qualified; it can no longer change status")]
    AlreadyQualified,
    #[error("the lead is disqualified; reopen it first")]
    Disqualified,
    #[error("only a disqualified lead can be reopened")]
    NotDisqualified,
    #[error("a lead's status is set to `qualified` or `disqualified` through its qualify and disqualify actions")]
    StatusNeedsAction,
}

/// new → working → qualified | disqualified(reason); disqualified → working (reopened).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LeadStatus {
    New,
    Working,
    Qualified { at: DateTime<Utc> },
    Disqualified { reason: DisqualifyReason, note: Option<DisqualifyNote>, at: DateTime<Utc> },
}

impl LeadStatus {
    pub const NAMES: [&'static str; 4] = ["new", "working", "qualified", "disqualified"];

    pub fn as_str(&self) -> &'static str {
        match self {
            LeadStatus::New => "new",
            LeadStatus::Working => "working",
            LeadStatus::Qualified { .. } => "qualified",
            LeadStatus::Disqualified { .. } => "disqualified",
        }
    }

    /// A status a client may set directly (`new` or `working`).
    pub fn settable(raw: &str) -> Result<LeadStatus, LeadError> {
        match raw {
            "new" => Ok(LeadStatus::New),
            "working" => Ok(LeadStatus::Working),
            _ => Err(LeadError::StatusNeedsAction),
        }
    }

    /// Moves between `new` and `working`; closed leads refuse.
    pub fn set_open(&mut self, to: LeadStatus) -> Result<(), LeadError> {
        self.ensure_open()?;
        debug_assert!(matches!(to, LeadStatus::New | LeadStatus::Working));
        *self = to;
        Ok(())
    }

    pub fn ensure_open(&self) -> Result<(), LeadError> {
        match self {
            LeadStatus::New | LeadStatus::Working => Ok(()),
            LeadStatus::Qualified { .. } => Err(LeadError::AlreadyQualified),
            LeadStatus::Disqualified { .. } => Err(LeadError::Disqualified),
        }
    }

    pub fn qualify(&mut self, at: DateTime<Utc>) -> Result<(), LeadError> {
        self.ensure_open()?;
        *self = LeadStatus::Qualified { at };
        Ok(())
    }

    pub fn disqualify(&mut self, reason: DisqualifyReason, note: Option<DisqualifyNote>, at: DateTime<Utc>) -> Result<(), LeadError> {
        self.ensure_open()?;
        *self = LeadStatus::Disqualified { reason, note, at };
        Ok(())
    }

    pub fn reopen(&mut self) -> Result<(), LeadError> {
        match self {
            LeadStatus::Disqualified { .. } => {
                *self = LeadStatus::Working;
                Ok(())
            }
            _ => Err(LeadError::NotDisqualified),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lead_is_worked_then_qualified_once() {
        let mut status = LeadStatus::New;
        status.set_open(LeadStatus::Working).unwrap();
        status.qualify(Utc::now()).unwrap();
        assert_eq!(status.as_str(), "qualified");
        assert_eq!(status.qualify(Utc::now()), Err(LeadError::AlreadyQualified));
        assert_eq!(status.disqualify(DisqualifyReason::NoBudget, None, Utc::now()), Err(LeadError::AlreadyQualified));
        assert_eq!(status.reopen(), Err(LeadError::NotDisqualified));
    }

    #[test]
    fn a_disqualified_lead_must_be_reopened_before_anything_else() {
        let mut status = LeadStatus::Working;
        status.disqualify(DisqualifyReason::BadTiming, DisqualifyNote::parse("call in spring").ok(), Utc::now()).unwrap();
        assert_eq!(status.qualify(Utc::now()), Err(LeadError::Disqualified));
        assert_eq!(status.set_open(LeadStatus::New), Err(LeadError::Disqualified));
        status.reopen().unwrap();
        assert_eq!(status, LeadStatus::Working);
    }

    #[test]
    fn only_open_statuses_are_settable() {
        assert_eq!(LeadStatus::settable("working"), Ok(LeadStatus::Working));
        assert_eq!(LeadStatus::settable("qualified"), Err(LeadError::StatusNeedsAction));
    }

    #[test]
    fn vocabularies_round_trip() {
        for source in LeadSource::ALL {
            assert_eq!(LeadSource::parse(source.as_str()), Ok(*source));
        }
        assert_eq!(DisqualifyReason::ALL.len(), 9);
        assert!(DisqualifyReason::parse("too_expensive").unwrap_err().to_string().contains("no_budget"));
    }
}
