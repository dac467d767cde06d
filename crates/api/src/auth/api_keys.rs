//! API keys: how they look, how they are hashed, and the [`ApiKeyCaller`] extractor of the
//! integration routes.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use kariz_domain::{ApiKeyId, WorkspaceId};

use super::refresh_token_hash;
use crate::error::ApiError;
use crate::state::AppState;

/// Every scope a key can carry.
pub const SCOPES: [&str; 1] = [INTAKE_SCOPE];
/// Push leads to `POST /intake/leads`.
pub const INTAKE_SCOPE: &str = "intake";

/// A new key `kz_<8 hex>_<43 url-safe chars>` (256 random bits), its display prefix and its hash.
pub fn new_api_key() -> Result<(String, String, String), ApiError> {
    let mut bytes = [0u8; 36];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let prefix = format!("kz_{}", bytes[..4].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let key = format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(&bytes[4..]));
    let hash = api_key_hash(&key);
    Ok((key, prefix, hash))
}

/// Keys carry 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request.
pub fn api_key_hash(key: &str) -> String {
    refresh_token_hash(key)
}

/// An integration calling with an API key (`Authorization: Bearer kz_…` or `X-Api-Key: kz_…`).
#[derive(Clone, Debug)]
pub struct ApiKeyCaller {
    pub key_id: ApiKeyId,
    pub workspace_id: WorkspaceId,
    pub scopes: Vec<String>,
}

impl ApiKeyCaller {
    pub fn require_scope(&self, scope: &str) -> Result<(), ApiError> {
        if self.scopes.iter().any(|s| s == scope) {
            Ok(())
        } else {
            Err(ApiError::Forbidden(format!("this API key lacks the `{scope}` scope")))
        }
    }
}

fn presented_key(req: &HttpRequest) -> Option<String> {
    let headers = req.headers();
    if let Some(key) = headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        return Some(key.trim().to_owned());
    }
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    value.strip_prefix("Bearer ").or_else(|| value.strip_prefix("bearer ")).map(|k| k.trim().to_owned())
}

impl FromRequest for ApiKeyCaller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let state = req.app_data::<web::Data<AppState>>().cloned();
        let key = presented_key(req);
        Box::pin(async move {
            let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
            let key = key
                .filter(|k| k.starts_with("kz_"))
                .ok_or_else(|| ApiError::Unauthenticated("send an API key as `Authorization: Bearer kz_…` or `X-Api-Key`".to_owned()))?;
            let record = state.store.authenticate_api_key(&api_key_hash(&key)).await.map_err(|err| match err {
                kariz_persistence::StoreError::Unauthorized => ApiError::Unauthenticated("the API key is unknown or revoked".to_owned()),
                other => other.into(),
            })?;
            kariz_persistence::audit::identify(record.created_by, Some(record.id));
            Ok(ApiKeyCaller { key_id: record.id, workspace_id: record.workspace_id, scopes: record.scopes })
        })
    }
}
