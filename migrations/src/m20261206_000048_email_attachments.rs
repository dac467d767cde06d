//! An email may carry one stored file (`attachments`): a quote sent by email carries its PDF.
//! The sender attaches it when it builds the message; a file deleted meanwhile is left off.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000048_email_attachments"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.alter_table(Table::alter().table("emails").add_column(uuid_null("attachment_id")).to_owned()).await
    }
}
