//! Stage conversion's moves, kept per UTC day and month: how many visits of each stage pair
//! ended with a move, and how long they lasted, per workspace, pipeline, owner (the deal's
//! current owner, as the report's owner filter and visibility read it) and the day or month
//! the visit began (`from_entered_at`). With a million history rows the report sums a few
//! thousand kept rows instead of grouping every visit.
//!
//! Triggers keep them on both engines, so that no write path can forget them — the unit of work,
//! bulk loads, a benchmark's SQL: a stage-history row of a move adds its visit; a deal's new
//! owner takes its visits from the old one; a deleted deal takes its visits away (before its
//! history goes with it). Each change is appended to `stage_move_deltas` rather than added to
//! the kept row in place, so that concurrent moves between the same stages never queue on one
//! row; the server folds the changes into `stage_moves_by_day` and `stage_moves_by_month` with
//! the board's figures, and the report sums both.
//!
//! Durations are kept in milliseconds (a visit's, rounded once), so that sums stay exact.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000052_stage_moves"
    }
}

/// The key of a kept row, before its bucket (day or month).
const KEY: &str = "workspace_id, pipeline_id, owner_id, from_stage_id, to_stage_id";

/// A history row's visit as SQL expressions over its alias `h`: day, month and milliseconds.
fn visit(postgres: bool) -> [String; 3] {
    if postgres {
        let utc = "(h.from_entered_at AT TIME ZONE 'UTC')";
        [
            format!("CAST(CAST({utc} AS date) - DATE '1970-01-01' AS BIGINT)"),
            format!("CAST(EXTRACT(YEAR FROM {utc}) * 12 + EXTRACT(MONTH FROM {utc}) - 1 AS BIGINT)"),
            "CAST(ROUND(EXTRACT(EPOCH FROM (h.entered_at - h.from_entered_at)) * 1000) AS BIGINT)".to_owned(),
        ]
    } else {
        [
            "CAST(julianday(date(h.from_entered_at)) - 2440587.5 AS INTEGER)".to_owned(),
            "(CAST(strftime('%Y', h.from_entered_at) AS INTEGER) * 12 + CAST(strftime('%m', h.from_entered_at) AS INTEGER) - 1)".to_owned(),
            "CAST(ROUND((julianday(h.entered_at) - julianday(h.from_entered_at)) * 86400000.0) AS INTEGER)".to_owned(),
        ]
    }
}

/// Appends the visits of one deal's history (`deal` an expression of its id and workspace),
/// counted `sign` times for `owner`.
fn deal_visits(postgres: bool, record: &str, owner: &str, sign: &str) -> String {
    let [day, month, millis] = visit(postgres);
    format!(
        "INSERT INTO stage_move_deltas ({KEY}, day, month, moves, millis)
           SELECT h.workspace_id, h.pipeline_id, {owner}, h.from_stage_id, h.to_stage_id, {day}, {month},
                  {sign} * COUNT(*), {sign} * SUM({millis})
           FROM stage_history h
           WHERE h.workspace_id = {record}.workspace_id AND h.deal_id = {record}.id AND h.from_stage_id IS NOT NULL
           GROUP BY h.workspace_id, h.pipeline_id, h.from_stage_id, h.to_stage_id, {day}, {month};"
    )
}

/// The visit a new history row ends (a move: the row names the stage left).
fn entered(postgres: bool, row: &str) -> String {
    let [day, month, millis] = visit(postgres);
    let [day, month, millis] = [day, month, millis].map(|e| e.replace("h.", &format!("{row}.")));
    format!(
        "INSERT INTO stage_move_deltas ({KEY}, day, month, moves, millis)
           SELECT {row}.workspace_id, {row}.pipeline_id, d.owner_id, {row}.from_stage_id, {row}.to_stage_id, {day}, {month}, 1, {millis}
           FROM deals d WHERE d.id = {row}.deal_id;"
    )
}

