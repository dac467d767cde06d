//! API keys for integrations (admins only): create (the key is shown once), list, revoke.

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, Utc};
use kariz_domain::{ApiKeyId, ApiKeyScope, ApiKeyScopes, parse_key_expiry};
use kariz_persistence::api_keys::NewApiKey;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, new_api_key};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::leads::{ApiKeyCreated, ApiKeyList, ApiKeyResponse};
use crate::error::{ApiError, FieldCode, FieldError, FieldErrors};
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateApiKeyRequest {
    /// What the key is for, e.g. `Website contact form`.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Website contact form")]
    pub name: String,
    /// What the key may do, acting as you (default `["intake"]`).
    #[validate(length(min = 1, max = 4))]
    #[schema(schema_with = crate::vocabulary::api_key_scopes, example = json!(["read", "write"]))]
    pub scopes: Option<Vec<String>>,
    /// When the key stops working (RFC 3339, in the future); by default never.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub expires_at: Option<DateTime<Utc>>,
}

/// Create a key for an integration. The response holds the key itself, shown only this once;
/// only its hash is stored.
#[utoipa::path(tag = "api-keys", security(("bearer" = [])), request_body = CreateApiKeyRequest,
    responses((status = 201, description = "Created; `key` is shown once", body = ApiKeyCreated), WriteErrors))]
#[post("/api-keys")]
pub async fn create_api_key(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateApiKeyRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = body.name.trim().to_owned();
    if name.is_empty() {
        errors.push(FieldError::new("name", FieldCode::Length, "must not be blank"));
    }
    let scopes = match body.scopes {
        Some(names) => errors.check("scopes", ApiKeyScopes::parse(&names)),
        None => Some(ApiKeyScopes::only(ApiKeyScope::Intake)),
    };
    let expires_at = errors.check_opt("expires_at", body.expires_at.map(|at| parse_key_expiry(at, state.store.now())));
    let (Some(scopes), Some(expires_at)) = (scopes, expires_at) else { return Err(errors.into_error()) };
    errors.into_result()?;
    let (key, prefix, key_hash) = new_api_key()?;
    let new = NewApiKey { name, prefix, key_hash, scopes, expires_at };
    let record = state.store.create_api_key(auth.workspace_id, auth.user_id, new).await?;
    Ok(crate::idempotency::not_repeatable(HttpResponse::Created().json(ApiKeyCreated { api_key: (&record).into(), key })))
}

/// Every key of the workspace, revoked and expired ones included, newest first.
///
/// Each shows its prefix, scopes, last use and expiry; the keys themselves are never shown.
#[utoipa::path(tag = "api-keys", security(("bearer" = [])),
    responses((status = 200, description = "The keys", body = ApiKeyList), ReadErrors))]
#[get("/api-keys")]
pub async fn list_api_keys(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let keys = state.store.api_keys(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(ApiKeyList { data: keys.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Revoke a key: it stops working at once. Revoking again changes nothing.
#[utoipa::path(tag = "api-keys", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "Revoked", body = ApiKeyResponse), WriteErrors))]
#[delete("/api-keys/{id}")]
pub async fn revoke_api_key(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let record = state.store.revoke_api_key(auth.workspace_id, ApiKeyId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(ApiKeyResponse::from(&record)))
}
