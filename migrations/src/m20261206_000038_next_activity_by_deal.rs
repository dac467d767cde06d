//! The next activity of each card on the board: the earliest due time of a deal's open
//! activities, read for every card shown in one grouped query (`done_at IS NULL`, `MIN(due_at)`
//! by `deal_id`). An index on `(workspace_id, deal_id, done_at, due_at)` answers it from the
//! index alone on both engines, each deal's open activities side by side in due order. It
//! replaces the `(workspace_id, deal_id)` index of migration 000005, its prefix, which serves
//! every query that one did (a deal's activities) and would cost a second index on every write.

use sea_orm_migration::prelude::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000038_next_activity_by_deal"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("activities", "deal_open", &["workspace_id", "deal_id", "done_at", "due_at"])).await?;
        manager.drop_index(Index::drop().name("ix_activities_deal").table("activities").to_owned()).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("activities", "deal", &["workspace_id", "deal_id"])).await?;
        manager.drop_index(Index::drop().name("ix_activities_deal_open").table("activities").to_owned()).await
    }
}
