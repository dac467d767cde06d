//! The one error type of the HTTP edge, rendered as RFC 9457 `application/problem+json`.
//!
//! Every failure a handler or extractor can produce becomes an [`ApiError`]; [`ApiError::kind`]
//! is the single table from error to status, type and title. Unexpected errors are logged with
//! their cause chain and answered with an opaque 500.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use kariz_domain::{ActivityError, AttachmentError, DealError, DocumentError, LeadError, MembershipError};
use kariz_persistence::{Conflict, StoreError};
use serde::{Deserialize, Serialize};
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
    /// What is wrong, for a client to say in its own words (`message` is English).
    pub code: FieldCode,
    #[schema(example = "must not be blank")]
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        FieldError { field: field.into(), code, message: message.into() }
    }
}

/// Why one field was refused: every code a field error can carry, so that a client can word each
/// in its language. `invalid` is the generic one, for a value of the wrong form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// Missing, or blank where a value is needed.
    Required,
    /// Too short or too long (text, or a list).
    Length,
    /// A CSV field longer than an import reads.
    TooLong,
    /// A number outside its bounds.
    Range,
    /// Not a valid value of its kind.
    Invalid,
    /// Already taken by another record.
    Unique,
    /// Not a field, or a name that is not known (an event type, a custom field).
    Unknown,
    /// A value of the wrong JSON type.
    Type,
    /// Not the current password.
    Wrong,
    /// The new password is the current one.
    Unchanged,
    /// A password used before.
    Reused,
    /// A member who is deactivated.
    Inactive,
    /// A template names a placeholder that does not exist.
    UnknownPlaceholder,
    /// A scoring rule's condition does not fit its field (a blank value, a count below 1, no
    /// sources, a comparison with something other than a number).
    Condition,
    /// A custom field's key: 1 to 40 lower-case letters, digits or underscores, starting with a letter.
    Key,
    /// A select field needs 1 to 100 distinct options; other kinds have none.
    Options,
    /// Not an IANA time zone.
    TimeZone,
    /// The deal's amount follows its line items and is not set by hand.
    FollowsLines,
    /// A payment above what the invoice still owes (the problem's detail says how much that is).
    ExceedsOutstanding,
}

impl FieldCode {
    /// The code of one of `validator`'s errors (only `length` and `range` are used).
    pub fn of_validator(code: &str) -> FieldCode {
        match code {
            "length" => FieldCode::Length,
            "range" => FieldCode::Range,
            "required" => FieldCode::Required,
            _ => FieldCode::Invalid,
        }
    }
}

