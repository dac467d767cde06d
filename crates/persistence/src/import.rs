//! What bulk imports report, row by row.

use uuid::Uuid;

/// What became of one imported row.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RowOutcome {
    /// A new record, by id.
    Created(Uuid),
    /// Merged into the existing record with this id.
    Attached(Uuid),
}

/// Why a row was not imported.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RowError {
    pub line: u64,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct BatchResult {
    pub outcomes: Vec<(u64, RowOutcome)>,
    pub errors: Vec<RowError>,
}
