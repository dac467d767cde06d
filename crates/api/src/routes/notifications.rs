//! Your notifications and how you are told: `GET /notifications`, read marks, and
//! `GET|PUT /me/notification-preferences`. Every route reads and changes the caller's own only:
//! another user's notification answers 404.

use actix_web::{HttpResponse, get, post, put, web};
use kariz_contract::NotificationResponse;
use kariz_domain::NotificationPreferences;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::ApiError;
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NotificationListQuery {
    /// `true`: only the unread ones.
    pub unread: Option<bool>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// A page of your notifications, newest first.
#[derive(Serialize, ToSchema)]
pub struct NotificationList {
    pub data: Vec<NotificationResponse>,
    pub next_cursor: Option<String>,
    /// How many of yours are unread (all of them, not only this page's).
    pub unread_count: u64,
}

/// How many notifications were marked read.
#[derive(Serialize, ToSchema)]
pub struct ReadAllResponse {
    pub marked: u64,
    pub unread_count: u64,
}

/// How you are told. `in_app`: notifications are created for you (off: none are); `email`: each
/// is also emailed; `daily_digest`: at 08:00 in your time zone, a digest of your unread
/// notifications and the day's activities.
#[derive(Serialize, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationPreferencesDto {
    pub in_app: bool,
    pub email: bool,
    pub daily_digest: bool,
}

impl From<NotificationPreferences> for NotificationPreferencesDto {
    fn from(p: NotificationPreferences) -> Self {
        NotificationPreferencesDto { in_app: p.in_app, email: p.email, daily_digest: p.daily_digest }
    }
}

/// Your notifications, newest first, a page at a time, with your unread count.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(NotificationListQuery),
    responses((status = 200, description = "A page of your notifications", body = NotificationList), ReadErrors))]
#[get("/notifications")]
pub async fn list_notifications(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<NotificationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let found = state
        .store
        .notifications(auth.workspace_id, auth.user_id, query.unread.unwrap_or(false), query.limit, query.cursor.as_deref())
        .await?;
    Ok(HttpResponse::Ok().json(NotificationList {
        data: found.page.items,
        next_cursor: found.page.next_cursor,
        unread_count: found.unread_count,
    }))
}

/// Mark one of your notifications read (again: nothing changes).
#[utoipa::path(tag = "notifications", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The notification, read", body = NotificationResponse), WriteErrors))]
#[post("/notifications/{id}/read")]
pub async fn read_notification(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let notification = state.store.mark_notification_read(auth.workspace_id, auth.user_id, id.into_inner()).await?;
    Ok(HttpResponse::Ok().json(notification))
}

/// Mark every notification of yours read.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, description = "How many were marked", body = ReadAllResponse), WriteErrors))]
#[post("/notifications/read-all")]
pub async fn read_all_notifications(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let marked = state.store.mark_all_notifications_read(auth.workspace_id, auth.user_id).await?;
    let unread_count = state.store.unread_notifications(auth.workspace_id, auth.user_id).await?;
    Ok(HttpResponse::Ok().json(ReadAllResponse { marked, unread_count }))
}

/// How you are told about notifications.
#[utoipa::path(tag = "notifications", security(("bearer" = [])),
    responses((status = 200, description = "Your preferences", body = NotificationPreferencesDto), ReadErrors))]
#[get("/me/notification-preferences")]
pub async fn get_notification_preferences(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let preferences = state.store.notification_preferences(auth.workspace_id, auth.user_id).await?;
    Ok(HttpResponse::Ok().json(NotificationPreferencesDto::from(preferences)))
}

/// Replace how you are told (every field). Audited as `notification_preferences.updated`.
#[utoipa::path(tag = "notifications", security(("bearer" = [])), request_body = NotificationPreferencesDto,
    responses((status = 200, description = "Your preferences", body = NotificationPreferencesDto), WriteErrors))]
#[put("/me/notification-preferences")]
pub async fn put_notification_preferences(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<NotificationPreferencesDto>,
) -> Result<HttpResponse, ApiError> {
    let NotificationPreferencesDto { in_app, email, daily_digest } = body.0;
    let preferences = NotificationPreferences { in_app, email, daily_digest };
    let saved = state.store.set_notification_preferences(auth.workspace_id, auth.user_id, preferences).await?;
    Ok(HttpResponse::Ok().json(NotificationPreferencesDto::from(saved)))
}
