//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;

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
    Err(method_not_allowed(&req, &state.openapi).unwrap_or_else(|| ApiError::NotFound(format!("no route {} {}", req.method(), req.path()))))
}

/// The 405 for a request whose path the document lists under other methods only. The route
/// table is the document's source, so the document says which methods a path has; where a
/// literal path and a parameter path both fit (`/contacts/export`, `/contacts/{id}`), the most
/// literal one is the resource.
pub fn method_not_allowed(req: &HttpRequest, openapi: &OpenApi) -> Option<ApiError> {
    let literal_segments = |template: &str| template.split('/').filter(|segment| !segment.starts_with('{')).count();
    let matching = openapi.paths.paths.iter().filter(|(template, _)| path_matches(template, req.path()));
    let most_literal = matching.clone().map(|(template, _)| literal_segments(template)).max()?;
    let mut allowed: Vec<&str> = Vec::new();
    for (_, item) in matching.filter(|(template, _)| literal_segments(template) == most_literal) {
        let methods = [("GET", &item.get), ("POST", &item.post), ("PUT", &item.put), ("PATCH", &item.patch), ("DELETE", &item.delete)];
        for (name, _) in methods.into_iter().filter(|(_, operation)| operation.is_some()) {
            if !allowed.contains(&name) {
                allowed.push(name);
            }
        }
    }
    if allowed.is_empty() || allowed.contains(&req.method().as_str()) {
        return None;
    }
    Some(ApiError::MethodNotAllowed { method: req.method().to_string(), allow: allowed.join(", ") })
}

/// Whether a concrete path fits a document path such as `/api/v1/deals/{id}`: segment by
/// segment, a `{parameter}` standing for any non-empty segment.
fn path_matches(template: &str, path: &str) -> bool {
    let (mut template, mut path) = (template.split('/'), path.split('/'));
    loop {
        match (template.next(), path.next()) {
            (None, None) => return true,
            (Some(expected), Some(actual)) if expected.starts_with('{') && expected.ends_with('}') && !actual.is_empty() => {}
            (Some(expected), Some(actual)) if expected == actual => {}
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn document_paths_match_segment_by_segment() {
        assert!(path_matches("/api/v1/deals/{id}", "/api/v1/deals/42"));
        assert!(path_matches("/api/v1/deals/{id}/move", "/api/v1/deals/42/move"));
        assert!(path_matches("/healthz", "/healthz"));
        assert!(!path_matches("/api/v1/deals/{id}", "/api/v1/deals/"));
        assert!(!path_matches("/api/v1/deals/{id}", "/api/v1/deals/42/move"));
        assert!(!path_matches("/api/v1/deals", "/api/v1/deal"));
    }
}
