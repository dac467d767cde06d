//! Rotting deals: open deals idle in their stage (now − `stage_entered_at`) longer than the
//! stage's rotting days, longest idle first, a page at a time. The period applies to
//! `stage_entered_at`.

use chrono::{DateTime, Days, Utc};
use kariz_domain::reporting::whole_days;
use kariz_domain::{Currency, DealId, PipelineId, StageId, UserId, Viewer};
use sea_orm::Value;
use uuid::Uuid;

use super::{Conditions, MoneyFigure, ReportFilter, currency_of, figure};
use crate::error::{StoreError, StoreResult};
use crate::pagination::{self, Page};
use crate::store::Store;

const SORT: &str = "stage_entered_at";

#[derive(Clone, Debug)]
pub struct RottingDeal {
    pub id: DealId,
    pub title: String,
    pub pipeline_id: PipelineId,
    pub stage_id: StageId,
    pub stage_name: String,
    pub owner_id: UserId,
    pub currency: Currency,
    pub amount_minor: i64,
    pub stage_entered_at: DateTime<Utc>,
    /// Whole days since the deal entered its stage.
    pub idle_days: i64,
    pub rotting_days: i64,
}

#[derive(Clone, Debug)]
pub struct RottingReport {
    /// Every rotting deal matching the filter, not only this page.
    pub count: i64,
    pub value: MoneyFigure,
    pub deals: Page<RottingDeal>,
}

struct RottingStage {
    id: Uuid,
    name: String,
    rotting_days: i64,
}

impl Store {
    pub async fn rotting_report(
        &self,
        viewer: &Viewer,
        filter: ReportFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<RottingReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let limit = pagination::clamp_limit(limit);
        let now = self.now();
        // The stages that rot (a few rows), so that each one's threshold is a plain comparison.
        let mut scope = Conditions::new("s.workspace_id", workspace_id);
        scope.push("s.rotting_days IS NOT NULL", []).eq_opt("s.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()));
        let sql = format!("SELECT s.id AS id, s.name AS name, s.rotting_days AS rotting_days FROM stages s WHERE {}", scope.sql());
        let stages = self
            .report_rows(&sql, scope.values())
            .await?
            .iter()
            .map(|row| {
                Ok(RottingStage {
                    id: row.try_get("", "id")?,
                    name: row.try_get("", "name")?,
                    rotting_days: row.try_get::<i32>("", "rotting_days")?.into(),
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;

        let mut thresholds = Vec::new();
        let mut values = Vec::new();
        for stage in &stages {
            let Some(threshold) = now.checked_sub_days(Days::new(stage.rotting_days as u64)) else { continue };
            thresholds.push("(d.stage_id = ? AND d.stage_entered_at < ?)");
            values.extend([Value::from(stage.id), Value::from(threshold)]);
        }
        let mut conditions = Conditions::deals_seen_by(viewer);
        conditions
            .eq("d.status", "open")
            .eq_opt("d.owner_id", filter.owner_id.map(|o| o.as_uuid()))
            .during("d.stage_entered_at", &filter.period);
        if thresholds.is_empty() {
            conditions.push("1 = 0", []);
        } else {
            conditions.push(format!("({})", thresholds.join(" OR ")), values);
        }

        let (count, amounts) = self.deal_totals(&conditions).await?;

        let mut page = conditions.clone();
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, SORT)?;
            let last: DateTime<Utc> = pagination::instant_of(&value)?;
            page.push(
                "(d.stage_entered_at > ? OR (d.stage_entered_at = ? AND d.id > ?))",
                [Value::from(last), Value::from(last), Value::from(last_id)],
            );
        }
        let sql = format!(
            "SELECT d.id AS id, d.title AS title, d.pipeline_id AS pipeline_id, d.stage_id AS stage_id, d.owner_id AS owner_id, \
             d.currency AS currency, d.amount_minor AS amount_minor, d.stage_entered_at AS stage_entered_at \
             FROM deals d WHERE {} ORDER BY d.stage_entered_at, d.id LIMIT ?",
            page.sql()
        );
        let mut values = page.values();
        values.push(((limit + 1) as i64).into());
        let deals = self
            .report_rows(&sql, values)
            .await?
            .iter()
            .map(|row| {
                let stage_id: Uuid = row.try_get("", "stage_id")?;
                let stage = stages
                    .iter()
                    .find(|s| s.id == stage_id)
                    .ok_or_else(|| StoreError::corrupt("deals", "rotting deal outside its stages"))?;
                let stage_entered_at: DateTime<Utc> = row.try_get("", "stage_entered_at")?;
                Ok(RottingDeal {
                    id: row.try_get::<Uuid>("", "id")?.into(),
                    title: row.try_get("", "title")?,
                    pipeline_id: row.try_get::<Uuid>("", "pipeline_id")?.into(),
                    stage_id: stage_id.into(),
                    stage_name: stage.name.clone(),
                    owner_id: row.try_get::<Uuid>("", "owner_id")?.into(),
                    currency: currency_of(row, "currency")?,
                    amount_minor: row.try_get("", "amount_minor")?,
                    stage_entered_at,
                    idle_days: whole_days((now - stage_entered_at).num_seconds()),
                    rotting_days: stage.rotting_days,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let rates = self.rate_table(workspace_id, &filter.period).await?;
        Ok(RottingReport {
            count,
            value: figure(&rates, amounts),
            deals: Page::of(deals, limit, |last| pagination::encode(SORT, last.stage_entered_at.to_rfc3339().into(), last.id.as_uuid())),
        })
    }
}
