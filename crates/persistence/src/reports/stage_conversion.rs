//! Stage conversion: for each stage of a pipeline, the visits that began in the period (by the
//! stage-history `entered_at`) and how each ended — moved on to a later stage, moved back to an
//! earlier one, won or lost there, or still there — and the average time spent in the stage.
//!
//! A visit that ended with a move is the history row written by that move (it records the stage
//! left and when it was entered); a visit still going on, or ended by winning or losing, is the
//! deal's current stage. The moves are kept per UTC day and month by `stage_moves` and read by `kept_moves` (with the
//! history rows read only for the hours at a period's ends); the current visits are grouped
//! from the deals.

use std::collections::HashMap;

use kariz_domain::reporting::{average_days, percent};
use kariz_domain::{PipelineId, StageId, Viewer};
use sea_orm::Value;
use uuid::Uuid;

use super::kept_moves::MovesQuery;
use super::{Conditions, ReportFilter, count_of};
use crate::error::StoreResult;
use crate::records::StageRecord;
use crate::rows::pipeline_in;
use crate::sql::sum_of_seconds_between;
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct StageConversion {
    pub stage: StageRecord,
    /// Visits that began in the period (a deal that came back counts again).
    pub entered: i64,
    /// Left for a later stage (by the stages' current order).
    pub moved_on: i64,
    /// Left for an earlier stage (or one since deleted).
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
        viewer: &Viewer,
        pipeline_id: PipelineId,
        filter: ReportFilter,
    ) -> StoreResult<StageConversionReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let pipeline = pipeline_in(&self.db, workspace_id, pipeline_id).await?;
        let owner = filter.owner_id.map(|o| o.as_uuid());
        let backend = self.backend();

        // Visits ended by a move, by the stage left and the stage entered (a few dozen groups;
        // which way each went is decided here, by the stages' positions), from the kept days
        // and months.
        let moves = MovesQuery::new(backend, viewer, pipeline_id.as_uuid(), owner, &filter.period);
        // Visits still going on, or ended by closing the deal there.
        let mut current = Conditions::deals_seen_by(viewer);
        current.eq("d.pipeline_id", pipeline_id.as_uuid()).eq_opt("d.owner_id", owner).during("d.stage_entered_at", &filter.period);
        let current_sql = format!(
            "SELECT d.stage_id AS stage_id, d.status AS status, COUNT(*) AS deal_count, {} AS seconds \
             FROM deals d WHERE {} GROUP BY d.stage_id, d.status",
            sum_of_seconds_between(backend, "COALESCE(d.closed_at, ?)", "d.stage_entered_at"),
            current.sql()
        );
        let mut current_values = vec![Value::from(self.now())];
        current_values.extend(current.values());
        // Two scans of two tables: run them side by side.
        let (move_rows, current_rows) =
            tokio::try_join!(self.report_rows(&moves.sql, moves.values), self.report_rows(&current_sql, current_values))?;

        let position = |id: Uuid| pipeline.stages.iter().find(|s| s.id.as_uuid() == id).map(|s| s.position);
        let mut visits: HashMap<StageId, Visits> = HashMap::new();
        for row in move_rows {
            let (from, to): (Uuid, Uuid) = (row.try_get("", "from_stage_id")?, row.try_get("", "to_stage_id")?);
            // Rows of since-deleted stages are not reported.
            let Some(from_position) = position(from) else { continue };
            let entry = visits.entry(from.into()).or_default();
            let count = count_of(&row, "moves")?;
            if position(to).is_some_and(|p| p > from_position) {
                entry.moved_on += count;
            } else {
                entry.moved_back += count;
            }
            // Kept in milliseconds; the report counts whole seconds, rounded half up.
            entry.seconds += (count_of(&row, "millis")? + 500).div_euclid(1000);
        }
        for row in current_rows {
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
