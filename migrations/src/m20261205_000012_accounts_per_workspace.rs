//! Accounts belong to one workspace: an email is unique within a workspace, not across them, so
//! that neither sign-up nor adding a member can tell whether an email has an account elsewhere.
//! Sign-in checks the accounts of an email most recently signed in first (`last_signed_in_at`).
//! An access token names the `session_generation` of its user when it was issued; deactivation
//! and a new password move the generation on, and the tokens of before stop working.
//!
//! PostgreSQL drops the column's unique constraint. SQLite cannot drop a column constraint: the
//! table is rebuilt, on one connection with foreign keys off, since dropping the old table with
//! them on would delete or orphan every row that refers to a user (refresh tokens, activities).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;
use sea_orm_migration::sea_orm::{DatabaseBackend, DatabaseExecutor, sqlx};

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000012_accounts_per_workspace"
    }
}

/// The columns the rebuilt SQLite table copies from the old one, in order.
const KEPT: &str = "id, workspace_id, email, name, role, locale, password_hash, active, created_at, updated_at";

fn one_email_per_workspace() -> IndexCreateStatement {
    let mut statement = index("users", "workspace_email", &["workspace_id", "email"]);
    statement.unique();
    statement
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        match manager.get_database_backend() {
            DatabaseBackend::Sqlite => rebuild_sqlite(manager).await,
            _ => {
                // The name PostgreSQL gave the column's `UNIQUE` in the first migration.
                manager.get_connection().execute_unprepared("ALTER TABLE users DROP CONSTRAINT users_email_key").await?;
                manager
                    .alter_table(
                        Table::alter()
                            .table("users")
                            .add_column(timestamp_with_time_zone_null("last_signed_in_at"))
                            .add_column(big_integer("session_generation").default(0))
                            .to_owned(),
                    )
                    .await?;
                manager.create_index(one_email_per_workspace()).await?;
                manager.create_index(index("users", "email", &["email"])).await
            }
        }
    }
}

/// The SQLite rebuild (the documented "12 steps"): a new table without the unique email, the rows
/// copied, the old table dropped and the new one renamed, all in one transaction on one connection
/// with foreign keys off, and the foreign keys checked before it commits. A database already
/// rebuilt (the process stopped before the migration was recorded) is left as it is.
async fn rebuild_sqlite(manager: &SchemaManager<'_>) -> Result<(), DbErr> {
    let DatabaseExecutor::Connection(db) = manager.get_connection() else {
        return Err(DbErr::Migration("the SQLite users rebuild runs outside a transaction".to_owned()));
    };
    let failed = |err: sqlx::Error| DbErr::Migration(format!("rebuilding users: {err}"));
    let mut conn = db.get_sqlite_connection_pool().acquire().await.map_err(failed)?;
    // Whatever happens below, this connection is not handed out again: the pool opens a fresh one
    // with its own settings (foreign keys on).
    conn.close_on_drop();
    let columns: Vec<(i64, String)> =
        sqlx::query_as("SELECT cid, name FROM pragma_table_info('users')").fetch_all(&mut *conn).await.map_err(failed)?;
    if columns.iter().any(|(_, name)| name == "session_generation") {
        return Ok(());
    }

    let table = Table::create()
        .table("users_next")
        .col(pk_uuid("id"))
        .col(uuid("workspace_id"))
        .col(string("email"))
        .col(string("name"))
        .col(string_len("role", 16))
        .col(string_len("locale", 16))
        .col(string("password_hash"))
        .col(boolean("active"))
        .col(timestamp_with_time_zone("created_at"))
        .col(timestamp_with_time_zone("updated_at"))
        .col(timestamp_with_time_zone_null("last_signed_in_at"))
        .col(big_integer("session_generation").default(0))
        .foreign_key(
            ForeignKey::create()
                .name("fk_users_workspace_id")
                .from("users_next", "workspace_id")
                .to("workspaces", "id")
                .on_delete(ForeignKeyAction::Cascade),
        )
        .to_owned();
    let statements = [
        table.to_string(SqliteQueryBuilder),
        format!("INSERT INTO users_next ({KEPT}) SELECT {KEPT} FROM users"),
        "DROP TABLE users".to_owned(),
        "ALTER TABLE users_next RENAME TO users".to_owned(),
        index("users", "workspace", &["workspace_id", "id"]).to_string(SqliteQueryBuilder),
        one_email_per_workspace().to_string(SqliteQueryBuilder),
        index("users", "email", &["email"]).to_string(SqliteQueryBuilder),
    ];

    // Foreign keys can only be switched off outside a transaction, and only for this connection.
    sqlx::query("PRAGMA foreign_keys = OFF").execute(&mut *conn).await.map_err(failed)?;
    let rebuilt = async {
        sqlx::query("BEGIN IMMEDIATE").execute(&mut *conn).await?;
        for statement in &statements {
            // Built above from names in this file: nothing of any user's reaches these statements.
            if let Err(err) = sqlx::query(sqlx::AssertSqlSafe(statement.as_str())).execute(&mut *conn).await {
                sqlx::query("ROLLBACK").execute(&mut *conn).await.ok();
                return Err(err);
            }
        }
        let dangling: Vec<(String,)> = sqlx::query_as("SELECT \"table\" FROM pragma_foreign_key_check").fetch_all(&mut *conn).await?;
        if !dangling.is_empty() {
            sqlx::query("ROLLBACK").execute(&mut *conn).await.ok();
            return Err(sqlx::Error::Protocol(format!("rows refer to missing users or workspaces: {dangling:?}")));
        }
        sqlx::query("COMMIT").execute(&mut *conn).await?;
        Ok(())
    }
    .await;
    let restored = sqlx::query("PRAGMA foreign_keys = ON").execute(&mut *conn).await;
    rebuilt.map_err(failed)?;
    restored.map_err(failed)?;
    Ok(())
}
