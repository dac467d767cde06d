//! On PostgreSQL, trigram indexes (`pg_trgm`, a trusted extension shipped with PostgreSQL) on the
//! search keys, so that `search_text LIKE '%…%'` — a match anywhere in a word, of three letters
//! or more — reads the index instead of every row of the workspace. SQLite, the single-team
//! default, keeps scanning. Where the extension is not installed on the server, the search keeps
//! working without the indexes.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DatabaseBackend, Statement};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000021_search_trigrams"
    }
}

const TABLES: [&str; 4] = ["deals", "leads", "contacts", "organizations"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let conn = manager.get_connection();
        if conn.get_database_backend() != DatabaseBackend::Postgres {
            return Ok(());
        }
        let available = conn
            .query_one_raw(Statement::from_string(
                DatabaseBackend::Postgres,
                "SELECT 1 AS found FROM pg_available_extensions WHERE name = 'pg_trgm'",
            ))
            .await?
            .is_some();
        if !available {
            return Ok(());
        }
        conn.execute_unprepared("CREATE EXTENSION IF NOT EXISTS pg_trgm").await?;
        for table in TABLES {
            conn.execute_unprepared(&format!(
                "CREATE INDEX IF NOT EXISTS ix_{table}_search_trigrams ON {table} USING gin (search_text gin_trgm_ops)"
            ))
            .await?;
        }
        Ok(())
    }
}
