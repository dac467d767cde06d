//! Admins manage the members of their workspace: add one with a first password, rename them,
//! change their role. (Listing them is `GET /users`, beside sign-in.)

use actix_web::{HttpResponse, delete, patch, post, web};
use kariz_domain::{Email, PersonName, UserId};
use kariz_persistence::auth::{NewUser, UserPatch};
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, hash_password, new_password};
use crate::dto::Locale;
use crate::dto::errors::WriteErrors;
use crate::dto::{RoleDto, UserResponse};
use crate::error::{ApiError, FieldErrors};
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateUserRequest {
    #[schema(example = "reza@example.com")]
    pub email: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Reza Karimi")]
    pub name: String,
    pub role: RoleDto,
    /// Their first password (at least 10 characters), to hand over to them.
    #[validate(length(min = 10, max = 256))]
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// `en` or `fa`; the workspace's when omitted.
    pub locale: Option<Locale>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateUserRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Taking the admin role from the workspace's last active admin is refused (409
    /// `last_admin`), and so is changing your own (403 `self_change_forbidden`).
    pub role: Option<RoleDto>,
    /// `true` reactivates a deactivated member; `false` deactivates, like `DELETE /users/{id}`.
    /// Nobody changes their own (403 `self_change_forbidden`).
    pub active: Option<bool>,
}

/// Add a member to your workspace (admins only). They sign in with this email and password. An
/// email that a member of this workspace already has is refused (409 `email_taken`); whether the
/// email has accounts in other workspaces plays no part: each is an account of its own.
#[utoipa::path(tag = "users", security(("bearer" = [])), request_body = CreateUserRequest,
    responses((status = 201, description = "The new member", body = UserResponse), WriteErrors))]
#[post("/users")]
pub async fn create_user(state: web::Data<AppState>, auth: AuthUser, body: ValidJson<CreateUserRequest>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let email = errors.check("email", Email::parse(&body.email));
    let name = errors.check("name", PersonName::parse(&body.name));
    let password = errors.check("password", new_password(&body.password, &body.email, &body.name, None));
    let (Some(email), Some(name), Some(password)) = (email, name, password) else {
        return Err(errors.into_error());
    };
    let locale = match body.locale {
        Some(locale) => locale.as_str().to_owned(),
        None => state.store.workspace(auth.workspace_id).await?.locale,
    };
    let password_hash = hash_password(password).await?;
    let user = NewUser { email, name, role: body.role.into(), locale, password_hash };
    let created = state.store.create_user(auth.workspace_id, user).await?;
    Ok(HttpResponse::Created().json(UserResponse::from(created)))
}

/// Rename a member or change their role or active status (admins only). A change applies from
/// the member's next request, with the access token and the API keys they already have. Nobody
/// changes their own role or active status (403 `self_change_forbidden`), and the workspace keeps
/// an active admin (409 `last_admin`).
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateUserRequest,
    responses((status = 200, description = "The member", body = UserResponse), WriteErrors))]
#[patch("/users/{id}")]
pub async fn update_user(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<UpdateUserRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(PersonName::parse));
    let Some(name) = name else { return Err(errors.into_error()) };
    let patch = UserPatch { name, role: body.role.map(Into::into), active: body.active };
    let updated = state.store.update_user(auth.workspace_id, auth.user_id, UserId::from(*id), patch).await?;
    Ok(HttpResponse::Ok().json(UserResponse::from(updated)))
}

/// Deactivate a member (admins only): from their next request on, their access tokens and API keys
/// are refused, and they can no longer sign in or refresh (every refresh token of theirs is
/// revoked). Their deals, leads and activities stay, owned by them. `PATCH` with
/// `{"active": true}` undoes it (they then sign in afresh). Nobody deactivates themselves.
#[utoipa::path(tag = "users", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deactivated"), WriteErrors))]
#[delete("/users/{id}")]
pub async fn deactivate_user(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let patch = UserPatch { active: Some(false), ..UserPatch::default() };
    state.store.update_user(auth.workspace_id, auth.user_id, UserId::from(*id), patch).await?;
    Ok(HttpResponse::NoContent().finish())
}
