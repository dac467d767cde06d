//! Response bodies of the reports and the exchange rates.
//!
//! Every money figure is a list of per-currency amounts; `converted` adds them up in the
//! workspace currency when the workspace has exchange rates, naming the rates it used.

use chrono::{DateTime, NaiveDate, Utc};
use kariz_contract::CalendarDto;
use kariz_domain::reporting::percent;
use kariz_domain::{Conversion, Currency, Interval};
use kariz_persistence::exchange_rates::ExchangeRateRecord;
use kariz_persistence::reports::{
    Cohort, CohortReport, ForecastMonth, ForecastReport, FunnelReport, LeaderboardEntry, LeaderboardReport, LostReasonsReport, MoneyFigure,
    Outcome, RevenueReport, RfmReport, RottingDeal, RottingReport, StageConversion, StageConversionReport, UndatedForecast, WinRateReport,
};
use kariz_persistence::reports::{CustomerRef, PurchaseSource};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// An amount in one currency, in its minor units (cents; rials have none).
#[derive(Serialize, ToSchema)]
pub struct MoneyAmount {
    #[schema(example = "USD")]
    pub currency: String,
    /// Exact, in minor units. A total of many deals can exceed 2^53 and even 2^63 (it is a JSON
    /// integer of any size): read it with a JSON parser that keeps large integers exact.
    #[schema(example = 125_000)]
    pub amount_minor: i128,
}

/// The rate one currency was converted at: units of the workspace currency per unit.
#[derive(Serialize, ToSchema)]
pub struct RateUsed {
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(example = "42000")]
    pub rate: String,
    /// The latest rate on or before the period's last day (today for an open period).
    pub rate_date: NaiveDate,
}

/// The per-currency amounts converted into the workspace currency and added up.
#[derive(Serialize, ToSchema)]
pub struct ConvertedAmount {
    /// The workspace currency.
    #[schema(example = "IRR")]
    pub currency: String,
    /// Exact, in minor units; like every total it can exceed 2^53 and 2^63 (see `MoneyAmount`).
    pub amount_minor: i128,
    pub rates: Vec<RateUsed>,
    /// Currencies left out of `amount_minor` for want of a rate on or before the period's end (or,
    /// past 10^20 at a rate of 18 significant digits, a product beyond 128 bits).
    pub unconverted: Vec<String>,
}

/// A money figure: never summed across currencies, except in `converted`.
#[derive(Serialize, ToSchema)]
#[schema(as = MoneyFigure)]
pub struct MoneyFigureResponse {
    /// One entry per currency, by currency code.
    pub by_currency: Vec<MoneyAmount>,
    /// `null` when the workspace has no exchange rates.
    pub converted: Option<ConvertedAmount>,
}

fn amount(currency: Currency, amount_minor: impl Into<i128>) -> MoneyAmount {
    MoneyAmount { currency: currency.to_string(), amount_minor: amount_minor.into() }
}

impl From<Conversion> for ConvertedAmount {
    fn from(c: Conversion) -> Self {
        ConvertedAmount {
            currency: c.currency.to_string(),
            amount_minor: c.amount_minor,
            rates: c
                .rates
                .into_iter()
                .map(|r| RateUsed { currency: r.currency.to_string(), rate: r.rate.to_string(), rate_date: r.rate_date })
                .collect(),
            unconverted: c.unconverted.into_iter().map(|c| c.to_string()).collect(),
        }
    }
}

