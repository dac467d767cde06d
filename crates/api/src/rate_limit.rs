//! Rate limits: keyed GCRA limiters (the `governor` crate) per user and per API key on every
//! authenticated route, and per client IP on the routes that take no token (sign-in, signup,
//! refresh) and on intake, declared by those handlers themselves. Each decision of a request is
//! kept in its extensions, and
//! [`headers`] writes them on whatever the answer is, as `RateLimit-Policy` and `RateLimit`
//! (draft-ietf-httpapi-ratelimit-headers); a refusal is a 429 problem with `Retry-After`.
//! Counted in this process, or — when limits are shared (`shared_limits.rs`: the database on
//! PostgreSQL, or Redis) — by the same GCRA over state every replica updates, so a caller's
//! requests count against one quota whichever replica answers them.

use std::fmt;
use std::hash::Hash;
use std::net::{IpAddr, Ipv6Addr};
use std::num::NonZeroU32;
use std::str::FromStr;
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpMessage, HttpRequest, web};
use governor::clock::Clock;
use governor::middleware::StateInformationMiddleware;
use governor::nanos::Nanos;
use governor::state::keyed::DashMapStateStore;
use governor::{Quota, RateLimiter};
use ipnet::IpNet;
use kariz_domain::{ApiKeyId, UserId};
use kariz_persistence::clock::SharedClock;

use crate::error::ApiError;
use crate::shared_limits::SharedCounters;
use kariz_persistence::shared_limits::Gcra;

/// `quota` requests per `window`, refilled evenly (one every `window / quota`), so a caller
/// who waited a whole window may send `quota` at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    quota: NonZeroU32,
    window: Duration,
}

impl Limit {
    /// `None` for a zero quota or a window too short to share out.
    pub fn new(quota: u32, window: Duration) -> Option<Limit> {
        let quota = NonZeroU32::new(quota)?;
        (window / quota.get() > Duration::ZERO).then_some(Limit { quota, window })
    }

    fn interval(self) -> Duration {
        self.window / self.quota.get()
    }
}

/// `100/5s`, `10/1m`, `1000/1h`: requests, a slash, and the window in seconds, minutes or hours.
impl FromStr for Limit {
    type Err = String;

    fn from_str(raw: &str) -> Result<Limit, String> {
        let invalid = || format!("{raw:?} is not a rate limit like `100/5s`, `10/1m` or `1000/1h`");
        let (quota, window) = raw.trim().split_once('/').ok_or_else(invalid)?;
        let quota: u32 = quota.trim().parse().map_err(|_| invalid())?;
        let window = window.trim();
        let (amount, unit) = window.split_at(window.len().saturating_sub(1));
        let seconds: u64 = amount.parse().map_err(|_| invalid())?;
        let seconds = match unit {
            "s" => seconds,
            "m" => seconds.saturating_mul(60),
            "h" => seconds.saturating_mul(3600),
            _ => return Err(invalid()),
        };
        Limit::new(quota, Duration::from_secs(seconds)).ok_or_else(invalid)
    }
}

impl fmt::Display for Limit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}s", self.quota, self.window.as_secs())
    }
}

/// Every limit; `None` turns one off.
#[derive(Clone, Debug)]
pub struct RateLimitSettings {
    /// Per user, on every route a user's access token calls.
    pub user: Option<Limit>,
    /// Per API key, on every route a key calls (intake included).
    pub api_key: Option<Limit>,
    /// Per client IP on `POST /auth/login`.
    pub sign_in: Option<Limit>,
    /// Per client IP on `POST /auth/signup`.
    pub signup: Option<Limit>,
    /// Per client IP on `POST /auth/refresh`.
    pub refresh: Option<Limit>,
    /// Per client IP on `POST /intake/leads`.
    pub intake: Option<Limit>,
    /// Per client IP on `GET /calendar/{token}.ics` (calendar applications poll it).
    pub calendar: Option<Limit>,
    /// Reverse proxies whose `X-Forwarded-For` names the client; by default none, and the
    /// client is the peer address.
    pub trusted_proxies: Vec<IpNet>,
}

