//! Deal rules: deals carry custom fields (`deals.custom_fields`, a JSON object like leads' and
//! contacts'), a stage lists the fields a deal must have to enter it (`stages.required_fields`,
//! a JSON array of field names), and deals are lost for one of the workspace's managed reasons
//! (`lost_reasons`, `deals.lost_reason_id`), which a workspace may require
//! (`workspaces.lost_reason_required`). Existing rows get empty values: no fields, no
//! requirements, no managed reason, not required.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000028_deal_rules"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        // SQLite adds one column per statement; the defaults fill the rows already there.
        manager.alter_table(Table::alter().table("deals").add_column(text("custom_fields").default("{}")).to_owned()).await?;
        manager.alter_table(Table::alter().table("deals").add_column(uuid_null("lost_reason_id")).to_owned()).await?;
        manager.alter_table(Table::alter().table("stages").add_column(text("required_fields").default("[]")).to_owned()).await?;
        manager
            .alter_table(Table::alter().table("workspaces").add_column(boolean("lost_reason_required").default(false)).to_owned())
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("lost_reasons")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("name", 400))
                    .col(boolean("active"))
                    // Small integers renumbered on a reorder, like stages'.
                    .col(integer("position"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("lost_reasons", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("lost_reasons", "workspace", &["workspace_id", "position"])).await?;
        // The lost-reasons report and the "is this reason in use" check read deals by reason.
        manager.create_index(index("deals", "lost_reason", &["workspace_id", "lost_reason_id"])).await
    }
}
