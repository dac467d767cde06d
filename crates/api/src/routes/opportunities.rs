//! Opportunities (qualified leads) with their deals; more deals can be opened on one.

use actix_web::{HttpResponse, get, post, web};
use kariz_domain::{OpportunityId, UserId};
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::DealResponse;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::leads::{OpportunityList, OpportunityResponse};
use crate::error::ApiError;
use crate::extract::{ValidJson, created};
use crate::routes::deals::CreateDealRequest;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityListQuery {
    pub owner_id: Option<Uuid>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

/// Opportunities, newest first, each with its deals and derived status.
#[utoipa::path(tag = "opportunities", security(("bearer" = [])), params(OpportunityListQuery),
    responses((status = 200, description = "A page of opportunities", body = OpportunityList), ReadErrors))]
#[get("/opportunities")]
pub async fn list_opportunities(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<OpportunityListQuery>,
) -> Result<HttpResponse, ApiError> {
    let page = state.store.opportunities(&auth, query.owner_id.map(UserId::from), query.limit, query.cursor.as_deref()).await?;
    Ok(HttpResponse::Ok().json(OpportunityList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

#[utoipa::path(tag = "opportunities", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The opportunity with its deals", body = OpportunityResponse), ReadErrors))]
#[get("/opportunities/{id}")]
pub async fn get_opportunity(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.opportunity(&auth, OpportunityId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(OpportunityResponse::from(&record)))
}

/// Open another deal on an opportunity (same body as `POST /deals`).
#[utoipa::path(tag = "opportunities", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CreateDealRequest,
    responses((status = 201, description = "Created", body = DealResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/opportunities/{id}/deals")]
pub async fn open_opportunity_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<CreateDealRequest>,
) -> Result<HttpResponse, ApiError> {
    let new = body.0.parse()?;
    let record = state.store.open_opportunity_deal(&auth, OpportunityId::from(*id), new).await?;
    Ok(created(&format!("/api/v1/deals/{}", record.deal.id()), record.version, DealResponse::from(&record)))
}
