//! The caller's workspace and its settings: who sees deals and leads.

use actix_web::{HttpResponse, get, patch, web};
use kariz_domain::{TimeZone, WorkspaceName};
use kariz_persistence::auth::WorkspacePatch;
use serde::Deserialize;
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::{CalendarDto, VisibilityDto, WorkspaceResponse};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWorkspaceRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub deal_visibility: Option<VisibilityDto>,
    pub lead_visibility: Option<VisibilityDto>,
    /// The IANA time zone (`Asia/Tehran`) of members who chose none.
    #[validate(length(min = 1, max = 64))]
    #[schema(min_length = 1, max_length = 64, example = "Asia/Tehran")]
    pub time_zone: Option<String>,
    /// Whether losing a deal needs one of the workspace's managed lost reasons (`reason_id`).
    pub lost_reason_required: Option<bool>,
    /// The calendar reports count months, quarters and years in, unless a report asks for another.
    pub calendar: Option<CalendarDto>,
}

/// Your workspace and its settings.
#[utoipa::path(tag = "workspace", security(("bearer" = [])),
    responses((status = 200, description = "The workspace", body = WorkspaceResponse), ReadErrors))]
#[get("/workspace")]
pub async fn get_workspace(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let workspace = state.store.workspace(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(WorkspaceResponse::from(workspace)))
}

/// Rename the workspace, change who sees its deals and leads, its time zone or its calendar
/// (admins only). Visibility applies from the next request.
#[utoipa::path(tag = "workspace", security(("bearer" = [])), request_body = UpdateWorkspaceRequest,
    responses((status = 200, description = "The workspace", body = WorkspaceResponse), WriteErrors))]
#[patch("/workspace")]
pub async fn update_workspace(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<UpdateWorkspaceRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(WorkspaceName::parse));
    let time_zone = match body.time_zone.as_deref().map(TimeZone::parse) {
        None => Some(None),
        Some(parsed) => errors.check_as("time_zone", FieldCode::TimeZone, parsed).map(Some),
    };
    let (Some(name), Some(time_zone)) = (name, time_zone) else {
        return Err(errors.into_error());
    };
    let patch = WorkspacePatch {
        name,
        deal_visibility: body.deal_visibility.map(Into::into),
        lead_visibility: body.lead_visibility.map(Into::into),
        time_zone,
        lost_reason_required: body.lost_reason_required,
        calendar: body.calendar.map(Into::into),
    };
    let workspace = state.store.update_workspace(auth.workspace_id, patch).await?;
    Ok(HttpResponse::Ok().json(WorkspaceResponse::from(workspace)))
}
