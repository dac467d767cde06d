//! Stage conversion: for each stage of a pipeline, the visits that began in the period (by the
//! stage-history `entered_at`) and how each ended — moved on to a later stage, moved back to an
//! earlier one, won or lost there, or still there — and the average time spent in the stage.
//!
//! A visit that ended with a move is the history row written by that move (it records the stage
//! left and when it was entered); a visit still going on, or ended by winning or losing, is the
//! deal's current stage. So both halves are grouped straight from one table each.

use std::collections::HashMap;

use chrono::Utc;
use kariz_domain::reporting::{average_days, percent};
use kariz_domain::{PipelineId, StageId, WorkspaceId};
use sea_orm::Value;
use uuid::Uuid;

use super::{Conditions, ReportFilter, count_of};
use crate::error::StoreResult;
use crate::pipelines::pipeline_in;
use crate::records::StageRecord;
use crate::sql::seconds_between;
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct StageConversion {
    pub stage: StageRecord,
    /// Visits that began in the period (a deal that came back counts again).
    pub entered: i64,
    /// Left for a later stage (by the stages' current order).
    pub moved_on: i64,
    /// Left for an earlier stage.
    pub moved_back: i64,
    pub won: i64,
    pub lost: i64,
    /// Open and still in the stage.
    pub still_open: i64,
    /// moved_on ÷ entered, in percent.
    pub moved_on_percent: Option<f64>,
    /// Entry to the next move, the close, or now; over every visit counted in `entered`.
    pub average_days: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct StageConversionReport {
    pub pipeline_id: PipelineId,
    /// In the pipeline's column order.
    pub stages: Vec<StageConversion>,
}

#[derive(Default)]
struct Visits {
    moved_on: i64,
    moved_back: i64,
    won: i64,
    lost: i64,
    still_open: i64,
    seconds: i64,
}

impl Store {
    pub async fn stage_conversion_report(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        filter: ReportFilter,
    ) -> StoreResult<StageConversionReport> {
        let pipeline = pipeline_in(&self.db, workspace_id, pipeline_id).await?;
        let stage_ids: Vec<Value> = pipeline.stages.iter().map(|s| s.id.as_uuid().into()).collect();
        let owner = filter.owner_id.map(|o| o.as_uuid());
        let backend = self.backend();
        let mut visits: HashMap<StageId, Visits> = HashMap::new();

        // Visits ended by a move: the move's row, by the stage left and when it was entered.
        let mut moves = Conditions::new("h.workspace_id", workspace_id);
        moves.any_of("h.from_stage_id", stage_ids).eq_opt("d.owner_id", owner).during("h.from_entered_at", &filter.period);
        let owner_join = if owner.is_some() { "JOIN deals d ON d.id = h.deal_id" } else { "" };
        let sql = format!(
            "SELECT h.from_stage_id AS stage_id, COUNT(*) AS moves, \
             CAST(SUM(CASE WHEN ts.position > fs.position THEN 1 ELSE 0 END) AS BIGINT) AS moved_on, \
             CAST(SUM({}) AS BIGINT) AS seconds \
             FROM stage_history h JOIN stages fs ON fs.id = h.from_stage_id LEFT JOIN stages ts ON ts.id = h.to_stage_id {owner_join} \
             WHERE {} GROUP BY h.from_stage_id",
            seconds_between(backend, "h.entered_at", "h.from_entered_at"),
            moves.sql()
        );
        for row in self.report_rows(&sql, moves.values()).await? {
            let stage_id: Uuid = row.try_get("", "stage_id")?;
            let entry = visits.entry(stage_id.into()).or_default();
            entry.moved_on = count_of(&row, "moved_on")?;
            entry.moved_back = count_of(&row, "moves")? - entry.moved_on;
            entry.seconds += count_of(&row, "seconds")?;
        }

        // Visits still going on, or ended by closing the deal there.
        let mut current = Conditions::new("d.workspace_id", workspace_id);
        current.eq("d.pipeline_id", pipeline_id.as_uuid()).eq_opt("d.owner_id", owner).during("d.stage_entered_at", &filter.period);
        let sql = format!(
            "SELECT d.stage_id AS stage_id, d.status AS status, COUNT(*) AS deal_count, CAST(SUM({}) AS BIGINT) AS seconds \
             FROM deals d WHERE {} GROUP BY d.stage_id, d.status",
            seconds_between(backend, "COALESCE(d.closed_at, ?)", "d.stage_entered_at"),
            current.sql()
        );
        let mut values = vec![Value::from(Utc::now())];
        values.extend(current.values());
        for row in self.report_rows(&sql, values).await? {
            let stage_id: Uuid = row.try_get("", "stage_id")?;
            let status: String = row.try_get("", "status")?;
            let entry = visits.entry(stage_id.into()).or_default();
            let count = count_of(&row, "deal_count")?;
            match status.as_str() {
                "won" => entry.won += count,
                "lost" => entry.lost += count,
                _ => entry.still_open += count,
            }
            entry.seconds += count_of(&row, "seconds")?;
        }

        let stages = pipeline
            .stages
            .into_iter()
            .map(|stage| {
                let v = visits.remove(&stage.id).unwrap_or_default();
                let entered = v.moved_on + v.moved_back + v.won + v.lost + v.still_open;
                StageConversion {
                    stage,
                    entered,
                    moved_on: v.moved_on,
                    moved_back: v.moved_back,
                    won: v.won,
                    lost: v.lost,
                    still_open: v.still_open,
                    moved_on_percent: percent(v.moved_on, entered),
                    average_days: average_days(v.seconds, entered),
                }
            })
            .collect();
        Ok(StageConversionReport { pipeline_id, stages })
    }
}
