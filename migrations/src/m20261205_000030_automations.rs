//! Automation rules, their runs, and each workspace's place in its outbox.
//!
//! A rule keeps its trigger, conditions and actions as the JSON the API took (parsed by the
//! domain on every read, so a stored rule is always one the domain accepts). A run is one rule
//! applied to one occurrence — an outbox event, or a scheduled firing — unique per rule and
//! occurrence, so a pass that runs again never runs a rule twice for it; its outcome per action
//! is kept for the run log. `automation_cursors` holds the sequence of the last outbox event each
//! workspace's rules were matched against. `events.caused_by` lists the rules whose actions wrote
//! an event (oldest first), which bounds cascades.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000030_automations"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use ForeignKeyAction::Cascade;

        manager
            .create_table(
                Table::create()
                    .table("automations")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("created_by"))
                    .col(string_len("name", 200))
                    .col(string_len("trigger_type", 40))
                    .col(text("trigger"))
                    .col(text("conditions"))
                    .col(text("actions"))
                    .col(boolean("active"))
                    // How many runs have taken a round-robin turn.
                    .col(big_integer("turns"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("automations", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("automations", "trigger", &["workspace_id", "trigger_type", "active"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("automation_runs")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("automation_id"))
                    // The outbox event's id, or the scheduled firing's key.
                    .col(string_len("occurrence", 200))
                    .col(uuid_null("event_id"))
                    .col(string_len("subject_type", 20))
                    .col(uuid("subject_id"))
                    // running, succeeded, failed
                    .col(string_len("status", 20))
                    .col(integer("depth"))
                    .col(big_integer_null("turn"))
                    .col(text("outcomes"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("finished_at"))
                    .foreign_key(&mut fk("automation_runs", "workspace_id", "workspaces", Cascade))
                    .foreign_key(&mut fk("automation_runs", "automation_id", "automations", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("automation_runs", "occurrence", &["automation_id", "occurrence"]).unique().to_owned()).await?;
        manager.create_index(index("automation_runs", "log", &["automation_id", "id"])).await?;
        manager.create_index(index("automation_runs", "unfinished", &["status", "created_at"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("automation_cursors")
                    .col(pk_uuid("workspace_id"))
                    .col(big_integer("last_sequence"))
                    .foreign_key(&mut fk("automation_cursors", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.alter_table(Table::alter().table("events").add_column(text_null("caused_by")).to_owned()).await?;
        Ok(())
    }
}
