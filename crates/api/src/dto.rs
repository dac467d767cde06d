//! Response bodies shared by several routes, and the conversions from store records.
//! Request bodies live beside their handlers.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_persistence::board::{Board, BoardColumn};
use kariz_persistence::{CurrencyTotal, DealRecord, PipelineRecord, StageChangeRecord, StageRecord, UserRecord, WorkspaceRecord};
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Problem;

pub mod leads;

/// Deserializes a field that distinguishes "absent" (`None`) from `null` (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceResponse {
    pub id: Uuid,
    pub name: String,
    #[schema(example = "IRR")]
    pub default_currency: String,
    #[schema(example = "fa")]
    pub locale: String,
    pub created_at: DateTime<Utc>,
}

impl From<WorkspaceRecord> for WorkspaceResponse {
    fn from(w: WorkspaceRecord) -> Self {
        WorkspaceResponse {
            id: w.id.as_uuid(),
            name: w.name,
            default_currency: w.default_currency.to_string(),
            locale: w.locale,
            created_at: w.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = Role)]
pub enum RoleDto {
    Admin,
    Manager,
    Member,
}

impl From<kariz_domain::Role> for RoleDto {
    fn from(role: kariz_domain::Role) -> Self {
        match role {
            kariz_domain::Role::Admin => RoleDto::Admin,
            kariz_domain::Role::Manager => RoleDto::Manager,
            kariz_domain::Role::Member => RoleDto::Member,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserResponse {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub email: String,
    pub name: String,
    pub role: RoleDto,
    pub locale: String,
    pub active: bool,
    pub created_at: DateTime<Utc>,
}

impl From<UserRecord> for UserResponse {
    fn from(u: UserRecord) -> Self {
        UserResponse {
            id: u.id.as_uuid(),
            workspace_id: u.workspace_id.as_uuid(),
            email: u.email.as_str().to_owned(),
            name: u.name,
            role: u.role.into(),
            locale: u.locale,
            active: u.active,
            created_at: u.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<UserResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StageResponse {
    pub id: Uuid,
    pub pipeline_id: Uuid,
    #[schema(example = "Proposal")]
    pub name: String,
    /// Zero-based column index.
    pub position: i32,
    /// Win probability of deals in this stage, 0–100; the default for each deal's own.
    #[schema(example = 60, minimum = 0, maximum = 100)]
    pub probability: u8,
    /// Open deals idle here longer than this are marked rotting; `null` never rots.
    pub rotting_days: Option<u16>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<StageRecord> for StageResponse {
    fn from(s: StageRecord) -> Self {
        StageResponse {
            id: s.id.as_uuid(),
            pipeline_id: s.pipeline_id.as_uuid(),
            name: s.name,
            position: s.position,
            probability: s.probability.percent(),
            rotting_days: s.rotting_days,
            version: s.version,
            created_at: s.created_at,
            updated_at: s.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PipelineResponse {
    pub id: Uuid,
    #[schema(example = "New business")]
    pub name: String,
    /// The default currency of new deals in this pipeline.
    #[schema(example = "IRR")]
    pub currency: String,
    pub position: i32,
    pub archived: bool,
    pub archived_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// In column order.
    pub stages: Vec<StageResponse>,
}

impl From<PipelineRecord> for PipelineResponse {
    fn from(p: PipelineRecord) -> Self {
        PipelineResponse {
            id: p.id.as_uuid(),
            name: p.name,
            currency: p.currency.to_string(),
            position: p.position,
            archived: p.archived_at.is_some(),
            archived_at: p.archived_at,
            version: p.version,
            created_at: p.created_at,
            updated_at: p.updated_at,
            stages: p.stages.into_iter().map(Into::into).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct PipelineList {
    pub data: Vec<PipelineResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
#[schema(as = DealStatus)]
pub enum DealStatusDto {
    Open,
    Won,
    Lost,
}

/// A deal; webhook events carry the same object (the integration suite parses them with it).
#[derive(Serialize, Deserialize, ToSchema)]
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
    pub lost_reason: Option<String>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Sort key of the card within its column (byte-wise order).
    pub position: String,
    pub stage_entered_at: DateTime<Utc>,
    /// The opportunity the deal was opened for (by qualifying a lead, or on the opportunity).
    pub opportunity_id: Option<Uuid>,
    /// Incremented by every change; send it back as `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&DealRecord> for DealResponse {
    fn from(r: &DealRecord) -> Self {
        let d = &r.deal;
        DealResponse {
            id: d.id.as_uuid(),
            pipeline_id: d.pipeline_id.as_uuid(),
            stage_id: d.stage_id.as_uuid(),
            title: d.title.as_str().to_owned(),
            amount_minor: d.value.amount_minor(),
            currency: d.value.currency().to_string(),
            probability: r.probability().percent(),
            custom_probability: d.probability.map(|p| p.percent()),
            weighted_amount_minor: r.weighted_amount_minor(),
            expected_close_date: d.expected_close_date,
            owner_id: d.owner_id.as_uuid(),
            status: match d.status.as_str() {
                "won" => DealStatusDto::Won,
                "lost" => DealStatusDto::Lost,
                _ => DealStatusDto::Open,
            },
            lost_reason: d.status.lost_reason().map(|r| r.as_str().to_owned()),
            closed_at: d.status.closed_at(),
            position: d.position.as_str().to_owned(),
            stage_entered_at: d.stage_entered_at,
            opportunity_id: r.opportunity_id.map(|o| o.as_uuid()),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DealList {
    pub data: Vec<DealResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeResponse {
    pub id: Uuid,
    pub deal_id: Uuid,
    pub pipeline_id: Uuid,
    /// `null` when the deal was created in `to_stage_id`.
    pub from_stage_id: Option<Uuid>,
    pub to_stage_id: Uuid,
    pub actor_id: Option<Uuid>,
    pub entered_at: DateTime<Utc>,
}

impl From<StageChangeRecord> for StageChangeResponse {
    fn from(c: StageChangeRecord) -> Self {
        StageChangeResponse {
            id: c.id,
            deal_id: c.deal_id,
            pipeline_id: c.pipeline_id.as_uuid(),
            from_stage_id: c.from_stage_id.map(|s| s.as_uuid()),
            to_stage_id: c.to_stage_id.as_uuid(),
            actor_id: c.actor_id.map(|a| a.as_uuid()),
            entered_at: c.entered_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StageChangeList {
    pub data: Vec<StageChangeResponse>,
    pub next_cursor: Option<String>,
}

/// Sums of one currency; money is never added across currencies.
#[derive(Serialize, ToSchema)]
pub struct CurrencyTotalResponse {
    pub currency: String,
    pub amount_minor: i64,
    pub weighted_amount_minor: i64,
}

impl From<CurrencyTotal> for CurrencyTotalResponse {
    fn from(t: CurrencyTotal) -> Self {
        CurrencyTotalResponse {
            currency: t.currency.to_string(),
            amount_minor: t.amount_minor,
            weighted_amount_minor: t.weighted_amount_minor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardColumnResponse {
    pub stage: StageResponse,
    /// All matching deals in the column, not only those returned.
    pub count: i64,
    pub totals: Vec<CurrencyTotalResponse>,
    /// The first cards, in position order.
    pub deals: Vec<DealResponse>,
    /// For more cards: `GET /api/v1/deals?stage_id=…&status=…&sort=position&cursor=…`.
    pub next_cursor: Option<String>,
}

impl From<BoardColumn> for BoardColumnResponse {
    fn from(c: BoardColumn) -> Self {
        BoardColumnResponse {
            stage: c.stage.into(),
            count: c.count,
            totals: c.totals.into_iter().map(Into::into).collect(),
            deals: c.deals.iter().map(Into::into).collect(),
            next_cursor: c.next_cursor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardResponse {
    pub pipeline: PipelineResponse,
    pub columns: Vec<BoardColumnResponse>,
}

impl From<Board> for BoardResponse {
    fn from(b: Board) -> Self {
        BoardResponse { pipeline: b.pipeline.into(), columns: b.columns.into_iter().map(Into::into).collect() }
    }
}

/// Error responses, grouped so that each route documents every status it can answer.
pub mod errors {
    use super::Problem;
    use utoipa::IntoResponses;

    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum ReadErrors {
        #[response(status = 400, description = "A malformed query or path parameter", content_type = "application/problem+json")]
        BadRequest(Problem),
        #[response(status = 401, description = "Missing, invalid or expired access token", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(status = 404, description = "No such object in your workspace", content_type = "application/problem+json")]
        NotFound(Problem),
    }

    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum WriteErrors {
        #[response(status = 400, description = "Malformed JSON or parameters", content_type = "application/problem+json")]
        BadRequest(Problem),
        #[response(status = 401, description = "Missing, invalid or expired access token", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(status = 403, description = "Your role may not do this", content_type = "application/problem+json")]
        Forbidden(Problem),
        #[response(status = 404, description = "No such object in your workspace", content_type = "application/problem+json")]
        NotFound(Problem),
        #[response(status = 409, description = "The change conflicts with the current state", content_type = "application/problem+json")]
        Conflict(Problem),
        #[response(
            status = 412,
            description = "Stale version: the object changed since you read it; nothing was written",
            content_type = "application/problem+json"
        )]
        PreconditionFailed(Problem),
        #[response(status = 413, description = "The body is too large", content_type = "application/problem+json")]
        TooLarge(Problem),
        #[response(status = 415, description = "The body is not JSON", content_type = "application/problem+json")]
        UnsupportedMediaType(Problem),
        #[response(status = 422, description = "Invalid fields, each listed in `errors`", content_type = "application/problem+json")]
        Validation(Problem),
        #[response(
            status = 428,
            description = "The version you read is required (If-Match or `version`)",
            content_type = "application/problem+json"
        )]
        PreconditionRequired(Problem),
    }

    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum PublicErrors {
        #[response(status = 400, description = "Malformed JSON", content_type = "application/problem+json")]
        BadRequest(Problem),
        #[response(status = 401, description = "The credentials were refused", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(status = 409, description = "The email is already in use", content_type = "application/problem+json")]
        Conflict(Problem),
        #[response(status = 413, description = "The body is too large", content_type = "application/problem+json")]
        TooLarge(Problem),
        #[response(status = 415, description = "The body is not JSON", content_type = "application/problem+json")]
        UnsupportedMediaType(Problem),
        #[response(status = 422, description = "Invalid fields, each listed in `errors`", content_type = "application/problem+json")]
        Validation(Problem),
    }
}
