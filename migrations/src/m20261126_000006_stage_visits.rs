//! Each stage-history row also records when the deal had entered the stage it left, so that a
//! visit to a stage (entry, exit, how long, where to) reads from one row: the stage-conversion
//! report then groups rows by an index range instead of pairing every row with the next one.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::helpers::index;

pub struct Migration;

impl MigrationName for Migration {
    fn name(&self) -> &str {
        "m20261126_000006_stage_visits"
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // When the deal entered `from_stage_id`; null on the first row of a deal.
        manager
            .alter_table(Table::alter().table("stage_history").add_column(timestamp_with_time_zone_null("from_entered_at")).to_owned())
            .await?;
        // Rows written before: the previous row of the same deal (ties broken by the time-ordered id).
        manager
            .get_connection()
            .execute_unprepared(
                "UPDATE stage_history SET from_entered_at = (SELECT MAX(p.entered_at) FROM stage_history p \
                 WHERE p.workspace_id = stage_history.workspace_id AND p.deal_id = stage_history.deal_id \
                 AND (p.entered_at < stage_history.entered_at OR (p.entered_at = stage_history.entered_at AND p.id < stage_history.id))) \
                 WHERE from_stage_id IS NOT NULL",
            )
            .await?;
        // Visits that ended, by pipeline and when the stage left was entered; the stages and the
        // time of leaving are in the index too, so the report reads the index alone.
        manager
            .create_index(index(
                "stage_history",
                "left",
                &["workspace_id", "pipeline_id", "from_entered_at", "from_stage_id", "to_stage_id", "entered_at"],
            ))
            .await?;
        Ok(())
    }
}
