//! Leads: the inbox (CRUD, filters, sort by score), score explanations, duplicates and merge,
//! disqualification, reopening and qualification into an opportunity.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use kariz_domain::{
    ContactId, Currency, DealTitle, DisqualifyNote, DisqualifyReason, Email, LeadId, LeadName, LeadSource, LeadStatus, Money,
    OpportunityTitle, OrganizationId, Phone, PipelineId, StageId, Tags, UserId,
};
use kariz_domain::{LeadFields, LeadPatch};
use kariz_persistence::LeadRecord;
use kariz_persistence::duplicates::{DuplicateProbe, Duplicates};
use kariz_persistence::leads::{LeadFilter, LeadSort};
use kariz_persistence::opportunities::{QualifyDeal, QualifyLead};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::leads::{ContactMatchResponse, FiredRuleResponse, LeadList, LeadResponse, QualificationResponse, ScoreResponse};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::routes::deals::MAX_AMOUNT_MINOR;
use crate::state::AppState;
use crate::vocabulary as vocab;

/// Longest free text (company, job title, campaign, medium) in characters.
pub const MAX_SHORT_TEXT: usize = 200;
/// Longest notes in characters.
pub const MAX_NOTES: usize = 5000;

/// A lead's fields as a client sends them; shared by the API, intake and CSV import.
#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct LeadInput {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Sara Ahmadi")]
    pub name: String,
    #[validate(length(max = 254))]
    #[schema(max_length = 254, example = "sara@pars-logistics.example")]
    pub email: Option<String>,
    /// Any common spelling: `0912 123 4567`, `+98 912 123 4567`, Persian or Arabic-Indic digits.
    #[validate(length(max = 40))]
    #[schema(max_length = 40, example = "۰۹۱۲ ۱۲۳ ۴۵۶۷")]
    pub phone: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub company: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub job_title: Option<String>,
    /// `other` when omitted (`website` through intake).
    #[schema(schema_with = vocab::lead_source)]
    pub source: Option<LeadSource>,
    /// The campaign, event or exhibition the lead came from.
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub campaign: Option<String>,
    /// The medium or channel detail (e.g. `instagram`, `booth 12`).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub medium: Option<String>,
    /// A member of your workspace; you when omitted.
    pub owner_id: Option<Uuid>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[validate(length(max = 5000))]
    #[schema(max_length = 5000)]
    pub notes: Option<String>,
    /// Values of the workspace's lead custom fields, by key.
    pub custom_fields: Option<Map<String, Value>>,
}

/// Trims optional text: blank is absent; too long is an error.
pub(crate) fn optional_text(errors: &mut FieldErrors, field: &str, raw: Option<&str>, max: usize) -> Option<String> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    if text.chars().count() > max {
        errors.push(crate::error::FieldError::new(field, FieldCode::Length, format!("must be at most {max} characters")));
        return None;
    }
    Some(text.to_owned())
}

/// Parses a lead's fields into domain types, recording every bad field in `errors`.
pub(crate) fn lead_fields(input: LeadInput, default_source: LeadSource, errors: &mut FieldErrors) -> Option<LeadFields> {
    let name = errors.check("name", LeadName::parse(&input.name));
    let email = errors.check_opt("email", input.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(Email::parse));
    let phone = errors.check_opt("phone", input.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(Phone::parse));
    let tags = errors.check("tags", Tags::parse(input.tags.as_deref().unwrap_or_default()));
    let company = optional_text(errors, "company", input.company.as_deref(), MAX_SHORT_TEXT);
    let job_title = optional_text(errors, "job_title", input.job_title.as_deref(), MAX_SHORT_TEXT);
    let campaign = optional_text(errors, "campaign", input.campaign.as_deref(), MAX_SHORT_TEXT);
    let medium = optional_text(errors, "medium", input.medium.as_deref(), MAX_SHORT_TEXT);
    let notes = optional_text(errors, "notes", input.notes.as_deref(), MAX_NOTES);
    Some(LeadFields {
        name: name?,
        email: email?,
        phone: phone?,
        company,
        job_title,
        source: input.source.unwrap_or(default_source),
        campaign,
        medium,
        owner_id: input.owner_id.map(UserId::from),
        tags: tags?,
        notes,
        custom_fields: input.custom_fields.unwrap_or_default(),
    })
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLeadRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 254)]
    pub email: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 40)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 200)]
    pub company: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 200)]
    pub job_title: Option<Option<String>>,
    #[schema(schema_with = vocab::lead_source)]
    pub source: Option<LeadSource>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 200)]
    pub campaign: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 200)]
    pub medium: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub owner_id: Option<Option<Uuid>>,
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 5000)]
    pub notes: Option<Option<String>>,
    /// Merged into the stored values; a key set to `null` is removed.
    pub custom_fields: Option<Map<String, Value>>,
    /// `new` or `working`; qualification and disqualification have their own actions.
    #[schema(schema_with = open_lead_status)]
    pub status: Option<String>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

