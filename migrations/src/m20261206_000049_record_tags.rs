//! Tags an index can serve: `record_tags` holds one row per tag of each deal, lead, contact and
//! organization — `(workspace_id, kind, tag, record_id)`, the tag lower-cased as the lists have
//! always compared it — so that a list's `tag` filter reads the records carrying the tag (in id
//! order, which is the lists' created-at order) instead of matching `LIKE` against every record's
//! JSON `tags` column.
//!
//! The rows are kept in step by triggers on the four tables, on both engines: every write path —
//! the store's units of work, bulk inserts, imports, merges, a migration's or a benchmark's SQL
//! — changes them in the transaction that changes the record's `tags`. An update that leaves
//! `tags` as it was (a move, a rename) fires nothing. The JSON column stays the record's tags
//! as read; this table is only an index of it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000049_record_tags"
    }
}

/// The tagged tables and the `kind` their rows carry.
pub(crate) const KINDS: [(&str, &str); 4] =
    [("deals", "deal"), ("leads", "lead"), ("contacts", "contact"), ("organizations", "organization")];

/// PostgreSQL's trigger function: a record's rows written again (`TG_ARGV[0]` is its kind).
pub(crate) const SYNC_FUNCTION: &str = "CREATE FUNCTION record_tags_sync() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP <> 'INSERT' THEN
        DELETE FROM record_tags WHERE record_id = OLD.id;
      END IF;
      IF TG_OP <> 'DELETE' THEN
        INSERT INTO record_tags (workspace_id, kind, tag, record_id)
          SELECT DISTINCT NEW.workspace_id, TG_ARGV[0], lower(t.value), NEW.id
          FROM json_array_elements_text(NEW.tags::json) AS t(value)
          ON CONFLICT DO NOTHING;
      END IF;
      RETURN NULL;
    END $$";

/// The triggers that keep `table`'s tag rows (PostgreSQL's call [`SYNC_FUNCTION`]).
pub(crate) fn triggers(table: &str, kind: &str, postgres: bool) -> String {
    if postgres {
        return format!(
            "CREATE TRIGGER {table}_tags_written AFTER INSERT OR DELETE ON {table}
               FOR EACH ROW EXECUTE FUNCTION record_tags_sync('{kind}');
             CREATE TRIGGER {table}_tags_changed AFTER UPDATE OF tags ON {table}
               FOR EACH ROW WHEN (OLD.tags IS DISTINCT FROM NEW.tags) EXECUTE FUNCTION record_tags_sync('{kind}');"
        );
    }
    let insert = format!(
        "INSERT OR IGNORE INTO record_tags (workspace_id, kind, tag, record_id)
           SELECT DISTINCT new.workspace_id, '{kind}', lower(t.value), new.id FROM json_each(new.tags) AS t;"
    );
    format!(
        "CREATE TRIGGER {table}_tags_inserted AFTER INSERT ON {table} BEGIN
           {insert}
         END;
         CREATE TRIGGER {table}_tags_changed AFTER UPDATE OF tags ON {table} WHEN old.tags IS NOT new.tags BEGIN
           DELETE FROM record_tags WHERE record_id = old.id;
           {insert}
         END;
         CREATE TRIGGER {table}_tags_deleted AFTER DELETE ON {table} BEGIN
           DELETE FROM record_tags WHERE record_id = old.id;
         END;"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("record_tags")
                    .col(uuid("workspace_id"))
                    .col(string("kind"))
                    .col(text("tag"))
                    .col(uuid("record_id"))
                    .primary_key(Index::create().col("workspace_id").col("kind").col("tag").col("record_id"))
                    .to_owned(),
            )
            .await?;
        // What a record's change or deletion replaces.
        manager.create_index(Index::create().name("ix_record_tags_record").table("record_tags").col("record_id").to_owned()).await?;
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        if postgres {
            conn.execute_unprepared(SYNC_FUNCTION).await?;
        }
        for (table, kind) in KINDS {
            conn.execute_unprepared(&triggers(table, kind, postgres)).await?;
            let backfill = if postgres {
                format!(
                    "INSERT INTO record_tags (workspace_id, kind, tag, record_id)
                       SELECT DISTINCT r.workspace_id, '{kind}', lower(t.value), r.id
                       FROM {table} r, json_array_elements_text(r.tags::json) AS t(value)"
                )
            } else {
                format!(
                    "INSERT INTO record_tags (workspace_id, kind, tag, record_id)
                       SELECT DISTINCT r.workspace_id, '{kind}', lower(t.value), r.id FROM {table} r, json_each(r.tags) AS t"
                )
            };
            conn.execute_unprepared(&backfill).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        for (table, _) in KINDS {
            let triggers: &[&str] = if postgres { &["written", "changed"] } else { &["inserted", "changed", "deleted"] };
            for trigger in triggers {
                let on = if postgres { format!(" ON {table}") } else { String::new() };
                conn.execute_unprepared(&format!("DROP TRIGGER {table}_tags_{trigger}{on}")).await?;
            }
        }
        if postgres {
            conn.execute_unprepared("DROP FUNCTION record_tags_sync()").await?;
        }
        manager.drop_table(Table::drop().table("record_tags").to_owned()).await
    }
}
