//! The dispatcher: fans outbox events out to subscriptions, claims due deliveries, sends them
//! (signed, with a timeout, no redirects, the response read up to a cap) and records every attempt
//! with its consequence: success, a retry on the Standard Webhooks schedule with jitter, giving
//! up, or disabling the subscription (410 Gone, or failing for days).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use kariz_persistence::Store;
use kariz_persistence::webhooks::{AttemptOutcome, ClaimLimits, ClaimedDelivery, NextStep};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use reqwest::header::{CONTENT_TYPE, HeaderValue, RETRY_AFTER};
use tokio::sync::watch;
use tokio::task::JoinSet;
use uuid::Uuid;

use crate::guard::{GuardedResolver, check_ip};
use crate::signing::{SigningSecret, signature_header};

/// The Standard Webhooks retry schedule: the wait after each failed attempt.
pub const STANDARD_SCHEDULE: [Duration; 9] = [
    Duration::from_secs(5),
    Duration::from_secs(5 * 60),
    Duration::from_secs(30 * 60),
    Duration::from_secs(2 * 3600),
    Duration::from_secs(5 * 3600),
    Duration::from_secs(10 * 3600),
    Duration::from_secs(14 * 3600),
    Duration::from_secs(20 * 3600),
    Duration::from_secs(24 * 3600),
];

/// The longest wait a `Retry-After` may ask for (the schedule's longest).
pub const MAX_RETRY_AFTER: Duration = Duration::from_secs(24 * 3600);

/// How much of a response body is kept in the delivery log.
pub const RESPONSE_EXCERPT_BYTES: usize = 4096;

#[derive(Clone, Debug)]
pub struct DispatcherConfig {
    /// Let targets resolve to loopback and private addresses (tests, local development).
    pub allow_private: bool,
    pub retry_schedule: Vec<Duration>,
    /// ± this fraction of each wait, so that retries of many deliveries spread out.
    pub jitter: f64,
    pub request_timeout: Duration,
    /// How long a claim is held; longer than the request timeout, so a live attempt keeps it.
    pub lease: Duration,
    /// How often to look for due work when nothing woke the dispatcher.
    pub poll_interval: Duration,
    /// Deliveries in flight at once in this dispatcher.
    pub concurrency: usize,
    /// Deliveries of one workspace in flight at once, across every dispatcher on the database,
    /// so that one workspace's slow endpoints leave room for the others.
    pub max_in_flight_per_workspace: usize,
    /// Deliveries to one subscription's endpoint in flight at once, across every dispatcher.
    pub max_in_flight_per_endpoint: usize,
    /// A subscription whose deliveries keep failing for this long is disabled.
    pub disable_after: Duration,
    /// Names this dispatcher in the attempt log.
    pub name: String,
    /// Attempts by outcome; the server registers the same family in its `/metrics`.
    pub outcomes: DeliveryOutcomes,
}

/// Delivery attempts counted by what followed them: `succeeded`, `retrying`, `gave_up` or
/// `disabled` (the subscription was switched off).
pub type DeliveryOutcomes = Family<OutcomeLabels, Counter>;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct OutcomeLabels {
    pub outcome: &'static str,
}

fn outcome_label(next: &NextStep) -> &'static str {
    match next {
        NextStep::Succeeded => "succeeded",
        NextStep::RetryAt(_) => "retrying",
        NextStep::GiveUp => "gave_up",
        NextStep::Disable { .. } => "disabled",
    }
}

impl Default for DispatcherConfig {
    fn default() -> Self {
        DispatcherConfig {
            allow_private: false,
            retry_schedule: STANDARD_SCHEDULE.to_vec(),
            jitter: 0.2,
            request_timeout: Duration::from_secs(15),
            lease: Duration::from_secs(20),
            poll_interval: Duration::from_millis(500),
            concurrency: 64,
            max_in_flight_per_workspace: 32,
            max_in_flight_per_endpoint: 16,
            disable_after: Duration::from_secs(5 * 24 * 3600),
            name: format!("{}-{}", std::process::id(), &Uuid::now_v7().simple().to_string()[20..]),
            outcomes: DeliveryOutcomes::default(),
        }
    }
}

#[derive(Clone)]
pub struct Dispatcher {
    store: Store,
    client: reqwest::Client,
    config: Arc<DispatcherConfig>,
}

