//! What bulk imports report, row by row.

use serde_json::{Value, json};
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

impl BatchResult {
    /// The batch as its audit entry shows it: which records it created and which it merged
    /// into, by id (their fields are in the file the caller sent, not copied row by row).
    pub(crate) fn audit_summary(&self) -> Value {
        let ids = |created: bool| -> Vec<Uuid> {
            self.outcomes
                .iter()
                .filter_map(|(_, outcome)| match (outcome, created) {
                    (RowOutcome::Created(id), true) | (RowOutcome::Attached(id), false) => Some(*id),
                    _ => None,
                })
                .collect()
        };
        json!({ "created": ids(true), "attached": ids(false), "failed_rows": self.errors.len() })
    }
}
