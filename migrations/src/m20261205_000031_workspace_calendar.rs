//! The calendar a workspace's reports count months, quarters and years in (`gregorian` or
//! `jalali`). Workspaces made in Persian start on the Jalali calendar, those of before included.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000031_workspace_calendar"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("workspaces").add_column(string_len("calendar", 16).default("gregorian")).to_owned())
            .await?;
        manager.get_connection().execute_unprepared("UPDATE workspaces SET calendar = 'jalali' WHERE locale = 'fa'").await?;
        Ok(())
    }
}
