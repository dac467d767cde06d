//! Sales reports: each one a few grouped queries whose results are a handful of rows (per stage,
//! month, owner, reason or currency), never the deals themselves; rotting deals are paged.
//!
//! Money is summed per currency in SQL and converted into the workspace currency only here,
//! afterwards, with the latest exchange rate on or before the period's end.

mod cohorts;
mod forecast;
mod funnel;
mod kept_moves;
mod leaderboard;
mod lost_reasons;
mod revenue;
mod rfm;
mod rotting;
mod stage_conversion;
mod win_rate;

use chrono::{Days, NaiveDate};
use kariz_domain::dates::Calendar;
use kariz_domain::notification::TimeZone;
use kariz_domain::{
    Conversion, Currency, CurrencyAmounts, DatedRate, ExchangeRate, Interval, Period, PipelineId, RateTable, UserId, Viewer, WorkspaceId,
    YearMonth,
};
use sea_orm::{ConnectionTrait, DatabaseBackend, QueryResult, Value};

pub use cohorts::{Cohort, CohortReport};
pub use forecast::{ForecastMonth, ForecastReport, UndatedForecast};
pub use funnel::FunnelReport;
pub use leaderboard::{LeaderboardEntry, LeaderboardReport};
pub use lost_reasons::{DisqualifyReasonCount, LostReason, LostReasonsReport, ManagedReasonCount, ManagedReasonName};
pub use revenue::{RevenuePeriod, RevenueReport};
pub use rfm::{CustomerRef, CustomerValue, PurchaseSource, RfmReport};
pub use rotting::{RottingDeal, RottingReport};
pub use stage_conversion::{StageConversion, StageConversionReport};
pub use win_rate::{CurrencyWinRate, Outcome, WinRateReport};

use crate::error::{StoreError, StoreResult};
use crate::sql::{day_of_date, day_of_timestamp, exact_sum, month_of_date, month_of_timestamp, split_sum, statement};
use crate::store::Store;
use crate::visibility::{deals_seen_sql, leads_seen_sql};

/// What every report can be narrowed to. The period is whole UTC days; which date of a row it
/// applies to is each report's own (see `docs/reports.md`).
#[derive(Clone, Copy, Debug, Default)]
pub struct ReportFilter {
    pub pipeline_id: Option<PipelineId>,
    pub owner_id: Option<UserId>,
    pub period: Period,
    /// The calendar of the months a report groups by; the workspace's when `None`.
    pub calendar: Option<Calendar>,
    /// The length of the forecast's periods (a month by default).
    pub interval: Interval,
}

/// How a report groups rows by month on its calendar. Gregorian months are computed in SQL. The
/// engines know no Jalali calendar, so on it rows are grouped by UTC day in SQL (a few hundred
/// groups a year of data) and the days folded into Jalali months here, with the same
/// conversion as everywhere else rather than a second one written in SQL twice.
#[derive(Clone, Copy, Debug)]
pub(crate) struct MonthBuckets {
    pub calendar: Calendar,
    backend: DatabaseBackend,
}

impl MonthBuckets {
    /// The bucket of a timestamp column (its UTC day's month).
    pub fn of_timestamp(&self, column: &str) -> String {
        match self.calendar {
            Calendar::Gregorian => month_of_timestamp(self.backend, column),
            Calendar::Jalali => day_of_timestamp(self.backend, column),
        }
    }

    /// The bucket of a date column.
    pub fn of_date(&self, column: &str) -> String {
        match self.calendar {
            Calendar::Gregorian => month_of_date(self.backend, column),
            Calendar::Jalali => day_of_date(self.backend, column),
        }
    }

