//! Win rate: deals won and lost in the period (by `closed_at`), by count and by value, and the
//! sales cycle (created → won) of the won ones.

use kariz_domain::reporting::{average_days, median_days, median_window, percent};
use kariz_domain::{Currency, CurrencyAmounts, UserId, Viewer};
use uuid::Uuid;

use super::{Conditions, MoneyFigure, ReportFilter, count_of, currency_of, figure};
use crate::error::StoreResult;
use crate::sql::{exact_sum, seconds_between, split_sum, sum_of_seconds_between};
use crate::store::Store;

#[derive(Clone, Debug, Default)]
pub struct Outcome {
    pub count: i64,
    pub value: MoneyFigure,
}

#[derive(Clone, Debug)]
pub struct CurrencyWinRate {
    pub currency: Currency,
    /// Won value ÷ (won + lost value) in this currency, in percent.
    pub percent: Option<f64>,
}

#[derive(Clone, Debug)]
pub struct WinRateReport {
    pub won: Outcome,
    pub lost: Outcome,
    /// Won ÷ (won + lost), in percent; `None` when nothing closed.
    pub by_count: Option<f64>,
    pub by_value: Vec<CurrencyWinRate>,
    pub average_cycle_days: Option<f64>,
    pub median_cycle_days: Option<f64>,
}

/// One group of deals closed in the period: an owner's (when grouped by owner), won or lost, in
/// one currency.
pub(crate) struct ClosedGroup {
    pub owner_id: Option<UserId>,
    pub won: bool,
    pub currency: Currency,
    pub count: i64,
    pub amount_minor: i128,
    /// Sum of created → closed over the group's deals.
    pub cycle_seconds: i64,
}

/// Deals closed in the period, and the filter's conditions on them (alias `d`).
fn closed_conditions(viewer: &Viewer, filter: &ReportFilter) -> Conditions {
    let mut conditions = Conditions::deals_seen_by(viewer);
    conditions
        .eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()))
        .eq_opt("d.owner_id", filter.owner_id.map(|o| o.as_uuid()))
        .during("d.closed_at", &filter.period);
    conditions
}

impl Store {
    /// Deals won and lost in the period, grouped by status and currency (and owner).
    pub(crate) async fn closed_groups(&self, viewer: &Viewer, filter: &ReportFilter, by_owner: bool) -> StoreResult<Vec<ClosedGroup>> {
        let conditions = closed_conditions(viewer, filter);
        let cycle = sum_of_seconds_between(self.backend(), "d.closed_at", "d.created_at");
        let owner = if by_owner { "d.owner_id, " } else { "" };
        let amount = split_sum("d.amount_minor", "amount");
        let sql = format!(
            "SELECT {owner}d.status AS status, d.currency AS currency, COUNT(*) AS deal_count, \
             {amount}, {cycle} AS cycle_seconds \
             FROM deals d WHERE {} AND d.status IN ('won', 'lost') GROUP BY {owner}d.status, d.currency",
            conditions.sql(),
        );
        let rows = self.report_rows(&sql, conditions.values()).await?;
        rows.iter()
            .map(|row| {
                let status: String = row.try_get("", "status")?;
                Ok(ClosedGroup {
                    owner_id: if by_owner { Some(row.try_get::<Uuid>("", "owner_id")?.into()) } else { None },
                    won: status == "won",
                    currency: currency_of(row, "currency")?,
                    count: count_of(row, "deal_count")?,
                    amount_minor: exact_sum(row, "amount")?,
                    cycle_seconds: count_of(row, "cycle_seconds")?,
                })
            })
            .collect()
    }

    pub async fn win_rate_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<WinRateReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let groups = self.closed_groups(viewer, &filter, false).await?;
        let rates = self.rate_table(workspace_id, &filter.period).await?;
        let (mut won_amounts, mut lost_amounts) = (CurrencyAmounts::default(), CurrencyAmounts::default());
        let (mut won, mut lost, mut cycle_seconds) = (0, 0, 0);
        for group in &groups {
            if group.won {
                won += group.count;
                cycle_seconds += group.cycle_seconds;
                won_amounts.add(group.currency, group.amount_minor);
            } else {
                lost += group.count;
                lost_amounts.add(group.currency, group.amount_minor);
            }
        }
        let mut currencies: Vec<Currency> = won_amounts.currencies().chain(lost_amounts.currencies()).collect();
        currencies.sort();
        currencies.dedup();
        let by_value = currencies
            .into_iter()
            .map(|currency| {
                let won = won_amounts.get(currency);
                CurrencyWinRate { currency, percent: percent(won, won + lost_amounts.get(currency)) }
            })
            .collect();
        Ok(WinRateReport {
            by_count: percent(won, won + lost),
            by_value,
            average_cycle_days: average_days(cycle_seconds, won),
            median_cycle_days: self.median_cycle_days(viewer, &filter, won).await?,
            won: Outcome { count: won, value: figure(&rates, won_amounts) },
            lost: Outcome { count: lost, value: figure(&rates, lost_amounts) },
        })
    }

    /// The median created → won time of the `won` deals: the database sorts them and returns
    /// only the one or two middle rows.
    async fn median_cycle_days(&self, viewer: &Viewer, filter: &ReportFilter, won: i64) -> StoreResult<Option<f64>> {
        let Some((offset, take)) = median_window(won) else { return Ok(None) };
        let conditions = closed_conditions(viewer, filter);
        let cycle = seconds_between(self.backend(), "d.closed_at", "d.created_at");
        let sql = format!(
            "SELECT {cycle} AS cycle_seconds FROM deals d WHERE {} AND d.status = 'won' ORDER BY cycle_seconds LIMIT ? OFFSET ?",
            conditions.sql()
        );
        let mut values = conditions.values();
        values.extend([take.into(), offset.into()]);
        let rows = self.report_rows(&sql, values).await?;
        let middle = rows.iter().map(|row| count_of(row, "cycle_seconds")).collect::<StoreResult<Vec<_>>>()?;
        Ok(median_days(&middle))
    }
}
