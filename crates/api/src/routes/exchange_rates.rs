//! Exchange rates (admins keep them; everyone reads them): how many units of the workspace
//! currency one unit of another currency was worth on a day. Posting a rate for a currency and
//! day that already has one replaces it (200); a new one is created (201).

use actix_web::{HttpResponse, delete, get, post, web};
use chrono::NaiveDate;
use kariz_domain::{Currency, ExchangeRate, ExchangeRateId};
use kariz_persistence::exchange_rates::RateWrite;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::reports::{ExchangeRateList, ExchangeRateResponse};
use crate::error::{ApiError, FieldErrors};
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PutExchangeRateRequest {
    /// Any currency but the workspace's own.
    #[schema(example = "USD")]
    pub currency: String,
    #[serde(deserialize_with = "crate::dates::date")]
    pub rate_date: NaiveDate,
    /// Units of the workspace currency per unit of `currency`: a positive decimal string (at most
    /// 12 digits after the point, 18 significant digits), e.g. `"42000"` or `"0.0000238"`.
    #[validate(length(min = 1, max = 40))]
    #[schema(example = "42000", min_length = 1, max_length = 40)]
    pub rate: String,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExchangeRateQuery {
    /// Only this currency's rates.
    pub currency: Option<String>,
    /// 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// The workspace's exchange rates, latest day first.
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(ExchangeRateQuery),
    responses((status = 200, description = "The rates", body = ExchangeRateList), ReadErrors))]
#[get("/exchange-rates")]
pub async fn list_exchange_rates(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ExchangeRateQuery>,
) -> Result<HttpResponse, ApiError> {
    let currency = query.currency.as_deref().map(Currency::parse).transpose().map_err(|e| ApiError::BadRequest(e.to_string()))?;
    let page = state.store.exchange_rates(auth.workspace_id, currency, query.limit, query.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(ExchangeRateList { data: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Set a currency's rate for a day (admins). One rate per currency and day: posting again
/// replaces it.
#[utoipa::path(tag = "reports", security(("bearer" = [])), request_body = PutExchangeRateRequest,
    responses((status = 201, description = "Created", body = ExchangeRateResponse),
        (status = 200, description = "Replaced the day's earlier rate", body = ExchangeRateResponse), WriteErrors))]
#[post("/exchange-rates")]
pub async fn put_exchange_rate(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<PutExchangeRateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let currency = errors.check("currency", Currency::parse(&body.currency));
    let rate = errors.check("rate", ExchangeRate::parse(&body.rate));
    let (Some(currency), Some(rate)) = (currency, rate) else { return Err(errors.into_error()) };
    let (record, write) = state.store.put_exchange_rate(auth.workspace_id, auth.user_id, currency, body.rate_date, rate).await?;
    let mut response = match write {
        RateWrite::Created => HttpResponse::Created(),
        RateWrite::Replaced => HttpResponse::Ok(),
    };
    Ok(response.json(ExchangeRateResponse::from(record)))
}

/// Delete a rate (admins).
#[utoipa::path(tag = "reports", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/exchange-rates/{id}")]
pub async fn delete_exchange_rate(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    state.store.delete_exchange_rate(auth.workspace_id, ExchangeRateId::from(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
