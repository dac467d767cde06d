//! Activities and tasks: log calls, meetings, emails and notes, schedule tasks, mark them done or
//! undone, and your agenda. Changes need the version you read, like deals; a stale one is 412.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use kariz_domain::activity::AgendaWindow;
use kariz_domain::{
    ActivityBody, ActivityId, ActivityKind, ActivityLinks, ActivitySubject, ContactId, DealId, LeadId, OrganizationId, Priority, UserId,
};
use kariz_domain::{ActivityFields, ActivityPatch};
use kariz_persistence::activities::{ActivityFilter, ActivityRecord};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::activities::{ActivityList, ActivityResponse, AgendaResponse};
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::state::AppState;
use crate::vocabulary as vocab;

/// The agenda's look-ahead when `days` is not given.
const DEFAULT_AGENDA_DAYS: u32 = 7;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateActivityRequest {
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: ActivityKind,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Call back about the fleet quote")]
    pub subject: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub body: Option<String>,
    /// At least one of `lead_id`, `contact_id`, `organization_id` and `deal_id`.
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
    /// A member of your workspace; you when omitted.
    pub owner_id: Option<Uuid>,
    /// `normal` when omitted.
    #[schema(schema_with = vocab::priority)]
    pub priority: Option<Priority>,
    /// When it is to be done; it is then on its owner's agenda until done. Not for notes.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub due_at: Option<DateTime<Utc>>,
    /// When it was done, to log what already happened (a call made). Not for notes.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub done_at: Option<DateTime<Utc>>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateActivityRequest {
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: Option<ActivityKind>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 10000)]
    pub body: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub lead_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub contact_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub organization_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub deal_id: Option<Option<Uuid>>,
    /// A member of your workspace.
    pub owner_id: Option<Uuid>,
    #[schema(schema_with = vocab::priority)]
    pub priority: Option<Priority>,
    #[serde(default, deserialize_with = "crate::dates::nullable_timestamp")]
    #[schema(value_type = Option<DateTime<Utc>>, nullable)]
    pub due_at: Option<Option<DateTime<Utc>>>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityListQuery {
    #[param(schema_with = vocab::activity_kind)]
    pub kind: Option<String>,
    pub owner_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
    /// `true`: done; `false`: still to do.
    pub done: Option<bool>,
    /// Due at or after (RFC 3339).
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub due_from: Option<DateTime<Utc>>,
    /// Due at or before (RFC 3339).
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub due_to: Option<DateTime<Utc>>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AgendaQuery {
    /// How many days after today are upcoming: 0–90, default 7.
    #[param(minimum = 0, maximum = 90)]
    pub days: Option<u32>,
}

/// Parses an optional body: blank is absent.
pub(crate) fn body_text(errors: &mut FieldErrors, raw: Option<&str>) -> Option<ActivityBody> {
    let text = raw.map(str::trim).filter(|t| !t.is_empty())?;
    errors.check("body", ActivityBody::parse(text))
}

fn activity_response(status: StatusCode, record: &ActivityRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(ActivityResponse::from(record))
}

/// Log an activity or create a task, about a lead, contact, organization or deal (at least one).
/// Logging one on a lead re-scores the lead.
#[utoipa::path(tag = "activities", security(("bearer" = [])), request_body = CreateActivityRequest,
    responses((status = 201, description = "Created", body = ActivityResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/activities")]
pub async fn create_activity(
    state: web::Data<AppState>,
    auth: Caller,
    body: ValidJson<CreateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let subject = errors.check("subject", ActivitySubject::parse(&body.subject));
    let text = body_text(&mut errors, body.body.as_deref());
    let Some(subject) = subject.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let activity = ActivityFields {
        kind: body.kind,
        subject,
        body: text,
        links: ActivityLinks {
            lead_id: body.lead_id.map(LeadId::from),
            contact_id: body.contact_id.map(ContactId::from),
            organization_id: body.organization_id.map(OrganizationId::from),
            deal_id: body.deal_id.map(DealId::from),
        },
        owner_id: body.owner_id.map_or(auth.user_id, UserId::from),
        priority: body.priority.unwrap_or(Priority::Normal),
        due_at: body.due_at,
        done_at: body.done_at,
    };
    let record = state.store.create_activity(&auth, activity).await?;
    Ok(created(&format!("/api/v1/activities/{}", record.id), record.version, ActivityResponse::from(&record)))
}

/// Activities of your workspace, newest first, filtered, a page at a time.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(ActivityListQuery),
    responses((status = 200, description = "A page of activities", body = ActivityList), ReadErrors))]
#[get("/activities")]
pub async fn list_activities(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<ActivityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let kind = query
        .kind
        .as_deref()
        .map(|raw| {
            ActivityKind::parse(raw)
                .map_err(|_| ApiError::BadRequest(format!("unknown kind `{raw}`; use one of: {}", ActivityKind::NAMES.join(", "))))
        })
        .transpose()?;
    let filter = ActivityFilter {
        kind,
        owner_id: query.owner_id.map(UserId::from),
        lead_id: query.lead_id.map(LeadId::from),
        contact_id: query.contact_id.map(ContactId::from),
        organization_id: query.organization_id.map(OrganizationId::from),
        deal_id: query.deal_id.map(DealId::from),
        done: query.done,
        due_from: query.due_from,
        due_to: query.due_to,
    };
    let page = state.store.activities(&auth, &filter, query.limit, query.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(ActivityList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// One activity; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The activity", body = ActivityResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/activities/{id}")]
pub async fn get_activity(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.activity(&auth, ActivityId::from(*id)).await?;
    Ok(activity_response(StatusCode::OK, &record))
}

/// Change an activity: its kind, subject, body, links, owner, priority or due time. Moving it
/// to or from a lead re-scores that lead.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateActivityRequest,
    responses((status = 200, description = "Updated", body = ActivityResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/activities/{id}")]
pub async fn update_activity(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateActivityRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let subject = errors.check_opt("subject", body.subject.as_deref().map(ActivitySubject::parse));
    let text = body.body.map(|raw| body_text(&mut errors, raw.as_deref()));
    let Some(subject) = subject.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let patch = ActivityPatch {
        kind: body.kind,
        subject,
        body: text,
        lead_id: body.lead_id.map(|id| id.map(LeadId::from)),
        contact_id: body.contact_id.map(|id| id.map(ContactId::from)),
        organization_id: body.organization_id.map(|id| id.map(OrganizationId::from)),
        deal_id: body.deal_id.map(|id| id.map(DealId::from)),
        owner_id: body.owner_id.map(UserId::from),
        priority: body.priority,
        due_at: body.due_at,
    };
    let record = state.store.update_activity(&auth, ActivityId::from(*id), version, patch).await?;
    Ok(activity_response(StatusCode::OK, &record))
}

/// Delete an activity (re-scoring its lead). If-Match is honoured when sent.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/activities/{id}")]
pub async fn delete_activity(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_activity(&auth, ActivityId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Mark an activity done (`task.completed`); 409 when it is already done, or is a note.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, description = "Done", body = ActivityResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/activities/{id}/complete")]
pub async fn complete_activity(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let record = state.store.complete_activity(&auth, ActivityId::from(*id), if_match.optional(None)).await?;
    Ok(activity_response(StatusCode::OK, &record))
}

/// Make a done activity something to do again; 409 when it is not done.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 200, description = "To do again", body = ActivityResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/activities/{id}/reopen")]
pub async fn reopen_activity(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    let record = state.store.reopen_activity(&auth, ActivityId::from(*id), if_match.optional(None)).await?;
    Ok(activity_response(StatusCode::OK, &record))
}

/// Your agenda: your open activities that have a due time, overdue, today and in the next
/// `days` days. Days are local days in your time zone (`PATCH /me`), else the workspace's.
#[utoipa::path(tag = "activities", security(("bearer" = [])), params(AgendaQuery),
    responses((status = 200, description = "The agenda", body = AgendaResponse), ReadErrors))]
#[get("/me/agenda")]
pub async fn my_agenda(state: web::Data<AppState>, auth: Caller, query: web::Query<AgendaQuery>) -> Result<HttpResponse, ApiError> {
    let days = query.days.unwrap_or(DEFAULT_AGENDA_DAYS);
    if days > AgendaWindow::MAX_DAYS {
        return Err(ApiError::BadRequest(format!("days must be between 0 and {}", AgendaWindow::MAX_DAYS)));
    }
    let agenda = state.store.agenda(&auth, state.store.now(), days).await?;
    Ok(HttpResponse::Ok().json(AgendaResponse::from(&agenda)))
}
