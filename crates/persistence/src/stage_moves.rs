//! Stage conversion's moves, kept per UTC day and month (migration 000052): per workspace,
//! pipeline, owner and stage pair, how many visits that began that day or month ended with a
//! move, and how long they lasted in milliseconds. Triggers append every change to
//! `stage_move_deltas` in the transaction that makes it; [`fold`] adds them into
//! `stage_moves_by_day` and `stage_moves_by_month` with the board's figures.
//!
//! The report reads them through `reports::kept_moves`.

use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use uuid::Uuid;

use crate::error::StoreResult;
use crate::sql::{millis_between, statement};

/// The kept rows' key, before their bucket.
const KEY: &str = "workspace_id, pipeline_id, owner_id, from_stage_id, to_stage_id";

/// Adds the appended changes into the kept days and months and deletes a kept row no visit is
/// left in, so that both tables hold exactly what a recount finds; returns the number of rows
/// folded into. On PostgreSQL the changes are deleted and added in one statement.
pub(crate) async fn fold<C: ConnectionTrait>(conn: &C) -> StoreResult<usize> {
    let backend = conn.get_database_backend();
    let upsert = |table: &str, bucket: &str, source: &str| {
        format!(
            "INSERT INTO {table} ({KEY}, {bucket}, moves, millis) \
             SELECT {KEY}, {bucket}, CAST(SUM(moves) AS BIGINT), CAST(SUM(millis) AS BIGINT) FROM {source} GROUP BY {KEY}, {bucket} \
             ON CONFLICT (workspace_id, pipeline_id, {bucket}, owner_id, from_stage_id, to_stage_id) DO UPDATE SET \
               moves = {table}.moves + excluded.moves, millis = {table}.millis + excluded.millis \
             RETURNING {KEY}, {bucket} AS bucket, moves"
        )
    };
    let (days, months) = match backend {
        DatabaseBackend::Postgres => {
            let sql = format!(
                "WITH gone AS (DELETE FROM stage_move_deltas RETURNING *), \
                 days AS ({}), months AS ({}) \
                 SELECT 'day' AS kind, * FROM days UNION ALL SELECT 'month' AS kind, * FROM months",
                upsert("stage_moves_by_day", "day", "gone"),
                upsert("stage_moves_by_month", "month", "gone"),
            );
            let rows = conn.query_all_raw(statement(backend, &sql, vec![])).await?;
            let (days, months): (Vec<_>, Vec<_>) =
                rows.into_iter().partition(|row| row.try_get::<String>("", "kind").is_ok_and(|kind| kind == "day"));
            (days, months)
        }
        _ => {
            // `WHERE true` tells SQLite's parser that `ON CONFLICT` is the upsert's.
            let source = "stage_move_deltas WHERE true";
            let days = conn.query_all_raw(statement(backend, &upsert("stage_moves_by_day", "day", source), vec![])).await?;
            let months = conn.query_all_raw(statement(backend, &upsert("stage_moves_by_month", "month", source), vec![])).await?;
            conn.execute_raw(statement(backend, "DELETE FROM stage_move_deltas", vec![])).await?;
            (days, months)
        }
    };
    let folded = days.len() + months.len();
    for (table, bucket, rows) in [("stage_moves_by_day", "day", days), ("stage_moves_by_month", "month", months)] {
        for row in rows.iter().filter(|row| row.try_get::<i64>("", "moves").is_ok_and(|moves| moves == 0)) {
            let mut key: Vec<Value> = Vec::with_capacity(6);
            for column in ["workspace_id", "pipeline_id", "owner_id", "from_stage_id", "to_stage_id"] {
                key.push(row.try_get::<Uuid>("", column)?.into());
            }
            key.push(row.try_get::<i64>("", "bucket")?.into());
            let sql = format!(
                "DELETE FROM {table} WHERE workspace_id = ? AND pipeline_id = ? AND owner_id = ? AND from_stage_id = ? \
                 AND to_stage_id = ? AND {bucket} = ? AND moves = 0"
            );
            conn.execute_raw(statement(backend, &sql, key)).await?;
        }
    }
    Ok(folded)
}

/// Counts every kept day and month again from the stage history (`kariz repair --rollups`).
/// On PostgreSQL the changes' table is locked meanwhile, so that a move committing between the
/// recount's statements is neither lost nor counted twice.
pub(crate) async fn recount<C: ConnectionTrait>(conn: &C) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    if backend == DatabaseBackend::Postgres {
        conn.execute_raw(statement(backend, "LOCK TABLE stage_move_deltas IN EXCLUSIVE MODE", vec![])).await?;
    }
    for table in ["stage_move_deltas", "stage_moves_by_day", "stage_moves_by_month"] {
        conn.execute_raw(statement(backend, &format!("DELETE FROM {table}"), vec![])).await?;
    }
    let millis = millis_between(backend, "h.entered_at", "h.from_entered_at");
    for (table, bucket, of) in [
        ("stage_moves_by_day", "day", crate::sql::day_of_timestamp(backend, "h.from_entered_at")),
        ("stage_moves_by_month", "month", crate::sql::month_of_timestamp(backend, "h.from_entered_at")),
    ] {
        let sql = format!(
            "INSERT INTO {table} ({KEY}, {bucket}, moves, millis) \
             SELECT h.workspace_id, h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {of}, COUNT(*), CAST(SUM({millis}) AS BIGINT) \
             FROM stage_history h JOIN deals d ON d.id = h.deal_id WHERE h.from_stage_id IS NOT NULL \
             GROUP BY h.workspace_id, h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {of}"
        );
        conn.execute_raw(statement(backend, &sql, vec![])).await?;
    }
    Ok(())
}