fn open_lead_status() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(["new", "working"]))
        .build()
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DisqualifyLeadRequest {
    #[schema(schema_with = vocab::disqualify_reason)]
    pub reason: DisqualifyReason,
    #[validate(length(max = 1000))]
    #[schema(max_length = 1000)]
    pub note: Option<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MergeLeadRequest {
    /// The lead merged into this one and then deleted.
    pub other_id: Uuid,
    /// Show the merged lead without changing anything.
    #[serde(default)]
    pub dry_run: bool,
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct QualifyLeadRequest {
    /// Link this contact instead of finding one by email or phone (or creating one).
    pub contact_id: Option<Uuid>,
    /// Link this organization instead of finding one by the lead's company (or creating one).
    pub organization_id: Option<Uuid>,
    /// The opportunity's title; the company (or the lead's name) when omitted.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    /// What the customer needs.
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000)]
    pub need: Option<String>,
    /// Budget estimate in minor units.
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64)]
    pub budget_minor: Option<i64>,
    /// ISO 4217; the workspace's currency when omitted.
    pub budget_currency: Option<String>,
    /// When the customer means to buy, in their words (`Q2 1405`, `before Nowruz`).
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub timeline: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub decision_maker: Option<String>,
    /// A member of your workspace; the lead's owner (or you) when omitted.
    pub owner_id: Option<Uuid>,
    /// Open a deal for the opportunity (default true).
    pub create_deal: Option<bool>,
    /// The deal's pipeline; the workspace's first active pipeline when omitted.
    pub pipeline_id: Option<Uuid>,
    /// The deal's stage; the pipeline's first stage when omitted.
    pub stage_id: Option<Uuid>,
    /// The deal's title; the opportunity's when omitted.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub deal_title: Option<String>,
    /// The deal's amount in minor units; the budget estimate when omitted.
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64)]
    pub amount_minor: Option<i64>,
    /// The deal's currency; the budget's, else the pipeline's, when omitted.
    pub currency: Option<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadListQuery {
    /// `new`, `working`, `qualified`, `disqualified`, or `open` (new or working: the inbox).
    #[param(schema_with = list_status)]
    pub status: Option<String>,
    #[param(schema_with = vocab::lead_source)]
    pub source: Option<String>,
    pub owner_id: Option<Uuid>,
    pub score_min: Option<i32>,
    pub score_max: Option<i32>,
    /// Leads carrying this tag (case-insensitive).
    pub tag: Option<String>,
    /// Disqualified leads with this reason.
    #[param(schema_with = vocab::disqualify_reason)]
    pub disqualify_reason: Option<String>,
    /// Text in the name, email or company, or digits of the phone; case, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    /// `-score` (default, best first), `score`, `-created_at` or `created_at`.
    #[param(schema_with = crate::vocabulary::lead_sort)]
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The statuses of leads still being worked.
const OPEN_STATUSES: [&str; 2] = ["new", "working"];
/// What the list's `status` filter takes.
const LIST_STATUSES: [&str; 5] = ["new", "working", "qualified", "disqualified", "open"];

fn list_status() -> utoipa::openapi::schema::Object {
    utoipa::openapi::schema::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(LIST_STATUSES))
        .build()
}

/// The parameters of the lead inbox that filter it: what a saved view of leads may hold.
pub(crate) const LEAD_FILTERS: [&str; 8] = ["status", "source", "owner_id", "score_min", "score_max", "tag", "disqualify_reason", "q"];

