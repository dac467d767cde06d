//! Liveness, readiness and metrics probes, and the answer for unknown routes.

use std::sync::atomic::{AtomicU64, Ordering};

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa::openapi::OpenApi;

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
