//! Deals: CRUD, list, move, win, lose, reopen and stage history. Every change needs the version
//! the client read (If-Match, or `version` in the body) and answers 412 when it is stale; an
//! explicit `If-Match: *` opts out.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use kariz_domain::{
    ContactId, Currency, DealId, DealPatch, DealTitle, LostReason, LostReasonId, OrganizationId, PipelineId, Probability, StageId, Tags,
    UserId,
};
use kariz_persistence::DealRecord;
use kariz_persistence::deals::{CreateDeal, DealFilter, DealSort, LoseDeal, MoveDeal};
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::{DealList, DealResponse, StageChangeList, double_option};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::state::AppState;
use crate::vocabulary::DEAL_STATUSES;

/// Largest accepted amount in minor units (10^15): sums and weighted sums stay exact in 64 bits.
pub const MAX_AMOUNT_MINOR: i64 = 1_000_000_000_000_000;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateDealRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    #[schema(example = "Fleet renewal — Pars Logistics")]
    pub title: String,
    pub pipeline_id: Uuid,
    /// The pipeline's first stage when omitted.
    pub stage_id: Option<Uuid>,
    /// In minor units; 0 when omitted.
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64)]
    #[schema(example = 250_000_000)]
    pub amount_minor: Option<i64>,
    /// ISO 4217; the pipeline's currency when omitted.
    #[schema(example = "IRR")]
    pub currency: Option<String>,
    /// Overrides the stage's probability (0–100).
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub probability: Option<i64>,
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub expected_close_date: Option<NaiveDate>,
    /// A member of your workspace; you when omitted.
    pub owner_id: Option<Uuid>,
    /// The person the deal is with, a contact of your workspace.
    pub contact_id: Option<Uuid>,
    /// The company the deal is with; the contact's organization when omitted.
    pub organization_id: Option<Uuid>,
    /// Labels, each 1 to 50 characters; a repeat (whatever its case) is kept once.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20, example = json!(["vip"]))]
    pub tags: Vec<String>,
    /// Values of the workspace's deal fields (`GET /custom-fields?entity=deal`), by key.
    #[serde(default)]
    #[schema(value_type = Object, example = json!({"fleet_size": 40}))]
    pub custom_fields: Map<String, Value>,
    /// The amount follows the deal's line items (`PUT /deals/{id}/line-items`): it starts at 0
    /// (a non-zero `amount_minor` is refused) and is their total whenever they are saved.
    #[serde(default)]
    pub amount_from_lines: bool,
}