/// Why a request failed: one stable name per cause. Decide by it, never by status alone.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    /// Fields were invalid; each is listed in `errors`.
    ValidationFailed,
    /// The stage requires fields the deal lacks; each is listed in `errors` (code `required`).
    RequiredFieldsMissing,
    /// The body is not the JSON the operation takes.
    MalformedBody,
    /// A query or path parameter, or a header, is malformed.
    BadRequest,
    /// The cursor is not one this list handed out.
    InvalidCursor,
    /// No credentials, or credentials that are not valid.
    Unauthenticated,
    /// The access token expired: refresh it.
    TokenExpired,
    /// The email or password, or the refresh token, was refused.
    CredentialsRefused,
    /// The API key is unknown, revoked, expired, or its maker can no longer sign in.
    ApiKeyRefused,
    /// The caller's role may not do this.
    Forbidden,
    /// The API key lacks the scope this operation needs.
    ScopeMissing,
    /// Nobody changes their own role or active status: another admin does.
    SelfChangeForbidden,
    NotFound,
    MethodNotAllowed,
    /// The deal is won or lost: reopen it first.
    DealClosed,
    /// Only a won or lost deal can be reopened.
    DealOpen,
    /// The target stage belongs to another pipeline.
    StageInOtherPipeline,
    /// The cards around the target place moved since they were read: reload the column.
    NeighboursMoved,
    /// The lead is qualified and can no longer change status.
    LeadQualified,
    /// The lead is disqualified: reopen it first.
    LeadDisqualified,
    /// Only a disqualified lead can be reopened.
    LeadNotDisqualified,
    /// `qualified` and `disqualified` are reached through their actions, not set.
    LeadStatusNeedsAction,
    /// The activity is already done.
    ActivityDone,
    /// The activity is not done.
    ActivityNotDone,
    /// A note has no due time and is never done.
    NoteIsNotATask,
    /// The pipeline holds deals: archive it, or move or delete them first.
    PipelineHasDeals,
    /// The stage holds deals: say where they go (`move_deals_to`).
    StageHasDeals,
    /// A pipeline keeps at least one stage.
    LastStage,
    /// The stage already has as many task templates as it may.
    TooManyTaskTemplates,
    /// The email belongs to another member of this workspace.
    EmailTaken,
    /// The workspace would be left without an active admin.
    LastAdmin,
    /// A custom field with this key already exists.
    FieldKeyTaken,
    /// A custom field keeps its kind: define a new field for another kind.
    FieldKindUnchangeable,
    /// An organization with this name already exists.
    OrganizationNameTaken,
    /// Lost deals name this reason: deactivate it instead.
    LostReasonInUse,
    /// Another product of the workspace has this SKU (whatever its case).
    SkuTaken,
    /// Deal lines use this product: archive it instead.
    ProductInUse,
    /// The deal has quotes or invoices, which are kept: close it instead of deleting it.
    DealHasDocuments,
    /// The quote's status does not allow this (only a sent quote is answered, an accepted one is
    /// neither revised nor sent again, only an accepted one is invoiced).
    QuoteStatus,
    /// The quote's validity has ended.
    QuoteExpired,
    /// A later revision of the quote exists: act on that one.
    NotLatestRevision,
    /// The quote is already billed by an invoice that is not void.
    QuoteInvoiced,
    /// The invoice's status does not allow this (only a draft is issued or deleted, only an
    /// issued or partly paid one takes payments).
    InvoiceStatus,
    /// The invoice has payments and cannot be voided.
    InvoiceHasPayments,
    /// The deal has no line items to put on a document.
    NoLines,
    /// A record changed while a batch was written: send the batch again.
    BatchConflict,
    /// A request with this `Idempotency-Key` is still being served.
    IdempotencyInProgress,
    /// The request with this `Idempotency-Key` was answered with a secret, which is never kept
    /// for a replay: check what it did, or send a new key.
    IdempotencyNotRepeatable,
    /// The email and password open accounts in several workspaces (listed in `workspaces`): sign
    /// in again with the `workspace_id` of one.
    WorkspaceChoiceRequired,
    /// The object changed since it was read (`current_version` says to what); nothing was written.
    VersionMismatch,
    /// The write needs the version read (`If-Match` or `version`).
    VersionRequired,
    PayloadTooLarge,
    /// The workspace's files would pass its storage quota: delete some first.
    StorageQuotaExceeded,
    /// The body did not arrive in time; the connection is closed.
    RequestTimeout,
    UnsupportedMediaType,
    /// Too many requests: wait `Retry-After` seconds.
    RateLimited,
    /// The database is unavailable for a moment; nothing was written: try again.
    Unavailable,
    Internal,
}

