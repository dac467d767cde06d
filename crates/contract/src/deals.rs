//! A deal as the API answers it and deal events carry it.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::DealStatus;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = DealStatus)]
pub enum DealStatusDto {
    Open,
    Won,
    Lost,
}

impl From<&DealStatus> for DealStatusDto {
    fn from(status: &DealStatus) -> Self {
        match status {
            DealStatus::Open => DealStatusDto::Open,
            DealStatus::Won { .. } => DealStatusDto::Won,
            DealStatus::Lost { .. } => DealStatusDto::Lost,
        }
    }
}

/// A deal; webhook events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealResponse {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    #[schema(example = "Fleet renewal — Pars Logistics")]
    pub title: String,
    /// The amount in the currency's minor units (e.g. cents; rials have none).
    #[schema(example = 250_000_000)]
    pub amount_minor: i64,
    #[schema(example = "IRR")]
    pub currency: String,
    /// The effective win probability: the deal's own, or else its stage's.
    #[schema(example = 60)]
    pub probability: u8,
    /// The deal's own probability, when it overrides the stage's.
    pub custom_probability: Option<u8>,
    /// amount × probability, rounded, in minor units.
    pub weighted_amount_minor: i64,
    pub expected_close_date: Option<NaiveDate>,
    pub owner_id: Uuid,
    pub status: DealStatusDto,
    /// A lost deal's note, in the salesperson's words.
    pub lost_reason: Option<String>,
    /// A lost deal's managed reason (`GET /lost-reasons`).
    #[serde(default)]
    pub lost_reason_id: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Sort key of the card within its column (byte-wise order).
    pub position: String,
    pub stage_entered_at: DateTime<Utc>,
    /// The opportunity the deal was opened for (by qualifying a lead, or on the opportunity).
    pub opportunity_id: Option<Uuid>,
    /// The person the deal is with.
    pub contact_id: Option<Uuid>,
    /// The company the deal is with.
    pub organization_id: Option<Uuid>,
    /// Labels, kept once whatever their case, in the order given.
    #[schema(example = json!(["vip", "renewal"]))]
    pub tags: Vec<String>,
    /// Values of the workspace's deal fields, by key.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    /// The amount is the total of the deal's line items (`PUT /deals/{id}/line-items`), set
    /// whenever they are saved.
    #[serde(default)]
    pub amount_from_lines: bool,
    /// Incremented by every change; send it back as `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
