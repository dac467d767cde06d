//! Webhook subscriptions, their deliveries (one per event and subscription) and every attempt.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261124_000002_create_webhooks"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("webhook_subscriptions")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(text("url"))
                    .col(string_null("description"))
                    // A JSON array of event types; empty means every type.
                    .col(text("event_types"))
                    .col(uuid_null("pipeline_id"))
                    .col(string("secret"))
                    .col(string_null("previous_secret"))
                    .col(timestamp_with_time_zone_null("previous_secret_expires_at"))
                    .col(boolean("active"))
                    .col(string_null("disabled_reason"))
                    .col(timestamp_with_time_zone_null("disabled_at"))
                    .col(timestamp_with_time_zone_null("failing_since"))
                    .col(big_integer("version"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone("updated_at"))
                    .foreign_key(&mut fk("webhook_subscriptions", "workspace_id", "workspaces", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("webhook_subscriptions", "workspace", &["workspace_id", "active"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("webhook_deliveries")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("subscription_id"))
                    .col(uuid("event_id"))
                    .col(string_len("event_type", 64))
                    // Deliveries of one aggregate (deal) to one subscription go out in event order.
                    .col(uuid("aggregate_id"))
                    .col(string_len("status", 16))
                    .col(integer("attempts"))
                    .col(timestamp_with_time_zone("next_attempt_at"))
                    .col(timestamp_with_time_zone_null("locked_until"))
                    .col(timestamp_with_time_zone_null("last_attempt_at"))
                    .col(integer_null("last_status_code"))
                    .col(text_null("last_error"))
                    .col(uuid_null("redelivery_of"))
                    .col(timestamp_with_time_zone("created_at"))
                    .col(timestamp_with_time_zone_null("completed_at"))
                    .foreign_key(&mut fk("webhook_deliveries", "subscription_id", "webhook_subscriptions", ForeignKeyAction::Cascade))
                    .foreign_key(&mut fk("webhook_deliveries", "event_id", "events", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("webhook_deliveries", "due", &["status", "next_attempt_at"])).await?;
        manager.create_index(index("webhook_deliveries", "order", &["subscription_id", "aggregate_id", "status", "event_id"])).await?;
        manager.create_index(index("webhook_deliveries", "log", &["workspace_id", "subscription_id", "id"])).await?;

        manager
            .create_table(
                Table::create()
                    .table("webhook_attempts")
                    .col(pk_uuid("id"))
                    .col(uuid("workspace_id"))
                    .col(uuid("delivery_id"))
                    .col(uuid("subscription_id"))
                    .col(timestamp_with_time_zone("attempted_at"))
                    .col(integer_null("status_code"))
                    .col(text_null("error"))
                    .col(integer("latency_ms"))
                    .col(text_null("response_excerpt"))
                    .col(string_len("dispatcher", 64))
                    .foreign_key(&mut fk("webhook_attempts", "delivery_id", "webhook_deliveries", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        manager.create_index(index("webhook_attempts", "delivery", &["delivery_id", "attempted_at"])).await?;
        Ok(())
    }
}
