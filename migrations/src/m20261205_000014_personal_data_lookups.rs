//! Indexes for reading and erasing one person's data, and for the contacts a member sees: a
//! member who sees only their own contacts lists them by owner; an erasure finds the contacts made
//! from a lead and the webhook deliveries of the events it redacts without scanning.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000014_personal_data_lookups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("contacts", "owner", &["workspace_id", "owner_id"])).await?;
        manager.create_index(index("contacts", "source_lead", &["workspace_id", "source_lead_id"])).await?;
        manager.create_index(index("webhook_deliveries", "event", &["event_id"])).await?;
        Ok(())
    }
}