impl CreateDealRequest {
    /// The deal to create, or every invalid field.
    pub(crate) fn parse(self) -> Result<CreateDeal, ApiError> {
        let mut errors = FieldErrors::default();
        let title = errors.check("title", DealTitle::parse(&self.title));
        let currency = errors.check_opt("currency", self.currency.as_deref().map(Currency::parse));
        let probability = errors.check_opt("probability", self.probability.map(Probability::new));
        let tags = parse_tags(&mut errors, &self.tags);
        let (Some(title), Some(currency), Some(probability), Some(tags)) = (title, currency, probability, tags) else {
            return Err(errors.into_error());
        };
        Ok(CreateDeal {
            pipeline_id: PipelineId::from(self.pipeline_id),
            stage_id: self.stage_id.map(StageId::from),
            title,
            amount_minor: self.amount_minor.unwrap_or(0),
            currency,
            probability,
            expected_close_date: self.expected_close_date,
            owner_id: self.owner_id.map(UserId::from),
            opportunity_id: None,
            contact_id: self.contact_id.map(ContactId::from),
            organization_id: self.organization_id.map(OrganizationId::from),
            tags,
            custom_fields: self.custom_fields,
            amount_from_lines: self.amount_from_lines,
        })
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDealRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub title: Option<String>,
    #[validate(range(min = 0, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 0, maximum = 1_000_000_000_000_000_f64)]
    pub amount_minor: Option<i64>,
    pub currency: Option<String>,
    /// `null` makes the deal follow its stage's probability again.
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>, nullable)]
    pub probability: Option<Option<i64>>,
    #[serde(default, deserialize_with = "crate::dates::nullable_date")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub expected_close_date: Option<Option<NaiveDate>>,
    pub owner_id: Option<Uuid>,
    /// A contact of your workspace; `null` unlinks the person.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub contact_id: Option<Option<Uuid>>,
    /// An organization of your workspace; `null` unlinks the company.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub organization_id: Option<Option<Uuid>>,
    /// Replaces the tags; `[]` removes them all.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    /// Merged into the deal's custom fields; `null` removes a key.
    pub custom_fields: Option<Map<String, Value>>,
    /// `true` makes the amount the total of the line items from now on (set at once); `false`
    /// frees it. While it is on, an `amount_minor` other than the current one is refused
    /// (`follows_lines`).
    pub amount_from_lines: Option<bool>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveDealRequest {
    /// The target stage, in the deal's pipeline.
    pub stage_id: Uuid,
    /// The card that will sit just before (above) this one in the target column.
    pub before_id: Option<Uuid>,
    /// The card that will sit just after (below) this one. With neither, the card goes last.
    pub after_id: Option<Uuid>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoseDealRequest {
    /// One of the workspace's active lost reasons (`GET /lost-reasons`); required when the
    /// workspace's `lost_reason_required` is on.
    pub reason_id: Option<Uuid>,
    /// A note in your words; required when no `reason_id` is given.
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    #[schema(example = "Chose a competitor on price")]
    pub reason: Option<String>,
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DealListQuery {
    pub pipeline_id: Option<Uuid>,
    pub stage_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// `open`, `won` or `lost`.
    #[param(schema_with = crate::vocabulary::deal_status)]
    pub status: Option<String>,
    /// Text in the title; case, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    /// Expected close date on or after (YYYY-MM-DD).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub expected_close_from: Option<NaiveDate>,
    /// Expected close date on or before (YYYY-MM-DD).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub expected_close_to: Option<NaiveDate>,
    /// Deals with this person.
    pub contact_id: Option<Uuid>,
    /// Deals with this company.
    pub organization_id: Option<Uuid>,
    /// Deals with this tag, whatever its case.
    pub tag: Option<String>,
    /// `-created_at` (default), `created_at`, `amount_minor`, `-amount_minor` or `position`.
    #[param(schema_with = crate::vocabulary::deal_sort)]
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page (or of a board column, with `sort=position`).
    pub cursor: Option<String>,
}

/// The parameters of the deal list that filter it (besides `cf.<key>`): what a saved view of
/// deals may hold.
pub(crate) const DEAL_FILTERS: [&str; 10] = [
    "pipeline_id",
    "stage_id",
    "owner_id",
    "status",
    "q",
    "expected_close_from",
    "expected_close_to",
    "contact_id",
    "organization_id",
    "tag",
];

impl DealListQuery {
    /// The filter and sort, or a 400 naming the bad parameter.
    pub(crate) fn parse(&self) -> Result<(DealFilter, DealSort), ApiError> {
        let sort = match self.sort.as_deref() {
            None => DealSort::default(),
            Some(raw) => DealSort::parse(raw).ok_or_else(|| ApiError::BadRequest(format!("unknown sort `{raw}`")))?,
        };
        let filter = DealFilter {
            pipeline_id: self.pipeline_id.map(PipelineId::from),
            stage_id: self.stage_id.map(StageId::from),
            owner_id: self.owner_id.map(UserId::from),
            status: self.status.as_deref().map(parse_status).transpose()?,
            text: self.q.clone(),
            expected_close_from: self.expected_close_from,
            expected_close_to: self.expected_close_to,
            contact_id: self.contact_id.map(ContactId::from),
            organization_id: self.organization_id.map(OrganizationId::from),
            tag: self.tag.clone(),
            custom_fields: Vec::new(),
        };
        Ok((filter, sort))
    }

    /// [`parse`](Self::parse), with the `cf.<key>=<value>` filters of the raw query string.
    pub(crate) fn parse_with(&self, query_string: &str) -> Result<(DealFilter, DealSort), ApiError> {
        let (mut filter, sort) = self.parse()?;
        filter.custom_fields = crate::routes::contacts::custom_field_filters(query_string)?;
        Ok((filter, sort))
    }
}

/// The tags of a request, or `None` with each bad one recorded against its place (`tags.2`) and
/// too many against `tags`.
fn parse_tags(errors: &mut FieldErrors, raw: &[String]) -> Option<Tags> {
    let mut valid = true;
    for (index, tag) in raw.iter().enumerate() {
        valid &= errors.check(&format!("tags.{index}"), kariz_domain::tags::Tag::parse(tag)).is_some();
    }
    if !valid {
        return None;
    }
    errors.check("tags", Tags::parse(raw))
}

pub(crate) fn parse_status(raw: &str) -> Result<&'static str, ApiError> {
    DEAL_STATUSES
        .into_iter()
        .find(|status| *status == raw)
        .ok_or_else(|| ApiError::BadRequest(format!("unknown status `{raw}`; use open, won or lost")))
}

fn deal_response(status: actix_web::http::StatusCode, record: &DealRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(DealResponse::from(record))
}

/// Open a deal in a pipeline (at the end of its stage's column).
#[utoipa::path(tag = "deals", security(("bearer" = [])), request_body = CreateDealRequest,
    responses((status = 201, description = "Created", body = DealResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/deals")]
pub async fn create_deal(state: web::Data<AppState>, auth: Caller, body: ValidJson<CreateDealRequest>) -> Result<HttpResponse, ApiError> {
    let new = body.0.parse()?;
    let record = state.store.create_deal(&auth, new).await?;
    let mut response = deal_response(actix_web::http::StatusCode::CREATED, &record);
    if let Ok(location) = header::HeaderValue::from_str(&format!("/api/v1/deals/{}", record.deal.id())) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// Deals of your workspace, filtered and sorted, a page at a time; `cf.<key>=<value>` keeps deals
/// whose custom field `<key>` equals the value.
#[utoipa::path(tag = "deals", security(("bearer" = [])),
    params(DealListQuery, ("cf.<key>" = Option<String>, Query, description = "Deal custom field `<key>` equals this value (repeatable, one per key)")),
    responses((status = 200, description = "A page of deals", body = DealList), ReadErrors))]
#[get("/deals")]
pub async fn list_deals(
    state: web::Data<AppState>,
    auth: Caller,
    request: HttpRequest,
    query: web::Query<DealListQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, sort) = query.parse_with(request.query_string())?;
    let page = state.store.deals(&auth, filter, sort, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(DealList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// One deal; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The deal", body = DealResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/deals/{id}")]
pub async fn get_deal(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.deal(&auth, DealId::from(*id)).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Change a deal's fields. Stage and status change only through move, win, lose and reopen.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateDealRequest,
    responses((status = 200, description = "Updated", body = DealResponse), WriteErrors))]
#[patch("/deals/{id}")]
pub async fn update_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateDealRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let title = errors.check_opt("title", body.title.as_deref().map(DealTitle::parse));
    let currency = errors.check_opt("currency", body.currency.as_deref().map(Currency::parse));
    let probability = match body.probability {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(p)) => errors.check("probability", Probability::new(p)).map(|p| Some(Some(p))),
    };
    let tags = match body.tags.as_deref() {
        None => Some(None),
        Some(raw) => parse_tags(&mut errors, raw).map(Some),
    };
    let (Some(title), Some(currency), Some(probability), Some(tags)) = (title, currency, probability, tags) else {
        return Err(errors.into_error());
    };
    let patch = DealPatch {
        title,
        amount_minor: body.amount_minor,
        currency,
        probability,
        expected_close_date: body.expected_close_date,
        owner_id: body.owner_id.map(UserId::from),
        contact_id: body.contact_id.map(|c| c.map(ContactId::from)),
        organization_id: body.organization_id.map(|o| o.map(OrganizationId::from)),
        tags,
        custom_fields: body.custom_fields,
        amount_from_lines: body.amount_from_lines,
    };
    let record = state.store.update_deal(&auth, DealId::from(*id), version, patch).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Delete a deal (and its stage history). If-Match is honoured when sent.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/deals/{id}")]
pub async fn delete_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_deal(&auth, DealId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Move a card to a stage of its pipeline and a place in that column (between two cards).
/// Writes the deal, one stage-history row and one `deal.stage_changed` event atomically; a
/// reorder within the column writes only the deal.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = MoveDealRequest,
    responses((status = 200, description = "Moved", body = DealResponse), WriteErrors))]
#[post("/deals/{id}/move")]
pub async fn move_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<MoveDealRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let target = MoveDeal {
        stage_id: StageId::from(body.stage_id),
        before_id: body.before_id.map(DealId::from),
        after_id: body.after_id.map(DealId::from),
    };
    let record = state.store.move_deal(&auth, DealId::from(*id), version, target, auth.user_id).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Mark a deal won; it stays in its stage. Requires If-Match.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = String, Header)),
    responses((status = 200, description = "Won", body = DealResponse), WriteErrors))]
