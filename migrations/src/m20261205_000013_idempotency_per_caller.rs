//! Idempotency keys per caller, replays re-authorized, secrets never kept.
//!
//! A key was scoped to the user, so an API key acting as its maker shared the maker's keys and
//! could replay the maker's answers (an admin's new API key, with its secret). Keys are now
//! scoped to the caller — `user:<id>` for a user's access token, `api_key:<id>` for an API key —
//! and each answer keeps the authorization its request passed (`authority`), checked again
//! against the caller's current role and scopes before a replay. An answer that held a secret is
//! not kept (`withheld`): a repeat of its key is refused.
//!
//! The stored answers of before are deleted: they may hold secrets, and carry no authorization to
//! check. A retry of one of them within its 24 hours does its work again.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000013_idempotency_per_caller"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.get_connection().execute_unprepared("DELETE FROM idempotency_keys").await?;
        manager.drop_index(Index::drop().name("ux_idempotency_keys_key").table("idempotency_keys").to_owned()).await?;
        let table = "idempotency_keys";
        manager.alter_table(Table::alter().table(table).add_column(string_len("caller", 80).default("")).to_owned()).await?;
        manager.alter_table(Table::alter().table(table).add_column(text_null("authority")).to_owned()).await?;
        manager.alter_table(Table::alter().table(table).add_column(boolean("withheld").default(false)).to_owned()).await?;
        manager
            .create_index(
                Index::create()
                    .name("ux_idempotency_keys_caller_key")
                    .table(table)
                    .col("workspace_id")
                    .col("caller")
                    .col("key")
                    .unique()
                    .to_owned(),
            )
            .await?;
        Ok(())
    }
}
