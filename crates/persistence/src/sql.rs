//! Hand-written SQL for the few queries the query builder cannot express well (window functions,
//! grouped aggregates), written once with `?` placeholders and adapted per engine, and the few
//! expressions whose spelling differs between the engines (durations, calendar months).

use sea_orm::{DatabaseBackend, QueryResult, Statement, Value};

/// Builds a statement from SQL with `?` placeholders, numbering them `$1, $2, …` on PostgreSQL.
pub fn statement(backend: DatabaseBackend, sql: &str, values: Vec<Value>) -> Statement {
    let sql = match backend {
        DatabaseBackend::Postgres => {
            let mut numbered = String::with_capacity(sql.len() + 8);
            let mut n = 0;
            for c in sql.chars() {
                if c == '?' {
                    n += 1;
                    numbered.push('$');
                    numbered.push_str(&n.to_string());
                } else {
                    numbered.push(c);
                }
            }
            numbered
        }
        _ => sql.to_owned(),
    };
    Statement::from_sql_and_values(backend, sql, values)
}

/// Splits an exact sum of an integer expression in two columns, `{alias}_high` (the sum of
/// `expression / 10^9`) and `{alias}_low` (the sum of its remainders), read back with
/// [`exact_sum`]. A plain `SUM` of money overflows: SQLite raises "integer overflow" and a
/// PostgreSQL `numeric` total no longer fits `bigint` once a few thousand deals carry the largest
/// amount (10^15). Each part stays below 2^63 for up to 9 × 10^9 rows of any 64-bit value, on
/// both engines alike, and no float is involved.
pub fn split_sum(expression: &str, alias: &str) -> String {
    format!(
        "CAST(SUM(({expression}) / {SUM_SPLIT}) AS BIGINT) AS {alias}_high, CAST(SUM(({expression}) % {SUM_SPLIT}) AS BIGINT) AS {alias}_low"
    )
}

const SUM_SPLIT: i64 = 1_000_000_000;

/// A deal's amount × its probability (its own, else its stage's, alias `s`), rounded half up per
/// deal, as the board and the forecast weigh it. Amounts are at most 10^15, so the product fits.
pub const WEIGHTED_AMOUNT: &str = "(d.amount_minor * COALESCE(d.probability, s.probability) + 50) / 100";

/// The exact sum [`split_sum`] selected as `alias`; 0 over no rows. Integer division and
/// remainder truncate toward zero on both engines, so high × 10^9 + low is the sum for any sign.
pub fn exact_sum(row: &QueryResult, alias: &str) -> Result<i128, sea_orm::DbErr> {
    let high = row.try_get::<Option<i64>>("", &format!("{alias}_high"))?.unwrap_or(0);
    let low = row.try_get::<Option<i64>>("", &format!("{alias}_low"))?.unwrap_or(0);
    Ok(i128::from(high) * i128::from(SUM_SPLIT) + i128::from(low))
}

/// Whole seconds from `earlier` to `later` (two timestamp expressions), as a 64-bit integer.
pub fn seconds_between(backend: DatabaseBackend, later: &str, earlier: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(EXTRACT(EPOCH FROM ({later} - {earlier})) AS BIGINT)"),
        // Timestamps are ISO 8601 text; julianday() reads them, fractions and offset included.
        _ => format!("CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400.0) AS INTEGER)"),
    }
}

/// The sum over a group of whole seconds from `earlier` to `later`, as a 64-bit integer.
/// PostgreSQL adds the intervals and converts once, which is much cheaper than converting every
/// row's difference to a number.
pub fn sum_of_seconds_between(backend: DatabaseBackend, later: &str, earlier: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(EXTRACT(EPOCH FROM SUM({later} - {earlier})) AS BIGINT)"),
        _ => format!("CAST(ROUND(SUM(julianday({later}) - julianday({earlier})) * 86400.0) AS INTEGER)"),
    }
}

/// The milliseconds from `earlier` to `later`, two timestamp expressions of one row, rounded
/// to the nearest (the stage-move triggers of migration 000052 count visits the same way).
pub fn millis_between(backend: DatabaseBackend, later: &str, earlier: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(ROUND(EXTRACT(EPOCH FROM ({later} - {earlier})) * 1000) AS BIGINT)"),
        _ => format!("CAST(ROUND((julianday({later}) - julianday({earlier})) * 86400000.0) AS INTEGER)"),
    }
}

/// The calendar month (in UTC) of a timestamp expression as year × 12 + month − 1, the index
/// `kariz_domain::YearMonth` counts in.
pub fn month_of_timestamp(backend: DatabaseBackend, timestamp: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => month_index(&format!("({timestamp} AT TIME ZONE 'UTC')")),
        _ => sqlite_month_index(timestamp),
    }
}

/// The calendar month of a date expression, as [`month_of_timestamp`] counts it.
pub fn month_of_date(backend: DatabaseBackend, date: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => month_index(date),
        _ => sqlite_month_index(date),
    }
}

/// The UTC day of a timestamp expression, as days since 1970-01-01 (a 64-bit integer).
pub fn day_of_timestamp(backend: DatabaseBackend, timestamp: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST(CAST(({timestamp} AT TIME ZONE 'UTC') AS date) - DATE '1970-01-01' AS BIGINT)"),
        _ => sqlite_day_index(timestamp),
    }
}

/// The day of a date expression, as [`day_of_timestamp`] counts it.
pub fn day_of_date(backend: DatabaseBackend, date: &str) -> String {
    match backend {
        DatabaseBackend::Postgres => format!("CAST({date} - DATE '1970-01-01' AS BIGINT)"),
        _ => sqlite_day_index(date),
    }
}

/// `date()` reads a stored timestamp (offset included) or date as its UTC day, whose Julian day
/// number is a whole number and a half; 2440587.5 is 1970-01-01's.
fn sqlite_day_index(value: &str) -> String {
    format!("CAST(julianday(date({value})) - 2440587.5 AS INTEGER)")
}

fn month_index(value: &str) -> String {
    format!("CAST(EXTRACT(YEAR FROM {value}) * 12 + EXTRACT(MONTH FROM {value}) - 1 AS BIGINT)")
}

fn sqlite_month_index(value: &str) -> String {
    format!("(CAST(strftime('%Y', {value}) AS INTEGER) * 12 + CAST(strftime('%m', {value}) AS INTEGER) - 1)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_placeholders_for_postgres_only() {
        let pg = statement(DatabaseBackend::Postgres, "a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(pg.sql, "a = $1 AND b = $2");
        let lite = statement(DatabaseBackend::Sqlite, "a = ? AND b = ?", vec![1.into(), 2.into()]);
        assert_eq!(lite.sql, "a = ? AND b = ?");
    }
}