impl ErrorCode {
    /// The single table from cause to (status, problem type slug, title).
    pub fn kind(self) -> (StatusCode, &'static str, &'static str) {
        use ErrorCode::*;
        const CONFLICT: (StatusCode, &str, &str) = (StatusCode::CONFLICT, "conflict", "Conflict");
        const UNAUTHENTICATED: (StatusCode, &str, &str) = (StatusCode::UNAUTHORIZED, "unauthenticated", "Authentication required");
        match self {
            ValidationFailed => (StatusCode::UNPROCESSABLE_ENTITY, "validation-failed", "Validation failed"),
            RequiredFieldsMissing => (StatusCode::UNPROCESSABLE_ENTITY, "required-fields-missing", "Required fields missing"),
            MalformedBody => (StatusCode::BAD_REQUEST, "malformed-body", "Malformed request body"),
            BadRequest | InvalidCursor => (StatusCode::BAD_REQUEST, "bad-request", "Bad request"),
            Unauthenticated | TokenExpired | CredentialsRefused | ApiKeyRefused => UNAUTHENTICATED,
            Forbidden | ScopeMissing | SelfChangeForbidden => (StatusCode::FORBIDDEN, "forbidden", "Forbidden"),
            NotFound => (StatusCode::NOT_FOUND, "not-found", "Not found"),
            MethodNotAllowed => (StatusCode::METHOD_NOT_ALLOWED, "method-not-allowed", "Method not allowed"),
            DealClosed
            | DealOpen
            | StageInOtherPipeline
            | NeighboursMoved
            | LeadQualified
            | LeadDisqualified
            | LeadNotDisqualified
            | LeadStatusNeedsAction
            | ActivityDone
            | ActivityNotDone
            | NoteIsNotATask
            | PipelineHasDeals
            | StageHasDeals
            | LastStage
            | TooManyTaskTemplates
            | EmailTaken
            | LastAdmin
            | FieldKeyTaken
            | FieldKindUnchangeable
            | OrganizationNameTaken
            | LostReasonInUse
            | SkuTaken
            | ProductInUse
            | DealHasDocuments
            | QuoteStatus
            | QuoteExpired
            | NotLatestRevision
            | QuoteInvoiced
            | InvoiceStatus
            | InvoiceHasPayments
            | NoLines
            | BatchConflict
            | IdempotencyInProgress
            | IdempotencyNotRepeatable
            | WorkspaceChoiceRequired => CONFLICT,
            VersionMismatch => (StatusCode::PRECONDITION_FAILED, "stale-version", "Stale version"),
            VersionRequired => (StatusCode::PRECONDITION_REQUIRED, "precondition-required", "Version required"),
            PayloadTooLarge => (StatusCode::PAYLOAD_TOO_LARGE, "payload-too-large", "Payload too large"),
            StorageQuotaExceeded => (StatusCode::PAYLOAD_TOO_LARGE, "storage-quota-exceeded", "Storage quota exceeded"),
            RequestTimeout => (StatusCode::REQUEST_TIMEOUT, "request-timeout", "Request timeout"),
            UnsupportedMediaType => (StatusCode::UNSUPPORTED_MEDIA_TYPE, "unsupported-media-type", "Unsupported media type"),
            RateLimited => (StatusCode::TOO_MANY_REQUESTS, "too-many-requests", "Too many requests"),
            Unavailable => (StatusCode::SERVICE_UNAVAILABLE, "unavailable", "Service unavailable"),
            Internal => (StatusCode::INTERNAL_SERVER_ERROR, "internal", "Internal server error"),
        }
    }

    /// The code as it appears in problem bodies.
    pub fn as_str(self) -> String {
        serde_json::to_value(self).ok().and_then(|v| v.as_str().map(str::to_owned)).unwrap_or_default()
    }
}

/// An RFC 9457 problem document; every error response has this body.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// A URI naming the kind of problem, e.g. `urn:kariz:problem:validation-failed`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// The cause, stable across releases: decide by it, not by `status` or `detail`.
    pub code: ErrorCode,
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
    /// The workspaces to choose from, for `workspace_choice_required`: each one's account has the
    /// email and password that were sent.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub workspaces: Vec<WorkspaceChoice>,
}

