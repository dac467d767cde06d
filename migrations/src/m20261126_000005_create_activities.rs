//! Activities and tasks (calls, meetings, emails, notes; tasks with a due time, assignee and
//! priority), the follow-up task templates of stages, and dated exchange rates.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000005_create_activities"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::{Cascade, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("activities")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    // call, meeting, email, note or task.
                    .col(string_len("kind", 16))
                    .col(string("subject"))
                    .col(text_null("body"))
                    // What it is about: any of a lead, contact, organization and deal.
                    .col(uuid_null("lead_id"))
                    .col(uuid_null("contact_id"))
                    .col(uuid_null("organization_id"))
                    .col(uuid_null("deal_id"))
                    // Whose it is to do (tasks), or who logged it.
                    .col(uuid("owner_id"))
                    .col(string_len("priority", 8))
                    .col(timestamp_with_time_zone_null("due_at"))
                    .col(timestamp_with_time_zone_null("done_at"))
                    // Set when a stage's template created it.
                    .col(uuid_null("template_id"))
                    .col(uuid_null("created_by"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("activities", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("activities", "lead_id", "leads", Cascade))
                    .foreign_key(&mut fk("activities", "contact_id", "contacts", Cascade))
                    .foreign_key(&mut fk("activities", "organization_id", "organizations", Cascade))
                    .foreign_key(&mut fk("activities", "deal_id", "deals", Cascade))
                    .foreign_key(&mut fk("activities", "owner_id", "users", Cascade))
                    .foreign_key(&mut fk("activities", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        // The agenda: one owner's open tasks by due time.
        manager.create_index(index("activities", "agenda", &["workspace_id", "owner_id", "done_at", "due_at"])).await?;
        manager.create_index(index("activities", "lead", &["workspace_id", "lead_id"])).await?;
        manager.create_index(index("activities", "contact", &["workspace_id", "contact_id"])).await?;
        manager.create_index(index("activities", "organization", &["workspace_id", "organization_id"])).await?;
        manager.create_index(index("activities", "deal", &["workspace_id", "deal_id"])).await?;
        manager.create_index(index("activities", "created", &["workspace_id", "id"])).await?;

        // Follow-up tasks a deal gets when it enters the stage.
        manager
            .create_table(
                Table::create()
                    .table("stage_task_templates")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("stage_id"))
                    .col(string_len("kind", 16))
                    .col(string("subject"))
                    .col(text_null("body"))
                    .col(string_len("priority", 8))
                    // The task is due this many hours after the deal enters the stage.
                    .col(integer("due_in_hours"))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("stage_task_templates", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("stage_task_templates", "stage_id", "stages", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("stage_task_templates", "stage", &["workspace_id", "stage_id", "position"])).await?;

        // How many units of the workspace currency one unit of `currency` was worth on `rate_date`,
        // as a decimal string (exact; converted figures are computed from it, never stored).
        manager
            .create_table(
                Table::create()
                    .table("exchange_rates")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("currency", 3))
                    .col(date("rate_date"))
                    .col(string_len("rate", 40))
                    .col(uuid_null("created_by"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("exchange_rates", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("exchange_rates", "created_by", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("exchange_rates", "day", &["workspace_id", "currency", "rate_date"]).unique().to_owned()).await?;

        // What the reports group and filter by.
        manager.create_index(index("deals", "closed", &["workspace_id", "status", "closed_at"])).await?;
        manager.create_index(index("deals", "expected_close", &["workspace_id", "status", "expected_close_date"])).await?;
        manager.create_index(index("stage_history", "stage", &["workspace_id", "to_stage_id", "entered_at"])).await?;
        Ok(())
    }
}