impl Default for RateLimitSettings {
    fn default() -> RateLimitSettings {
        let limit = |quota, seconds| Limit::new(quota, Duration::from_secs(seconds));
        RateLimitSettings {
            user: limit(100, 5),
            api_key: limit(100, 5),
            sign_in: limit(10, 60),
            signup: limit(10, 3600),
            refresh: limit(60, 60),
            intake: limit(60, 60),
            calendar: limit(60, 60),
            trusted_proxies: Vec::new(),
        }
    }
}

impl RateLimitSettings {
    /// No limit at all.
    pub fn off() -> RateLimitSettings {
        RateLimitSettings {
            user: None,
            api_key: None,
            sign_in: None,
            signup: None,
            refresh: None,
            intake: None,
            calendar: None,
            trusted_proxies: Vec::new(),
        }
    }
}

/// Parses a comma-separated list of addresses and networks (`10.0.0.0/8, 192.0.2.7`).
pub fn parse_networks(raw: &str) -> Result<Vec<IpNet>, String> {
    raw.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(|part| {
            part.parse::<IpNet>()
                .or_else(|_| part.parse::<IpAddr>().map(IpNet::from))
                .map_err(|_| format!("{part:?} is not an IP address or network"))
        })
        .collect()
}

/// What one limiter said about one request.
#[derive(Clone, Debug)]
struct Decision {
    policy: &'static str,
    limit: Limit,
    remaining: u32,
    /// Until the full quota is available again.
    reset: Duration,
    /// Set when refused: until one more request is allowed.
    retry_after: Option<Duration>,
}

/// The decisions made about a request, in order; kept in its extensions.
#[derive(Clone, Debug, Default)]
struct Decisions(Vec<Decision>);

/// The application's clock as the limiters read it: nanoseconds since the Unix epoch, so that a
/// test that moves the clock sees limits come back without waiting.
#[derive(Clone, Debug)]
struct LimiterClock(SharedClock);

impl Clock for LimiterClock {
    type Instant = Nanos;

    fn now(&self) -> Nanos {
        let since_epoch = self.0.now().timestamp_nanos_opt().unwrap_or(i64::MAX);
        Nanos::from(u64::try_from(since_epoch).unwrap_or(0))
    }
}

struct Limiter<K: Hash + Eq + Clone> {
    policy: &'static str,
    limit: Limit,
    gcra: RateLimiter<K, DashMapStateStore<K>, LimiterClock, StateInformationMiddleware>,
    checks: AtomicU32,
    /// Counters shared with the other replicas; the local limiter counts when they fail.
    shared: Option<SharedCounters>,
    clock: SharedClock,
}

/// Keys idle long enough to be full again are dropped every this many checks, so that a flood
/// of addresses cannot grow a table without bound.
const PRUNE_EVERY: u32 = 10_000;

impl<K: Hash + Eq + Clone + fmt::Display> Limiter<K> {
    fn new(policy: &'static str, limit: Option<Limit>, clock: &SharedClock, shared: Option<SharedCounters>) -> Option<Limiter<K>> {
        let limit = limit?;
        let quota = Quota::with_period(limit.interval())?.allow_burst(limit.quota);
        let gcra = RateLimiter::dashmap_with_clock(quota, LimiterClock(clock.clone())).with_middleware::<StateInformationMiddleware>();
        Some(Limiter { policy, limit, gcra, checks: AtomicU32::new(0), shared, clock: clock.clone() })
    }

    async fn check(&self, key: &K) -> Decision {
        if let Some(shared) = &self.shared {
            match self.check_shared(shared, key).await {
                Ok(decision) => return decision,
                Err(err) => tracing::warn!(error = %err, policy = self.policy, "shared rate limit unavailable; counting in this process"),
            }
        }
        self.check_local(key)
    }

