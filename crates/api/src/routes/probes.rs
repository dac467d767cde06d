//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

/// Counts of answered requests by status class, for `/metrics`.
pub static RESPONSES_BY_CLASS: [AtomicU64; 5] = [const { AtomicU64::new(0) }; 5];

pub fn count_response(status: u16) {
    if let Some(counter) = RESPONSES_BY_CLASS.get(usize::from(status / 100).saturating_sub(1)) {
        counter.fetch_add(1, Ordering::Relaxed);
    }
}

#[derive(Serialize, ToSchema)]
pub struct ProbeResponse {
    #[schema(example = "ok")]
    pub status: String,
}

/// Liveness: the process answers.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Alive", body = ProbeResponse)))]
#[get("/healthz")]
pub async fn healthz() -> HttpResponse {
    HttpResponse::Ok().json(ProbeResponse { status: "ok".to_owned() })
}

/// Readiness: the database answers and every migration is applied.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "Ready", body = ProbeResponse),
    (status = 503, description = "Not ready", body = ProbeResponse)))]
#[get("/readyz")]
pub async fn readyz(state: web::Data<AppState>) -> HttpResponse {
    let ready = state.store.ping().await.is_ok() && state.store.is_migrated().await.unwrap_or(false);
    if ready {
        HttpResponse::Ok().json(ProbeResponse { status: "ok".to_owned() })
    } else {
        HttpResponse::ServiceUnavailable().json(ProbeResponse { status: "unavailable".to_owned() })
    }
}

/// Prometheus metrics in the text exposition format.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Metrics", content_type = "text/plain", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let mut body =
        String::from("# HELP kariz_http_responses_total HTTP responses by status class.\n# TYPE kariz_http_responses_total counter\n");
    for (index, counter) in RESPONSES_BY_CLASS.iter().enumerate() {
        body.push_str(&format!("kariz_http_responses_total{{class=\"{}xx\"}} {}\n", index + 1, counter.load(Ordering::Relaxed)));
    }
    match state.store.outbox_depth().await {
        Ok((events, deliveries)) => {
            body.push_str("# HELP kariz_outbox_undispatched_events Outbox events not yet fanned out to webhook deliveries.\n");
            body.push_str(&format!("# TYPE kariz_outbox_undispatched_events gauge\nkariz_outbox_undispatched_events {events}\n"));
            body.push_str("# HELP kariz_webhook_pending_deliveries Webhook deliveries waiting for a first or next attempt.\n");
            body.push_str(&format!("# TYPE kariz_webhook_pending_deliveries gauge\nkariz_webhook_pending_deliveries {deliveries}\n"));
        }
        Err(err) => tracing::warn!(error = ?err, "metrics: the outbox depth is unavailable"),
    }
    HttpResponse::Ok().content_type("text/plain; version=0.0.4").body(body)
}

pub async fn unknown_route(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!("no route {} {}", req.method(), req.path())))
}