#[post("/deals/{id}/win")]
pub async fn win_deal(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>, if_match: IfMatch) -> Result<HttpResponse, ApiError> {
    let version = if_match.require(None)?;
    let record = state.store.win_deal(&auth, DealId::from(*id), version).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Mark a deal lost, for one of the workspace's managed reasons (`reason_id`), with a note in your
/// words (`reason`), or both; it stays in its stage.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = LoseDealRequest,
    responses((status = 200, description = "Lost", body = DealResponse), WriteErrors))]
#[post("/deals/{id}/lose")]
pub async fn lose_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<LoseDealRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let note = body
        .reason
        .as_deref()
        .map(LostReason::parse)
        .transpose()
        .map_err(|e| ApiError::validation("reason", FieldCode::Invalid, e.to_string()))?;
    let lose = LoseDeal { reason_id: body.reason_id.map(LostReasonId::from), note };
    let record = state.store.lose_deal(&auth, DealId::from(*id), version, lose).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Reopen a won or lost deal in the stage where it closed. Requires If-Match.
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = String, Header)),
    responses((status = 200, description = "Reopened", body = DealResponse), WriteErrors))]
#[post("/deals/{id}/reopen")]
pub async fn reopen_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let version = if_match.require(None)?;
    let record = state.store.reopen_deal(&auth, DealId::from(*id), version).await?;
    Ok(deal_response(actix_web::http::StatusCode::OK, &record))
}

/// Every stage the deal entered, oldest first (the first entry is its creation).
#[utoipa::path(tag = "deals", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "Stage history", body = StageChangeList), ReadErrors))]
#[get("/deals/{id}/history")]
pub async fn deal_history(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let history = state.store.deal_history(&auth, DealId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(StageChangeList { data: history.into_iter().map(Into::into).collect(), next_cursor: None }))
}
