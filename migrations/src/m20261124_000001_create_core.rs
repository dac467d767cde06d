//! Workspaces, users, sessions, pipelines, stages, deals, stage history and the event outbox.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};
use sea_orm_migration::sea_orm::DatabaseBackend;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000001_create_core"
    }
}

/// A text column that compares byte-wise on every engine: fractional position keys depend on it.
fn position_key(name: &'static str, backend: DatabaseBackend) -> ColumnDef {
    let mut column = string(name);
    if backend == DatabaseBackend::Postgres {
        column.extra("COLLATE \"C\"");
    }
    column
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let backend = manager.get_database_backend();
        use ForeignKeyAction::{Cascade, Restrict, SetNull};

        manager
            .create_table(
                Table::create()
                    .table("workspaces")
                    .col(pk_uuid("id"))
                    .col(string("name"))
                    .col(string_len("default_currency", 3))
                    .col(string_len("locale", 16))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table("users")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_uniq("email"))
                    .col(string("name"))
                    .col(string_len("role", 16))
                    .col(string_len("locale", 16))
                    .col(string("password_hash"))
                    .col(boolean("active"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("users", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("users", "workspace", &["workspace_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("refresh_tokens")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("user_id"))
                    .col(uuid("family_id"))
                    .col(string_uniq("token_hash"))
                    .col(timestamp_with_time_zone("expires_at"))
                    .col(timestamp_with_time_zone_null("rotated_at"))
                    .col(timestamp_with_time_zone_null("revoked_at"))
                    .col(timestamp_with_time_zone("created_at"))
                    .foreign_key(&mut fk("refresh_tokens", "user_id", "users", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("refresh_tokens", "family", &["family_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("pipelines")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string("name"))
                    .col(string_len("currency", 3))
                    .col(integer("position"))
                    .col(timestamp_with_time_zone_null("archived_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("pipelines", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("pipelines", "workspace", &["workspace_id", "position"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("stages")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("pipeline_id"))
                    .col(string("name"))
                    .col(integer("position"))
                    .col(small_integer("probability"))
                    .col(integer_null("rotting_days"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("stages", "pipeline_id", "pipelines", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("stages", "pipeline", &["workspace_id", "pipeline_id", "position"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("deals")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("pipeline_id"))
                    .col(uuid("stage_id"))
                    .col(string("title"))
                    .col(big_integer("amount_minor"))
                    .col(string_len("currency", 3))
                    .col(small_integer_null("probability"))
                    .col(date_null("expected_close_date"))
                    .col(uuid("owner_id"))
                    .col(string_len("status", 8))
                    .col(string_null("lost_reason"))
                    .col(timestamp_with_time_zone_null("closed_at"))
                    .col(position_key("position", backend))
                    .col(timestamp_with_time_zone("stage_entered_at"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("deals", "pipeline_id", "pipelines", Restrict))
                    .foreign_key(&mut fk("deals", "stage_id", "stages", Restrict))
                    .foreign_key(&mut fk("deals", "owner_id", "users", Restrict))
                    .to_owned(),
            )
            .await?;
        // The board reads each column's open cards in position order.
        manager.create_index(index("deals", "column", &["workspace_id", "stage_id", "status", "position"])).await?;
        manager.create_index(index("deals", "pipeline", &["workspace_id", "pipeline_id", "status"])).await?;
        manager.create_index(index("deals", "created", &["workspace_id", "id"])).await?;
        manager.create_index(index("deals", "owner", &["workspace_id", "owner_id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("stage_history")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("deal_id"))
                    .col(uuid("pipeline_id"))
                    .col(uuid_null("from_stage_id"))
                    .col(uuid("to_stage_id"))
                    .col(uuid_null("actor_id"))
                    .col(timestamp_with_time_zone("entered_at"))
                    .foreign_key(&mut fk("stage_history", "deal_id", "deals", Cascade))
                    .foreign_key(&mut fk("stage_history", "actor_id", "users", SetNull))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("stage_history", "deal", &["workspace_id", "deal_id", "entered_at"])).await?;

        // The transactional outbox: written in the same transaction as the change it records.
        manager
            .create_table(
                Table::create()
                    .table("events")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(string_len("event_type", 64))
                    .col(string_len("aggregate_type", 32))
                    .col(uuid("aggregate_id"))
                    .col(text("payload"))
                    .col(timestamp_with_time_zone("occurred_at"))
                    .col(timestamp_with_time_zone_null("dispatched_at"))
                    .foreign_key(&mut fk("events", "workspace_id", "workspaces", Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("events", "pending", &["dispatched_at", "id"])).await?;
        manager.create_index(index("events", "aggregate", &["workspace_id", "aggregate_id", "id"])).await?;
        Ok(())
    }
}
