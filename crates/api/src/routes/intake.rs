//! Lead intake for integrations (web forms, social networks), authenticated by an API key with
//! the `intake` scope.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, post, web};
use kariz_domain::LeadSource;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::auth::AuthUser;
use crate::dto::errors::WriteErrors;
use crate::error::{ApiError, FieldErrors};
use crate::extract::RawBody;
use crate::routes::leads::{LeadInput, lead_fields};
use crate::state::AppState;

/// What became of a submission. The lead itself is not returned: a form key must not reveal
/// what the workspace already knows about a person.
#[derive(Serialize, ToSchema)]
pub struct IntakeResponse {
    pub lead_id: Uuid,
    /// `created`, or `attached` when the email or phone matched an existing lead.
    #[schema(example = "attached")]
    pub outcome: String,
}

/// Push a lead. A submission whose normalized email or phone matches a lead of the workspace
/// attaches to it (201 for a new lead, 200 when attached); the submission is kept either way.
/// Needs an email or a phone. Authenticate with an API key: `Authorization: Bearer kz_…`.
#[utoipa::path(tag = "intake", security(("api_key" = ["intake"])), request_body = LeadInput,
    responses((status = 201, description = "A new lead", body = IntakeResponse),
              (status = 200, description = "Attached to the existing lead with the same email or phone", body = IntakeResponse), WriteErrors))]
#[post("/intake/leads", wrap = "actix_web::middleware::from_fn(crate::rate_limit::intake_per_ip)")]
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
        return Err(ApiError::validation("owner_id", "invalid", "intake leads have no owner; assign one in the inbox"));
    }
    let mut errors = FieldErrors::default();
    let fields = lead_fields(input, LeadSource::Website, &mut errors);
    let Some(fields) = fields.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    if fields.email.is_none() && fields.phone.is_none() {
        return Err(ApiError::validation("email", "required", "an intake lead needs an email or a phone"));
    }
    let outcome = state.store.intake_lead(caller.workspace_id, Some(key_id), fields, &payload).await?;
    let (status, word) = if outcome.created { (StatusCode::CREATED, "created") } else { (StatusCode::OK, "attached") };
    Ok(HttpResponse::build(status).json(IntakeResponse { lead_id: outcome.lead.lead.id().as_uuid(), outcome: word.to_owned() }))
}
