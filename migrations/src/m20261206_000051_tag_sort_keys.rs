//! The lists' sort keys on their tag rows, so that a tag filter under a sort other than the
//! created-at order is served by an index too: `record_tags.sort_number` holds a deal's amount and
//! a lead's score, `sort_text` a contact's `lower(name)` and an organization's `name_key`, each
//! indexed after the tag and before the record's id. The triggers of migration 000049 are made
//! again to write them, and to rewrite a tagged record's rows when its sort key changes (an
//! untagged record's change of amount, score or name fires nothing; neither does a move).

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

use crate::m20261206_000049_record_tags::{SYNC_FUNCTION, triggers};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000051_tag_sort_keys"
    }
}

/// `(table, kind, the sort column, its number, its text)`.
const KINDS: [(&str, &str, &str, &str, &str); 4] = [
    ("deals", "deal", "amount_minor", "{row}.amount_minor", "CAST(NULL AS TEXT)"),
    ("leads", "lead", "score", "{row}.score", "CAST(NULL AS TEXT)"),
    ("contacts", "contact", "name", "CAST(NULL AS BIGINT)", "lower({row}.name)"),
    ("organizations", "organization", "name_key", "CAST(NULL AS BIGINT)", "{row}.name_key"),
];

/// The statement that writes `row`'s tag rows (`row` is `NEW`, `new` or a table's alias).
fn insert(row: &str, kind: &str, number: &str, text: &str, postgres: bool) -> String {
    let (number, text) = (number.replace("{row}", row), text.replace("{row}", row));
    let (verb, tags, conflict) = if postgres {
        ("INSERT", format!("json_array_elements_text({row}.tags::json)"), " ON CONFLICT DO NOTHING")
    } else {
        ("INSERT OR IGNORE", format!("json_each({row}.tags)"), "")
    };
    format!(
        "{verb} INTO record_tags (workspace_id, kind, tag, record_id, sort_number, sort_text)
           SELECT DISTINCT {row}.workspace_id, '{kind}', lower(t.value), {row}.id, {number}, {text} FROM {tags} AS t{conflict}"
    )
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        conn.execute_unprepared(
            "ALTER TABLE record_tags ADD COLUMN sort_number BIGINT;
             ALTER TABLE record_tags ADD COLUMN sort_text TEXT;
             CREATE INDEX ix_record_tags_number ON record_tags (workspace_id, kind, tag, sort_number, record_id);
             CREATE INDEX ix_record_tags_text ON record_tags (workspace_id, kind, tag, sort_text, record_id);",
        )
        .await?;
        for (table, kind, column, number, text) in KINDS {
            let changed =
                format!("OLD.tags IS DISTINCT FROM NEW.tags OR (NEW.tags <> '[]' AND OLD.{column} IS DISTINCT FROM NEW.{column})");
            let statements = if postgres {
                format!(
                    "DROP TRIGGER {table}_tags_written ON {table};
                     DROP TRIGGER {table}_tags_changed ON {table};
                     CREATE FUNCTION record_tags_of_{table}() RETURNS trigger LANGUAGE plpgsql AS $$
                     BEGIN
                       IF TG_OP <> 'INSERT' THEN
                         DELETE FROM record_tags WHERE record_id = OLD.id;
                       END IF;
                       IF TG_OP <> 'DELETE' THEN
                         {};
                       END IF;
                       RETURN NULL;
                     END $$;
                     CREATE TRIGGER {table}_tags_written AFTER INSERT OR DELETE ON {table}
                       FOR EACH ROW EXECUTE FUNCTION record_tags_of_{table}();
                     CREATE TRIGGER {table}_tags_changed AFTER UPDATE OF tags, {column} ON {table}
                       FOR EACH ROW WHEN ({changed}) EXECUTE FUNCTION record_tags_of_{table}();",
                    insert("NEW", kind, number, text, true)
                )
            } else {
                let written = insert("new", kind, number, text, false);
                format!(
                    "DROP TRIGGER {table}_tags_inserted;
                     DROP TRIGGER {table}_tags_changed;
                     CREATE TRIGGER {table}_tags_inserted AFTER INSERT ON {table} BEGIN
                       {written};
                     END;
                     CREATE TRIGGER {table}_tags_changed AFTER UPDATE OF tags, {column} ON {table} WHEN {} BEGIN
                       DELETE FROM record_tags WHERE record_id = old.id;
                       {written};
                     END;",
                    changed.replace("IS DISTINCT FROM", "IS NOT")
                )
            };
            conn.execute_unprepared(&statements).await?;
            // The rows of before get their keys.
            let key = |expression: &str| expression.replace("{row}", "r");
            conn.execute_unprepared(&format!(
                "UPDATE record_tags SET sort_number = (SELECT {} FROM {table} r WHERE r.id = record_tags.record_id),
                   sort_text = (SELECT {} FROM {table} r WHERE r.id = record_tags.record_id)
                 WHERE kind = '{kind}'",
                key(number),
                key(text)
            ))
            .await?;
        }
        if postgres {
            conn.execute_unprepared("DROP FUNCTION record_tags_sync()").await?;
        }
        Ok(())
    }

    /// Back to migration 000049's rows and triggers.
    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        let postgres = conn.get_database_backend() == DatabaseBackend::Postgres;
        if postgres {
            conn.execute_unprepared(SYNC_FUNCTION).await?;
        }
        for (table, kind, _, _, _) in KINDS {
            let dropped = if postgres {
                format!(
                    "DROP TRIGGER {table}_tags_written ON {table}; DROP TRIGGER {table}_tags_changed ON {table};
                     DROP FUNCTION record_tags_of_{table}();"
                )
            } else {
                format!("DROP TRIGGER {table}_tags_inserted; DROP TRIGGER {table}_tags_changed; DROP TRIGGER {table}_tags_deleted;")
            };
            // One statement list: on SQLite, statements sent apart may reach other connections.
            conn.execute_unprepared(&format!("{dropped}\n{}", triggers(table, kind, postgres))).await?;
        }
        conn.execute_unprepared(
            "DROP INDEX ix_record_tags_number;
             DROP INDEX ix_record_tags_text;
             ALTER TABLE record_tags DROP COLUMN sort_number;
             ALTER TABLE record_tags DROP COLUMN sort_text;",
        )
        .await?;
        Ok(())
    }
}
