//! Prometheus metrics: request latency by route, responses by status class, webhook deliveries by
//! outcome, and what is read at scrape time (outbox depth, pool connections).

use std::time::Duration;

use kariz_persistence::Store;
use kariz_webhooks::DeliveryOutcomes;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

/// The exposition format `prometheus_client` writes.
pub const CONTENT_TYPE: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    /// The route's pattern (`/api/v1/deals/{id}`), never the raw path: one series per route.
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ClassLabels {
    class: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct PoolLabels {
    state: &'static str,
}

type LatencyFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    request_duration: LatencyFamily,
    responses: Family<ClassLabels, Counter>,
    webhook_outcomes: DeliveryOutcomes,
    outbox_events: Gauge,
    pending_deliveries: Gauge,
    pool_connections: Family<PoolLabels, Gauge>,
}

/// 0.5 ms to ~4 s, doubling: a primary-key read lands in the first buckets, a report in the middle.
fn latency_histogram() -> Histogram {
    Histogram::new(exponential_buckets(0.0005, 2.0, 14))
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::with_prefix("kariz");
        let request_duration = LatencyFamily::new_with_constructor(latency_histogram);
        registry.register("http_request_duration_seconds", "Time to answer a request, by method and route", request_duration.clone());
        let responses = Family::<ClassLabels, Counter>::default();
        registry.register("http_responses", "HTTP responses by status class", responses.clone());
        let webhook_outcomes = DeliveryOutcomes::default();
        registry.register("webhook_deliveries", "Webhook delivery attempts by what followed them", webhook_outcomes.clone());
        let outbox_events = Gauge::default();
        registry.register("outbox_undispatched_events", "Outbox events not yet fanned out to webhook deliveries", outbox_events.clone());
        let pending_deliveries = Gauge::default();
        registry.register(
            "webhook_pending_deliveries",
            "Webhook deliveries waiting for a first or next attempt",
            pending_deliveries.clone(),
        );
        let pool_connections = Family::<PoolLabels, Gauge>::default();
        registry.register(
            "db_pool_connections",
            "Database pool connections: open (in use or idle), idle, and the most allowed",
            pool_connections.clone(),
        );
        Metrics { registry, request_duration, responses, webhook_outcomes, outbox_events, pending_deliveries, pool_connections }
    }

    /// The counter family the webhook dispatcher of this process increments.
    pub fn webhook_outcomes(&self) -> DeliveryOutcomes {
        self.webhook_outcomes.clone()
    }

    pub fn observe(&self, method: &str, route: Option<String>, status: u16, elapsed: Duration) {
        let labels = RouteLabels { method: method.to_owned(), route: route.unwrap_or_else(|| "unmatched".to_owned()) };
        self.request_duration.get_or_create(&labels).observe(elapsed.as_secs_f64());
        let class = match status {
            100..=199 => "1xx",
            200..=299 => "2xx",
            300..=399 => "3xx",
            400..=499 => "4xx",
            _ => "5xx",
        };
        self.responses.get_or_create(&ClassLabels { class }).inc();
    }

    /// Reads the gauges that live in the database and the pool, then writes the exposition.
    pub async fn render(&self, store: &Store) -> String {
        match store.outbox_depth().await {
            Ok((events, deliveries)) => {
                self.outbox_events.set(events);
                self.pending_deliveries.set(deliveries);
            }
            Err(err) => tracing::warn!(error = ?err, "metrics: the outbox depth is unavailable"),
        }
        if let Some(usage) = store.pool_usage() {
            for (state, value) in [("open", usage.open), ("idle", usage.idle), ("max", usage.max)] {
                self.pool_connections.get_or_create(&PoolLabels { state }).set(i64::from(value));
            }
        }
        let mut body = String::new();
        if let Err(err) = prometheus_client::encoding::text::encode(&mut body, &self.registry) {
            tracing::error!(error = ?err, "metrics: encoding failed");
        }
        body
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}
