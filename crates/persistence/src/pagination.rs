//! Opaque cursors for keyset pagination: the sort key and id of the last row served.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::dates::{supported_day, supported_instant};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use uuid::Uuid;

use crate::error::{StoreError, StoreResult};

pub const DEFAULT_LIMIT: u64 = 50;
pub const MAX_LIMIT: u64 = 200;

/// One page of a list and the cursor of the next, if there is more.
#[derive(Clone, Debug)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

impl<T> Page<T> {
    /// The page of a query that fetched up to `limit + 1` rows: the extra row only tells that
    /// there is more, and the cursor points after the last row kept.
    pub fn of(mut items: Vec<T>, limit: u64, cursor: impl Fn(&T) -> String) -> Page<T> {
        let next_cursor = if items.len() as u64 > limit {
            items.truncate(limit as usize);
            items.last().map(cursor)
        } else {
            None
        };
        Page { items, next_cursor }
    }
}

#[derive(Serialize, Deserialize)]
struct CursorData {
    /// The sort the cursor was made for; a cursor is refused under another sort.
    s: String,
    v: Value,
    id: Uuid,
}

pub fn encode(sort: &str, value: Value, id: Uuid) -> String {
    let data = CursorData { s: sort.to_owned(), v: value, id };
    URL_SAFE_NO_PAD.encode(serde_json::to_vec(&data).unwrap_or_default())
}

pub fn decode(cursor: &str, sort: &str) -> StoreResult<(Value, Uuid)> {
    let invalid = || StoreError::invalid("cursor", "not a cursor from this list; start again without it");
    let bytes = URL_SAFE_NO_PAD.decode(cursor.trim()).map_err(|_| invalid())?;
    let data: CursorData = serde_json::from_slice(&bytes).map_err(|_| invalid())?;
    // A cursor is opaque but not trusted: an edited one must be refused here, not by the database
    // (PostgreSQL fails on a NUL character in text).
    if data.s != sort || holds_nul(&data.v) {
        return Err(invalid());
    }
    Ok((data.v, data.id))
}

fn holds_nul(value: &Value) -> bool {
    match value {
        Value::String(text) => text.contains('\0'),
        Value::Array(items) => items.iter().any(holds_nul),
        Value::Object(fields) => fields.iter().any(|(key, item)| key.contains('\0') || holds_nul(item)),
        _ => false,
    }
}

/// A day read from a cursor, refused (as a bad cursor) outside the years both databases store.
pub fn day_of(value: &Value) -> StoreResult<NaiveDate> {
    value
        .as_str()
        .and_then(|d| d.parse::<NaiveDate>().ok())
        .and_then(|day| supported_day(day).ok())
        .ok_or_else(|| StoreError::invalid("cursor", "not a cursor from this list; start again without it"))
}

/// An instant read from a cursor (RFC 3339), refused like [`day_of`].
pub fn instant_of(value: &Value) -> StoreResult<DateTime<Utc>> {
    value
        .as_str()
        .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .and_then(|at| supported_instant(at.with_timezone(&Utc)).ok())
        .ok_or_else(|| StoreError::invalid("cursor", "not a cursor from this list; start again without it"))
}

/// Clamps a requested page size into `1..=MAX_LIMIT`.
pub fn clamp_limit(limit: Option<u64>) -> u64 {
    limit.unwrap_or(DEFAULT_LIMIT).clamp(1, MAX_LIMIT)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_tampering() {
        let id = Uuid::now_v7();
        let cursor = encode("amount_minor", Value::from(42), id);
        assert_eq!(decode(&cursor, "amount_minor").unwrap(), (Value::from(42), id));
        assert!(decode(&cursor, "position").is_err());
        assert!(decode("not-a-cursor", "position").is_err());
        assert!(decode("", "position").is_err());
        let nul = encode("position", Value::from("a\0b"), id);
        assert!(decode(&nul, "position").is_err(), "a NUL character is refused here, not by the database");
        assert!(day_of(&Value::from("+99999-01-01")).is_err() && day_of(&Value::from("2026-01-31")).is_ok());
        assert!(instant_of(&Value::from("-9999-01-01T00:00:00Z")).is_err());
    }

    #[test]
    fn limits_are_bounded() {
        assert_eq!(clamp_limit(None), DEFAULT_LIMIT);
        assert_eq!(clamp_limit(Some(0)), 1);
        assert_eq!(clamp_limit(Some(10_000)), MAX_LIMIT);
    }
}