    /// The month of a bucket the SQL computed.
    pub fn month(&self, bucket: i64) -> Option<YearMonth> {
        match self.calendar {
            Calendar::Gregorian => Some(YearMonth::from_index(i32::try_from(bucket).ok()?)),
            Calendar::Jalali => {
                let epoch = NaiveDate::from_ymd_opt(1970, 1, 1)?;
                let day = match u64::try_from(bucket) {
                    Ok(after) => epoch.checked_add_days(Days::new(after))?,
                    Err(_) => epoch.checked_sub_days(Days::new(bucket.unsigned_abs()))?,
                };
                Some(YearMonth::on(Calendar::Jalali, day))
            }
        }
    }
}

/// A money figure: exact per-currency amounts, and their sum in the workspace currency when the
/// workspace has exchange rates.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoneyFigure {
    pub amounts: CurrencyAmounts,
    pub converted: Option<Conversion>,
}

/// A `WHERE` clause built up from conditions and the values of their `?` placeholders, in order.
#[derive(Clone, Debug, Default)]
pub(crate) struct Conditions {
    parts: Vec<String>,
    values: Vec<Value>,
}

impl Conditions {
    pub(crate) fn new(column: &str, workspace_id: WorkspaceId) -> Conditions {
        let mut conditions = Conditions::default();
        conditions.eq(column, workspace_id.as_uuid());
        conditions
    }

    /// Deals (alias `d`) of the viewer's workspace that the viewer sees.
    pub(crate) fn deals_seen_by(viewer: &Viewer) -> Conditions {
        let mut conditions = Conditions::new("d.workspace_id", viewer.workspace_id);
        conditions.seen_deals(viewer, "d.owner_id");
        conditions
    }

    /// Leads (alias `l`) of the viewer's workspace that the viewer sees.
    pub(crate) fn leads_seen_by(viewer: &Viewer) -> Conditions {
        let mut conditions = Conditions::new("l.workspace_id", viewer.workspace_id);
        if let Some((sql, owner)) = leads_seen_sql(viewer, "l.owner_id") {
            conditions.push(sql, [owner]);
        }
        conditions
    }

    /// Narrows rows owned through `owner_column` to the deals the viewer sees.
    pub(crate) fn seen_deals(&mut self, viewer: &Viewer, owner_column: &str) -> &mut Self {
        if let Some((sql, owner)) = deals_seen_sql(viewer, owner_column) {
            self.push(sql, [owner]);
        }
        self
    }

    pub(crate) fn eq(&mut self, column: &str, value: impl Into<Value>) -> &mut Self {
        self.parts.push(format!("{column} = ?"));
        self.values.push(value.into());
        self
    }

    pub(crate) fn eq_opt<T: Into<Value>>(&mut self, column: &str, value: Option<T>) -> &mut Self {
        if let Some(value) = value {
            self.eq(column, value);
        }
        self
    }

    /// A condition with its own placeholders' values.
    pub(crate) fn push(&mut self, sql: impl Into<String>, values: impl IntoIterator<Item = Value>) -> &mut Self {
        self.parts.push(sql.into());
        self.values.extend(values);
        self
    }

    /// `column` (a timestamp) within the period's days.
    pub(crate) fn during(&mut self, column: &str, period: &Period) -> &mut Self {
        if let Some(start) = period.start() {
            self.push(format!("{column} >= ?"), [start.into()]);
        }
        if let Some(end) = period.end_exclusive() {
            self.push(format!("{column} < ?"), [end.into()]);
        }
        self
    }

    /// `column` (a date) within the period's days.
    pub(crate) fn on_days(&mut self, column: &str, period: &Period) -> &mut Self {
        if let Some(from) = period.from() {
            self.push(format!("{column} >= ?"), [from.into()]);
        }
        if let Some(to) = period.to() {
            self.push(format!("{column} <= ?"), [to.into()]);
        }
        self
    }

    pub(crate) fn sql(&self) -> String {
        self.parts.join(" AND ")
    }

    pub(crate) fn values(&self) -> Vec<Value> {
        self.values.clone()
    }
}

