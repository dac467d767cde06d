//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::ApiError;
use crate::state::AppState;

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

/// Prometheus metrics (OpenMetrics text): request latency histograms by route, responses by status
/// class, webhook deliveries by outcome and waiting, and database pool connections.
#[utoipa::path(tag = "operations", responses((status = 200, description = "Metrics", content_type = "application/openmetrics-text", body = String)))]
#[get("/metrics")]
pub async fn metrics(state: web::Data<AppState>) -> HttpResponse {
    let body = state.metrics.render(&state.store).await;
    HttpResponse::Ok().content_type(crate::metrics::CONTENT_TYPE).body(body)
}

pub async fn unknown_route(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    Err(ApiError::NotFound(format!("no route {} {}", req.method(), req.path())))
}
