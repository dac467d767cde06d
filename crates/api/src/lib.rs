//! The Kariz HTTP API: actix-web routes, authentication, problem+json errors and the OpenAPI
//! document. Handlers are thin: extract, parse into domain types, call one store function, map.

pub mod allowed_methods;
pub mod auth;
pub mod body_deadline;
pub mod cors;
pub mod credentials;
pub mod csv_calendar;
pub mod csv_io;
pub mod dates;
pub mod drain;
pub mod dto;
pub mod error;
pub mod extract;
pub mod ics;
pub mod idempotency;
pub mod maintenance;
pub mod metrics;
pub mod openapi;
pub mod rate_limit;
pub mod routes;
pub mod security_headers;
pub mod shared_limits;
pub mod spa;
pub mod startup;
pub mod state;
pub mod stream_hub;
pub mod vocabulary;
pub mod webhook_docs;

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::http::header::ContentType;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::middleware::{Next, from_fn};
use actix_web::{App, Error, HttpResponse, web};
use utoipa_actix_web::AppExt;
use utoipa_swagger_ui::SwaggerUi;
use uuid::Uuid;

pub use error::ApiError;
pub use startup::{Application, ServerOptions, Stopper};
pub use state::{ApiSettings, AppState, StreamSettings};

const OPENAPI_PATH: &str = "/api/v1/openapi.json";

async fn openapi_json(state: web::Data<AppState>) -> HttpResponse {
    HttpResponse::Ok().content_type(ContentType::json()).body(state.openapi_json.clone())
}

/// Builds the application: API, probes, OpenAPI document and reference page, and the SPA.
pub(crate) fn build_app(
    state: web::Data<AppState>,
) -> App<impl ServiceFactory<ServiceRequest, Config = (), Response = ServiceResponse<impl MessageBody>, Error = Error, InitError = ()>> {
    let web_dir = state.settings.web_dir.clone().filter(|dir| dir.join("index.html").is_file());
    // The reference page and document go first: the `/api/v1` scope answers 404 for any path
    // of its own that it does not know.
    // The page reads the document from the route below, not from a copy of its own.
    let reference = SwaggerUi::new("/api/v1/docs/{_:.*}").config(utoipa_swagger_ui::Config::from(OPENAPI_PATH));
    let document = web::resource(OPENAPI_PATH).route(web::get().to(openapi_json));
    // The page's assets are relative to `/api/v1/docs/`, so the address without the slash (the
    // one people type) is sent there rather than answered 404.
    let reference_without_slash = web::redirect("/api/v1/docs", "/api/v1/docs/").permanent();
    let (app, _) = App::new()
        .into_utoipa_app()
        .map(|app| app.service(reference_without_slash).service(reference).service(document))
        .app_data(state.rate_limits.clone())
        .app_data(state)
        .app_data(extract::query_config())
        .app_data(extract::path_config())
        .app_data(web::PayloadConfig::new(extract::MAX_BODY_BYTES))
        .configure(routes::register)
        .split_for_parts();
    let app = match web_dir {
        Some(dir) => app.configure(spa::configure(dir)).default_service(web::to(spa::fallback)),
        None => app.default_service(web::to(routes::probes::unknown_route)),
    };
    // The request context wraps everything, so that even idempotency errors carry the request id;
    // rate-limit headers go on every answer, replays included.
    app.wrap(from_fn(idempotency::idempotency))
        .wrap(from_fn(body_deadline::body_deadline))
        .wrap(from_fn(rate_limit::headers))
        .wrap(from_fn(extract::refuse_nul_in_query))
        .wrap(from_fn(request_context))
        .wrap(from_fn(security_headers::security_headers))
}

/// Gives every request an id of the server's own (a UUIDv7): the one the audit log, the logs and
/// problem bodies carry, and the `x-request-id` answered. A caller's own `x-request-id` is no
/// id of ours (anyone could write anything into the audit log with it), so it is kept apart as a
/// correlation id: logged beside ours and echoed as `x-correlation-id`, when it is 1 to 64
/// letters, digits, `-`, `_` or `.`, and ignored otherwise.
async fn request_context(req: ServiceRequest, next: Next<impl MessageBody>) -> Result<ServiceResponse<impl MessageBody>, Error> {
    let id = Uuid::now_v7().to_string();
    let correlation = req
        .headers()
        .get("x-request-id")
        .and_then(|v| v.to_str().ok())
        .filter(|v| !v.is_empty() && v.len() <= 64 && v.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')))
        .map(str::to_owned);
    let started = Instant::now();
    let (method, path) = (req.method().clone(), req.path().to_owned());
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let in_flight = state.as_ref().map(|state| state.drain.enter());
    let request = kariz_persistence::audit::in_request(id.clone(), next.call(req));
    let mut response = error::REQUEST_ID.scope(id.clone(), request).await?;
    let status = response.status().as_u16();
    if let Some(state) = &state {
        state.metrics.observe(method.as_str(), response.request().match_pattern(), status, started.elapsed());
        if state.drain.is_draining() {
            response.headers_mut().insert(actix_web::http::header::CONNECTION, HeaderValue::from_static("close"));
        }
    }
    drop(in_flight);
    let correlation_id = correlation.as_deref().unwrap_or_default();
    tracing::info!(request_id = %id, correlation_id, %method, %path, status, latency_ms = started.elapsed().as_secs_f64() * 1000.0, "request");
    if let Ok(value) = HeaderValue::from_str(&id) {
        response.headers_mut().insert(HeaderName::from_static("x-request-id"), value);
    }
    if let Some(value) = correlation.and_then(|c| HeaderValue::from_str(&c).ok()) {
        response.headers_mut().insert(HeaderName::from_static("x-correlation-id"), value);
    }
    Ok(response)
}
