//! The board's column figures kept instead of recomputed: `deal_rollups` holds, per workspace,
//! pipeline, stage, owner and currency, the count of open deals, their amount and their weighted
//! amount, each sum split in two parts as `split_sum` splits them (the sum of `amount / 10^9`
//! and the sum of the remainders), so that a total of any number of deals stays exact in 64-bit
//! columns. The unit of work keeps them in step with every deal and stage it writes; the rows of
//! a deleted stage go with it.
//!
//! Existing deals are counted here once, exactly as the board counted them: open deals, weighted
//! by their own probability or else their stage's, rounded half up per deal.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::fk;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261206_000033_board_rollups"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table("deal_rollups")
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
                    // The board reads a pipeline's rows: the key begins with it.
                    .primary_key(Index::create().col("workspace_id").col("pipeline_id").col("stage_id").col("owner_id").col("currency"))
                    .foreign_key(&mut fk("deal_rollups", "stage_id", "stages", ForeignKeyAction::Cascade))
                    .to_owned(),
            )
            .await?;
        let weighted = "(d.amount_minor * COALESCE(d.probability, s.probability) + 50) / 100";
        let count = format!(
            "INSERT INTO deal_rollups (workspace_id, pipeline_id, stage_id, owner_id, currency, deal_count, \
               amount_high, amount_low, weighted_high, weighted_low) \
             SELECT d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency, COUNT(*), \
               CAST(SUM(d.amount_minor / 1000000000) AS BIGINT), CAST(SUM(d.amount_minor % 1000000000) AS BIGINT), \
               CAST(SUM(({weighted}) / 1000000000) AS BIGINT), CAST(SUM(({weighted}) % 1000000000) AS BIGINT) \
             FROM deals d JOIN stages s ON s.id = d.stage_id WHERE d.status = 'open' \
             GROUP BY d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency"
        );
        manager.get_connection().execute_unprepared(&count).await?;
        Ok(())
    }
}
