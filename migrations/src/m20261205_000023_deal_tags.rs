//! Deals have tags, as leads, contacts and organizations do: `deals.tags`, a JSON array of
//! strings stored as text. Existing deals start with none.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000023_deal_tags"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The default fills the rows already there; every write after this one sets the column.
        manager.alter_table(Table::alter().table("deals").add_column(text("tags").default("[]")).to_owned()).await
    }
}
