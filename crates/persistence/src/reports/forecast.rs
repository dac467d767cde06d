//! The forecast: open deals by expected close month (or quarter, or year) on the report's
//! calendar (the period applies to
//! `expected_close_date`), their amount and their amount × probability (the deal's own, else its
//! stage's; rounded per deal as on the board), beside what was won in each month (by `closed_at`).

use std::collections::BTreeMap;

use kariz_domain::dates::Calendar;
use kariz_domain::{CurrencyAmounts, Interval, Viewer, YearMonth};

use super::{Conditions, MoneyFigure, ReportFilter, count_of, currency_of, figure};
use crate::error::StoreResult;
use crate::sql::{WEIGHTED_AMOUNT, exact_sum, split_sum};
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct ForecastMonth {
    /// The first month of the period.
    pub month: YearMonth,
    pub open_deals: i64,
    pub amount: MoneyFigure,
    pub weighted: MoneyFigure,
    pub won_deals: i64,
    pub won: MoneyFigure,
}

/// Open deals with no expected close date (only when the period is open at both ends).
#[derive(Clone, Debug)]
pub struct UndatedForecast {
    pub open_deals: i64,
    pub amount: MoneyFigure,
    pub weighted: MoneyFigure,
}

#[derive(Clone, Debug)]
pub struct ForecastReport {
    /// The calendar of the months.
    pub calendar: Calendar,
    /// The length of each period of `months`.
    pub interval: Interval,
    /// Months with open deals expected or deals won, in order.
    pub months: Vec<ForecastMonth>,
    pub undated: Option<UndatedForecast>,
}

#[derive(Default)]
struct MonthTally {
    open: i64,
    amount: CurrencyAmounts,
    weighted: CurrencyAmounts,
    won_deals: i64,
    won: CurrencyAmounts,
}

impl Store {
    pub async fn forecast_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<ForecastReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let workspace_id = viewer.workspace_id;
        let buckets = self.month_buckets(workspace_id, &filter).await?;
        let pipeline_id = filter.pipeline_id.map(|p| p.as_uuid());
        let owner_id = filter.owner_id.map(|o| o.as_uuid());
        // `None` is the undated bucket.
        let mut months: BTreeMap<Option<YearMonth>, MonthTally> = BTreeMap::new();

        let mut open = Conditions::deals_seen_by(viewer);
        open.eq("d.status", "open")
            .eq_opt("d.pipeline_id", pipeline_id)
            .eq_opt("d.owner_id", owner_id)
            .on_days("d.expected_close_date", &filter.period);
        let sql = format!(
            "SELECT {} AS month, d.currency AS currency, COUNT(*) AS deal_count, {}, {} \
             FROM deals d JOIN stages s ON s.id = d.stage_id WHERE {} GROUP BY 1, d.currency",
            buckets.of_date("d.expected_close_date"),
            split_sum("d.amount_minor", "amount"),
            split_sum(WEIGHTED_AMOUNT, "weighted"),
            open.sql()
        );
        for row in self.report_rows(&sql, open.values()).await? {
            let month =
                row.try_get::<Option<i64>>("", "month")?.and_then(|bucket| buckets.month(bucket)).map(|m| m.start_of(filter.interval));
            let tally = months.entry(month).or_default();
            let currency = currency_of(&row, "currency")?;
            tally.open += count_of(&row, "deal_count")?;
            tally.amount.add(currency, exact_sum(&row, "amount")?);
            tally.weighted.add(currency, exact_sum(&row, "weighted")?);
        }

        let mut won = Conditions::deals_seen_by(viewer);
        won.eq("d.status", "won").eq_opt("d.pipeline_id", pipeline_id).eq_opt("d.owner_id", owner_id).during("d.closed_at", &filter.period);
        let sql = format!(
            "SELECT {} AS month, d.currency AS currency, COUNT(*) AS deal_count, {} FROM deals d WHERE {} GROUP BY 1, d.currency",
            buckets.of_timestamp("d.closed_at"),
            split_sum("d.amount_minor", "amount"),
            won.sql()
        );
        for row in self.report_rows(&sql, won.values()).await? {
            let month =
                row.try_get::<Option<i64>>("", "month")?.and_then(|bucket| buckets.month(bucket)).map(|m| m.start_of(filter.interval));
            let tally = months.entry(month).or_default();
            tally.won_deals += count_of(&row, "deal_count")?;
            tally.won.add(currency_of(&row, "currency")?, exact_sum(&row, "amount")?);
        }

        let rates = self.rate_table(workspace_id, &filter.period).await?;
        let undated = months.remove(&None).map(|t| UndatedForecast {
            open_deals: t.open,
            amount: figure(&rates, t.amount),
            weighted: figure(&rates, t.weighted),
        });
        let months = months
            .into_iter()
            .filter_map(|(month, t)| {
                Some(ForecastMonth {
                    month: month?,
                    open_deals: t.open,
                    amount: figure(&rates, t.amount),
                    weighted: figure(&rates, t.weighted),
                    won_deals: t.won_deals,
                    won: figure(&rates, t.won),
                })
            })
            .collect();
        Ok(ForecastReport { calendar: buckets.calendar, interval: filter.interval, months, undated })
    }
}
