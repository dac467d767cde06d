//! Contacts by name: the list's `sort=name` orders by `lower(name)` and the id, which only an
//! index on that expression serves (organizations have their `name_key` column and index).

use sea_orm_migration::prelude::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000037_contacts_by_name"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // An expression index: the same statement on PostgreSQL and SQLite.
        manager.get_connection().execute_unprepared("CREATE INDEX ix_contacts_name ON contacts (workspace_id, lower(name), id)").await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_contacts_name").table("contacts").to_owned()).await
    }
}
