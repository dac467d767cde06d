//! On SQLite, a full-text index of trigrams (FTS5's `trigram` tokenizer, compiled into the
//! bundled SQLite) over each search key, so that `search_text LIKE '%…%'` — a match anywhere in a
//! word, of three letters or more — reads the rows holding the term instead of every row of the
//! workspace, as `pg_trgm` does on PostgreSQL (migration 000021).
//!
//! Each index is an external-content table keyed by its table's `rowid`, kept in step by
//! triggers, so every write path (the store, imports, a migration's backfill) updates it. A
//! later migration that rebuilds one of these tables (new rowids) must run the index's
//! `'rebuild'` command after it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000025_sqlite_search_index"
    }
}

const TABLES: [&str; 4] = ["deals", "leads", "contacts", "organizations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if conn.get_database_backend() != DatabaseBackend::Sqlite {
            return Ok(());
        }
        for table in TABLES {
            let index = format!("{table}_search");
            conn.execute_unprepared(&format!(
                "CREATE VIRTUAL TABLE {index} USING fts5(search_text, content='{table}', tokenize='trigram');
                 CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN
                   INSERT INTO {index}(rowid, search_text) VALUES (new.rowid, new.search_text);
                 END;
                 CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN
                   INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
                 END;
                 CREATE TRIGGER {index}_update AFTER UPDATE OF search_text ON {table} BEGIN
                   INSERT INTO {index}({index}, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
                   INSERT INTO {index}(rowid, search_text) VALUES (new.rowid, new.search_text);
                 END;
                 INSERT INTO {index}({index}) VALUES ('rebuild');"
            ))
            .await?;
        }
        Ok(())
    }
}
