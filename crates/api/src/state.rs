//! What every handler shares.

use std::path::PathBuf;
use std::time::Duration;

use actix_web::web;
use kariz_domain::UploadLimits;
use kariz_persistence::Store;

use crate::credentials::throttle::{SignInThrottle, ThrottleSettings};
use crate::credentials::tokens::{JwtSecret, TokenService};
use crate::rate_limit::{RateLimitSettings, RateLimits};

/// How long a request body may take to arrive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BodyTimeouts {
    /// The longest silence within a body.
    pub idle: Duration,
    /// The longest a JSON (or any other non-CSV) body may take in all.
    pub body: Duration,
    /// The longest a CSV upload may take in all.
    pub upload: Duration,
}

impl Default for BodyTimeouts {
    fn default() -> BodyTimeouts {
        BodyTimeouts { idle: Duration::from_secs(10), body: Duration::from_secs(30), upload: Duration::from_secs(600) }
    }
}

/// Uploads larger than this are refused unless configured otherwise (about a million typical
/// rows); see `ApiSettings::max_upload_bytes`.
pub const DEFAULT_MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;

/// 25 MiB a file, 1 GiB a workspace (`KARIZ_MAX_ATTACHMENT_MB`, `KARIZ_ATTACHMENT_QUOTA_MB`).
pub const DEFAULT_ATTACHMENT_LIMITS: UploadLimits =
    UploadLimits { max_file_bytes: 25 * 1024 * 1024, workspace_quota_bytes: 1024 * 1024 * 1024 };

/// Settings the HTTP layer needs; the binary builds them from its configuration.
#[derive(Clone, Debug)]
pub struct ApiSettings {
    pub jwt_secret: JwtSecret,
    pub access_token_ttl_seconds: i64,
    pub refresh_token_ttl_days: i64,
    /// The built SPA (`web/dist`), served at `/` when present.
    pub web_dir: Option<PathBuf>,
    /// Let webhook subscriptions target loopback and private addresses.
    pub webhooks_allow_private: bool,
    /// How wrong passwords slow sign-in down (see `auth/throttle.rs`).
    pub sign_in_throttle: ThrottleSettings,
    /// How long a request body may take to arrive (see `body_deadline.rs`).
    pub body_timeouts: BodyTimeouts,
    /// The largest CSV upload, in bytes.
    pub max_upload_bytes: usize,
    /// The largest attached file, and what a workspace may keep in all.
    pub attachment_limits: UploadLimits,
    /// The bearer token `/metrics` asks for; without one it answers loopback callers only.
    pub metrics_token: Option<String>,
    pub rate_limits: RateLimitSettings,
    /// Where rate limits and the sign-in throttle count: this process, the database, or Redis.
    pub limits_sharing: crate::shared_limits::LimitsSharing,
    /// How the event stream behaves (see `routes/stream.rs`).
    pub stream: StreamSettings,
}

/// The event stream's timings and bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct StreamSettings {
    /// How long a ticket may wait to be redeemed.
    pub ticket_ttl: Duration,
    /// The longest silence on an open stream: a `: ping` comment is sent after it.
    pub heartbeat: Duration,
    /// How many events back a `Last-Event-ID` may resume; older ones get `reset`. Also how far a
    /// slow client may fall behind before it gets `reset` and is closed.
    pub retention: i64,
    /// Events read from the outbox at a time (each client's buffer).
    pub batch: u64,
    /// The newest events of each workspace with open streams kept in memory and shared by them;
    /// a stream further behind reads the outbox.
    pub cached_events: usize,
}

impl Default for StreamSettings {
    fn default() -> StreamSettings {
        StreamSettings {
            ticket_ttl: Duration::from_secs(30),
            heartbeat: Duration::from_secs(15),
            retention: 10_000,
            batch: 100,
            cached_events: 1_000,
        }
    }
}

impl ApiSettings {
    pub fn new(jwt_secret: JwtSecret) -> ApiSettings {
        ApiSettings {
            jwt_secret,
            access_token_ttl_seconds: 15 * 60,
            refresh_token_ttl_days: 30,
            web_dir: None,
            webhooks_allow_private: false,
            sign_in_throttle: ThrottleSettings::default(),
            body_timeouts: BodyTimeouts::default(),
            max_upload_bytes: DEFAULT_MAX_UPLOAD_BYTES,
            attachment_limits: DEFAULT_ATTACHMENT_LIMITS,
            metrics_token: None,
            rate_limits: RateLimitSettings::default(),
            limits_sharing: Default::default(),
            stream: StreamSettings::default(),
        }
    }
}

pub struct AppState {
    pub store: Store,
    pub tokens: TokenService,
    pub settings: ApiSettings,
    /// Built once from the route table; its methods tell a 405 from a 404.
    pub openapi: utoipa::openapi::OpenApi,
    /// The document as served at `/api/v1/openapi.json`, serialized once: every worker shares
    /// these bytes instead of holding its own copy of the document to serialize per request.
    pub openapi_json: web::Bytes,
    pub sign_in_throttle: SignInThrottle,
    /// Also registered as application data of its own, for the middleware that applies them.
    pub rate_limits: web::Data<RateLimits>,
    pub metrics: crate::metrics::Metrics,
    /// Requests in flight, so that a stop can wait for them (see `drain.rs`).
    pub drain: crate::drain::Drain,
    /// What this process's event streams of each workspace share (see `stream_hub.rs`).
    pub stream_hub: crate::stream_hub::StreamHub,
}

impl AppState {
    pub fn new(store: Store, settings: ApiSettings, openapi: utoipa::openapi::OpenApi) -> AppState {
        let tokens = TokenService::new(&settings.jwt_secret, settings.access_token_ttl_seconds, store.clock().clone());
        // A Redis URL that does not parse was refused with the configuration; none is possible here.
        let shared = crate::shared_limits::SharedCounters::new(&settings.limits_sharing, &store).unwrap_or_else(|err| {
            tracing::error!(error = %err, "limits cannot be shared; counting in this process");
            None
        });
        let sign_in_throttle = SignInThrottle::new(settings.sign_in_throttle, shared.clone());
        let rate_limits = web::Data::new(RateLimits::new(&settings.rate_limits, store.clock(), shared));
        let metrics = crate::metrics::Metrics::new();
        let stream_hub = crate::stream_hub::StreamHub::new(settings.stream.cached_events);
        let openapi_json = web::Bytes::from(serde_json::to_vec(&openapi).expect("the OpenAPI document serializes"));
        AppState {
            store,
            tokens,
            settings,
            openapi,
            openapi_json,
            sign_in_throttle,
            rate_limits,
            metrics,
            drain: Default::default(),
            stream_hub,
        }
    }
}
