//! The email log by lead: rules on leads email the lead itself, and its log is read per lead the
//! way it is per deal and per contact.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000032_emails_by_lead"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("emails", "lead", &["workspace_id", "lead_id", "id"])).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_index(Index::drop().name("ix_emails_lead").table("emails").to_owned()).await
    }
}
