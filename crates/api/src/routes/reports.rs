//! Sales reports. Each is computed by grouping in the database; each takes `pipeline_id`,
//! `owner_id` and a period of whole days (`from`, `to`, both inclusive) in the caller's time
//! zone (their own, else the workspace's), whose meaning — which date of a row it applies to —
//! is given per report.

use actix_web::{HttpResponse, get, web};
use chrono::NaiveDate;
use kariz_domain::{Interval, Period, PipelineId, UserId};
use kariz_persistence::reports::ReportFilter;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::CalendarDto;
use crate::dto::errors::ReadErrors;
use crate::dto::reports::{
    CohortsResponse, ForecastResponse, FunnelResponse, IntervalDto, LeaderboardResponse, LostReasonsResponse, PurchaseSourceDto,
    RevenueResponse, RfmResponse, RottingResponse, StageConversionResponse, WinRateResponse,
};
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ReportQuery {
    /// Only deals of this pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Only deals (and leads, activities) of this owner.
    pub owner_id: Option<Uuid>,
    /// First day of the period (in your time zone, else the workspace's), inclusive; the report's description says which date it applies to.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub from: Option<NaiveDate>,
    /// Last day of the period (in your time zone, else the workspace's), inclusive; also the day whose exchange rates convert money (today when omitted).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub to: Option<NaiveDate>,
    /// The calendar of the months the forecast and cohorts group by (`1405-10` is Dey 1405 on
    /// `jalali`); the workspace's when omitted. Periods (`from`, `to`) are Gregorian days either way.
    pub calendar: Option<CalendarDto>,
    /// How long the forecast's periods are (a month when omitted).
    pub interval: Option<IntervalDto>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StageConversionQuery {
    /// The pipeline whose stages are reported.
    pub pipeline_id: Uuid,
    /// Only deals of this owner.
    pub owner_id: Option<Uuid>,
    /// First day (in your time zone) on which a visit to a stage began, inclusive.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub from: Option<NaiveDate>,
    /// Last day (in your time zone) on which a visit to a stage began, inclusive.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub to: Option<NaiveDate>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RottingQuery {
    /// Only deals of this pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Only deals of this owner.
    pub owner_id: Option<Uuid>,
    /// Only deals that entered their stage on or after this day (in your time zone).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub from: Option<NaiveDate>,
    /// Only deals that entered their stage on or before this day (in your time zone).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub to: Option<NaiveDate>,
    /// Deals per page, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn report_filter(
    pipeline_id: Option<Uuid>,
    owner_id: Option<Uuid>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
) -> Result<ReportFilter, ApiError> {
    let period = Period::new(from, to).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(ReportFilter {
        pipeline_id: pipeline_id.map(PipelineId::from),
        owner_id: owner_id.map(UserId::from),
        period,
        calendar: None,
        interval: Interval::Month,
    })
}

impl ReportQuery {
    fn filter(&self) -> Result<ReportFilter, ApiError> {
        let filter = report_filter(self.pipeline_id, self.owner_id, self.from, self.to)?;
        Ok(ReportFilter { calendar: self.calendar.map(Into::into), interval: self.interval.unwrap_or_default().into(), ..filter })
    }
}

/// Win rate: deals won and lost in the period (by the day they closed), their counts and values
/// per currency, the win rate by count and by value, and the average and median sales cycle
/// (days from creation to win).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "The win rate", body = WinRateResponse), ReadErrors))]
#[get("/reports/win-rate")]
pub async fn win_rate(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.win_rate_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(WinRateResponse::from(report)))
}

/// Stage conversion: for each stage of the pipeline, in order, the visits that began in the
/// period (by the day the deal entered the stage) and how they ended — moved on to a later
/// stage, moved back, won or lost there, or still open there — and the average days spent in
/// the stage (to the next move, the close, or now).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(StageConversionQuery),
    responses((status = 200, description = "Per stage", body = StageConversionResponse), ReadErrors))]
#[get("/reports/stage-conversion")]
pub async fn stage_conversion(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<StageConversionQuery>,
) -> Result<HttpResponse, ApiError> {
    let filter = report_filter(None, query.owner_id, query.from, query.to)?;
    let report = state.store.stage_conversion_report(&auth, PipelineId::from(query.pipeline_id), filter).await?;
    Ok(HttpResponse::Ok().json(StageConversionResponse::from(report)))
}

/// The funnel: of the leads created in the period (by the day each was created), how many were
/// qualified, became opportunities, got a deal and got a won deal, with the conversion between
/// steps. `pipeline_id` narrows the deal steps; `owner_id` is the lead's owner.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "The funnel", body = FunnelResponse), ReadErrors))]
#[get("/reports/funnel")]
pub async fn funnel(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.funnel_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(FunnelResponse::from(report)))
}