    /// The GCRA of `check_local`, over the state in the shared store.
    async fn check_shared(&self, shared: &SharedCounters, key: &K) -> anyhow::Result<Decision> {
        let (policy, limit) = (self.policy, self.limit);
        let micros = |duration: Duration| i64::try_from(duration.as_micros()).unwrap_or(i64::MAX);
        let interval = micros(limit.interval()).max(1);
        let burst = interval.saturating_mul(i64::from(limit.quota.get()));
        let now = self.clock.now().timestamp_micros();
        let ahead = |tat: i64| Duration::from_micros(u64::try_from(tat - now).unwrap_or(0));
        Ok(match shared.take(&format!("{policy}:{key}"), interval, burst, now).await? {
            Gcra::Allowed { tat_us } => {
                let remaining = u32::try_from((burst - (tat_us - now)).max(0) / interval).unwrap_or(0);
                Decision { policy, limit, remaining, reset: ahead(tat_us), retry_after: None }
            }
            Gcra::Refused { tat_us } => {
                let wait = ahead(tat_us + interval - burst).max(Duration::from_micros(1));
                Decision { policy, limit, remaining: 0, reset: ahead(tat_us), retry_after: Some(wait) }
            }
        })
    }

    fn check_local(&self, key: &K) -> Decision {
        if self.checks.fetch_add(1, Ordering::Relaxed) % PRUNE_EVERY == PRUNE_EVERY - 1 {
            self.gcra.retain_recent();
        }
        let (policy, limit) = (self.policy, self.limit);
        match self.gcra.check_key(key) {
            Ok(state) => {
                let remaining = state.remaining_burst_capacity();
                let reset = limit.interval() * (limit.quota.get() - remaining);
                Decision { policy, limit, remaining, reset, retry_after: None }
            }
            Err(refusal) => {
                let wait = refusal.wait_time_from(self.gcra.clock().now());
                let reset = wait + limit.interval() * (limit.quota.get() - 1);
                Decision { policy, limit, remaining: 0, reset, retry_after: Some(wait) }
            }
        }
    }
}

/// Every limiter of the application.
pub struct RateLimits {
    user: Option<Limiter<UserId>>,
    api_key: Option<Limiter<ApiKeyId>>,
    sign_in: Option<Limiter<IpAddr>>,
    signup: Option<Limiter<IpAddr>>,
    refresh: Option<Limiter<IpAddr>>,
    intake: Option<Limiter<IpAddr>>,
    calendar: Option<Limiter<IpAddr>>,
    trusted_proxies: Vec<IpNet>,
}

impl RateLimits {
    pub fn new(settings: &RateLimitSettings, clock: &SharedClock, shared: Option<SharedCounters>) -> RateLimits {
        RateLimits {
            user: Limiter::new("user", settings.user, clock, shared.clone()),
            api_key: Limiter::new("api-key", settings.api_key, clock, shared.clone()),
            sign_in: Limiter::new("sign-in", settings.sign_in, clock, shared.clone()),
            signup: Limiter::new("signup", settings.signup, clock, shared.clone()),
            refresh: Limiter::new("refresh", settings.refresh, clock, shared.clone()),
            intake: Limiter::new("intake", settings.intake, clock, shared.clone()),
            calendar: Limiter::new("calendar", settings.calendar, clock, shared),
            trusted_proxies: settings.trusted_proxies.clone(),
        }
    }

    /// Counts a request of an authenticated caller against its key's limit, or else its user's.
    pub async fn check_caller(&self, req: &HttpRequest, user_id: UserId, api_key_id: Option<ApiKeyId>) -> Result<(), ApiError> {
        let decision = match (api_key_id, &self.api_key, &self.user) {
            (Some(key_id), Some(limiter), _) => Some(limiter.check(&key_id).await),
            (None, _, Some(limiter)) => Some(limiter.check(&user_id).await),
            _ => None,
        };
        decision.map_or(Ok(()), |decision| record(req, decision))
    }

