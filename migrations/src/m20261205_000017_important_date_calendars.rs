//! An important date recurs in its own calendar: `important_dates.calendar` (`gregorian` or
//! `jalali`); month, day and year are in that calendar. Existing dates are Gregorian, and the
//! upcoming-dates scan looks up each calendar's month and day range apart.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261205_000017_important_date_calendars"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(Table::alter().table("important_dates").add_column(string_len("calendar", 16).default("gregorian")).to_owned())
            .await?;
        manager.drop_index(Index::drop().name("ix_important_dates_calendar").table("important_dates").to_owned()).await?;
        manager.create_index(index("important_dates", "calendar_day", &["workspace_id", "calendar", "month", "day"])).await?;
        Ok(())
    }
}