/// The forecast: open deals by expected close month (or `interval`: quarter, year), on the
/// workspace's calendar or `calendar` (the period applies to the expected close
/// date), their amount and amount × probability per currency, beside the amount won in each
/// month (by the day deals were won, in the same period).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "By month", body = ForecastResponse), ReadErrors))]
#[get("/reports/forecast")]
pub async fn forecast(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.forecast_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(ForecastResponse::from(report)))
}

/// Revenue: what was invoiced (issued invoices that are not void, by issue date) and what was
/// paid (payments, by the day paid) in each month, quarter (`interval`) or year of the calendar
/// (`calendar`, else the workspace's: Jalali months such as `1405-10`, the Persian fiscal year
/// from 1 Farvardin), per currency and converted into the workspace currency.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "Invoiced and paid per period", body = RevenueResponse), ReadErrors))]
#[get("/reports/revenue")]
pub async fn revenue(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.revenue_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(RevenueResponse::from(report)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RfmQuery {
    /// Only deals of this pipeline.
    pub pipeline_id: Option<Uuid>,
    /// Only deals of this owner.
    pub owner_id: Option<Uuid>,
    /// First day of purchases counted (in your time zone), inclusive.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub from: Option<NaiveDate>,
    /// Last day of purchases counted, inclusive; recency counts to it (today when omitted).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub to: Option<NaiveDate>,
    /// What a purchase is: `paid_invoices` (default) or `won_deals`.
    #[param(inline)]
    pub source: Option<PurchaseSourceDto>,
    /// Customers listed, 1–1000 (default 100); the segments count them all.
    #[param(minimum = 1, maximum = 1000)]
    pub limit: Option<usize>,
}

/// Customers by recency, frequency and monetary value: each customer's (the deal's organization,
/// else its contact) purchases, scored 1–5 per dimension by quintile among the customers, named
/// by segment (`champions`, `loyal`, `new`, `at_risk`, `lost`, `needs_attention`), with what they
/// spent, their usual interval between purchases and whether they are at risk of churning.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RfmQuery),
    responses((status = 200, description = "Customers scored", body = RfmResponse), ReadErrors))]
#[get("/reports/rfm")]
pub async fn rfm(state: web::Data<AppState>, auth: Caller, query: web::Query<RfmQuery>) -> Result<HttpResponse, ApiError> {
    let limit = query.limit.unwrap_or(100);
    if !(1..=1000).contains(&limit) {
        return Err(ApiError::BadRequest("limit: must be 1 to 1000".to_owned()));
    }
    let filter = report_filter(query.pipeline_id, query.owner_id, query.from, query.to)?;
    let report = state.store.rfm_report(&auth, filter, query.source.unwrap_or_default().into(), limit).await?;
    Ok(HttpResponse::Ok().json(RfmResponse::from(report)))
}

/// Lost reasons: deals lost in the period (by the day they were lost) by reason, with count and
/// value per currency, and leads disqualified in the period (by the day) by reason.
/// `pipeline_id` narrows the deals only.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "By reason", body = LostReasonsResponse), ReadErrors))]
#[get("/reports/lost-reasons")]
pub async fn lost_reasons(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.lost_reasons_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(LostReasonsResponse::from(report)))
}

/// The leaderboard: per deal owner, deals won and lost in the period (by the day they closed),
/// value won per currency, win rate, average sales cycle, and activities logged (created in the
/// period; not narrowed by `pipeline_id`).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "Per owner", body = LeaderboardResponse), ReadErrors))]
#[get("/reports/leaderboard")]
pub async fn leaderboard(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.leaderboard_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(LeaderboardResponse::from(report)))
}

/// Rotting deals: open deals idle in their stage longer than the stage's rotting days (idle =
/// now − the day they entered the stage; the period applies to that day), longest idle first,
/// a page at a time, with the count and value of all of them.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(RottingQuery),
    responses((status = 200, description = "A page of rotting deals", body = RottingResponse), ReadErrors))]
#[get("/reports/rotting")]
pub async fn rotting(state: web::Data<AppState>, auth: Caller, query: web::Query<RottingQuery>) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let filter = report_filter(query.pipeline_id, query.owner_id, query.from, query.to)?;
    let report = state.store.rotting_report(&auth, filter, query.limit, query.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(RottingResponse::from(report)))
}

/// Cohorts: leads by the month they were created, on the workspace's calendar or `calendar` (the
/// period applies to the day each was
/// created), and how many were won 0, 1, 2… months later (a lead is won when a deal of its
/// opportunity is won; its first win counts). `pipeline_id` narrows the won deals.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ReportQuery),
    responses((status = 200, description = "By creation month", body = CohortsResponse), ReadErrors))]
#[get("/reports/cohorts")]
pub async fn cohorts(state: web::Data<AppState>, auth: Caller, query: web::Query<ReportQuery>) -> Result<HttpResponse, ApiError> {
    let report = state.store.cohort_report(&auth, query.filter()?).await?;
    Ok(HttpResponse::Ok().json(CohortsResponse::from(report)))
}
