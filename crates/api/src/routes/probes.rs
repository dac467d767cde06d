//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;

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