impl LeadListQuery {
    /// The filter and sort, or a 400 naming the bad parameter.
    pub(crate) fn parse(&self) -> Result<(LeadFilter, LeadSort), ApiError> {
        let bad = |name: &str, raw: &str, expected: &[&str]| {
            ApiError::BadRequest(format!("unknown {name} `{raw}`; use one of: {}", expected.join(", ")))
        };
        let statuses = match self.status.as_deref() {
            None => Vec::new(),
            Some("open") => OPEN_STATUSES.to_vec(),
            Some(raw) => vec![*LeadStatus::NAMES.iter().find(|s| **s == raw).ok_or_else(|| bad("status", raw, &LIST_STATUSES))?],
        };
        let source =
            self.source.as_deref().map(|raw| LeadSource::parse(raw).map_err(|_| bad("source", raw, LeadSource::NAMES))).transpose()?;
        let disqualify_reason = self
            .disqualify_reason
            .as_deref()
            .map(|raw| DisqualifyReason::parse(raw).map_err(|_| bad("disqualify_reason", raw, DisqualifyReason::NAMES)))
            .transpose()?;
        let sort = match self.sort.as_deref() {
            None => LeadSort::default(),
            Some(raw) => LeadSort::parse(raw).ok_or_else(|| bad("sort", raw, &LeadSort::NAMES))?,
        };
        let filter = LeadFilter {
            statuses,
            source,
            owner_id: self.owner_id.map(UserId::from),
            score_min: self.score_min,
            score_max: self.score_max,
            tag: self.tag.clone(),
            text: self.q.clone(),
            disqualify_reason,
        };
        Ok((filter, sort))
    }
}

pub(crate) fn lead_response(status: StatusCode, record: &LeadRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(LeadResponse::from(record))
}

/// Add a lead by hand. Its score is computed from the workspace's rules at once.
#[utoipa::path(tag = "leads", security(("bearer" = [])), request_body = LeadInput,
    responses((status = 201, description = "Created", body = LeadResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/leads")]
pub async fn create_lead(state: web::Data<AppState>, auth: Caller, body: ValidJson<LeadInput>) -> Result<HttpResponse, ApiError> {
    let mut errors = FieldErrors::default();
    let fields = lead_fields(body.0, LeadSource::Other, &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let record = state.store.create_lead(auth.workspace_id, Some(auth.user_id), fields).await?;
    Ok(created(&format!("/api/v1/leads/{}", record.lead.id()), record.version, LeadResponse::from(&record)))
}

/// The lead inbox: filtered, best score first by default, a page at a time.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadListQuery),
    responses((status = 200, description = "A page of leads", body = LeadList), ReadErrors))]
#[get("/leads")]
pub async fn list_leads(state: web::Data<AppState>, auth: Caller, query: web::Query<LeadListQuery>) -> Result<HttpResponse, ApiError> {
    let (filter, sort) = query.parse()?;
    let page = state.store.leads(&auth, &filter, sort, query.limit, query.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(LeadList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The lead", body = LeadResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/leads/{id}")]
pub async fn get_lead(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.lead(&auth, LeadId::from(*id)).await?;
    Ok(lead_response(StatusCode::OK, &record))
}

/// Change a lead's fields (a new lead becomes `working`). The score is recomputed.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateLeadRequest,
    responses((status = 200, description = "Updated", body = LeadResponse), WriteErrors))]
#[patch("/leads/{id}")]
pub async fn update_lead(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(LeadName::parse)).flatten();
    let email = errors.parse_nullable("email", body.email, Email::parse);
    let phone = errors.parse_nullable("phone", body.phone, Phone::parse);
    let tags = errors.check_opt("tags", body.tags.as_deref().map(Tags::parse)).flatten();
    let status = errors.check_opt("status", body.status.as_deref().map(LeadStatus::settable)).flatten();
    let mut text =
        |field: &str, value: Option<Option<String>>, max: usize| value.map(|v| optional_text(&mut errors, field, v.as_deref(), max));
    let company = text("company", body.company, MAX_SHORT_TEXT);
    let job_title = text("job_title", body.job_title, MAX_SHORT_TEXT);
    let campaign = text("campaign", body.campaign, MAX_SHORT_TEXT);
    let medium = text("medium", body.medium, MAX_SHORT_TEXT);
    let notes = text("notes", body.notes, MAX_NOTES);
    errors.into_result()?;
    let patch = LeadPatch {
        name,
        email,
        phone,
        company,
        job_title,
        source: body.source,
        campaign,
        medium,
        owner_id: body.owner_id.map(|o| o.map(UserId::from)),
        tags,
        notes,
        custom_fields: body.custom_fields,
        status,
    };
    let record = state.store.update_lead(&auth, LeadId::from(*id), version, patch).await?;
    Ok(lead_response(StatusCode::OK, &record))
}

