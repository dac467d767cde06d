//! Cross-origin access for the one route a page on another website calls: `POST /intake/leads`,
//! which a web form posts to with `fetch` and an intake key. No other route answers a preflight
//! or names an allowed origin, so a page elsewhere cannot read any other answer of the API.
//!
//! Any origin is allowed (`*`): the credential is the intake key the form carries in its
//! `Authorization` header, not a cookie, and the key can do nothing but add submissions. No
//! `Access-Control-Allow-Credentials` is sent, so a browser never attaches cookies.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{Error, HttpResponse};

/// The request headers a form may send: its key (either way it is accepted), its JSON and an
/// idempotency key.
const ALLOWED_HEADERS: &str = "authorization, x-api-key, content-type, idempotency-key";
/// The answer's headers a script may read besides the simple ones.
const EXPOSED_HEADERS: &str = "x-request-id, retry-after";
/// How long a browser may keep the preflight's answer, in seconds.
const PREFLIGHT_MAX_AGE: &str = "86400";

/// Resource middleware of `POST /intake/leads`: every answer, a refusal as well as an
/// acceptance, names any origin as allowed, so that the form's script can read why it failed.
pub async fn intake_cors(req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    let request = req.request().clone();
    let mut response = match next.call(req).await {
        Ok(response) => response.map_into_boxed_body(),
        Err(err) => ServiceResponse::from_err(err, request),
    };
    let headers = response.headers_mut();
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_EXPOSE_HEADERS, HeaderValue::from_static(EXPOSED_HEADERS));
    Ok(response)
}

/// The preflight of `POST /intake/leads` (`OPTIONS`): POST from any origin, with the headers a
/// form sends. Not in the OpenAPI document, which describes operations, not the browser's checks.
pub async fn intake_preflight() -> HttpResponse {
    HttpResponse::NoContent()
        .insert_header((header::ACCESS_CONTROL_ALLOW_ORIGIN, "*"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_METHODS, "POST"))
        .insert_header((header::ACCESS_CONTROL_ALLOW_HEADERS, ALLOWED_HEADERS))
        .insert_header((header::ACCESS_CONTROL_MAX_AGE, PREFLIGHT_MAX_AGE))
        .finish()
}
