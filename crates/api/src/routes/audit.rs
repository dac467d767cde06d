//! The audit log (admins): every change of business data, newest first.

use actix_web::{HttpResponse, get, web};
use chrono::{DateTime, Utc};
use kariz_persistence::audit::AuditFilter;
use kariz_persistence::pagination;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::audit::AuditEntryList;
use crate::dto::errors::AdminReadErrors;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct AuditQuery {
    /// Only entries about this kind of object, e.g. `deal`.
    pub entity_type: Option<String>,
    /// Only entries about this object.
    pub entity_id: Option<Uuid>,
    /// Only changes made by this user (directly or with an API key they created).
    pub actor_user_id: Option<Uuid>,
    /// Only this action, e.g. `deal.moved`.
    pub action: Option<String>,
    /// Entries at or after this instant.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub since: Option<DateTime<Utc>>,
    /// Entries before this instant.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub until: Option<DateTime<Utc>>,
    /// 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The audit log: who changed what, when, and from what to what (admins only).
#[utoipa::path(tag = "audit", security(("bearer" = [])), params(AuditQuery),
    responses((status = 200, description = "Entries, newest first", body = AuditEntryList), AdminReadErrors))]
#[get("/audit")]
pub async fn list_audit_entries(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<AuditQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let query = query.into_inner();
    let filter = AuditFilter {
        entity_type: query.entity_type,
        entity_id: query.entity_id,
        actor_user_id: query.actor_user_id.map(Into::into),
        action: query.action,
        since: query.since,
        until: query.until,
    };
    let limit = pagination::clamp_limit(query.limit);
    let page = state.store.audit_entries(auth.workspace_id, filter, query.cursor.as_deref(), limit).await?;
    Ok(HttpResponse::Ok().json(AuditEntryList { data: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}