/// Delete a lead that has not been qualified. If-Match is honoured when sent.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/leads/{id}")]
pub async fn delete_lead(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_lead(&auth, LeadId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Drop a lead, with a reason (reportable) and an optional note. Reopen it to work it again.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = DisqualifyLeadRequest,
    responses((status = 200, description = "Disqualified", body = LeadResponse), WriteErrors))]
#[post("/leads/{id}/disqualify")]
pub async fn disqualify_lead(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<DisqualifyLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.optional(body.version);
    let note = body.note.as_deref().map(str::trim).filter(|n| !n.is_empty()).map(DisqualifyNote::parse).transpose();
    let note = note.map_err(|e| ApiError::validation("note", FieldCode::Invalid, e.to_string()))?;
    let record = state.store.disqualify_lead(&auth, LeadId::from(*id), version, body.reason, note).await?;
    Ok(lead_response(StatusCode::OK, &record))
}

/// Reopen a disqualified lead; it becomes `working`.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, description = "Reopened", body = LeadResponse), WriteErrors))]
#[post("/leads/{id}/reopen")]
pub async fn reopen_lead(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let record = state.store.reopen_lead(&auth, LeadId::from(*id), if_match.optional(None)).await?;
    Ok(lead_response(StatusCode::OK, &record))
}

/// The lead's score and every rule that fired, with its points.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The score explained", body = ScoreResponse), ReadErrors))]
#[get("/leads/{id}/score")]
pub async fn lead_score(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let explanation = state.store.explain_score(&auth, LeadId::from(*id)).await?;
    let rules = explanation
        .fired
        .iter()
        .map(|(rule, points)| FiredRuleResponse { rule_id: rule.id, name: rule.rule.name.as_str().to_owned(), points: *points })
        .collect();
    Ok(HttpResponse::Ok().json(ScoreResponse { lead_id: explanation.lead_id.as_uuid(), score: explanation.total, rules }))
}

/// A lead that looks like the same person.
#[derive(Serialize, ToSchema)]
pub struct LeadMatchResponse {
    pub lead: LeadResponse,
    /// `email`, `phone` and/or `name_and_company`.
    pub matched_on: Vec<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DuplicatesResponse {
    pub leads: Vec<LeadMatchResponse>,
    pub contacts: Vec<ContactMatchResponse>,
}

/// Likely duplicates of a lead: leads and contacts with the same normalized email or phone, and
/// leads with the same name at the same company. A qualified lead's own contact is not one.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "Likely duplicates", body = DuplicatesResponse), ReadErrors))]
#[get("/leads/{id}/duplicates")]
pub async fn lead_duplicates(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let found = state.store.lead_duplicates(&auth, LeadId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(DuplicatesResponse::from(&found)))
}

/// Who a lead about to be created is: what finding its duplicates compares.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DuplicateCheckRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Sara Ahmadi")]
    pub name: String,
    #[schema(max_length = 254)]
    pub email: Option<String>,
    #[schema(max_length = 40)]
    pub phone: Option<String>,
    #[validate(length(max = 200))]
    #[schema(max_length = 200)]
    pub company: Option<String>,
}

/// Likely duplicates of a lead before it is created (nothing is written): leads and contacts with
/// the same normalized email or phone, and leads with the same name at the same company.
#[utoipa::path(tag = "leads", security(("bearer" = [])), request_body = DuplicateCheckRequest,
    responses((status = 200, description = "Likely duplicates", body = DuplicatesResponse), WriteErrors))]
#[post("/leads/duplicate-check")]
pub async fn check_duplicates(
    state: web::Data<AppState>,
    auth: Caller,
    body: ValidJson<DuplicateCheckRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", LeadName::parse(&body.name));
    let email = errors.check_opt("email", body.email.as_deref().map(str::trim).filter(|e| !e.is_empty()).map(Email::parse));
    let phone = errors.check_opt("phone", body.phone.as_deref().map(str::trim).filter(|p| !p.is_empty()).map(Phone::parse));
    let company = optional_text(&mut errors, "company", body.company.as_deref(), MAX_SHORT_TEXT);
    let (Some(name), Some(email), Some(phone)) = (name, email, phone) else {
        return Err(errors.into_error());
    };
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    let probe = DuplicateProbe { name: name.as_str().to_owned(), email, phone, company };
    let found = state.store.probe_duplicates(&auth, &probe).await?;
    Ok(HttpResponse::Ok().json(DuplicatesResponse::from(&found)))
}

