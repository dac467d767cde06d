//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;

use crate::error::{ApiError, Problem};
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
/// class, webhook deliveries by outcome and waiting, and database pool connections. With
/// `KARIZ_METRICS_TOKEN` set, send it as `Authorization: Bearer <token>`; without it, only callers
/// on the server's own machine (loopback, not forwarded by a proxy) are answered.
#[utoipa::path(tag = "operations", responses(
    (status = 200, description = "Metrics", content_type = "application/openmetrics-text", body = String),
    (status = 401, description = "The metrics token is missing or wrong", content_type = "application/problem+json", body = Problem),
    (status = 403, description = "No metrics token is configured and the caller is not on this machine", content_type = "application/problem+json", body = Problem)))]
#[get("/metrics")]
pub async fn metrics(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    may_scrape(&req, state.settings.metrics_token.as_deref())?;
    let body = state.metrics.render(&state.store).await;
    Ok(HttpResponse::Ok().content_type(crate::metrics::CONTENT_TYPE).body(body))
}

/// Metrics tell how busy the service is and which routes it has: not for everyone. With a token
/// configured, the caller must present it; without one, the caller must be on this machine, and
/// a request a proxy forwarded (it says so in `Forwarded` or `X-Forwarded-For`) is not, even when
/// the proxy itself runs here.
fn may_scrape(req: &HttpRequest, token: Option<&str>) -> Result<(), ApiError> {
    match token {
        Some(token) => {
            use sha2::{Digest, Sha256};
            let presented = req.headers().get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
            // Digests are compared, so the time taken says nothing about the token.
            let matches = presented.is_some_and(|p| Sha256::digest(p.trim().as_bytes()) == Sha256::digest(token.as_bytes()));
            if matches {
                Ok(())
            } else {
                Err(ApiError::Unauthenticated("send the metrics token as `Authorization: Bearer …`".to_owned()))
            }
        }
        None => {
            let forwarded = req.headers().contains_key(header::FORWARDED) || req.headers().contains_key("x-forwarded-for");
            let local = req.peer_addr().is_some_and(|peer| peer.ip().to_canonical().is_loopback());
            if local && !forwarded {
                Ok(())
            } else {
                Err(ApiError::Forbidden(
                    "metrics are answered on this machine only; set KARIZ_METRICS_TOKEN to scrape them from elsewhere".to_owned(),
                ))
            }
        }
    }
}

/// A path no route serves is a 404; a path that some route serves with other methods is a 405
/// naming them in `Allow`.
pub async fn unknown_route(req: HttpRequest, state: web::Data<AppState>) -> Result<HttpResponse, ApiError> {
    Err(crate::allowed_methods::method_not_allowed(&req, &state.openapi)
        .unwrap_or_else(|| ApiError::NotFound(format!("no route {} {}", req.method(), req.path()))))
}
