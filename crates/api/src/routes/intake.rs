//! Lead intake for integrations (web forms, social networks), authenticated by an API key with
//! the `intake` scope.

use actix_web::{HttpResponse, post, web};
use kariz_domain::LeadSource;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::errors::WriteErrors;
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::RawBody;
use crate::routes::leads::{LeadInput, lead_fields};
use crate::state::AppState;

/// The acknowledgement of a submission. It is the same whether the submission made a new lead or
/// attached to a known one, and names neither lead: a form key (often public, in a web page) must
/// not reveal whether the workspace already knows an email or phone.
#[derive(Serialize, ToSchema)]
pub struct IntakeResponse {
    /// The stored submission; quote it when asking about this submission.
    pub submission_id: Uuid,
}

/// Push a lead. A submission whose normalized email or phone matches a lead of the workspace
/// attaches to it, else it makes a new lead; the submission is kept either way, and the answer
/// (202, with the submission's id) is the same in both cases. Needs an email or a phone.
/// Authenticate with an API key: `Authorization: Bearer kz_…`. A page on any website may post
/// here with `fetch`: the route answers the CORS preflight and allows every origin, without
/// credentials (cookies); no other route does.
#[utoipa::path(tag = "intake", security(("api_key" = ["intake"])), request_body = LeadInput,
    responses((status = 202, description = "Accepted: added as a new lead or attached to the lead with the same email or phone, without saying which", body = IntakeResponse),
              WriteErrors))]
#[post(
    "/intake/leads",
    wrap = "actix_web::middleware::from_fn(crate::rate_limit::intake_per_ip)",
    wrap = "actix_web::middleware::from_fn(crate::cors::intake_cors)"
)]
pub async fn intake_lead(state: web::Data<AppState>, caller: AuthUser, body: RawBody) -> Result<HttpResponse, ApiError> {
    // The extractor has checked the `intake` scope; a user's access token is no form key.
    let key_id = caller
        .api_key_id
        .ok_or_else(|| ApiError::Unauthenticated("intake takes an API key with the `intake` scope, not an access token".to_owned()))?;
    let RawBody(body) = body;
    let payload: serde_json::Value = crate::extract::parse_json(&body)?;
    let input: LeadInput = crate::extract::parse_json(&body)?;
    validator::Validate::validate(&input).map_err(|e| ApiError::Validation(crate::extract::field_errors(&e)))?;
    if input.owner_id.is_some() {
        return Err(ApiError::validation("owner_id", FieldCode::Invalid, "intake leads have no owner; assign one in the inbox"));
    }
    let mut errors = FieldErrors::default();
    let fields = lead_fields(input, LeadSource::Website, &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    if fields.email.is_none() && fields.phone.is_none() {
        return Err(ApiError::validation("email", FieldCode::Required, "an intake lead needs an email or a phone"));
    }
    let outcome = state.store.intake_lead(caller.workspace_id, Some(key_id), fields, &payload).await?;
    Ok(HttpResponse::Accepted().json(IntakeResponse { submission_id: outcome.submission_id }))
}