fn triggers(postgres: bool) -> Vec<String> {
    if postgres {
        return vec![
            format!(
                "CREATE FUNCTION stage_moves_entered() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   {}
                   RETURN NULL;
                 END $$",
                entered(true, "NEW")
            ),
            format!(
                "CREATE FUNCTION stage_moves_owned() RETURNS trigger LANGUAGE plpgsql AS $$
                 BEGIN
                   {}
                   IF TG_OP = 'UPDATE' THEN
                     {}
                     RETURN NEW;
                   END IF;
                   RETURN OLD;
                 END $$",
                deal_visits(true, "OLD", "OLD.owner_id", "-1"),
                deal_visits(true, "NEW", "NEW.owner_id", "1"),
            ),
            "CREATE TRIGGER stage_history_moves AFTER INSERT ON stage_history
               FOR EACH ROW WHEN (NEW.from_stage_id IS NOT NULL) EXECUTE FUNCTION stage_moves_entered()"
                .to_owned(),
            "CREATE TRIGGER deals_moves_owner AFTER UPDATE OF owner_id ON deals
               FOR EACH ROW WHEN (OLD.owner_id IS DISTINCT FROM NEW.owner_id) EXECUTE FUNCTION stage_moves_owned()"
                .to_owned(),
            // Before: the deal's history is deleted with it, by the foreign key's cascade.
            "CREATE TRIGGER deals_moves_deleted BEFORE DELETE ON deals FOR EACH ROW EXECUTE FUNCTION stage_moves_owned()".to_owned(),
        ];
    }
    vec![
        format!(
            "CREATE TRIGGER stage_history_moves AFTER INSERT ON stage_history WHEN new.from_stage_id IS NOT NULL BEGIN
               {}
             END",
            entered(false, "new")
        ),
        format!(
            "CREATE TRIGGER deals_moves_owner AFTER UPDATE OF owner_id ON deals WHEN old.owner_id IS NOT new.owner_id BEGIN
               {}
               {}
             END",
            deal_visits(false, "old", "old.owner_id", "-1"),
            deal_visits(false, "new", "new.owner_id", "1"),
        ),
        format!(
            "CREATE TRIGGER deals_moves_deleted BEFORE DELETE ON deals BEGIN
               {}
             END",
            deal_visits(false, "old", "old.owner_id", "-1"),
        ),
    ]
}

fn kept(table: &'static str, bucket: &'static str) -> TableCreateStatement {
    Table::create()
        .table(table)
        .col(uuid("workspace_id"))
        .col(uuid("pipeline_id"))
        .col(big_integer(bucket))
        .col(uuid("owner_id"))
        .col(uuid("from_stage_id"))
        .col(uuid("to_stage_id"))
        .col(big_integer("moves"))
        .col(big_integer("millis"))
        // The report reads a pipeline's range of days or months.
        .primary_key(
            Index::create().col("workspace_id").col("pipeline_id").col(bucket).col("owner_id").col("from_stage_id").col("to_stage_id"),
        )
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_table(kept("stage_moves_by_day", "day")).await?;
        manager.create_table(kept("stage_moves_by_month", "month")).await?;
        manager
            .create_table(
                Table::create()
                    .table("stage_move_deltas")
                    .col(uuid("workspace_id"))
                    .col(uuid("pipeline_id"))
                    .col(uuid("owner_id"))
                    .col(uuid("from_stage_id"))
                    .col(uuid("to_stage_id"))
                    .col(big_integer("day"))
                    .col(big_integer("month"))
                    .col(big_integer("moves"))
                    .col(big_integer("millis"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_stage_move_deltas_day")
                    .table("stage_move_deltas")
                    .col("workspace_id")
                    .col("pipeline_id")
                    .col("day")
                    .to_owned(),
            )
            .await?;
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        for statement in triggers(postgres) {
            conn.execute_unprepared(&statement).await?;
        }
        let [day, month, millis] = visit(postgres);
        for (table, bucket) in [("stage_moves_by_day", day), ("stage_moves_by_month", month)] {
            let column = if table.ends_with("day") { "day" } else { "month" };
            conn.execute_unprepared(&format!(
                "INSERT INTO {table} ({KEY}, {column}, moves, millis)
                   SELECT h.workspace_id, h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {bucket}, COUNT(*), SUM({millis})
                   FROM stage_history h JOIN deals d ON d.id = h.deal_id
                   WHERE h.from_stage_id IS NOT NULL
                   GROUP BY h.workspace_id, h.pipeline_id, d.owner_id, h.from_stage_id, h.to_stage_id, {bucket}"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        for (trigger, table) in [("stage_history_moves", "stage_history"), ("deals_moves_owner", "deals"), ("deals_moves_deleted", "deals")]
        {
            let on = if postgres { format!(" ON {table}") } else { String::new() };
            conn.execute_unprepared(&format!("DROP TRIGGER {trigger}{on}")).await?;
        }
        if postgres {
            conn.execute_unprepared("DROP FUNCTION stage_moves_entered(); DROP FUNCTION stage_moves_owned()").await?;
        }
        for table in ["stage_move_deltas", "stage_moves_by_month", "stage_moves_by_day"] {
            manager.drop_table(Table::drop().table(table).to_owned()).await?;
        }
        Ok(())
    }
}
