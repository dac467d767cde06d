//! Leads: people or companies that may buy, not yet validated, and how they leave the inbox
//! (qualified into an opportunity, or disqualified with a reason).

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use thiserror::Error;

use crate::events::LeadEvent;
use crate::ids::{LeadId, OpportunityId, UserId, WorkspaceId};
use crate::phone::Phone;
use crate::tags::Tags;
use crate::text::bounded_text;
use crate::user::Email;
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

/// The fields people edit.
#[derive(Clone, Debug, PartialEq)]
pub struct LeadFields {
    pub name: LeadName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub source: LeadSource,
    pub campaign: Option<String>,
    pub medium: Option<String>,
    pub owner_id: Option<UserId>,
    pub tags: Tags,
    pub notes: Option<String>,
    pub custom_fields: Map<String, Value>,
}

impl LeadFields {
    /// Fills these fields' blanks from `other`: existing values win, tags and custom fields are
    /// united, and a different note is appended.
    pub fn absorb(&mut self, other: LeadFields) {
        macro_rules! fill {
            ($($field:ident),*) => { $(if self.$field.is_none() { self.$field = other.$field; })* };
        }
        fill!(email, phone, company, job_title, campaign, medium, owner_id);
        self.tags = self.tags.union(&other.tags);
        for (key, value) in other.custom_fields {
            self.custom_fields.entry(key).or_insert(value);
        }
        match (&mut self.notes, other.notes) {
            (Some(mine), Some(theirs)) if !mine.contains(theirs.as_str()) => {
                mine.push_str("\n\n");
                mine.push_str(&theirs);
            }
            (mine @ None, theirs) => *mine = theirs,
            _ => {}
        }
    }
}

/// A change to a lead: `None` leaves a field alone; `Some(None)` clears a clearable one. Custom
/// fields come already merged with the stored ones (the store knows the workspace's definitions).
#[derive(Clone, Debug, Default)]
pub struct LeadPatch {
    pub name: Option<LeadName>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<Phone>>,
    pub company: Option<Option<String>>,
    pub job_title: Option<Option<String>>,
    pub source: Option<LeadSource>,
    pub campaign: Option<Option<String>>,
    pub medium: Option<Option<String>>,
    pub owner_id: Option<Option<UserId>>,
    pub tags: Option<Tags>,
    pub notes: Option<Option<String>>,
    pub custom_fields: Option<Map<String, Value>>,
    /// `new` or `working`.
    pub status: Option<LeadStatus>,
}

/// Every field of a stored lead, for a store to build it back with [`Lead::restore`].
#[derive(Clone, Debug)]
pub struct StoredLead {
    pub id: LeadId,
    pub workspace_id: WorkspaceId,
    pub fields: LeadFields,
    pub status: LeadStatus,
    pub score: i32,
    pub submissions: i32,
    pub opportunity_id: Option<OpportunityId>,
}

/// A person or company that may buy, from capture until it is qualified or dropped.
#[derive(Clone, Debug, PartialEq)]
pub struct Lead {
    id: LeadId,
    workspace_id: WorkspaceId,
    fields: LeadFields,
    status: LeadStatus,
    /// Derived from the workspace's scoring rules; set by whoever scores it.
    score: i32,
    /// How many times it was submitted (intake or import); 1 for a lead typed in by hand.
    submissions: i32,
    opportunity_id: Option<OpportunityId>,
}

impl Lead {
    /// A new lead: status `new`, submitted once, not yet scored.
    pub fn capture(workspace_id: WorkspaceId, fields: LeadFields) -> (Lead, LeadEvent) {
        let lead =
            Lead { id: LeadId::new(), workspace_id, fields, status: LeadStatus::New, score: 0, submissions: 1, opportunity_id: None };
        let event = LeadEvent::Created { lead_id: lead.id };
        (lead, event)
    }

    /// A lead as it was stored.
    pub fn restore(stored: StoredLead) -> Lead {
        let StoredLead { id, workspace_id, fields, status, score, submissions, opportunity_id } = stored;
        Lead { id, workspace_id, fields, status, score, submissions, opportunity_id }
    }

    pub fn id(&self) -> LeadId {
        self.id
    }

    pub fn workspace_id(&self) -> WorkspaceId {
        self.workspace_id
    }

    pub fn fields(&self) -> &LeadFields {
        &self.fields
    }

    pub fn owner_id(&self) -> Option<UserId> {
        self.fields.owner_id
    }

    pub fn status(&self) -> &LeadStatus {
        &self.status
    }

    pub fn score(&self) -> i32 {
        self.score
    }

    pub fn submissions(&self) -> i32 {
        self.submissions
    }

    pub fn opportunity_id(&self) -> Option<OpportunityId> {
        self.opportunity_id
    }

    /// Sets the score the workspace's rules give it.
    pub fn rescore(&mut self, score: i32) {
        self.score = score;
    }

