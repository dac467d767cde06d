//! Each workspace says who sees its deals and its leads: `everyone`, or `owner_and_managers`
//! (members see the records they own; managers and admins see all). Existing workspaces keep
//! today's behaviour, `everyone`.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000007_workspace_visibility"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE statement.
        for column in ["deal_visibility", "lead_visibility"] {
            manager
                .alter_table(Table::alter().table("workspaces").add_column(string_len(column, 32).default("everyone")).to_owned())
                .await?;
        }
        Ok(())
    }
}