impl Dispatcher {
    pub fn new(store: Store, config: DispatcherConfig) -> Result<Dispatcher, reqwest::Error> {
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(config.request_timeout)
            .connect_timeout(config.request_timeout.min(Duration::from_secs(5)))
            .no_proxy()
            .dns_resolver(Arc::new(GuardedResolver { allow_private: config.allow_private }))
            .user_agent(concat!("Kariz-Webhooks/", env!("CARGO_PKG_VERSION")))
            .build()?;
        Ok(Dispatcher { store, client, config: Arc::new(config) })
    }

    /// Fans out pending events and makes one attempt of every due delivery, waiting for all of
    /// them. Returns the number of attempts. Tests drive delivery deterministically with this.
    pub async fn run_once(&self) -> Result<usize, kariz_persistence::StoreError> {
        while self.store.fan_out(500).await? > 0 {}
        let claimed = self.store.claim_deliveries(self.claim_limits(self.config.concurrency), lease(&self.config)).await?;
        let count = claimed.len();
        let mut tasks = JoinSet::new();
        for delivery in claimed {
            let this = self.clone();
            tasks.spawn(async move { this.deliver(delivery).await });
        }
        while let Some(result) = tasks.join_next().await {
            if let Ok(Err(err)) = result {
                tracing::error!(error = ?err, "recording a webhook attempt failed");
            }
        }
        Ok(count)
    }

