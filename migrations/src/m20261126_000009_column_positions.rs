//! A column's cards by position, whatever their status: placing a card last in a column (a new
//! deal, or a move without neighbours) and finding a neighbour's neighbour read one index entry
//! instead of scanning every deal (a scan of 100,000 deals took ~40 ms per move).

use sea_orm_migration::prelude::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000009_column_positions"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.create_index(index("deals", "stage_position", &["stage_id", "position"])).await
    }
}
