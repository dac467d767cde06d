//! The one error type of the HTTP edge, rendered as RFC 9457 `application/problem+json`.
//!
//! Every failure a handler or extractor can produce becomes an [`ApiError`]; [`ApiError::kind`]
//! is the single table from error to status, type and title. Unexpected errors are logged with
//! their cause chain and answered with an opaque 500.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use kariz_persistence::StoreError;
use serde::Serialize;
use utoipa::ToSchema;

tokio::task_local! {
    /// The id of the request being served, set by the request-id middleware.
    pub static REQUEST_ID: String;
}

/// One invalid input field.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// The field's name, dotted for nested fields (`stages.0.name`); `body` for the whole body.
    #[schema(example = "title")]
    pub field: String,
    /// A stable machine-readable code, e.g. `length`, `range`, `required`, `invalid`.
    #[schema(example = "length")]
    pub code: String,
    #[schema(example = "must not be blank")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code: code.into(), message: message.into() }
    }
}

/// An RFC 9457 problem document; every error response has this body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:kariz:problem:validation-failed`.
    #[serde(rename = "type")]
    pub problem_type: String,
    pub title: String,
    pub status: u16,
    pub detail: String,
    /// Quote it when reporting a problem; it is also in the `x-request-id` header.
    pub request_id: String,
    /// The invalid fields, for validation errors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// The stored version, when a write was refused as stale.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_version: Option<i64>,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{0}")]
    MalformedBody(String),
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Unauthenticated(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{method} is not allowed here; use {allow}")]
    MethodNotAllowed { method: String, allow: String },
    #[error("{0}")]
    Conflict(String),
    #[error("the {entity} has changed since you read it (now version {current}); reload it and try again")]
    StaleVersion { entity: &'static str, current: i64 },
    #[error("send the version you read, as an If-Match header (ETag) or a `version` field")]
    PreconditionRequired,
    #[error("the body is larger than the {limit} bytes allowed")]
    PayloadTooLarge { limit: usize },
    #[error("the request body did not arrive in time; the connection is closed")]
    RequestTimeout,
    #[error("send the body as application/json")]
    UnsupportedMediaType,
    #[error("{detail}")]
    TooManyRequests { detail: String, retry_after_seconds: u64 },
    /// The database is unreachable, out of connections or timed out; nothing was written.
    #[error("the service is temporarily unavailable; nothing was changed, try again shortly")]
    Unavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The single table from error to (status, problem type slug, title).
    fn kind(&self) -> (StatusCode, &'static str, &'static str) {
        match self {
            ApiError::Validation(_) => (StatusCode::UNPROCESSABLE_ENTITY, "validation-failed", "Validation failed"),
            ApiError::MalformedBody(_) => (StatusCode::BAD_REQUEST, "malformed-body", "Malformed request body"),
            ApiError::BadRequest(_) => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            ApiError::Unauthenticated(_) => (StatusCode::UNAUTHORIZED, "unauthenticated", "Authentication required"),
            ApiError::Forbidden(_) => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            ApiError::NotFound(_) => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            ApiError::MethodNotAllowed { .. } => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
            ApiError::Conflict(_) => (StatusCode::CONFLICT, "conflict", "Conflict"),
            ApiError::StaleVersion { .. } => (StatusCode::PRECONDITION_FAILED, "stale-version", "Stale version"),
            ApiError::PreconditionRequired => (StatusCode::PRECONDITION_REQUIRED, "precondition-required", "Version required"),
            ApiError::PayloadTooLarge { .. } => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large"),
            ApiError::RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request-timeout", "Request timeout"),
            ApiError::UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
            ApiError::TooManyRequests { .. } => (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many requests"),
            ApiError::Unavailable(_) => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"),
            ApiError::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error"),
        }
    }

    pub fn validation(field: impl Into<String>, code: impl Into<String>, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn problem(&self) -> Problem {
        let (status, slug, title) = self.kind();
        Problem {
            problem_type: format!("urn:kariz:problem:{slug}"),
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            request_id: current_request_id(),
            errors: match self {
                ApiError::Validation(errors) => errors.clone(),
                _ => Vec::new(),
            },
            current_version: match self {
                ApiError::StaleVersion { current, .. } => Some(*current),
                _ => None,
            },
        }
    }
}

/// A database restart or failover takes seconds; clients should not hammer it meanwhile.
pub const UNAVAILABLE_RETRY_AFTER_SECONDS: u64 = 2;

pub fn current_request_id() -> String {
    REQUEST_ID.try_with(Clone::clone).unwrap_or_default()
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.kind().0
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(err) => tracing::error!(request_id = %current_request_id(), error = ?err, "request failed"),
            ApiError::Unavailable(err) => tracing::warn!(request_id = %current_request_id(), error = %err, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        if let ApiError::Unauthenticated(_) = self {
            response.insert_header((header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer")));
        }
        match self {
            ApiError::MethodNotAllowed { allow, .. } => {
                if let Ok(allow) = HeaderValue::from_str(allow) {
                    response.insert_header((header::ALLOW, allow));
                }
            }
            ApiError::TooManyRequests { retry_after_seconds, .. } => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from(*retry_after_seconds)));
            }
            ApiError::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, HeaderValue::from(UNAVAILABLE_RETRY_AFTER_SECONDS)));
            }
            // The rest of a late body may still come: it is not read, so the connection ends.
            ApiError::RequestTimeout => {
                response.insert_header((header::CONNECTION, HeaderValue::from_static("close")));
            }
            _ => {}
        }
        response.body(serde_json::to_string(&self.problem()).unwrap_or_default())
    }
}

impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(what) => ApiError::not_found(what),
            StoreError::StaleVersion { entity, current } => ApiError::StaleVersion { entity, current },
            StoreError::Conflict(message) => ApiError::Conflict(message),
            StoreError::Rule(rule) => ApiError::Conflict(rule.to_string()),
            StoreError::LeadRule(rule) => ApiError::Conflict(rule.to_string()),
            StoreError::ActivityRule(rule) => ApiError::Conflict(rule.to_string()),
            StoreError::InvalidFields(fields) => {
                ApiError::Validation(fields.into_iter().map(|(field, message)| FieldError::new(field, "invalid", message)).collect())
            }
            // A cursor only ever comes in a query string: a bad one is a bad request, not a bad field.
            StoreError::Invalid { field: "cursor", message } => ApiError::BadRequest(message),
            StoreError::Invalid { field, message } => ApiError::validation(field, "invalid", message),
            StoreError::Unauthorized => ApiError::Unauthenticated("the credentials were refused".to_owned()),
            StoreError::KeyRefused(refusal) => ApiError::Unauthenticated(refusal.to_string()),
            err @ StoreError::Unavailable(_) => ApiError::Unavailable(anyhow::Error::new(err)),
            err @ (StoreError::Database(_) | StoreError::Corrupt { .. }) => ApiError::Internal(anyhow::Error::new(err)),
        }
    }
}

/// Collects field errors while parsing a request into domain types, so that one response lists
/// every bad field instead of the first.
#[derive(Default)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    /// Keeps `result`'s value, or records its error against `field`.
    pub fn check<T, E: std::fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(FieldError::new(field, "invalid", err.to_string()));
                None
            }
        }
    }

    /// Like [`check`](Self::check) for an optional input.
    pub fn check_opt<T, E: std::fmt::Display>(&mut self, field: &str, result: Option<Result<T, E>>) -> Option<Option<T>> {
        match result {
            None => Some(None),
            Some(result) => self.check(field, result).map(Some),
        }
    }

    /// Parses an optional input; a bad one is recorded (see [`into_result`](Self::into_result))
    /// and read as absent.
    pub fn parse<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        raw: Option<&str>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<T> {
        raw.and_then(|raw| self.check(field, parse(raw)))
    }

    /// Parses a nullable input of a partial update: absent (`None`), `null` (`Some(None)`) or a
    /// value; a bad one is recorded and read as absent.
    pub fn parse_nullable<T, E: std::fmt::Display>(
        &mut self,
        field: &str,
        raw: Option<Option<String>>,
        parse: impl FnOnce(&str) -> Result<T, E>,
    ) -> Option<Option<T>> {
        match raw {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => self.check(field, parse(&raw)).map(Some),
        }
    }

    /// `Ok` when no field was bad.
    pub fn into_result(self) -> Result<(), ApiError> {
        if self.0.is_empty() { Ok(()) } else { Err(self.into_error()) }
    }

    pub fn push(&mut self, error: FieldError) {
        self.0.push(error);
    }

    /// The error to return when any field was bad.
    pub fn into_error(self) -> ApiError {
        ApiError::Validation(self.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}