    /// Runs until `shutdown` turns true: deliveries in flight finish (or, past the grace period,
    /// are released for another attempt); nothing is lost.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let mut in_flight: JoinSet<Result<(), kariz_persistence::StoreError>> = JoinSet::new();
        let mut claimed_ids: HashMap<tokio::task::Id, Uuid> = HashMap::new();
        loop {
            if *shutdown.borrow() {
                break;
            }
            let capacity = self.config.concurrency.saturating_sub(in_flight.len());
            // Whether the claim took all it asked for: then more may be due right away.
            let mut filled = false;
            if capacity > 0 {
                match self.fan_out_and_claim(capacity).await {
                    Ok(claimed) => {
                        filled = claimed.len() == capacity;
                        for delivery in claimed {
                            let id = delivery.id;
                            let this = self.clone();
                            let handle = in_flight.spawn(async move { this.deliver(delivery).await });
                            claimed_ids.insert(handle.id(), id);
                        }
                    }
                    Err(err) => tracing::warn!(error = ?err, "webhook dispatch pass failed; will retry"),
                }
            }
            // A claim that took less than it could found nothing more it may take now (the rest
            // waits on order or on limits): wait for an attempt to finish or an outbox write
            // (a wake-up sent meanwhile is kept) instead of asking again at once.
            if filled && in_flight.len() < self.config.concurrency {
                continue;
            }
            tokio::select! {
                Some(done) = in_flight.join_next_with_id() => {
                    forget(&mut claimed_ids, done);
                    // Take every other finished attempt too, so that one claim serves the burst.
                    while let Some(done) = in_flight.try_join_next_with_id() {
                        forget(&mut claimed_ids, done);
                    }
                }
                _ = self.store.outbox_written() => {}
                _ = tokio::time::sleep(self.config.poll_interval) => {}
                _ = shutdown.changed() => {}
            }
        }
        // Graceful stop: let attempts in flight finish, then give back what is left.
        let grace = self.config.request_timeout + Duration::from_secs(2);
        let _ = tokio::time::timeout(grace, async {
            while let Some(done) = in_flight.join_next_with_id().await {
                if let Ok((id, _)) = done {
                    claimed_ids.remove(&id);
                }
            }
        })
        .await;
        in_flight.abort_all();
        let leftover: Vec<Uuid> = claimed_ids.into_values().collect();
        if let Err(err) = self.store.release_deliveries(&leftover).await {
            tracing::warn!(error = ?err, "could not release webhook leases; they expire by themselves");
        }
    }

    async fn fan_out_and_claim(&self, capacity: usize) -> Result<Vec<ClaimedDelivery>, kariz_persistence::StoreError> {
        self.store.fan_out(500).await?;
        self.store.claim_deliveries(self.claim_limits(capacity), lease(&self.config)).await
    }

    fn claim_limits(&self, batch: usize) -> ClaimLimits {
        ClaimLimits {
            batch,
            per_workspace: self.config.max_in_flight_per_workspace.max(1),
            per_endpoint: self.config.max_in_flight_per_endpoint.max(1),
        }
    }

    async fn deliver(&self, delivery: ClaimedDelivery) -> Result<(), kariz_persistence::StoreError> {
        let (outcome, next) = self.attempt(&delivery).await;
        match &next {
            NextStep::Succeeded => {
                tracing::debug!(delivery = %delivery.id, event = %delivery.event_id, "webhook delivered")
            }
            NextStep::Disable { reason } => {
                tracing::warn!(webhook = %delivery.subscription_id, reason, "webhook subscription disabled")
            }
            _ => tracing::info!(delivery = %delivery.id, status = ?outcome.status_code, error = ?outcome.error, "webhook attempt failed"),
        }
        self.config.outcomes.get_or_create(&OutcomeLabels { outcome: outcome_label(&next) }).inc();
        self.store.record_attempt(&delivery, outcome, next).await
    }

    /// One HTTP attempt and what should follow it.
    async fn attempt(&self, delivery: &ClaimedDelivery) -> (AttemptOutcome, NextStep) {
        let at = self.store.now();
        let started = Instant::now();
        let outcome = |status_code: Option<u16>, error: Option<String>, excerpt: Option<String>| AttemptOutcome {
            at,
            status_code,
            error,
            latency_ms: i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX),
            response_excerpt: excerpt,
            dispatcher: self.config.name.clone(),
        };
        let body = match message_body(delivery) {
            Ok(body) => body,
            Err(err) => return (outcome(None, Some(err), None), NextStep::GiveUp),
        };
        let secrets: Vec<SigningSecret> = delivery.secrets.iter().filter_map(|s| SigningSecret::parse(s).ok()).collect();
        let timestamp = at.timestamp();
        let webhook_id = delivery.event_id.to_string();
        if let Err(refused) = self.check_literal_address(&delivery.url) {
            let next = self.after_failure(delivery, None);
            return (outcome(None, Some(refused), None), next);
        }
        let request = self
            .client
            .post(&delivery.url)
            .header(CONTENT_TYPE, HeaderValue::from_static("application/json"))
            .header("webhook-id", &webhook_id)
            .header("webhook-timestamp", timestamp.to_string())
            .header("webhook-signature", signature_header(&secrets, &webhook_id, timestamp, &body))
            .body(body);
        match request.send().await {
            Ok(mut response) => {
                let status = response.status();
                let retry_after =
                    response.headers().get(RETRY_AFTER).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
                let excerpt = read_excerpt(&mut response).await;
                let next = if status.is_success() {
                    NextStep::Succeeded
                } else if status.as_u16() == 410 {
                    NextStep::Disable { reason: "the endpoint answered 410 Gone".to_owned() }
                } else {
                    let honoured = matches!(status.as_u16(), 429 | 503).then_some(retry_after).flatten();
                    self.after_failure(delivery, honoured.map(Duration::from_secs))
                };
                let error = (!status.is_success()).then(|| {
                    if status.is_redirection() { format!("HTTP {status} (redirects are not followed)") } else { format!("HTTP {status}") }
                });
                (outcome(Some(status.as_u16()), error, excerpt), next)
            }
            Err(err) => {
                let next = self.after_failure(delivery, None);
                (outcome(None, Some(error_chain(&err)), None), next)
            }
        }
    }

    fn check_literal_address(&self, url: &str) -> Result<(), String> {
        if self.config.allow_private {
            return Ok(());
        }
        let parsed = crate::guard::parse_target(url).map_err(|e| e.to_string())?;
        match parsed.host() {
            Some(url::Host::Ipv4(ip)) => check_ip(ip.into()).map_err(|e| e.to_string()),
            Some(url::Host::Ipv6(ip)) => check_ip(ip.into()).map_err(|e| e.to_string()),
            _ => Ok(()),
        }
    }

    /// After a failed attempt: disable a subscription failing for too long, give up when the
    /// schedule is spent, else retry after the schedule's wait (or the endpoint's Retry-After,
    /// between 1 s and 24 h).
    fn after_failure(&self, delivery: &ClaimedDelivery, retry_after: Option<Duration>) -> NextStep {
        let failing_for = delivery.failing_since.map(|since| (self.store.now() - since).to_std().unwrap_or_default());
        if failing_for.is_some_and(|f| f >= self.config.disable_after) {
            let days = self.config.disable_after.as_secs_f64() / 86_400.0;
            return NextStep::Disable { reason: format!("every delivery failed for {days:.1} days") };
        }
        let made = usize::try_from(delivery.attempts).unwrap_or(0) + 1;
        let Some(wait) = self.config.retry_schedule.get(made - 1).copied() else {
            return NextStep::GiveUp;
        };
        let wait = match retry_after {
            Some(asked) => asked.clamp(Duration::from_secs(1), MAX_RETRY_AFTER),
            None => jittered(wait, self.config.jitter),
        };
        NextStep::RetryAt(self.store.now() + chrono::Duration::from_std(wait).unwrap_or_else(|_| chrono::Duration::hours(24)))
    }
}

