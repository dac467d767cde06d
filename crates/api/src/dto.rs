//! Response bodies shared by several routes, and the conversions from store records.
//! Request bodies live beside their handlers.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::Visibility;
use std::collections::HashMap;

use kariz_domain::DealId;
use kariz_persistence::board::{Board, BoardColumn, NextActivity};
use kariz_persistence::{
    CurrencyTotal, DealRecord, OrganizationRecord, PipelineRecord, StageChangeRecord, StageRecord, UpcomingDateRecord, UserRecord,
    WorkspaceRecord,
};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::error::Problem;

pub use kariz_contract::{CalendarDto, ContactResponse, DateKindDto, DealResponse, DealStatusDto, ImportantDateResponse};

pub mod activities;
pub mod audit;
pub mod customers;
pub mod leads;
pub mod privacy;
pub mod reports;
pub mod search;

/// Deserializes a field that distinguishes "absent" (`None`) from `null` (`Some(None)`).
pub fn double_option<'de, T: Deserialize<'de>, D: Deserializer<'de>>(d: D) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// A language the product speaks.
#[derive(Deserialize, Serialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
pub enum Locale {
    #[default]
    En,
    Fa,
}

impl Locale {
    pub fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::Fa => "fa",
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct WorkspaceResponse {
    pub id: Uuid,
    pub name: String,
    #[schema(example = "IRR")]
    pub default_currency: String,
    #[schema(value_type = Locale)]
    pub locale: String,
    /// Who sees the workspace's deals.
    pub deal_visibility: VisibilityDto,
    /// Who sees the workspace's leads (and the opportunities qualified from them).
    pub lead_visibility: VisibilityDto,
    /// The IANA time zone of members who chose none: at first `Asia/Tehran` for a workspace made
    /// in Persian, else `UTC`.
    #[schema(example = "Asia/Tehran")]
    pub time_zone: String,
    /// Losing a deal needs one of the workspace's managed lost reasons (`reason_id`).
    pub lost_reason_required: bool,
    /// The calendar reports count months, quarters and years in (a report's `calendar` parameter
    /// overrides it). A workspace made in Persian starts on `jalali`.
    pub calendar: CalendarDto,
    pub created_at: DateTime<Utc>,
}

impl From<WorkspaceRecord> for WorkspaceResponse {
    fn from(w: WorkspaceRecord) -> Self {
        WorkspaceResponse {
            id: w.id.as_uuid(),
            name: w.name,
            default_currency: w.default_currency.to_string(),
            locale: w.locale,
            deal_visibility: w.visibility.deals.into(),
            lead_visibility: w.visibility.leads.into(),
            time_zone: w.time_zone.as_str().to_owned(),
            lost_reason_required: w.lost_reason_required,
            calendar: w.calendar.into(),
            created_at: w.created_at,
        }
    }
}

/// `everyone`: every member sees every record. `owner_and_managers`: members see the records
/// they own; managers and admins see all. Hidden records answer 404, as if they did not exist.
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
#[serde(rename_all = "snake_case")]
#[schema(as = Visibility)]
pub enum VisibilityDto {
    Everyone,
    OwnerAndManagers,
}

impl From<Visibility> for VisibilityDto {
    fn from(visibility: Visibility) -> Self {
        match visibility {
            Visibility::Everyone => VisibilityDto::Everyone,
            Visibility::OwnerAndManagers => VisibilityDto::OwnerAndManagers,
        }
    }
}

impl From<VisibilityDto> for Visibility {
    fn from(visibility: VisibilityDto) -> Self {
        match visibility {
            VisibilityDto::Everyone => Visibility::Everyone,
            VisibilityDto::OwnerAndManagers => Visibility::OwnerAndManagers,
        }
    }
}

#[derive(Serialize, Deserialize, ToSchema, Clone, Copy)]
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

impl From<RoleDto> for kariz_domain::Role {
    fn from(role: RoleDto) -> Self {
        match role {
            RoleDto::Admin => kariz_domain::Role::Admin,
            RoleDto::Manager => kariz_domain::Role::Manager,
            RoleDto::Member => kariz_domain::Role::Member,
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
    #[schema(value_type = Locale)]
    pub locale: String,
    /// The user's own IANA time zone; `null` follows the workspace's.
    #[schema(example = "Asia/Tehran")]
    pub time_zone: Option<String>,
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
            time_zone: u.time_zone.map(|zone| zone.as_str().to_owned()),
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
    /// What a deal must have to enter the stage: `amount`, `expected_close_date`, `contact_id`,
    /// `organization_id` or deal custom-field keys.
    #[schema(example = json!(["amount"]))]
    pub required_fields: Vec<String>,
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
            required_fields: s.required_fields.names(),
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
    /// Exact, in minor units. A column of many deals can add up beyond 2^53 and even 2^63 (it is
    /// a JSON integer of any size): read it with a JSON parser that keeps large integers exact.
    pub amount_minor: i128,
    /// Σ amount × probability, rounded per deal; exact like `amount_minor`.
    pub weighted_amount_minor: i128,
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
    pub deals: Vec<BoardCard>,
    /// For more cards: `GET /api/v1/deals?stage_id=…&status=…&sort=position&cursor=…` (full
    /// deals, of which a card shows what `BoardCard` holds but the next activity).
    pub next_cursor: Option<String>,
}

/// A card: what the board draws of a deal, and no more (the full deal comes from
/// `GET /deals/{id}` when it is opened); its stage is the column's. Fields empty for the deal are
/// left out: an absent `expected_close_date`, `contact_id`, `organization_id`,
/// `custom_probability` or `next_activity_at` is `null`, absent `tags` none, and an absent
/// `overdue` is `false`.
#[derive(Serialize, ToSchema)]
pub struct BoardCard {
    pub id: Uuid,
    #[schema(example = "Fleet renewal — Pars Logistics")]
    pub title: String,
    /// The amount in the currency's minor units.
    pub amount_minor: i64,
    #[schema(example = "IRR")]
    pub currency: String,
    /// The deal's own probability, when it overrides the stage's: the card's weighted amount is
    /// `amount_minor` × (this, else the stage's probability) / 100, rounded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub custom_probability: Option<u8>,
    pub owner_id: Uuid,
    pub status: DealStatusDto,
    /// Sort key of the card within its column (byte-wise order).
    pub position: String,
    /// When the deal entered its stage: the days in the stage, and rotting past the stage's
    /// `rotting_days` for an open deal.
    pub stage_entered_at: DateTime<Utc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected_close_date: Option<NaiveDate>,
    /// The person the deal is with; the name is in the board's `contacts`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<Uuid>,
    /// The company the deal is with; the name is in the board's `organizations`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub organization_id: Option<Uuid>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["vip"]))]
    pub tags: Vec<String>,
    /// Send it back as `If-Match` to move or change the deal.
    pub version: i64,
    /// The due time of the deal's earliest activity not done yet (that the caller may see).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_activity_at: Option<DateTime<Utc>>,
    /// `true` when the day of `next_activity_at` has passed in the caller's time zone (theirs,
    /// else the workspace's), as the agenda counts overdue.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub overdue: bool,
}

impl BoardCard {
    fn new(record: &DealRecord, next: Option<&NextActivity>) -> Self {
        let deal = &record.deal;
        BoardCard {
            id: deal.id().as_uuid(),
            title: deal.title().as_str().to_owned(),
            amount_minor: deal.value().amount_minor(),
            currency: deal.value().currency().to_string(),
            custom_probability: deal.own_probability().map(|p| p.percent()),
            owner_id: deal.owner_id().as_uuid(),
            status: DealStatusDto::from(deal.status()),
            position: deal.position().as_str().to_owned(),
            stage_entered_at: deal.stage_entered_at(),
            expected_close_date: deal.expected_close_date(),
            contact_id: deal.contact_id().map(|c| c.as_uuid()),
            organization_id: deal.organization_id().map(|o| o.as_uuid()),
            tags: deal.tags().as_slice().to_vec(),
            version: record.version,
            next_activity_at: next.map(|n| n.due_at),
            overdue: next.is_some_and(|n| n.overdue),
        }
    }
}

impl BoardColumnResponse {
    fn new(c: BoardColumn, next_activities: &HashMap<DealId, NextActivity>) -> Self {
        BoardColumnResponse {
            stage: c.stage.into(),
            count: c.count,
            totals: c.totals.into_iter().map(Into::into).collect(),
            deals: c.deals.iter().map(|r| BoardCard::new(r, next_activities.get(&r.deal.id()))).collect(),
            next_cursor: c.next_cursor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct BoardResponse {
    pub pipeline: PipelineResponse,
    pub columns: Vec<BoardColumnResponse>,
    /// The people the cards shown are with (`contact_id`), by id.
    pub contacts: Vec<LinkedName>,
    /// The companies the cards shown are with (`organization_id`), by id.
    pub organizations: Vec<LinkedName>,
}

/// A linked record's id and name, for showing a link without fetching the record.
#[derive(Serialize, ToSchema)]
pub struct LinkedName {
    pub id: Uuid,
    pub name: String,
}

impl From<Board> for BoardResponse {
    fn from(b: Board) -> Self {
        BoardResponse {
            pipeline: b.pipeline.into(),
            columns: b.columns.into_iter().map(|c| BoardColumnResponse::new(c, &b.next_activities)).collect(),
            contacts: b.contacts.into_iter().map(|(id, name)| LinkedName { id: id.as_uuid(), name }).collect(),
            organizations: b.organizations.into_iter().map(|(id, name)| LinkedName { id: id.as_uuid(), name }).collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ContactList {
    pub data: Vec<ContactResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationResponse {
    pub id: Uuid,
    #[schema(example = "Pars Logistics")]
    pub name: String,
    /// Lower-case, without scheme or `www.`.
    #[schema(example = "pars-logistics.ir")]
    pub domain: Option<String>,
    #[schema(example = "Logistics")]
    pub industry: Option<String>,
    /// E.164.
    pub phone: Option<String>,
    pub address: Option<String>,
    pub city: Option<String>,
    /// ISO 3166 alpha-2, upper-case.
    pub country: Option<String>,
    pub tags: Vec<String>,
    /// Values of the workspace's organization fields, by key.
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    pub owner_id: Option<Uuid>,
    pub founded_on: Option<NaiveDate>,
    /// Anniversaries and custom dates, in calendar order.
    pub important_dates: Vec<ImportantDateResponse>,
    /// How many contacts belong to it.
    pub contacts_count: i64,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&OrganizationRecord> for OrganizationResponse {
    fn from(r: &OrganizationRecord) -> Self {
        let o = r.organization.fields();
        let text = |value: Option<&str>| value.map(str::to_owned);
        OrganizationResponse {
            id: r.organization.id().as_uuid(),
            name: o.name.as_str().to_owned(),
            domain: text(o.domain.as_ref().map(|d| d.as_str())),
            industry: text(o.industry.as_ref().map(|i| i.as_str())),
            phone: text(o.phone.as_ref().map(|p| p.as_str())),
            address: text(o.address.as_ref().map(|a| a.as_str())),
            city: text(o.city.as_ref().map(|c| c.as_str())),
            country: text(o.country.as_ref().map(|c| c.as_str())),
            tags: o.tags.as_slice().to_vec(),
            custom_fields: o.custom_fields.clone(),
            owner_id: o.owner_id.map(|u| u.as_uuid()),
            founded_on: o.founded_on,
            important_dates: ImportantDateResponse::list(o.important_dates.as_slice()),
            contacts_count: r.contacts_count,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrganizationList {
    pub data: Vec<OrganizationResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// The next occurrence of a contact's or an organization's important date.
#[derive(Serialize, ToSchema)]
pub struct UpcomingDateResponse {
    /// The (Gregorian) day it falls on; 29 February falls on 28 February in common years, and
    /// 30 Esfand on 29 Esfand.
    pub date: NaiveDate,
    pub kind: DateKindDto,
    /// The calendar the date recurs in.
    pub calendar: CalendarDto,
    pub label: Option<String>,
    /// Set for a contact's date.
    pub contact_id: Option<Uuid>,
    /// Set for an organization's date.
    pub organization_id: Option<Uuid>,
    /// The contact's or organization's name.
    pub name: String,
    /// The age, or years married or in business, on that day, when the year is known.
    pub years: Option<i32>,
}

impl From<&UpcomingDateRecord> for UpcomingDateResponse {
    fn from(u: &UpcomingDateRecord) -> Self {
        UpcomingDateResponse {
            date: u.on,
            kind: u.date.kind.into(),
            calendar: u.date.date.calendar().into(),
            label: u.date.label.as_ref().map(|l| l.as_str().to_owned()),
            contact_id: u.contact_id.map(|c| c.as_uuid()),
            organization_id: u.organization_id.map(|o| o.as_uuid()),
            name: u.name.clone(),
            years: u.years,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UpcomingDateList {
    /// Soonest first.
    pub data: Vec<UpcomingDateResponse>,
    /// Always `null`: the window is the page.
    pub next_cursor: Option<String>,
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

    /// What a read that only admins may make can answer.
    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum AdminReadErrors {
        #[response(
            status = 400,
            description = "A malformed query parameter or a cursor from another list",
            content_type = "application/problem+json"
        )]
        BadRequest(Problem),
        #[response(status = 401, description = "Missing, invalid or expired access token", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(status = 403, description = "Only admins may read this", content_type = "application/problem+json")]
        Forbidden(Problem),
    }

    /// What a read that only admins and managers may make can answer.
    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum ManagerReadErrors {
        #[response(
            status = 400,
            description = "A malformed query or path parameter, or a cursor from another list",
            content_type = "application/problem+json"
        )]
        BadRequest(Problem),
        #[response(status = 401, description = "Missing, invalid or expired access token", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(status = 403, description = "Only admins and managers may read this", content_type = "application/problem+json")]
        Forbidden(Problem),
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
        #[response(
            status = 408,
            description = "The body did not arrive in time; the connection is closed",
            content_type = "application/problem+json"
        )]
        Timeout(Problem),
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
        #[response(
            status = 408,
            description = "The body did not arrive in time; the connection is closed",
            content_type = "application/problem+json"
        )]
        Timeout(Problem),
        #[response(status = 413, description = "The body is too large", content_type = "application/problem+json")]
        TooLarge(Problem),
        #[response(status = 415, description = "The body is not JSON", content_type = "application/problem+json")]
        UnsupportedMediaType(Problem),
        #[response(status = 422, description = "Invalid fields, each listed in `errors`", content_type = "application/problem+json")]
        Validation(Problem),
    }

    /// Its 429 (throttling and rate limits) is added with every other rate-limited operation's in `openapi.rs`.
    #[derive(IntoResponses)]
    #[allow(dead_code)]
    pub enum SignInErrors {
        #[response(status = 400, description = "Malformed JSON", content_type = "application/problem+json")]
        BadRequest(Problem),
        #[response(status = 401, description = "The credentials were refused", content_type = "application/problem+json")]
        Unauthenticated(Problem),
        #[response(
            status = 409,
            description = "The email and password open accounts in several workspaces (`workspace_choice_required`, listed in `workspaces`): sign in again with `workspace_id`",
            content_type = "application/problem+json"
        )]
        WorkspaceChoice(Problem),
        #[response(
            status = 408,
            description = "The body did not arrive in time; the connection is closed",
            content_type = "application/problem+json"
        )]
        Timeout(Problem),
        #[response(status = 413, description = "The body is too large", content_type = "application/problem+json")]
        TooLarge(Problem),
        #[response(status = 415, description = "The body is not JSON", content_type = "application/problem+json")]
        UnsupportedMediaType(Problem),
        #[response(status = 422, description = "Invalid fields, each listed in `errors`", content_type = "application/problem+json")]
        Validation(Problem),
    }
}
