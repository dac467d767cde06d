//! API keys: how they look, how they are hashed, and how a request presents one.

use actix_web::HttpRequest;
use actix_web::http::header;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use super::tokens::refresh_token_hash;
use crate::error::ApiError;

/// The one route that takes the `intake` scope.
pub const INTAKE_PATH: &str = "/api/v1/intake/leads";

/// The route of event-stream tickets, which a key with the `read` scope may call: a ticket only
/// opens the stream, a read.
pub const STREAM_TICKETS_PATH: &str = "/api/v1/stream/tickets";

const KEY_START: &str = "kz_";

/// A new key `kz_<8 hex>_<43 url-safe chars>` (256 random bits), its display prefix and its hash.
pub fn new_api_key() -> Result<(String, String, String), ApiError> {
    let mut bytes = [0u8; 36];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    let prefix = format!("{KEY_START}{}", bytes[..4].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let key = format!("{prefix}_{}", URL_SAFE_NO_PAD.encode(&bytes[4..]));
    let hash = api_key_hash(&key);
    Ok((key, prefix, hash))
}

/// Keys carry 256 random bits, so a fast hash is as safe as a slow one and costs nothing per request.
pub fn api_key_hash(key: &str) -> String {
    refresh_token_hash(key)
}

/// What a request authenticates with.
pub(crate) enum Credential {
    /// `Authorization: Bearer <JWT>`.
    AccessToken(String),
    /// `Authorization: Bearer kz_…` or `X-Api-Key: kz_…`.
    ApiKey(String),
}

impl Credential {
    pub(crate) fn presented(req: &HttpRequest) -> Result<Credential, ApiError> {
        let headers = req.headers();
        if let Some(value) = headers.get("x-api-key") {
            let key = value.to_str().map(str::trim).unwrap_or_default();
            return if key.starts_with(KEY_START) {
                Ok(Credential::ApiKey(key.to_owned()))
            } else {
                Err(ApiError::Unauthenticated("X-Api-Key must hold an API key (`kz_…`)".to_owned()))
            };
        }
        let value = headers.get(header::AUTHORIZATION).ok_or_else(|| {
            ApiError::Unauthenticated(
                "send an access token as `Authorization: Bearer <token>`, or an API key as `Authorization: Bearer kz_…`".to_owned(),
            )
        })?;
        let token = value
            .to_str()
            .ok()
            .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
            .map(str::trim)
            .ok_or_else(|| ApiError::Unauthenticated("the Authorization header must be `Bearer <token>`".to_owned()))?;
        Ok(if token.starts_with(KEY_START) { Credential::ApiKey(token.to_owned()) } else { Credential::AccessToken(token.to_owned()) })
    }
}
