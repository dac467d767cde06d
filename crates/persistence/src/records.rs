//! What the store returns: plain records built from domain types, never ORM models.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::dates::Calendar;
use kariz_domain::{
    ContactId, Currency, Deal, Email, ImportantDate, OrganizationId, PipelineId, Probability, Role, StageId, TimeZone, UserId,
    VisibilitySettings, WorkspaceId,
};
use uuid::Uuid;

#[derive(Clone, Debug)]
pub struct WorkspaceRecord {
    pub id: WorkspaceId,
    pub name: String,
    pub default_currency: Currency,
    pub locale: String,
    pub visibility: VisibilitySettings,
    /// Losing a deal needs one of the workspace's managed reasons.
    pub lost_reason_required: bool,
    pub created_at: DateTime<Utc>,
    /// The time zone of members who chose none.
    pub time_zone: TimeZone,
    /// The calendar its reports count months, quarters and years in.
    pub calendar: Calendar,
}

#[derive(Clone, Debug)]
pub struct UserRecord {
    pub id: UserId,
    pub workspace_id: WorkspaceId,
    pub email: Email,
    pub name: String,
    pub role: Role,
    pub locale: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// What an access token issued now names: a token naming an earlier one is refused.
    pub session_generation: i64,
    /// The user's own time zone; `None` follows the workspace's.
    pub time_zone: Option<TimeZone>,
}

/// An account (a user of one workspace) with its stored password hash and its workspace's name,
/// for sign-in and password checks only.
#[derive(Clone, Debug)]
pub struct UserCredentials {
    pub user: UserRecord,
    pub password_hash: String,
    pub workspace_name: String,
}

#[derive(Clone, Debug)]
pub struct StageRecord {
    pub id: StageId,
    pub pipeline_id: PipelineId,
    pub name: String,
    /// Zero-based place of the column in its pipeline.
    pub position: i32,
    pub probability: Probability,
    pub rotting_days: Option<u16>,
    /// What a deal must have to enter the stage.
    pub required_fields: kariz_domain::RequiredFields,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct PipelineRecord {
    pub id: PipelineId,
    pub name: String,
    pub currency: Currency,
    pub position: i32,
    pub archived_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In column order.
    pub stages: Vec<StageRecord>,
}

/// A deal as stored: the domain deal plus what the store keeps about it.
#[derive(Clone, Debug)]
pub struct DealRecord {
    pub deal: Deal,
    /// The probability of the stage the deal is in (the default for its own).
    pub stage_probability: Probability,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl DealRecord {
    pub fn probability(&self) -> Probability {
        self.deal.effective_probability(self.stage_probability)
    }

    pub fn weighted_amount_minor(&self) -> i64 {
        self.deal.weighted_amount(self.stage_probability)
    }
}

/// A lead as stored: the domain lead plus what the store keeps about it.
#[derive(Clone, Debug)]
pub struct LeadRecord {
    pub lead: kariz_domain::Lead,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One entry of a deal into a stage; `from_stage_id` is `None` when the deal was created there.
#[derive(Clone, Debug)]
pub struct StageChangeRecord {
    pub id: Uuid,
    pub deal_id: Uuid,
    pub pipeline_id: PipelineId,
    pub from_stage_id: Option<StageId>,
    pub to_stage_id: StageId,
    pub actor_id: Option<UserId>,
    pub entered_at: DateTime<Utc>,
}

/// Totals of a set of deals in one currency; money is never summed across currencies. Exact:
/// a total of many deals can exceed 64 bits.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CurrencyTotal {
    pub currency: Currency,
    pub amount_minor: i128,
    pub weighted_amount_minor: i128,
}

/// A contact as stored: the domain contact plus what the store keeps about it.
#[derive(Clone, Debug)]
pub struct ContactRecord {
    pub contact: kariz_domain::Contact,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An organization as stored.
#[derive(Clone, Debug)]
pub struct OrganizationRecord {
    pub organization: kariz_domain::Organization,
    /// How many contacts belong to it.
    pub contacts_count: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The next occurrence of an important date of a contact or an organization.
#[derive(Clone, Debug)]
pub struct UpcomingDateRecord {
    /// The day it falls on (28 February for 29 February in a common year).
    pub on: NaiveDate,
    pub date: ImportantDate,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    /// The contact's or organization's name.
    pub name: String,
    /// The age, or years married or in business, on that day, when the year is known.
    pub years: Option<i32>,
}
