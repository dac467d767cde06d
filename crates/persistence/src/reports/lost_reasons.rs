//! Lost reasons: deals lost in the period (by `closed_at`) by their managed reason and by their
//! free-text note, and leads disqualified in the period (by the lead's `closed_at`) by theirs.

use std::collections::BTreeMap;

use kariz_domain::{CurrencyAmounts, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use super::{Conditions, MoneyFigure, ReportFilter, count_of, currency_of, figure};
use crate::entities::lost_reasons;
use crate::error::StoreResult;
use crate::sql::{exact_sum, split_sum};
use crate::store::Store;

/// Reasons are free text: the most frequent are listed and the rest counted together.
pub const TOP_REASONS: i64 = 50;

#[derive(Clone, Debug)]
pub struct LostReason {
    pub reason: String,
    pub count: i64,
    pub value: MoneyFigure,
}

/// Deals lost for one managed reason; `reason` is `None` for those lost with a note alone ("other").
#[derive(Clone, Debug)]
pub struct ManagedReasonCount {
    pub reason: Option<ManagedReasonName>,
    pub count: i64,
    pub value: MoneyFigure,
}

#[derive(Clone, Debug)]
pub struct ManagedReasonName {
    pub id: Uuid,
    pub name: String,
    pub active: bool,
}

#[derive(Clone, Debug)]
pub struct DisqualifyReasonCount {
    pub reason: String,
    pub count: i64,
}

#[derive(Clone, Debug)]
pub struct LostReasonsReport {
    /// Most frequent first, at most [`TOP_REASONS`].
    pub lost: Vec<LostReason>,
    /// Lost deals whose reason is not among those listed.
    pub other_lost: i64,
    pub other_lost_value: MoneyFigure,
    pub lost_total: i64,
    pub lost_total_value: MoneyFigure,
    /// By managed reason, most frequent first (ties in the reasons' list order), with the deals
    /// lost without one ("other", `reason: None`) last.
    pub by_managed_reason: Vec<ManagedReasonCount>,
    /// Most frequent first.
    pub disqualified: Vec<DisqualifyReasonCount>,
}

impl Store {
    pub async fn lost_reasons_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<LostReasonsReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let mut lost = Conditions::deals_seen_by(viewer);
        lost.eq("d.status", "lost")
            .eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()))
            .eq_opt("d.owner_id", filter.owner_id.map(|o| o.as_uuid()))
            .during("d.closed_at", &filter.period);
        // The top reasons by count (ties by reason), then each of them split by currency.
        let sql = format!(
            "SELECT d.lost_reason AS reason, d.currency AS currency, COUNT(*) AS deal_count, {1} \
             FROM deals d JOIN (SELECT d.lost_reason AS reason FROM deals d WHERE {0} GROUP BY d.lost_reason \
             ORDER BY COUNT(*) DESC, d.lost_reason LIMIT ?) top ON top.reason = d.lost_reason \
             WHERE {0} GROUP BY d.lost_reason, d.currency",
            lost.sql(),
            split_sum("d.amount_minor", "amount"),
        );
        let mut values = lost.values();
        values.push(TOP_REASONS.into());
        values.extend(lost.values());
        let mut reasons: BTreeMap<String, (i64, CurrencyAmounts)> = BTreeMap::new();
        let mut listed = CurrencyAmounts::default();
        for row in self.report_rows(&sql, values).await? {
            let reason: Option<String> = row.try_get("", "reason")?;
            let (currency, count, amount) = (currency_of(&row, "currency")?, count_of(&row, "deal_count")?, exact_sum(&row, "amount")?);
            let entry = reasons.entry(reason.unwrap_or_default()).or_default();
            entry.0 += count;
            entry.1.add(currency, amount);
            listed.add(currency, -amount);
        }

        // By managed reason: one row per reason and currency (a workspace keeps at most 100 reasons).
        let sql = format!(
            "SELECT d.lost_reason_id AS reason_id, d.currency AS currency, COUNT(*) AS deal_count, {1} \
             FROM deals d WHERE {0} GROUP BY d.lost_reason_id, d.currency",
            lost.sql(),
            split_sum("d.amount_minor", "amount"),
        );
        let mut managed: BTreeMap<Option<Uuid>, (i64, CurrencyAmounts)> = BTreeMap::new();
        for row in self.report_rows(&sql, lost.values()).await? {
            let reason_id: Option<Uuid> = row.try_get("", "reason_id")?;
            let (currency, count, amount) = (currency_of(&row, "currency")?, count_of(&row, "deal_count")?, exact_sum(&row, "amount")?);
            let entry = managed.entry(reason_id).or_default();
            entry.0 += count;
            entry.1.add(currency, amount);
        }
        let names = lost_reasons::Entity::find().filter(lost_reasons::Column::WorkspaceId.eq(workspace_id.as_uuid())).all(&self.db).await?;

        let (lost_total, total_value) = self.deal_totals(&lost).await?;
        // What the listed reasons leave of each currency's total.
        let other_value: CurrencyAmounts =
            total_value.iter().map(|(c, a)| (c, a + listed.get(c))).filter(|(_, amount)| *amount != 0).collect();
        let listed_count: i64 = reasons.values().map(|(count, _)| count).sum();

        let mut disqualified = Conditions::leads_seen_by(viewer);
        disqualified
            .eq("l.status", "disqualified")
            .eq_opt("l.owner_id", filter.owner_id.map(|o| o.as_uuid()))
            .during("l.closed_at", &filter.period);
        let sql = format!(
            "SELECT l.disqualify_reason AS reason, COUNT(*) AS lead_count FROM leads l WHERE {} GROUP BY l.disqualify_reason",
            disqualified.sql()
        );
        let mut disqualified = self
            .report_rows(&sql, disqualified.values())
            .await?
            .iter()
            .map(|row| {
                let reason: Option<String> = row.try_get("", "reason")?;
                Ok(DisqualifyReasonCount { reason: reason.unwrap_or_default(), count: count_of(row, "lead_count")? })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        disqualified.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));

        let rates = self.rate_table(workspace_id, &filter.period).await?;
        let mut lost: Vec<LostReason> =
            reasons.into_iter().map(|(reason, (count, value))| LostReason { reason, count, value: figure(&rates, value) }).collect();
        lost.sort_by(|a, b| b.count.cmp(&a.count).then_with(|| a.reason.cmp(&b.reason)));
        let place = |id: &Option<Uuid>| match id {
            Some(id) => names.iter().find(|n| n.id == *id).map_or(i32::MAX - 1, |n| n.position),
            None => i32::MAX,
        };
        let mut by_reason: Vec<(Option<Uuid>, i64, CurrencyAmounts)> =
            managed.into_iter().map(|(id, (count, value))| (id, count, value)).collect();
        by_reason.sort_by(|a, b| a.0.is_none().cmp(&b.0.is_none()).then(b.1.cmp(&a.1)).then_with(|| place(&a.0).cmp(&place(&b.0))));
        let by_managed_reason = by_reason
            .into_iter()
            .map(|(id, count, value)| ManagedReasonCount {
                reason: id.map(|id| {
                    let known = names.iter().find(|n| n.id == id);
                    ManagedReasonName {
                        id,
                        name: known.map(|n| n.name.clone()).unwrap_or_default(),
                        active: known.is_some_and(|n| n.active),
                    }
                }),
                count,
                value: figure(&rates, value),
            })
            .collect();
        Ok(LostReasonsReport {
            by_managed_reason,
            lost,
            other_lost: lost_total - listed_count,
            other_lost_value: figure(&rates, other_value),
            lost_total,
            lost_total_value: figure(&rates, total_value),
            disqualified,
        })
    }
}