impl From<MoneyFigure> for MoneyFigureResponse {
    fn from(f: MoneyFigure) -> Self {
        MoneyFigureResponse { by_currency: f.amounts.iter().map(|(c, a)| amount(c, a)).collect(), converted: f.converted.map(Into::into) }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OutcomeResponse {
    pub count: i64,
    pub value: MoneyFigureResponse,
}

impl From<Outcome> for OutcomeResponse {
    fn from(o: Outcome) -> Self {
        OutcomeResponse { count: o.count, value: o.value.into() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CurrencyPercent {
    pub currency: String,
    /// `null` when nothing closed in this currency.
    #[schema(example = 62.5)]
    pub percent: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct WinRateResponse {
    pub won: OutcomeResponse,
    pub lost: OutcomeResponse,
    /// won ÷ (won + lost) × 100, two decimals; `null` when nothing closed.
    #[schema(example = 60.0)]
    pub win_rate_by_count: Option<f64>,
    /// Per currency: won value ÷ (won + lost value) × 100.
    pub win_rate_by_value: Vec<CurrencyPercent>,
    /// Mean days from a won deal's creation to its win, two decimals.
    pub average_cycle_days: Option<f64>,
    pub median_cycle_days: Option<f64>,
}

impl From<WinRateReport> for WinRateResponse {
    fn from(r: WinRateReport) -> Self {
        WinRateResponse {
            won: r.won.into(),
            lost: r.lost.into(),
            win_rate_by_count: r.by_count,
            win_rate_by_value: r
                .by_value
                .into_iter()
                .map(|v| CurrencyPercent { currency: v.currency.to_string(), percent: v.percent })
                .collect(),
            average_cycle_days: r.average_cycle_days,
            median_cycle_days: r.median_cycle_days,
        }
    }
}

/// The visits to one stage that began in the period, by how they ended.
#[derive(Serialize, ToSchema)]
pub struct StageConversionRow {
    pub stage_id: Uuid,
    pub name: String,
    pub position: i32,
    /// Visits that began in the period; a deal that came back counts again.
    pub entered: i64,
    /// Left for a later stage.
    pub moved_on: i64,
    /// Left for an earlier stage.
    pub moved_back: i64,
    /// Won while in this stage.
    pub won: i64,
    /// Lost while in this stage.
    pub lost: i64,
    /// Open and still here.
    pub still_open: i64,
    /// moved_on ÷ entered × 100.
    pub moved_on_percent: Option<f64>,
    /// Mean days from entering to leaving (the next move, the close, or now).
    pub average_days_in_stage: Option<f64>,
}

impl From<StageConversion> for StageConversionRow {
    fn from(s: StageConversion) -> Self {
        StageConversionRow {
            stage_id: s.stage.id.as_uuid(),
            name: s.stage.name,
            position: s.stage.position,
            entered: s.entered,
            moved_on: s.moved_on,
            moved_back: s.moved_back,
            won: s.won,
            lost: s.lost,
            still_open: s.still_open,
            moved_on_percent: s.moved_on_percent,
            average_days_in_stage: s.average_days,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct StageConversionResponse {
    pub pipeline_id: Uuid,
    /// In column order.
    pub stages: Vec<StageConversionRow>,
}

impl From<StageConversionReport> for StageConversionResponse {
    fn from(r: StageConversionReport) -> Self {
        StageConversionResponse { pipeline_id: r.pipeline_id.as_uuid(), stages: r.stages.into_iter().map(Into::into).collect() }
    }
}

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FunnelStep {
    /// Leads created in the period.
    Leads,
    /// Of those, qualified.
    Qualified,
    /// Of those, linked to an opportunity.
    Opportunities,
    /// Of those, with at least one deal.
    Deals,
    /// Of those, with at least one won deal.
    Won,
}

#[derive(Serialize, ToSchema)]
pub struct FunnelStepResponse {
    pub step: FunnelStep,
    pub count: i64,
    /// count ÷ the previous step's count × 100; `null` for the first step or after an empty one.
    pub percent_of_previous: Option<f64>,
    /// count ÷ leads × 100.
    pub percent_of_leads: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct FunnelResponse {
    /// leads → qualified → opportunities → deals → won.
    pub steps: Vec<FunnelStepResponse>,
}

impl From<FunnelReport> for FunnelResponse {
    fn from(r: FunnelReport) -> Self {
        let counts = [
            (FunnelStep::Leads, r.leads),
            (FunnelStep::Qualified, r.qualified),
            (FunnelStep::Opportunities, r.opportunities),
            (FunnelStep::Deals, r.deals),
            (FunnelStep::Won, r.won),
        ];
        let mut previous: Option<i64> = None;
        let steps = counts
            .into_iter()
            .map(|(step, count)| {
                let percent_of_previous = previous.and_then(|p| percent(count, p));
                previous = Some(count);
                FunnelStepResponse { step, count, percent_of_previous, percent_of_leads: percent(count, r.leads) }
            })
            .collect();
        FunnelResponse { steps }
    }
}

/// `month`, `quarter` or `year`: how long a report's periods are. Quarters and years are the
/// report's calendar's: on `jalali`, the year starts on 1 Farvardin (the Persian fiscal year).
#[derive(Serialize, Deserialize, ToSchema, Clone, Copy, Default)]
#[serde(rename_all = "snake_case")]
#[schema(as = ReportInterval)]
pub enum IntervalDto {
    #[default]
    Month,
    Quarter,
    Year,
}

impl From<IntervalDto> for Interval {
    fn from(interval: IntervalDto) -> Self {
        match interval {
            IntervalDto::Month => Interval::Month,
            IntervalDto::Quarter => Interval::Quarter,
            IntervalDto::Year => Interval::Year,
        }
    }
}

impl From<Interval> for IntervalDto {
    fn from(interval: Interval) -> Self {
        match interval {
            Interval::Month => IntervalDto::Month,
            Interval::Quarter => IntervalDto::Quarter,
            Interval::Year => IntervalDto::Year,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ForecastMonthResponse {
    /// The period's first month, `YYYY-MM` (UTC days) on the report's calendar: `1405-10` is Dey 1405.
    #[schema(example = "2026-12")]
    pub month: String,
    /// The period's name: `1405-10` (a month), `1405-Q4` (a quarter) or `1405` (a year).
    #[schema(example = "2026-Q4")]
    pub period: String,
    /// Open deals expected to close this month.
    pub open_deals: i64,
    pub amount: MoneyFigureResponse,
    /// amount × probability (the deal's own, else its stage's), rounded per deal.
    pub weighted: MoneyFigureResponse,
    /// Deals won this month (by the day they were won).
    pub won_deals: i64,
    pub won: MoneyFigureResponse,
}

impl ForecastMonthResponse {
    fn of(m: ForecastMonth, interval: Interval) -> Self {
        ForecastMonthResponse {
            month: m.month.to_string(),
            period: m.month.label(interval),
            open_deals: m.open_deals,
            amount: m.amount.into(),
            weighted: m.weighted.into(),
            won_deals: m.won_deals,
            won: m.won.into(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct UndatedForecastResponse {
    pub open_deals: i64,
    pub amount: MoneyFigureResponse,
    pub weighted: MoneyFigureResponse,
}

impl From<UndatedForecast> for UndatedForecastResponse {
    fn from(u: UndatedForecast) -> Self {
        UndatedForecastResponse { open_deals: u.open_deals, amount: u.amount.into(), weighted: u.weighted.into() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ForecastResponse {
    /// The calendar of `month`.
    pub calendar: CalendarDto,
    /// The length of each period of `months`.
    pub interval: IntervalDto,
    /// Periods with open deals expected or deals won, in order.
    pub months: Vec<ForecastMonthResponse>,
    /// Open deals without an expected close date; only when the period has no bounds.
    pub undated: Option<UndatedForecastResponse>,
}

impl From<ForecastReport> for ForecastResponse {
    fn from(r: ForecastReport) -> Self {
        ForecastResponse {
            calendar: r.calendar.into(),
            interval: r.interval.into(),
            months: r.months.into_iter().map(|m| ForecastMonthResponse::of(m, r.interval)).collect(),
            undated: r.undated.map(Into::into),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LostReasonRow {
    /// The note as the salesperson wrote it.
    pub reason: String,
    pub count: i64,
    pub value: MoneyFigureResponse,
}

/// Deals lost for one managed reason, or without one (`reason_id: null`: "other").
#[derive(Serialize, ToSchema)]
pub struct ManagedLostReasonRow {
    /// The managed reason; `null` for the deals lost with a note alone.
    pub reason_id: Option<Uuid>,
    /// The reason's name now; `null` for "other".
    pub name: Option<String>,
    /// Whether the reason is still offered; `false` for "other".
    pub active: bool,
    pub count: i64,
    pub value: MoneyFigureResponse,
}

#[derive(Serialize, ToSchema)]
pub struct LostDeals {
    pub count: i64,
    pub value: MoneyFigureResponse,
    /// By managed reason, most frequent first (ties in the list's order), then "other" (deals
    /// lost without a managed reason) last.
    pub by_reason: Vec<ManagedLostReasonRow>,
    /// The 50 most frequent notes (free text), most frequent first.
    pub reasons: Vec<LostReasonRow>,
    /// Deals lost for any reason not listed.
    pub other: OutcomeResponse,
}

#[derive(Serialize, ToSchema)]
pub struct DisqualifyReasonRow {
    #[schema(schema_with = crate::vocabulary::disqualify_reason)]
    pub reason: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct DisqualifiedLeads {
    pub count: i64,
    /// Most frequent first.
    pub reasons: Vec<DisqualifyReasonRow>,
}

#[derive(Serialize, ToSchema)]
pub struct LostReasonsResponse {
    pub lost_deals: LostDeals,
    pub disqualified_leads: DisqualifiedLeads,
}

impl From<LostReasonsReport> for LostReasonsResponse {
    fn from(r: LostReasonsReport) -> Self {
        LostReasonsResponse {
            lost_deals: LostDeals {
                count: r.lost_total,
                value: r.lost_total_value.into(),
                by_reason: r
                    .by_managed_reason
                    .into_iter()
                    .map(|m| ManagedLostReasonRow {
                        reason_id: m.reason.as_ref().map(|r| r.id),
                        name: m.reason.as_ref().map(|r| r.name.clone()),
                        active: m.reason.as_ref().is_some_and(|r| r.active),
                        count: m.count,
                        value: m.value.into(),
                    })
                    .collect(),
                reasons: r.lost.into_iter().map(|l| LostReasonRow { reason: l.reason, count: l.count, value: l.value.into() }).collect(),
                other: OutcomeResponse { count: r.other_lost, value: r.other_lost_value.into() },
            },
            disqualified_leads: DisqualifiedLeads {
                count: r.disqualified.iter().map(|d| d.count).sum(),
                reasons: r.disqualified.into_iter().map(|d| DisqualifyReasonRow { reason: d.reason, count: d.count }).collect(),
            },
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LeaderboardRow {
    pub owner_id: Uuid,
    /// `null` for a former member.
    pub name: Option<String>,
    pub deals_won: i64,
    pub deals_lost: i64,
    pub value_won: MoneyFigureResponse,
    /// won ÷ (won + lost) × 100.
    pub win_rate: Option<f64>,
    /// Mean days from creation to win.
    pub average_cycle_days: Option<f64>,
    /// Activities of this owner created in the period.
    pub activities: i64,
}

impl From<LeaderboardEntry> for LeaderboardRow {
    fn from(e: LeaderboardEntry) -> Self {
        LeaderboardRow {
            owner_id: e.owner_id.as_uuid(),
            name: e.name,
            deals_won: e.deals_won,
            deals_lost: e.deals_lost,
            value_won: e.value_won.into(),
            win_rate: e.win_rate,
            average_cycle_days: e.average_cycle_days,
            activities: e.activities,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LeaderboardResponse {
    /// Most deals won first, then most activities, then by name.
    pub data: Vec<LeaderboardRow>,
}

impl From<LeaderboardReport> for LeaderboardResponse {
    fn from(r: LeaderboardReport) -> Self {
        LeaderboardResponse { data: r.entries.into_iter().map(Into::into).collect() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RottingDealResponse {
    pub id: Uuid,
    pub title: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub stage_name: String,
    pub owner_id: Uuid,
    pub amount: MoneyAmount,
    pub stage_entered_at: DateTime<Utc>,
    /// Whole days since the deal entered its stage.
    pub idle_days: i64,
    /// The stage's limit; the deal has been idle longer.
    pub rotting_days: i64,
}

impl From<RottingDeal> for RottingDealResponse {
    fn from(d: RottingDeal) -> Self {
        RottingDealResponse {
            id: d.id.as_uuid(),
            title: d.title,
            pipeline_id: d.pipeline_id.as_uuid(),
            stage_id: d.stage_id.as_uuid(),
            stage_name: d.stage_name,
            owner_id: d.owner_id.as_uuid(),
            amount: amount(d.currency, d.amount_minor),
            stage_entered_at: d.stage_entered_at,
            idle_days: d.idle_days,
            rotting_days: d.rotting_days,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct RottingResponse {
    /// Every rotting deal that matches, not only this page.
    pub count: i64,
    pub value: MoneyFigureResponse,
    /// Longest idle first.
    pub data: Vec<RottingDealResponse>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

impl From<RottingReport> for RottingResponse {
    fn from(r: RottingReport) -> Self {
        RottingResponse {
            count: r.count,
            value: r.value.into(),
            data: r.deals.items.into_iter().map(Into::into).collect(),
            next_cursor: r.deals.next_cursor,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CohortRow {
    /// The month the leads were created, `YYYY-MM` (UTC days) on the report's calendar.
    #[schema(example = "2026-09")]
    pub month: String,
    pub leads: i64,
    /// Leads with a won deal.
    pub won: i64,
    /// Element n: leads first won n calendar months after the cohort's month.
    #[schema(example = json!([1, 0, 2]))]
    pub won_after_months: Vec<i64>,
}

impl From<Cohort> for CohortRow {
    fn from(c: Cohort) -> Self {
        CohortRow { month: c.month.to_string(), leads: c.leads, won: c.won, won_after_months: c.won_after_months }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CohortsResponse {
    /// The calendar of `month`.
    pub calendar: CalendarDto,
    /// Oldest month first; months without leads are left out.
    pub cohorts: Vec<CohortRow>,
}

impl From<CohortReport> for CohortsResponse {
    fn from(r: CohortReport) -> Self {
        CohortsResponse { calendar: r.calendar.into(), cohorts: r.cohorts.into_iter().map(Into::into).collect() }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExchangeRateResponse {
    pub id: Uuid,
    #[schema(example = "USD")]
    pub currency: String,
    pub rate_date: NaiveDate,
    /// Units of the workspace currency per unit of `currency`, as an exact decimal.
    #[schema(example = "42000")]
    pub rate: String,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

impl From<ExchangeRateRecord> for ExchangeRateResponse {
    fn from(r: ExchangeRateRecord) -> Self {
        ExchangeRateResponse {
            id: r.id.as_uuid(),
            currency: r.currency.to_string(),
            rate_date: r.rate_date,
            rate: r.rate.to_string(),
            created_by: r.created_by.map(|u| u.as_uuid()),
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ExchangeRateList {
    /// Latest day first.
    pub data: Vec<ExchangeRateResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct RevenuePeriodResponse {
    /// The period's first month, `YYYY-MM` on the report's calendar.
    #[schema(example = "1405-10")]
    pub month: String,
    /// The period's name: `1405-10` (a month), `1405-Q4` (a quarter) or `1405` (a year).
    #[schema(example = "1405-10")]
    pub period: String,
    /// Invoices issued in the period (not void).
    pub invoices: i64,
    /// Their totals.
    pub invoiced: MoneyFigureResponse,
    /// Payments made in the period.
    pub payments: i64,
    pub paid: MoneyFigureResponse,
}

#[derive(Serialize, ToSchema)]
pub struct RevenueResponse {
    pub calendar: CalendarDto,
    pub interval: IntervalDto,
    /// Periods with an invoice issued or a payment made, in order.
    pub periods: Vec<RevenuePeriodResponse>,
    pub invoices: i64,
    pub invoiced: MoneyFigureResponse,
    pub payments: i64,
    pub paid: MoneyFigureResponse,
}

impl From<RevenueReport> for RevenueResponse {
    fn from(r: RevenueReport) -> Self {
        let interval = r.interval;
        RevenueResponse {
            calendar: r.calendar.into(),
            interval: interval.into(),
            periods: r
                .periods
                .into_iter()
                .map(|p| RevenuePeriodResponse {
                    month: p.month.to_string(),
                    period: p.month.label(interval),
                    invoices: p.invoices,
                    invoiced: p.invoiced.into(),
                    payments: p.payments,
                    paid: p.paid.into(),
                })
                .collect(),
            invoices: r.invoices,
            invoiced: r.invoiced.into(),
            payments: r.payments,
            paid: r.paid.into(),
        }
    }
}

/// What counts as a purchase in the RFM report.
#[derive(Clone, Copy, Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PurchaseSourceDto {
    /// Invoices paid in full, on their issue date, for their total.
    #[default]
    PaidInvoices,
    /// Won deals, on the day they were won, for their amount.
    WonDeals,
}

impl From<PurchaseSourceDto> for PurchaseSource {
    fn from(source: PurchaseSourceDto) -> Self {
        match source {
            PurchaseSourceDto::PaidInvoices => PurchaseSource::PaidInvoices,
            PurchaseSourceDto::WonDeals => PurchaseSource::WonDeals,
        }
    }
}

fn segment_schema() -> utoipa::openapi::schema::Object {
    kariz_contract::vocabulary::names(kariz_domain::customer_value::Segment::NAMES)
}

#[derive(Serialize, ToSchema)]
pub struct RfmCustomer {
    /// The organization, or the contact when the deals name no organization.
    pub organization_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub name: String,
    pub first_purchase: NaiveDate,
    pub last_purchase: NaiveDate,
    /// Days from the last purchase to `as_of`.
    pub recency_days: i64,
    /// How many purchases.
    pub frequency: i64,
    /// What they spent in the workspace currency (converted with the latest rates; without
    /// rates, only what was bought in the workspace currency). Exact; can exceed 2^53.
    pub monetary_minor: i128,
    /// What they spent per currency, as bought: their lifetime value in the period.
    pub amounts: Vec<MoneyAmount>,
    /// 1–5: 5 is the most recent fifth of the customers.
    pub recency_score: u8,
    pub frequency_score: u8,
    pub monetary_score: u8,
    #[schema(schema_with = segment_schema)]
    pub segment: String,
    /// The average days between purchases; `null` with fewer than two.
    pub usual_interval_days: Option<i64>,
    /// No purchase for longer than one and a half usual intervals (and at least a week).
    pub churn_risk: bool,
}

#[derive(Serialize, ToSchema)]
pub struct SegmentCount {
    #[schema(schema_with = segment_schema)]
    pub segment: String,
    pub customers: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RfmResponse {
    /// The day recency counts to: the period's last day, or today if that is sooner.
    pub as_of: NaiveDate,
    /// Every customer scored, by segment.
    pub segments: Vec<SegmentCount>,
    pub total_customers: i64,
    /// The best customers first (by the sum of their scores, then what they spent), up to `limit`.
    pub customers: Vec<RfmCustomer>,
}

impl From<RfmReport> for RfmResponse {
    fn from(r: RfmReport) -> Self {
        RfmResponse {
            as_of: r.as_of,
            segments: r
                .segments
                .into_iter()
                .map(|(segment, customers)| SegmentCount { segment: segment.as_str().to_owned(), customers })
                .collect(),
            total_customers: r.total_customers,
            customers: r
                .customers
                .into_iter()
                .map(|c| {
                    let (organization_id, contact_id) = match c.customer {
                        CustomerRef::Organization(id) => (Some(id), None),
                        CustomerRef::Contact(id) => (None, Some(id)),
                    };
                    RfmCustomer {
                        organization_id,
                        contact_id,
                        name: c.name,
                        first_purchase: c.history.first,
                        last_purchase: c.history.last,
                        recency_days: c.recency_days,
                        frequency: c.history.count,
                        monetary_minor: c.history.monetary_minor,
                        amounts: c.amounts.iter().map(|(currency, minor)| amount(currency, minor)).collect(),
                        recency_score: c.scores.recency,
                        frequency_score: c.scores.frequency,
                        monetary_score: c.scores.monetary,
                        segment: c.segment.as_str().to_owned(),
                        usual_interval_days: c.history.usual_interval_days(),
                        churn_risk: c.churn_risk,
                    }
                })
                .collect(),
        }
    }
}
