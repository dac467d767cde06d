//! Which methods a path has: read from the OpenAPI document, whose source is the route table, so
//! that a method a path lacks answers 405 with `Allow` wherever the request ends up.

use actix_web::HttpRequest;
use utoipa::openapi::OpenApi;

use crate::error::ApiError;

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
