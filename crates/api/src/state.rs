//! What every handler shares.

use std::path::PathBuf;

use kariz_persistence::Store;

use crate::auth::{SignInThrottle, TokenService};
use crate::rate_limit::{RateLimitSettings, RateLimits};

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
    /// Wrong passwords for one email before sign-in is refused for the rest of the window.
    pub sign_in_max_failures: u32,
    pub sign_in_window: std::time::Duration,
    pub rate_limits: RateLimitSettings,
}

impl ApiSettings {
    pub fn new(jwt_secret: Vec<u8>) -> ApiSettings {
        ApiSettings {
            jwt_secret,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_days: 30,
            web_dir: None,
            webhooks_allow_private: false,
            sign_in_max_failures: 5,
            sign_in_window: std::time::Duration::from_secs(15 * 60),
            rate_limits: RateLimitSettings::default(),
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub tokens: TokenService,
    pub settings: ApiSettings,
    /// Built once from the route table; served at `/api/v1/openapi.json`.
    pub openapi: utoipa::openapi::OpenApi,
    pub sign_in_throttle: SignInThrottle,
    pub rate_limits: RateLimits,
    pub metrics: crate::metrics::Metrics,
    /// Requests in flight, so that a stop can wait for them (see `drain.rs`).
    pub drain: crate::drain::Drain,
}

impl AppState {
    pub fn new(store: Store, settings: ApiSettings) -> AppState {
        let tokens = TokenService::new(&settings.jwt_secret, settings.access_token_ttl_seconds, store.clock().clone());
        let sign_in_throttle = SignInThrottle::new(settings.sign_in_max_failures, settings.sign_in_window);
        let rate_limits = RateLimits::new(&settings.rate_limits);
        let metrics = crate::metrics::Metrics::new();
        AppState {
            store,
            tokens,
            settings,
            openapi: crate::openapi::document(),
            sign_in_throttle,
            rate_limits,
            metrics,
            drain: Default::default(),
        }
    }
}