pub(crate) fn currency_of(row: &QueryResult, column: &str) -> StoreResult<Currency> {
    let raw: String = row.try_get("", column)?;
    Currency::from_stored(&raw).map_err(|e| StoreError::corrupt("deals", e))
}

/// An integer aggregate that is `NULL` over no rows.
pub(crate) fn count_of(row: &QueryResult, column: &str) -> StoreResult<i64> {
    Ok(row.try_get::<Option<i64>>("", column)?.unwrap_or(0))
}

impl Store {
    /// `filter` with its period's days counted in the viewer's time zone (their own, else the
    /// workspace's): a report for "1 March" in Tehran starts at 20:30 UTC on 28 February.
    pub(crate) async fn in_viewers_zone(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<ReportFilter> {
        let user = viewer.user_id.as_uuid();
        let zone = crate::notifications::time_zones(&self.db, [user]).await?.remove(&user).unwrap_or(TimeZone::UTC);
        Ok(ReportFilter { period: filter.period.in_zone(zone), ..filter })
    }

    /// The month buckets of `filter`'s calendar, else the workspace's.
    pub(crate) async fn month_buckets(&self, workspace_id: WorkspaceId, filter: &ReportFilter) -> StoreResult<MonthBuckets> {
        let calendar = match filter.calendar {
            Some(calendar) => calendar,
            None => self.workspace(workspace_id).await?.calendar,
        };
        Ok(MonthBuckets { calendar, backend: self.backend() })
    }

    pub(crate) async fn report_rows(&self, sql: &str, values: Vec<Value>) -> StoreResult<Vec<QueryResult>> {
        Ok(self.db.query_all_raw(statement(self.backend(), sql, values)).await?)
    }

    /// How many deals match `conditions` (on alias `d`) and their amounts per currency.
    pub(crate) async fn deal_totals(&self, conditions: &Conditions) -> StoreResult<(i64, CurrencyAmounts)> {
        let sql = format!(
            "SELECT d.currency AS currency, COUNT(*) AS deal_count, {} FROM deals d WHERE {} GROUP BY d.currency",
            split_sum("d.amount_minor", "amount"),
            conditions.sql()
        );
        let (mut count, mut amounts) = (0, CurrencyAmounts::default());
        for row in self.report_rows(&sql, conditions.values()).await? {
            count += count_of(&row, "deal_count")?;
            amounts.add(currency_of(&row, "currency")?, exact_sum(&row, "amount")?);
        }
        Ok((count, amounts))
    }

    /// The workspace's rates as of the period's last day: per currency, the latest on or before it.
    pub(crate) async fn rate_table(&self, workspace_id: WorkspaceId, period: &Period) -> StoreResult<RateTable> {
        let workspace = self.workspace(workspace_id).await?;
        let day = period.rate_day(self.now().date_naive());
        let rows = self
            .report_rows(
                "SELECT r.currency AS currency, r.rate_date AS rate_date, r.rate AS rate FROM exchange_rates r \
                 WHERE r.workspace_id = ? AND r.rate_date = (SELECT MAX(x.rate_date) FROM exchange_rates x \
                 WHERE x.workspace_id = r.workspace_id AND x.currency = r.currency AND x.rate_date <= ?)",
                vec![workspace_id.as_uuid().into(), day.into()],
            )
            .await?;
        let rates = rows
            .iter()
            .map(|row| {
                let rate: String = row.try_get("", "rate")?;
                Ok(DatedRate {
                    currency: currency_of(row, "currency")?,
                    rate: ExchangeRate::parse(&rate).map_err(|e| StoreError::corrupt("exchange_rates", e))?,
                    rate_date: row.try_get("", "rate_date")?,
                })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        Ok(RateTable::new(workspace.default_currency, rates))
    }
}

/// The figure of `amounts`, converted with `rates` when the workspace has any.
pub(crate) fn figure(rates: &RateTable, amounts: CurrencyAmounts) -> MoneyFigure {
    MoneyFigure { converted: rates.convert(&amounts), amounts }
}
