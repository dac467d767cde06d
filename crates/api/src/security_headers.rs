//! Headers that tell browsers and caches what they may do with an answer, set on every
//! response in one place so that no route can forget them:
//!
//! - `X-Content-Type-Options: nosniff` — a body is what its `Content-Type` says, never sniffed
//!   into a script or a page;
//! - `X-Frame-Options: DENY` and `frame-ancestors 'none'` — no page may frame Kariz (clickjacking);
//! - `Referrer-Policy: no-referrer` — addresses, with their ids, never leak to other sites;
//! - `Content-Security-Policy` — for the SPA's page, scripts and styles from this origin only (the
//!   drag-and-drop library's style elements carry the page's nonce, see `spa.rs`); for the API
//!   reference, the same but with inline styles (Swagger UI sets them); for everything else,
//!   which is data, nothing at all;
//! - `Cache-Control: no-store` on API answers unless a route says otherwise: they are private to
//!   their caller, and some hold secrets (tokens, API keys, webhook secrets) that no cache, shared
//!   or the browser's own, may keep.

use actix_web::Error;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;

/// The API reference (Swagger UI): its own scripts and styles, which it partly sets inline.
const DOCS_POLICY: &str = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; \
     connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
/// Data (JSON, CSV, metrics) is never a document: nothing may load or run in it.
const DATA_POLICY: &str = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/// The SPA page's policy: this origin only, no inline script, and inline styles only with `nonce`.
pub fn spa_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'nonce-{nonce}'; img-src 'self' data:; font-src 'self'; \
         connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn security_headers(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let path = req.match_info().as_str().to_owned();
    let mut response = next.call(req).await?;
    let headers = response.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("no-referrer"));
    let is_docs = path.starts_with("/api/v1/docs");
    if !headers.contains_key(header::CONTENT_SECURITY_POLICY) {
        let policy = if is_docs { DOCS_POLICY } else { DATA_POLICY };
        headers.insert(header::CONTENT_SECURITY_POLICY, HeaderValue::from_static(policy));
    }
    if path.starts_with("/api/") && !is_docs && path != "/api/v1/openapi.json" && !headers.contains_key(header::CACHE_CONTROL) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}
