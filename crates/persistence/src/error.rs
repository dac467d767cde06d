use kariz_domain::{ActivityError, DealError, KeyRefusal, LeadError};
use thiserror::Error;

/// Everything a storage call can fail with; the API maps each variant to one HTTP status.
#[derive(Debug, Error)]
pub enum StoreError {
    /// The object does not exist in the caller's workspace (it may exist in another).
    #[error("{0} not found")]
    NotFound(&'static str),
    /// The caller's version is not the stored one; nothing was written.
    #[error("stale version: the {entity} is at version {current}")]
    StaleVersion { entity: &'static str, current: i64 },
    /// The request conflicts with the stored state (e.g. an email already in use).
    #[error("{0}")]
    Conflict(String),
    /// A domain rule refused the change.
    #[error(transparent)]
    Rule(#[from] DealError),
    /// A lead's lifecycle refused the change.
    #[error(transparent)]
    LeadRule(#[from] LeadError),
    /// An activity's done/undone transition refused the change.
    #[error(transparent)]
    ActivityRule(#[from] ActivityError),
    /// Several fields are invalid at once (custom fields): `(field path, message)` pairs.
    #[error("invalid fields")]
    InvalidFields(Vec<(String, String)>),
    /// The request refers to something that cannot be used this way (e.g. a stage of another pipeline).
    #[error("{field}: {message}")]
    Invalid { field: &'static str, message: String },
    /// Credentials or a refresh token were refused.
    #[error("unauthorized")]
    Unauthorized,
    /// An API key was refused, and why.
    #[error(transparent)]
    KeyRefused(#[from] KeyRefusal),
    #[error("database error")]
    Database(#[from] sea_orm::DbErr),
    /// Stored data that the domain refuses to parse: a bug or a hand-edited row.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid { field, message: message.into() }
    }

    pub(crate) fn corrupt(table: &'static str, detail: impl std::fmt::Display) -> Self {
        StoreError::Corrupt { table, detail: detail.to_string() }
    }
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Refuses a write that names a version other than the stored one; `None` accepts any.
pub(crate) fn check_version(entity: &'static str, expected: Option<i64>, current: i64) -> StoreResult<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::StaleVersion { entity, current }),
        _ => Ok(()),
    }
}