    /// Applies `patch`. Editing a new lead means someone is working it; only `new` and
    /// `working` are set directly, and a closed lead refuses a change of status.
    pub fn update(&mut self, patch: LeadPatch) -> Result<LeadEvent, LeadError> {
        let mut next = self.clone();
        if let Some(status) = patch.status {
            next.status.set_open(status)?;
        } else if next.status == LeadStatus::New {
            next.status = LeadStatus::Working;
        }
        let f = &mut next.fields;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { f.$field = value; })* };
        }
        apply!(name, email, phone, company, job_title, source, campaign, medium, owner_id, tags, notes, custom_fields);
        *self = next;
        Ok(LeadEvent::Updated { lead_id: self.id })
    }

    /// Another submission of the same person: its fields fill this lead's blanks.
    pub fn attach(&mut self, submitted: LeadFields) -> LeadEvent {
        self.fields.absorb(submitted);
        self.submissions += 1;
        LeadEvent::Updated { lead_id: self.id }
    }

    /// Takes in a lead merged into this one: its fields fill the blanks and its submissions add
    /// up. A qualified lead is the history of its opportunity and is never merged away.
    pub fn merge(&mut self, other: &Lead) -> Result<(), LeadError> {
        if matches!(other.status, LeadStatus::Qualified { .. }) {
            return Err(LeadError::AlreadyQualified);
        }
        self.fields.absorb(other.fields.clone());
        self.submissions += other.submissions;
        Ok(())
    }

    pub fn disqualify(
        &mut self,
        reason: DisqualifyReason,
        note: Option<DisqualifyNote>,
        now: DateTime<Utc>,
    ) -> Result<LeadEvent, LeadError> {
        self.status.disqualify(reason, note.clone(), now)?;
        Ok(LeadEvent::Disqualified { lead_id: self.id, reason: reason.as_str(), note: note.map(|n| n.as_str().to_owned()) })
    }

    /// A disqualified lead is worked again.
    pub fn reopen(&mut self) -> Result<LeadEvent, LeadError> {
        self.status.reopen()?;
        Ok(LeadEvent::Updated { lead_id: self.id })
    }

    /// Qualifies the lead into `opportunity`; a lead is qualified once.
    pub fn qualify(&mut self, opportunity: OpportunityId, now: DateTime<Utc>) -> Result<(), LeadError> {
        self.status.qualify(now)?;
        self.opportunity_id = Some(opportunity);
        Ok(())
    }

    /// A qualified lead is the history of its opportunity and stays.
    pub fn delete(&self) -> Result<LeadEvent, LeadError> {
        if matches!(self.status, LeadStatus::Qualified { .. }) {
            return Err(LeadError::AlreadyQualified);
        }
        Ok(LeadEvent::Deleted { lead_id: self.id })
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

#[cfg(test)]
mod lead_tests {
    use super::*;

    fn fields(name: &str) -> LeadFields {
        LeadFields {
            name: LeadName::parse(name).unwrap(),
            email: None,
            phone: None,
            company: None,
            job_title: None,
            source: LeadSource::Website,
            campaign: None,
            medium: None,
            owner_id: None,
            tags: Tags::default(),
            notes: None,
            custom_fields: Map::new(),
        }
    }

    #[test]
    fn editing_a_new_lead_starts_working_it_and_closed_statuses_need_their_actions() {
        let (mut lead, event) = Lead::capture(WorkspaceId::new(), fields("Sara"));
        assert_eq!((event.type_name(), lead.status().as_str(), lead.submissions()), ("lead.created", "new", 1));
        lead.update(LeadPatch { company: Some(Some("Pars".into())), ..Default::default() }).unwrap();
        assert_eq!(lead.status().as_str(), "working");
        let refused =
            lead.update(LeadPatch { name: Some(LeadName::parse("X").unwrap()), status: Some(LeadStatus::New), ..Default::default() });
        assert!(refused.is_ok());
        lead.disqualify(DisqualifyReason::NoBudget, None, Utc::now()).unwrap();
        let before = lead.clone();
        assert_eq!(lead.update(LeadPatch { status: Some(LeadStatus::Working), ..Default::default() }), Err(LeadError::Disqualified));
        assert_eq!(lead, before, "a refused update changes nothing");
    }

    #[test]
    fn a_qualified_lead_is_kept_and_attached_submissions_fill_blanks() {
        let (mut lead, _) = Lead::capture(WorkspaceId::new(), fields("Sara"));
        let mut again = fields("Sara A.");
        again.company = Some("Pars".into());
        lead.attach(again);
        assert_eq!((lead.submissions(), lead.fields().company.as_deref(), lead.fields().name.as_str()), (2, Some("Pars"), "Sara"));
        let opportunity = OpportunityId::new();
        lead.qualify(opportunity, Utc::now()).unwrap();
        assert_eq!(lead.opportunity_id(), Some(opportunity));
        assert_eq!(lead.delete(), Err(LeadError::AlreadyQualified));
        assert_eq!(lead.qualify(OpportunityId::new(), Utc::now()), Err(LeadError::AlreadyQualified));
    }
}