type Finished = Result<(tokio::task::Id, Result<(), kariz_persistence::StoreError>), tokio::task::JoinError>;

fn forget(claimed_ids: &mut HashMap<tokio::task::Id, Uuid>, done: Finished) {
    match done {
        Ok((id, result)) => {
            claimed_ids.remove(&id);
            if let Err(err) = result {
                tracing::error!(error = ?err, "recording a webhook attempt failed");
            }
        }
        Err(err) => {
            claimed_ids.remove(&err.id());
        }
    }
}

fn lease(config: &DispatcherConfig) -> chrono::Duration {
    chrono::Duration::from_std(config.lease.max(config.request_timeout + Duration::from_secs(5)))
        .unwrap_or_else(|_| chrono::Duration::minutes(1))
}

/// The version of the payload shapes documented in the OpenAPI document's `webhooks` section;
/// raised only for changes that could break a consumer (new fields are not such a change).
pub const PAYLOAD_SCHEMA_VERSION: u32 = 1;

/// The Standard Webhooks body: `{"type", "timestamp", "data"}`, plus the payload schema version.
fn message_body(delivery: &ClaimedDelivery) -> Result<String, String> {
    let data: serde_json::Value = serde_json::from_str(&delivery.payload).map_err(|e| format!("corrupt event payload: {e}"))?;
    let message = serde_json::json!({
        "type": delivery.event_type,
        "timestamp": delivery.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "schema_version": PAYLOAD_SCHEMA_VERSION,
        "data": data,
    });
    Ok(message.to_string())
}

/// Reads at most [`RESPONSE_EXCERPT_BYTES`] of a response body; the rest is never read.
async fn read_excerpt(response: &mut reqwest::Response) -> Option<String> {
    let mut kept: Vec<u8> = Vec::new();
    while kept.len() < RESPONSE_EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => kept.extend_from_slice(&chunk[..chunk.len().min(RESPONSE_EXCERPT_BYTES - kept.len())]),
            _ => break,
        }
    }
    (!kept.is_empty()).then(|| String::from_utf8_lossy(&kept).into_owned())
}

fn error_chain(err: &dyn std::error::Error) -> String {
    let mut message = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        message.push_str(": ");
        message.push_str(&cause.to_string());
        source = cause.source();
    }
    message
}

/// `wait` ± `fraction`, uniformly.
fn jittered(wait: Duration, fraction: f64) -> Duration {
    let mut bytes = [0u8; 8];
    let unit = if getrandom::fill(&mut bytes).is_ok() { (u64::from_le_bytes(bytes) >> 11) as f64 / (1u64 << 53) as f64 } else { 0.5 };
    let factor = 1.0 + fraction * (2.0 * unit - 1.0);
    wait.mul_f64(factor.max(0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jitter_stays_within_twenty_percent() {
        for _ in 0..1000 {
            let wait = jittered(Duration::from_secs(300), 0.2);
            assert!(wait >= Duration::from_secs(240) && wait <= Duration::from_secs(360), "{wait:?}");
        }
    }

    #[test]
    fn the_standard_schedule_is_the_specifications() {
        let minutes: Vec<u64> = STANDARD_SCHEDULE.iter().map(|d| d.as_secs()).collect();
        assert_eq!(minutes, [5, 300, 1800, 7200, 18_000, 36_000, 50_400, 72_000, 86_400]);
    }
}