    /// The limiter of a per-client-IP route.
    fn per_client_ip(&self, route: ClientIpRoute) -> Option<&Limiter<IpAddr>> {
        match route {
            ClientIpRoute::SignIn => self.sign_in.as_ref(),
            ClientIpRoute::Signup => self.signup.as_ref(),
            ClientIpRoute::Refresh => self.refresh.as_ref(),
            ClientIpRoute::Intake => self.intake.as_ref(),
            ClientIpRoute::Calendar => self.calendar.as_ref(),
        }
    }

    /// The address a request counts against (see [`client_ip`]).
    pub fn client_ip(&self, req: &HttpRequest) -> IpAddr {
        client_ip(req.peer_addr().map(|addr| addr.ip()), req.headers(), &self.trusted_proxies)
    }
}

/// Keeps `decision` for the response headers; a refusal becomes the request's error.
fn record(req: &HttpRequest, decision: Decision) -> Result<(), ApiError> {
    let refusal = decision.retry_after.map(|wait| ApiError::TooManyRequests {
        detail: format!(
            "too many requests for the `{}` limit ({} per {} s); retry in {} s",
            decision.policy,
            decision.limit.quota,
            decision.limit.window.as_secs(),
            whole_seconds(wait)
        ),
        retry_after_seconds: whole_seconds(wait),
    });
    req.extensions_mut().get_or_insert_with(Decisions::default).0.push(decision);
    refusal.map_or(Ok(()), Err)
}

fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs() + u64::from(duration.subsec_nanos() > 0)
}

/// The client's address: the peer, or — when the peer is a trusted proxy — the nearest address
/// in `X-Forwarded-For` that is not one. IPv6 clients are counted by their /64 network, which
/// one host usually has whole.
fn client_ip(peer: Option<IpAddr>, headers: &HeaderMap, trusted: &[IpNet]) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    let mut client = peer.unwrap_or(IpAddr::from([0, 0, 0, 0]));
    if is_trusted(&client) {
        let forwarded: Vec<&str> = headers
            .get_all("x-forwarded-for")
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(','))
            .map(str::trim)
            .collect();
        for hop in forwarded.iter().rev() {
            let Ok(ip) = hop.parse::<IpAddr>() else { break };
            client = ip;
            if !is_trusted(&ip) {
                break;
            }
        }
    }
    match client.to_canonical() {
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
        v4 => v4,
    }
}

/// The routes limited per client IP. Each handler declares its own (`wrap = …` on its route
/// attribute), so the limit belongs to the handler the router matched, however the path was
/// spelled: the router decodes percent-encoded letters (`/auth/l%6Fgin` is sign-in too), and a
/// comparison of the raw path would let such a spelling through uncounted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientIpRoute {
    SignIn,
    Signup,
    Refresh,
    Intake,
    Calendar,
}

/// Resource middleware of `POST /auth/login`.
pub async fn sign_in_per_ip(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    per_client_ip(ClientIpRoute::SignIn, req, next).await
}

/// Resource middleware of `POST /auth/signup`.
pub async fn signup_per_ip(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    per_client_ip(ClientIpRoute::Signup, req, next).await
}

/// Resource middleware of `POST /auth/refresh`.
pub async fn refresh_per_ip(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    per_client_ip(ClientIpRoute::Refresh, req, next).await
}

/// Resource middleware of `POST /intake/leads`.
pub async fn intake_per_ip(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    per_client_ip(ClientIpRoute::Intake, req, next).await
}

/// Resource middleware of `GET /calendar/{token}.ics`.
pub async fn calendar_per_ip(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    per_client_ip(ClientIpRoute::Calendar, req, next).await
}

/// Counts the request against `route`'s per-IP limit, refusing it beyond the quota.
async fn per_client_ip(
    route: ClientIpRoute,
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    if let Some(limits) = req.app_data::<web::Data<RateLimits>>().cloned()
        && let Some(limiter) = limits.per_client_ip(route)
    {
        let ip = limits.client_ip(req.request());
        if let Err(refused) = record(req.request(), limiter.check(&ip).await) {
            return Ok(req.error_response(refused));
        }
    }
    next.call(req).await.map(ServiceResponse::map_into_boxed_body)
}