impl From<&Duplicates> for DuplicatesResponse {
    fn from(found: &Duplicates) -> Self {
        let matched = |m: &[&str]| m.iter().map(|s| (*s).to_owned()).collect();
        DuplicatesResponse {
            leads: found.leads.iter().map(|c| LeadMatchResponse { lead: (&c.record).into(), matched_on: matched(&c.matched_on) }).collect(),
            contacts: found
                .contacts
                .iter()
                .map(|c| ContactMatchResponse {
                    id: c.record.id.as_uuid(),
                    name: c.record.name.clone(),
                    email: c.record.email.clone(),
                    phone: c.record.phone.clone(),
                    matched_on: matched(&c.matched_on),
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct MergeResponse {
    /// The merged lead (as it would be, with `dry_run`).
    pub lead: LeadResponse,
    /// The lead merged in, which is (or would be) deleted.
    pub removed_id: Uuid,
    pub dry_run: bool,
}

/// Merge another lead into this one. This lead's values win, its blanks are filled from the
/// other, tags and custom fields are united and submissions summed; the other is deleted. With
/// `dry_run` nothing changes and the merged lead is shown. A real merge needs the version.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = MergeLeadRequest,
    responses((status = 200, description = "Merged, or the merge previewed", body = MergeResponse), WriteErrors))]
#[post("/leads/{id}/merge")]
pub async fn merge_leads(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<MergeLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if body.dry_run { if_match.optional(body.version) } else { if_match.require(body.version)? };
    let merge = state.store.merge_leads(&auth, LeadId::from(*id), LeadId::from(body.other_id), version, body.dry_run).await?;
    Ok(HttpResponse::Ok().json(MergeResponse { lead: (&merge.lead).into(), removed_id: merge.removed.as_uuid(), dry_run: merge.dry_run }))
}

/// Qualify a lead in one transaction: link or create its contact and organization (found by
/// email/phone and company name), create its opportunity and, unless `create_deal` is false,
/// open a deal in the chosen pipeline. Qualifying again answers 200 with the same ids.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = QualifyLeadRequest,
    responses((status = 201, description = "Qualified", body = QualificationResponse),
              (status = 200, description = "Already qualified: the first result", body = QualificationResponse), WriteErrors))]
#[post("/leads/{id}/qualify")]
pub async fn qualify_lead(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<QualifyLeadRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.optional(body.version);
    let mut errors = FieldErrors::default();
    let title = errors.check_opt("title", body.title.as_deref().map(OpportunityTitle::parse));
    let deal_title = errors.check_opt("deal_title", body.deal_title.as_deref().map(DealTitle::parse));
    let budget_currency = errors.check_opt("budget_currency", body.budget_currency.as_deref().map(Currency::parse));
    let currency = errors.check_opt("currency", body.currency.as_deref().map(Currency::parse));
    let need = optional_text(&mut errors, "need", body.need.as_deref(), 2000);
    let timeline = optional_text(&mut errors, "timeline", body.timeline.as_deref(), MAX_SHORT_TEXT);
    let decision_maker = optional_text(&mut errors, "decision_maker", body.decision_maker.as_deref(), MAX_SHORT_TEXT);
    let (Some(title), Some(deal_title), Some(budget_currency), Some(currency)) = (title, deal_title, budget_currency, currency) else {
        return Err(errors.into_error());
    };
    let budget = match body.budget_minor {
        Some(amount) if amount <= MAX_AMOUNT_MINOR => {
            let currency = match budget_currency {
                Some(currency) => currency,
                // Only a budget without a currency needs the workspace's.
                None => state.store.workspace(auth.workspace_id).await?.default_currency,
            };
            Some(Money::new(amount, currency).map_err(|e| ApiError::validation("budget_minor", FieldCode::Invalid, e.to_string()))?)
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    let deal = body.create_deal.unwrap_or(true).then(|| QualifyDeal {
        pipeline_id: body.pipeline_id.map(PipelineId::from),
        stage_id: body.stage_id.map(StageId::from),
        title: deal_title,
        amount_minor: body.amount_minor,
        currency,
    });
    let request = QualifyLead {
        contact_id: body.contact_id.map(ContactId::from),
        organization_id: body.organization_id.map(OrganizationId::from),
        title,
        need,
        budget,
        timeline,
        decision_maker,
        owner_id: body.owner_id.map(UserId::from),
        deal,
    };
    let qualification = state.store.qualify_lead(&auth, LeadId::from(*id), version, request).await?;
    let status = if qualification.first_time { StatusCode::CREATED } else { StatusCode::OK };
    Ok(HttpResponse::build(status).json(QualificationResponse::from(&qualification)))
}
