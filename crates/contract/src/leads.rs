//! A lead and an opportunity as the API answers them and `lead.*` and `opportunity.*` events
//! carry them.

use chrono::{DateTime, Utc};
use kariz_domain::{DisqualifyReason, LeadSource};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::deals::DealResponse;
use crate::vocabulary as vocab;

/// A lead; `lead.*` webhook events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadResponse {
    pub id: Uuid,
    #[schema(example = "Sara Ahmadi")]
    pub name: String,
    /// Lower-cased.
    pub email: Option<String>,
    /// E.164 (`+989121234567`), whatever digits and prefix it was written with.
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    #[schema(schema_with = vocab::lead_source)]
    pub source: LeadSource,
    pub campaign: Option<String>,
    pub medium: Option<String>,
    pub owner_id: Option<Uuid>,
    #[schema(schema_with = vocab::lead_status)]
    pub status: String,
    #[schema(schema_with = vocab::disqualify_reason_or_null)]
    pub disqualify_reason: Option<DisqualifyReason>,
    pub disqualify_note: Option<String>,
    /// When the lead was qualified or disqualified.
    pub closed_at: Option<DateTime<Utc>>,
    /// The sum of the points of the workspace's scoring rules that fire for this lead.
    pub score: i32,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub custom_fields: Map<String, Value>,
    /// How many times the lead was submitted (intake or import).
    pub submissions: i32,
    /// Set once the lead is qualified.
    pub opportunity_id: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityResponse {
    pub id: Uuid,
    pub title: String,
    /// The lead it was qualified from.
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub need: Option<String>,
    pub budget_minor: Option<i64>,
    pub budget_currency: Option<String>,
    pub timeline: Option<String>,
    pub decision_maker: Option<String>,
    pub owner_id: Uuid,
    /// Derived from the deals: won if any is won, open while any is open (or none exists), lost
    /// when all are lost.
    #[schema(schema_with = vocab::opportunity_status)]
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first. (Absent from `opportunity.created` events, whose deals have their own.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deals: Option<Vec<DealResponse>>,
}
