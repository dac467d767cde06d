//! A customer's page: the timeline of everything about a contact or an organization, and the
//! figures it leads with. What the caller may not see of theirs (a hidden deal and its
//! activities, files and moves) is left out.

use actix_web::{HttpResponse, get, web};
use kariz_domain::{ContactId, OrganizationId};
use kariz_persistence::timeline::Customer;
use serde::Deserialize;
use utoipa::IntoParams;
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::customers::{CustomerSummaryResponse, TimelineResponse};
use crate::dto::errors::ReadErrors;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TimelineQuery {
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

async fn timeline(state: &AppState, auth: &Caller, customer: Customer, query: TimelineQuery) -> Result<HttpResponse, ApiError> {
    let timeline = state.store.timeline(auth, customer, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(TimelineResponse::from(timeline)))
}

async fn summary(state: &AppState, auth: &Caller, customer: Customer) -> Result<HttpResponse, ApiError> {
    let summary = state.store.customer_summary(auth, customer).await?;
    Ok(HttpResponse::Ok().json(CustomerSummaryResponse::from(summary)))
}

/// Everything about a contact, newest first: their deals opened, moved, won and lost, the
/// activities and notes about them or their deals, their files, and the lead they came from.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path), TimelineQuery),
    responses((status = 200, description = "A page of the timeline", body = TimelineResponse), ReadErrors))]
#[get("/contacts/{id}/timeline")]
pub async fn contact_timeline(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    timeline(&state, &auth, Customer::Contact(ContactId::from(*id)), query.into_inner()).await
}

/// Everything about an organization, newest first: as a contact's timeline, with its people's
/// activities, files and leads too.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), TimelineQuery),
    responses((status = 200, description = "A page of the timeline", body = TimelineResponse), ReadErrors))]
#[get("/organizations/{id}/timeline")]
pub async fn organization_timeline(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    query: web::Query<TimelineQuery>,
) -> Result<HttpResponse, ApiError> {
    timeline(&state, &auth, Customer::Organization(OrganizationId::from(*id)), query.into_inner()).await
}

/// A contact's figures: open and won value per currency, and their last and next activity.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The contact's figures", body = CustomerSummaryResponse), ReadErrors))]
#[get("/contacts/{id}/summary")]
pub async fn contact_summary(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    summary(&state, &auth, Customer::Contact(ContactId::from(*id))).await
}

/// An organization's figures: as a contact's, over the organization's deals and people.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The organization's figures", body = CustomerSummaryResponse), ReadErrors))]
#[get("/organizations/{id}/summary")]
pub async fn organization_summary(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    summary(&state, &auth, Customer::Organization(OrganizationId::from(*id))).await
}