/// The middleware around the whole application: writes every decision made about a request
/// (by the per-IP limits of its route and by authentication) as headers on its answer.
pub async fn headers(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    next.call(req).await.map(|response| with_headers(response.map_into_boxed_body()))
}

fn with_headers(mut response: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let Some(Decisions(decisions)) = response.request().extensions().get::<Decisions>().cloned() else { return response };
    let policies = decisions
        .iter()
        .map(|d| format!("\"{}\";q={};w={}", d.policy, d.limit.quota, whole_seconds(d.limit.window)))
        .collect::<Vec<_>>()
        .join(", ");
    let states =
        decisions.iter().map(|d| format!("\"{}\";r={};t={}", d.policy, d.remaining, whole_seconds(d.reset))).collect::<Vec<_>>().join(", ");
    for (name, value) in [("ratelimit-policy", policies), ("ratelimit", states)] {
        if let Ok(value) = HeaderValue::from_str(&value) {
            response.headers_mut().insert(HeaderName::from_static(name), value);
        }
    }
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_parse_from_quota_and_window() {
        assert_eq!("100/5s".parse(), Ok(Limit::new(100, Duration::from_secs(5)).unwrap()));
        assert_eq!(" 10 / 1m ".parse(), Ok(Limit::new(10, Duration::from_secs(60)).unwrap()));
        assert_eq!("1000/1h".parse::<Limit>().unwrap().to_string(), "1000/3600s");
        for bad in ["", "100", "0/5s", "100/0s", "100/5", "100/5d", "-1/5s", "ten/1m"] {
            assert!(bad.parse::<Limit>().is_err(), "{bad:?}");
        }
    }

    #[test]
    fn refuses_beyond_the_quota_and_refills_evenly() {
        let clock = kariz_persistence::clock::ShiftedClock::new();
        let shared: SharedClock = std::sync::Arc::new(clock.clone());
        let limiter = Limiter::<u32>::new("test", Limit::new(3, Duration::from_secs(60)), &shared, None).unwrap();
        let remaining: Vec<u32> = (0..3).map(|_| limiter.check_local(&1).remaining).collect();
        assert_eq!(remaining, [2, 1, 0]);
        let refused = limiter.check_local(&1);
        let wait = refused.retry_after.expect("the fourth is refused");
        assert!(wait > Duration::from_secs(19) && wait <= Duration::from_secs(20), "{wait:?}");
        assert!(refused.reset > Duration::from_secs(59), "{:?}", refused.reset);
        assert_eq!(limiter.check_local(&2).remaining, 2, "each key has its own quota");
        clock.advance(chrono::Duration::seconds(20));
        assert_eq!(limiter.check_local(&1).retry_after, None, "one more is allowed once an interval has passed");
    }

    #[test]
    fn the_client_is_the_peer_unless_a_trusted_proxy_forwarded() {
        let mut headers = HeaderMap::new();
        headers.insert(HeaderName::from_static("x-forwarded-for"), HeaderValue::from_static("203.0.113.9, 198.51.100.1, 10.0.0.2"));
        let peer: IpAddr = "10.0.0.1".parse().unwrap();
        assert_eq!(client_ip(Some(peer), &headers, &[]), peer, "no proxy is trusted by default");
        let trusted = parse_networks("10.0.0.0/8").unwrap();
        assert_eq!(client_ip(Some(peer), &headers, &trusted), "198.51.100.1".parse::<IpAddr>().unwrap(), "the nearest untrusted hop");
        let outsider: IpAddr = "192.0.2.1".parse().unwrap();
        assert_eq!(client_ip(Some(outsider), &headers, &trusted), outsider, "an untrusted peer cannot claim an address");
        let v6: IpAddr = "2001:db8:1:2:3:4:5:6".parse().unwrap();
        assert_eq!(client_ip(Some(v6), &HeaderMap::new(), &[]), "2001:db8:1:2::".parse::<IpAddr>().unwrap());
        assert!(parse_networks("10.0.0.1, fd00::/8").is_ok());
        assert!(parse_networks("10.0.0.300").is_err());
    }
}
