//! The board's kept figures as appended changes: a unit of work adds a row of what it changed to
//! `deal_rollup_deltas` instead of updating the figures' row in `deal_rollups`, which every
//! concurrent change of the same stage, owner and currency would wait on until its commit. A
//! background pass folds the changes into `deal_rollups`; the board sums both.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::{fk, index};

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000045_rollup_deltas"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("deal_rollup_deltas")
                    .col(uuid("workspace_id"))
                    .col(uuid("pipeline_id"))
                    .col(uuid("stage_id"))
                    .col(uuid("owner_id"))
                    .col(string_len("currency", 3))
                    .col(big_integer("deal_count"))
                    .col(big_integer("amount_high"))
                    .col(big_integer("amount_low"))
                    .col(big_integer("weighted_high"))
                    .col(big_integer("weighted_low"))
                    .foreign_key(&mut fk("deal_rollup_deltas", "stage_id", "stages", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        // The board reads a pipeline's changes, a recount a stage's.
        manager.create_index(index("deal_rollup_deltas", "stage", &["workspace_id", "pipeline_id", "stage_id"])).await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager.drop_table(Table::drop().table("deal_rollup_deltas").to_owned()).await
    }
}
