//! What every handler shares.

use std::path::PathBuf;

use kariz_persistence::Store;

use crate::auth::TokenService;

/// Settings the HTTP layer needs; the binary builds them from its configuration.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    pub jwt_secret: Vec<u8>,
    pub access_token_ttl_seconds: i64,
    pub refresh_token_ttl_days: i64,
    /// The built SPA (`web/dist`), served at `/` when present.
    pub web_dir: Option<PathBuf>,
    /// Let webhook subscriptions target loopback and private addresses.
    pub webhooks_allow_private: bool,
}

impl ApiSettings {
    pub fn new(jwt_secret: Vec<u8>) -> ApiSettings {
        ApiSettings {
            jwt_secret,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_days: 30,
            web_dir: None,
            webhooks_allow_private: false,
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub tokens: TokenService,
    pub settings: ApiSettings,
    /// Built once from the route table; served at `/api/v1/openapi.json`.
    pub openapi: utoipa::openapi::OpenApi,
}

impl AppState {
    pub fn new(store: Store, settings: ApiSettings) -> AppState {
        let tokens = TokenService::new(&settings.jwt_secret, settings.access_token_ttl_seconds);
        AppState { store, tokens, settings, openapi: crate::openapi::document() }
    }
}
