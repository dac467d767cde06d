//! Saved views: a named filter and sort of the deal, lead, contact or organization list, kept
//! for its creator alone or shared with the workspace. A contacts view is a segment.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000022_saved_views"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        manager
            .create_table(
                Table::create()
                    .table("saved_views")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    // The creator: the only one who sees a personal view.
                    .col(uuid("owner_id"))
                    // `deals`, `leads`, `contacts` or `organizations`.
                    .col(string_len("entity", 20))
                    .col(string_len("name", 400))
                    // A JSON object of the list's query parameters, each a string.
                    .col(text("filters"))
                    .col(string_len_null("sort", 40))
                    .col(boolean("shared"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("saved_views", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("saved_views", "owner_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("saved_views", "entity", &["workspace_id", "entity", "shared"])).await
    }
}