/// A workspace a sign-in may open.
#[derive(Clone, Debug, PartialEq, Serialize, ToSchema)]
pub struct WorkspaceChoice {
    pub id: uuid::Uuid,
    #[schema(example = "Pars Trading")]
    pub name: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    #[error("the request has invalid fields")]
    Validation(Vec<FieldError>),
    #[error("{detail}")]
    RequiredFieldsMissing { detail: String, fields: Vec<FieldError> },
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
    /// A refusal with its own cause: a rule of the domain, a conflict with stored state, a refused
    /// credential.
    #[error("{detail}")]
    Refused { code: ErrorCode, detail: String },
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
    #[error("this email and password open accounts in several workspaces; sign in again with the workspace_id of one of them")]
    WorkspaceChoiceRequired(Vec<WorkspaceChoice>),
    /// The database is unreachable, out of connections or timed out; nothing was written.
    #[error("the service is temporarily unavailable; nothing was changed, try again shortly")]
    Unavailable(#[source] anyhow::Error),
    #[error("internal error")]
    Internal(#[source] anyhow::Error),
}

impl ApiError {
    /// The cause of this error; its status, type and title follow from it.
    pub fn code(&self) -> ErrorCode {
        match self {
            ApiError::Validation(_) => ErrorCode::ValidationFailed,
            ApiError::RequiredFieldsMissing { .. } => ErrorCode::RequiredFieldsMissing,
            ApiError::MalformedBody(_) => ErrorCode::MalformedBody,
            ApiError::BadRequest(_) => ErrorCode::BadRequest,
            ApiError::Unauthenticated(_) => ErrorCode::Unauthenticated,
            ApiError::Forbidden(_) => ErrorCode::Forbidden,
            ApiError::NotFound(_) => ErrorCode::NotFound,
            ApiError::MethodNotAllowed { .. } => ErrorCode::MethodNotAllowed,
            ApiError::Refused { code, .. } => *code,
            ApiError::StaleVersion { .. } => ErrorCode::VersionMismatch,
            ApiError::PreconditionRequired => ErrorCode::VersionRequired,
            ApiError::PayloadTooLarge { .. } => ErrorCode::PayloadTooLarge,
            ApiError::RequestTimeout => ErrorCode::RequestTimeout,
            ApiError::UnsupportedMediaType => ErrorCode::UnsupportedMediaType,
            ApiError::TooManyRequests { .. } => ErrorCode::RateLimited,
            ApiError::WorkspaceChoiceRequired(_) => ErrorCode::WorkspaceChoiceRequired,
            ApiError::Unavailable(_) => ErrorCode::Unavailable,
            ApiError::Internal(_) => ErrorCode::Internal,
        }
    }

    /// A refusal with the cause `code`.
    pub fn refused(code: ErrorCode, detail: impl Into<String>) -> Self {
        ApiError::Refused { code, detail: detail.into() }
    }

    pub fn validation(field: impl Into<String>, code: FieldCode, message: impl Into<String>) -> Self {
        ApiError::Validation(vec![FieldError::new(field, code, message)])
    }

    pub fn not_found(what: &str) -> Self {
        ApiError::NotFound(format!("{what} not found"))
    }

    pub fn problem(&self) -> Problem {
        let code = self.code();
        let (status, slug, title) = code.kind();
        Problem {
            problem_type: format!("urn:kariz:problem:{slug}"),
            code,
            title: title.to_owned(),
            status: status.as_u16(),
            detail: self.to_string(),
            request_id: current_request_id(),
            errors: match self {
                ApiError::Validation(errors) | ApiError::RequiredFieldsMissing { fields: errors, .. } => errors.clone(),
                _ => Vec::new(),
            },
            current_version: match self {
                ApiError::StaleVersion { current, .. } => Some(*current),
                _ => None,
            },
            workspaces: match self {
                ApiError::WorkspaceChoiceRequired(workspaces) => workspaces.clone(),
                _ => Vec::new(),
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
        self.code().kind().0
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            ApiError::Internal(err) => tracing::error!(request_id = %current_request_id(), error = ?err, "request failed"),
            ApiError::Unavailable(err) => tracing::warn!(request_id = %current_request_id(), error = %err, "database unavailable"),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.insert_header((header::CONTENT_TYPE, HeaderValue::from_static("application/problem+json")));
        if self.status_code() == StatusCode::UNAUTHORIZED {
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
            StoreError::Conflict(conflict) => ApiError::refused(conflict_code(&conflict), conflict.to_string()),
            StoreError::Rule(DealError::Amount(err)) => ApiError::validation("amount_minor", FieldCode::Invalid, err.to_string()),
            StoreError::Rule(ref rule @ DealError::RequiredFieldsMissing { ref fields }) => ApiError::RequiredFieldsMissing {
                detail: rule.to_string(),
                fields: fields.iter().map(|f| FieldError::new(f.request_field(), FieldCode::Required, "the stage requires it")).collect(),
            },
            StoreError::Rule(rule @ DealError::AmountFollowsLines) => {
                ApiError::validation("amount_minor", FieldCode::FollowsLines, rule.to_string())
            }
            StoreError::Rule(rule @ DealError::LostReasonInactive) => {
                ApiError::validation("reason_id", FieldCode::Inactive, rule.to_string())
            }
            StoreError::Rule(rule @ DealError::LostReasonMissing { managed_required }) => {
                ApiError::validation(if managed_required { "reason_id" } else { "reason" }, FieldCode::Required, rule.to_string())
            }
            StoreError::Rule(rule) => ApiError::refused(deal_rule_code(&rule), rule.to_string()),
            StoreError::LeadRule(rule) => ApiError::refused(lead_rule_code(&rule), rule.to_string()),
            StoreError::DocumentRule(rule) => match rule {
                DocumentError::QuoteStatus { .. } => ApiError::refused(ErrorCode::QuoteStatus, rule.to_string()),
                DocumentError::QuoteExpired { .. } => ApiError::refused(ErrorCode::QuoteExpired, rule.to_string()),
                DocumentError::InvoiceStatus { .. } => ApiError::refused(ErrorCode::InvoiceStatus, rule.to_string()),
                DocumentError::InvoiceHasPayments => ApiError::refused(ErrorCode::InvoiceHasPayments, rule.to_string()),
                DocumentError::NoLines => ApiError::refused(ErrorCode::NoLines, rule.to_string()),
                DocumentError::Overpayment { .. } => ApiError::validation("amount_minor", FieldCode::ExceedsOutstanding, rule.to_string()),
            },
            StoreError::ViewRule(rule) => ApiError::Forbidden(rule.to_string()),
            StoreError::MembershipRule(rule) => match rule {
                MembershipError::NotAdmin => ApiError::Forbidden(rule.to_string()),
                MembershipError::OwnMembership => ApiError::refused(ErrorCode::SelfChangeForbidden, rule.to_string()),
                MembershipError::LastAdmin => ApiError::refused(ErrorCode::LastAdmin, rule.to_string()),
            },
            StoreError::ActivityRule(rule) => match rule {
                ActivityError::AlreadyDone => ApiError::refused(ErrorCode::ActivityDone, rule.to_string()),
                ActivityError::NotDone => ApiError::refused(ErrorCode::ActivityNotDone, rule.to_string()),
                ActivityError::NoteIsNotATask => ApiError::refused(ErrorCode::NoteIsNotATask, rule.to_string()),
                // Input rules: reported against the fields that broke them.
                ActivityError::NoLink => ApiError::validation("lead_id", FieldCode::Required, rule.to_string()),
                ActivityError::DueInHoursOutOfRange => ApiError::validation("due_in_hours", FieldCode::Range, rule.to_string()),
            },
            StoreError::Attachment(refusal) => match refusal {
                AttachmentError::TooLarge { limit } => ApiError::PayloadTooLarge { limit: usize::try_from(limit).unwrap_or(usize::MAX) },
                AttachmentError::QuotaExceeded { .. } => ApiError::refused(ErrorCode::StorageQuotaExceeded, refusal.to_string()),
                AttachmentError::NotUploader => ApiError::refused(ErrorCode::Forbidden, refusal.to_string()),
                AttachmentError::OneTarget => ApiError::validation("deal_id", FieldCode::Invalid, refusal.to_string()),
                AttachmentError::FileName | AttachmentError::Empty => ApiError::validation("file", FieldCode::Invalid, refusal.to_string()),
            },
            StoreError::InvalidFields(fields) => ApiError::Validation(
                fields.into_iter().map(|(field, message)| FieldError::new(field, FieldCode::Invalid, message)).collect(),
            ),
            // A cursor only ever comes in a query string: a bad one is a bad request, not a bad field.
            StoreError::Invalid { field: "cursor", message } => ApiError::refused(ErrorCode::InvalidCursor, message),
            StoreError::Invalid { field, message } => ApiError::validation(field, FieldCode::Invalid, message),
            StoreError::Unauthorized => ApiError::refused(ErrorCode::CredentialsRefused, "the credentials were refused"),
            StoreError::KeyRefused(refusal) => ApiError::refused(ErrorCode::ApiKeyRefused, refusal.to_string()),
            err @ StoreError::Unavailable(_) => ApiError::Unavailable(anyhow::Error::new(err)),
            err @ (StoreError::Database(_) | StoreError::Corrupt { .. }) => ApiError::Internal(anyhow::Error::new(err)),
        }
    }
}

fn deal_rule_code(rule: &DealError) -> ErrorCode {
    match rule {
        DealError::ClosedDealCannotMove { .. } | DealError::AlreadyClosed { .. } => ErrorCode::DealClosed,
        DealError::NotClosed => ErrorCode::DealOpen,
        DealError::StageInOtherPipeline => ErrorCode::StageInOtherPipeline,
        // Answered as a field error before this table is read.
        DealError::Amount(_) | DealError::LostReasonInactive | DealError::LostReasonMissing { .. } | DealError::AmountFollowsLines => {
            ErrorCode::ValidationFailed
        }
        DealError::RequiredFieldsMissing { .. } => ErrorCode::RequiredFieldsMissing,
    }
}

fn lead_rule_code(rule: &LeadError) -> ErrorCode {
    match rule {
        LeadError::AlreadyQualified => ErrorCode::LeadQualified,
        LeadError::Disqualified => ErrorCode::LeadDisqualified,
        LeadError::NotDisqualified => ErrorCode::LeadNotDisqualified,
        LeadError::StatusNeedsAction => ErrorCode::LeadStatusNeedsAction,
    }
}

fn conflict_code(conflict: &Conflict) -> ErrorCode {
    match conflict {
        Conflict::PipelineHasDeals { .. } => ErrorCode::PipelineHasDeals,
        Conflict::StageHasDeals { .. } => ErrorCode::StageHasDeals,
        Conflict::LastStage => ErrorCode::LastStage,
        Conflict::TooManyTaskTemplates { .. } => ErrorCode::TooManyTaskTemplates,
        Conflict::NeighboursMoved => ErrorCode::NeighboursMoved,
        Conflict::EmailTaken => ErrorCode::EmailTaken,
        Conflict::FieldKeyTaken { .. } => ErrorCode::FieldKeyTaken,
        Conflict::FieldKindUnchangeable { .. } => ErrorCode::FieldKindUnchangeable,
        Conflict::OrganizationNameTaken { .. } => ErrorCode::OrganizationNameTaken,
        Conflict::BatchConflict { .. } => ErrorCode::BatchConflict,
        Conflict::LostReasonInUse { .. } => ErrorCode::LostReasonInUse,
        Conflict::SkuTaken { .. } => ErrorCode::SkuTaken,
        Conflict::ProductInUse { .. } => ErrorCode::ProductInUse,
        Conflict::DealHasDocuments { .. } => ErrorCode::DealHasDocuments,
        Conflict::QuoteInvoiced { .. } => ErrorCode::QuoteInvoiced,
        Conflict::NotLatestRevision { .. } => ErrorCode::NotLatestRevision,
    }
}

impl ApiError {
    /// The error of a store call whose input came in a query string (filters, cursors): an
    /// unknown custom field or a value of the wrong kind is a bad request, not an invalid body.
    pub fn in_query(err: StoreError) -> ApiError {
        match err {
            StoreError::Invalid { field: "cursor", message } => ApiError::refused(ErrorCode::InvalidCursor, message),
            StoreError::Invalid { message, .. } => ApiError::BadRequest(message),
            StoreError::InvalidFields(fields) => ApiError::BadRequest(
                fields.into_iter().map(|(field, message)| format!("{field}: {message}")).collect::<Vec<_>>().join("; "),
            ),
            other => other.into(),
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
                self.0.push(FieldError::new(field, FieldCode::Invalid, err.to_string()));
                None
            }
        }
    }

    /// Like [`check`](Self::check), with a code more specific than `invalid`.
    pub fn check_as<T, E: std::fmt::Display>(&mut self, field: &str, code: FieldCode, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(err) => {
                self.0.push(FieldError::new(field, code, err.to_string()));
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
