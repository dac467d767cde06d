//! Each subscription's pending deliveries in the order they fall due: a claim reads the first few
//! of every endpoint from here (PostgreSQL), instead of ranking a flooded endpoint's whole backlog.
//! And the leased ones: every claim counts the deliveries in flight per workspace and endpoint,
//! which must not read the whole backlog either.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000011_webhook_endpoint_queue"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(index("webhook_deliveries", "endpoint_queue", &["subscription_id", "status", "next_attempt_at", "id"]))
            .await?;
        manager.create_index(index("webhook_deliveries", "leased", &["status", "locked_until"])).await
    }
}
