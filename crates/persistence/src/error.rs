use kariz_domain::{ActivityError, DealError, KeyRefusal, LeadError, MembershipError};
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
    #[error(transparent)]
    Conflict(#[from] Conflict),
    /// A domain rule refused the change.
    #[error(transparent)]
    Rule(#[from] DealError),
    /// A lead's lifecycle refused the change.
    #[error(transparent)]
    LeadRule(#[from] LeadError),
    /// An activity's done/undone transition refused the change.
    #[error(transparent)]
    ActivityRule(#[from] ActivityError),
    /// A quote's or invoice's status refused the change, or a payment exceeded what is owed.
    #[error(transparent)]
    DocumentRule(#[from] kariz_domain::DocumentError),
    /// A file was refused: too large, beyond the quota, or not the caller's to delete.
    #[error(transparent)]
    Attachment(#[from] kariz_domain::AttachmentError),
    /// A saved view was refused to a caller who sees it but may not change it.
    #[error(transparent)]
    ViewRule(#[from] kariz_domain::ViewError),
    /// A change of a member's role or active flag was refused.
    #[error(transparent)]
    MembershipRule(#[from] MembershipError),
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
    /// Any other database failure; the cause is its source, so that the internal-error log line
    /// names it ("database error … Caused by: …").
    #[error("database error")]
    Database(#[source] sea_orm::DbErr),
    /// The database cannot be reached or is shutting down, the pool had no connection to give,
    /// or a statement ran past its timeout: nothing was committed, and trying again later may work.
    #[error("the database is unavailable: {0}")]
    Unavailable(sea_orm::DbErr),
    /// Stored data that the domain refuses to parse: a bug or a hand-edited row.
    #[error("corrupt row in {table}: {detail}")]
    Corrupt { table: &'static str, detail: String },
}

/// How a change conflicts with what is stored; each is its own cause for clients.
#[derive(Debug, Error)]
pub enum Conflict {
    #[error("the pipeline holds {deals} deals; archive it, or move or delete its deals first")]
    PipelineHasDeals { deals: u64 },
    #[error("the stage holds {deals} deals; say which stage they move to (move_deals_to)")]
    StageHasDeals { deals: usize },
    #[error("a pipeline keeps at least one stage")]
    LastStage,
    #[error("a stage has at most {max} task templates")]
    TooManyTaskTemplates { max: u64 },
    #[error("the cards around the target place have moved; reload the column and try again")]
    NeighboursMoved,
    #[error("a member of this workspace already has this email")]
    EmailTaken,
    #[error("a {entity} field with the key `{key}` already exists")]
    FieldKeyTaken { entity: &'static str, key: String },
    #[error("a custom field's kind cannot change (it is `{kind}`): define a new field instead")]
    FieldKindUnchangeable { kind: &'static str },
    #[error("an organization named `{name}` already exists (id {id})")]
    OrganizationNameTaken { name: String, id: uuid::Uuid },
    #[error("a {what} changed during the import; import the file again")]
    BatchConflict { what: &'static str },
    #[error("{deals} lost deals name this reason; deactivate it instead")]
    LostReasonInUse { deals: u64 },
    #[error("a product with the SKU `{sku}` already exists (id {id})")]
    SkuTaken { sku: String, id: uuid::Uuid },
    #[error("{lines} deal lines use this product; archive it instead (active: false)")]
    ProductInUse { lines: u64 },
    #[error("the deal has {documents} quotes or invoices, which are kept: close the deal instead")]
    DealHasDocuments { documents: u64 },
    #[error("quote {number} is already billed by invoice {invoice_id}")]
    QuoteInvoiced { number: String, invoice_id: uuid::Uuid },
    #[error("quote {number} has a later revision: revise that one")]
    NotLatestRevision { number: String },
}

impl StoreError {
    pub(crate) fn invalid(field: &'static str, message: impl Into<String>) -> Self {
        StoreError::Invalid { field, message: message.into() }
    }

    pub(crate) fn corrupt(table: &'static str, detail: impl std::fmt::Display) -> Self {
        StoreError::Corrupt { table, detail: detail.to_string() }
    }
}

impl From<sea_orm::DbErr> for StoreError {
    fn from(err: sea_orm::DbErr) -> Self {
        if is_transient(&err) { StoreError::Unavailable(err) } else { StoreError::Database(err) }
    }
}

/// Whether an error says "not now" rather than "never": connection loss, an exhausted pool, a
/// server shutting down or starting up, a statement timeout, or SQLite still locked after its
/// busy timeout.
fn is_transient(err: &sea_orm::DbErr) -> bool {
    use sea_orm::sqlx::Error as Sqlx;
    let runtime = match err {
        sea_orm::DbErr::ConnectionAcquire(_) | sea_orm::DbErr::Conn(_) => return true,
        sea_orm::DbErr::Exec(runtime) | sea_orm::DbErr::Query(runtime) => runtime,
        _ => return false,
    };
    let sea_orm::RuntimeErr::SqlxError(sqlx) = runtime else { return false };
    match sqlx.as_ref() {
        Sqlx::Io(_) | Sqlx::Tls(_) | Sqlx::Protocol(_) | Sqlx::PoolTimedOut | Sqlx::PoolClosed | Sqlx::WorkerCrashed => true,
        Sqlx::Database(db) => db.code().is_some_and(|code| is_transient_code(&code)),
        _ => false,
    }
}

/// PostgreSQL SQLSTATEs (always five characters): 57014 query_canceled (statement_timeout),
/// 57P01–57P03 shutdown and start-up, class 08 connection exceptions, 53300 too_many_connections,
/// 40P01 deadlock_detected and 40001 serialization_failure (the transaction was rolled back; the
/// same request can succeed when retried).
/// SQLite result codes (numbers of at most four digits): 5 BUSY and its extended codes (low byte
/// 5), 6 LOCKED and its extended codes.
fn is_transient_code(code: &str) -> bool {
    if code.len() == 5 {
        return matches!(code, "57014" | "57P01" | "57P02" | "57P03" | "53300" | "40P01" | "40001") || code.starts_with("08");
    }
    code.parse::<u32>().is_ok_and(|n| n & 0xff == 5 || n & 0xff == 6)
}

pub type StoreResult<T> = Result<T, StoreError>;

#[cfg(test)]
mod tests {
    use super::{StoreError, is_transient_code};

    #[test]
    fn a_database_error_carries_its_cause_for_the_log() {
        let err = StoreError::Database(sea_orm::DbErr::Custom("date/time field value out of range: \"-9999-01-01\"".to_owned()));
        // The HTTP edge logs internal errors with their source chain (`anyhow`'s `{:?}` walks it).
        let chain: Vec<String> =
            std::iter::successors(Some(&err as &dyn std::error::Error), |e| e.source()).map(|e| e.to_string()).collect();
        assert_eq!(chain[0], "database error");
        assert!(chain.get(1).is_some_and(|cause| cause.contains("date/time field value out of range")), "{chain:?}");
    }

    #[test]
    fn statement_timeouts_shutdowns_and_busy_databases_are_transient() {
        for code in ["57014", "57P01", "57P03", "08006", "53300", "40P01", "40001", "5", "517", "6"] {
            assert!(is_transient_code(code), "{code}");
        }
        for code in ["23505", "23503", "42P01", "42501", "1", "19", "2067"] {
            assert!(!is_transient_code(code), "{code}");
        }
    }
}
