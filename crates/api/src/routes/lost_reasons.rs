//! Managed lost reasons: the list a deal is lost for (`POST /deals/{id}/lose` with `reason_id`).
//! Every member reads them; admins add, rename, reorder, deactivate and delete them.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use kariz_domain::{LostReasonId, LostReasonName};
use kariz_persistence::lost_reasons::{LostReasonPatch, LostReasonRecord};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::state::AppState;

/// One of the workspace's reasons for losing a deal.
#[derive(Serialize, ToSchema)]
pub struct LostReasonResponse {
    pub id: Uuid,
    #[schema(example = "Price")]
    pub name: String,
    /// Offered when losing a deal; an inactive reason stays on the deals lost for it.
    pub active: bool,
    /// Zero-based place in the list.
    pub position: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&LostReasonRecord> for LostReasonResponse {
    fn from(r: &LostReasonRecord) -> Self {
        LostReasonResponse {
            id: r.id.as_uuid(),
            name: r.name.clone(),
            active: r.active,
            position: r.position,
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LostReasonList {
    /// In list order; at most 100.
    pub data: Vec<LostReasonResponse>,
    /// Always `null`: the reasons are one page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LostReasonListQuery {
    /// Only the active reasons (what the lose dialog offers).
    pub active: Option<bool>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateLostReasonRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Price")]
    pub name: String,
    /// Zero-based place in the list; the end when omitted.
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateLostReasonRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// `false` deactivates: no new deal is lost for it.
    pub active: Option<bool>,
    /// Zero-based place to move it to; the others shift.
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

fn reason_response(status: StatusCode, record: &LostReasonRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(LostReasonResponse::from(record))
}

fn parse_name(raw: &str) -> Result<LostReasonName, ApiError> {
    LostReasonName::parse(raw).map_err(|e| ApiError::validation("name", FieldCode::Invalid, e.to_string()))
}

/// The workspace's lost reasons, in list order.
#[utoipa::path(tag = "lost-reasons", security(("bearer" = [])), params(LostReasonListQuery),
    responses((status = 200, description = "The reasons", body = LostReasonList), ReadErrors))]
#[get("/lost-reasons")]
pub async fn list_lost_reasons(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<LostReasonListQuery>,
) -> Result<HttpResponse, ApiError> {
    let reasons = state.store.lost_reasons(auth.workspace_id, query.active == Some(true)).await?;
    Ok(HttpResponse::Ok().json(LostReasonList { data: reasons.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Add a lost reason (admins); it starts active.
#[utoipa::path(tag = "lost-reasons", security(("bearer" = [])), request_body = CreateLostReasonRequest,
    responses((status = 201, description = "Created", body = LostReasonResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/lost-reasons")]
pub async fn create_lost_reason(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateLostReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let name = parse_name(&body.name)?;
    let record = state.store.create_lost_reason(auth.workspace_id, name, body.position.map(|p| p as usize)).await?;
    let mut response = reason_response(StatusCode::CREATED, &record);
    if let Ok(location) = header::HeaderValue::from_str(&format!("/api/v1/lost-reasons/{}", record.id)) {
        response.headers_mut().insert(header::LOCATION, location);
    }
    Ok(response)
}

/// One lost reason; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "lost-reasons", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The reason", body = LostReasonResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/lost-reasons/{id}")]
pub async fn get_lost_reason(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.lost_reason(auth.workspace_id, LostReasonId::from(*id)).await?;
    Ok(reason_response(StatusCode::OK, &record))
}

/// Rename, reorder, deactivate or reactivate a lost reason (admins), at the version you read.
#[utoipa::path(tag = "lost-reasons", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateLostReasonRequest,
    responses((status = 200, description = "Updated", body = LostReasonResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/lost-reasons/{id}")]
pub async fn update_lost_reason(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateLostReasonRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let version = if_match.require(body.version)?;
    let name = body.name.as_deref().map(parse_name).transpose()?;
    let patch = LostReasonPatch { name, active: body.active, position: body.position.map(|p| p as usize) };
    let record = state.store.update_lost_reason(auth.workspace_id, LostReasonId::from(*id), version, patch).await?;
    Ok(reason_response(StatusCode::OK, &record))
}

/// Delete a lost reason no deal was lost for (admins); one in use is deactivated instead (409
/// `lost_reason_in_use`). If-Match is honoured when sent.
#[utoipa::path(tag = "lost-reasons", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/lost-reasons/{id}")]
pub async fn delete_lost_reason(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    state.store.delete_lost_reason(auth.workspace_id, LostReasonId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}
