//! Webhook subscriptions (admins): CRUD, secret rotation, test pings, the delivery log and
//! redelivery. The signing secret is shown once, when created or rotated.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Duration, Utc};
use kariz_domain::PipelineId;
use kariz_domain::events::EVENT_TYPES;
use kariz_domain::{EventTypes, SubscriptionFields, SubscriptionPatch};
use kariz_persistence::webhooks::{DeliveryFilter, DeliveryRecord, SubscriptionRecord};
use kariz_webhooks::{SigningSecret, check_target, parse_target};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateWebhookRequest {
    /// Where to POST events: http or https; private and loopback addresses are refused unless
    /// the operator allows them.
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    #[schema(example = "https://hooks.example.com/kariz")]
    pub url: String,
    /// Event types to send; every type when empty or omitted.
    #[serde(default)]
    #[schema(value_type = Vec<crate::vocabulary::EventType>, example = json!(["deal.stage_changed", "deal.won"]))]
    pub event_types: Vec<String>,
    /// Only events of deals in this pipeline.
    pub pipeline_id: Option<Uuid>,
    #[validate(length(max = 500))]
    #[schema(max_length = 500)]
    pub description: Option<String>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateWebhookRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(min_length = 1, max_length = 2000)]
    pub url: Option<String>,
    /// Event types to send; every type when empty.
    #[schema(value_type = Option<Vec<crate::vocabulary::EventType>>)]
    pub event_types: Option<Vec<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub pipeline_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable)]
    pub description: Option<Option<String>>,
    /// `true` re-enables a disabled subscription; `false` pauses it.
    pub active: Option<bool>,
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RotateSecretRequest {
    /// How long the previous secret keeps signing beside the new one (0–168 hours, default 24).
    #[validate(range(min = 0, max = 168))]
    #[schema(minimum = 0, maximum = 168)]
    pub overlap_hours: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookResponse {
    pub id: Uuid,
    pub url: String,
    pub description: Option<String>,
    /// Empty: every event type.
    #[schema(value_type = Vec<crate::vocabulary::EventType>)]
    pub event_types: Vec<String>,
    pub pipeline_id: Option<Uuid>,
    pub active: bool,
    /// Why deliveries stopped (410 Gone, failing for days, or a user), when inactive.
    pub disabled_reason: Option<String>,
    pub disabled_at: Option<DateTime<Utc>>,
    /// Since when every delivery has failed, if they do.
    pub failing_since: Option<DateTime<Utc>>,
    /// While set, deliveries carry a signature with the previous secret too.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<SubscriptionRecord> for WebhookResponse {
    fn from(record: SubscriptionRecord) -> Self {
        let (s, f) = (&record.subscription, record.subscription.fields());
        WebhookResponse {
            id: s.id(),
            url: f.url.clone(),
            description: f.description.clone(),
            event_types: f.event_types.as_slice().to_vec(),
            pipeline_id: f.pipeline_id.map(|p| p.as_uuid()),
            active: s.is_active(),
            disabled_reason: s.disabled_reason().map(str::to_owned),
            disabled_at: s.disabled_at(),
            failing_since: s.failing_since(),
            previous_secret_expires_at: record.previous_secret_expires_at,
            version: record.version,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

/// A subscription with its signing secret: returned once, on creation and rotation.
#[derive(Serialize, ToSchema)]
pub struct WebhookWithSecret {
    pub webhook: WebhookResponse,
    /// `whsec_` + base64 of 32 random bytes. Store it; it is not shown again.
    #[schema(example = "whsec_C2FVsBQIhrscChlQIMV+b5sSYspob7oD")]
    pub secret: String,
}

#[derive(Serialize, ToSchema)]
pub struct WebhookList {
    pub data: Vec<WebhookResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct AttemptResponse {
    pub attempted_at: DateTime<Utc>,
    /// The HTTP status, when the endpoint answered.
    pub status_code: Option<i32>,
    /// Why the attempt failed (status, timeout, refused address, …).
    pub error: Option<String>,
    pub latency_ms: i32,
    /// The first 4 KiB of the response body.
    pub response_excerpt: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryResponse {
    pub id: Uuid,
    pub webhook_id: Uuid,
    /// Also the `webhook-id` header: stable across retries and redeliveries.
    pub event_id: Uuid,
    #[schema(value_type = crate::vocabulary::EventType)]
    pub event_type: String,
    #[schema(schema_with = crate::vocabulary::delivery_status_value)]
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub redelivery_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Every attempt, oldest first.
    pub attempt_log: Vec<AttemptResponse>,
}

impl From<DeliveryRecord> for DeliveryResponse {
    fn from(d: DeliveryRecord) -> Self {
        DeliveryResponse {
            id: d.id,
            webhook_id: d.subscription_id,
            event_id: d.event_id,
            event_type: d.event_type,
            status: d.status,
            attempts: d.attempts,
            next_attempt_at: d.next_attempt_at,
            last_status_code: d.last_status_code,
            last_error: d.last_error,
            redelivery_of: d.redelivery_of,
            created_at: d.created_at,
            completed_at: d.completed_at,
            attempt_log: d
                .attempt_log
                .into_iter()
                .map(|a| AttemptResponse {
                    attempted_at: a.attempted_at,
                    status_code: a.status_code,
                    error: a.error,
                    latency_ms: a.latency_ms,
                    response_excerpt: a.response_excerpt,
                })
                .collect(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct DeliveryList {
    pub data: Vec<DeliveryResponse>,
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeliveryQuery {
    /// `pending`, `succeeded` or `failed`.
    #[param(schema_with = crate::vocabulary::delivery_status)]
    pub status: Option<String>,
    pub event_type: Option<String>,
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

fn require_admin(auth: &AuthUser) -> Result<(), ApiError> {
    auth.require_admin().map_err(|refused| match refused {
        ApiError::Forbidden(_) => ApiError::Forbidden("only admins manage webhooks".to_owned()),
        other => other,
    })
}

fn check_event_types(errors: &mut FieldErrors, types: &[String]) -> Option<EventTypes> {
    match EventTypes::parse(types) {
        Ok(types) => Some(types),
        Err(_) => {
            let unknown: Vec<&String> = types.iter().filter(|t| !EVENT_TYPES.contains(&t.as_str())).collect();
            errors.push(crate::error::FieldError::new(
                "event_types",
                FieldCode::Unknown,
                format!("unknown event types {unknown:?}; known: {}", EVENT_TYPES.join(", ")),
            ));
            None
        }
    }
}

async fn check_url(state: &AppState, errors: &mut FieldErrors, raw: &str) -> Option<String> {
    let url = errors.check("url", parse_target(raw))?;
    errors.check("url", check_target(&url, state.settings.webhooks_allow_private).await)?;
    Some(url.to_string())
}

fn new_secret() -> Result<SigningSecret, ApiError> {
    SigningSecret::generate().map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))
}

/// Webhook subscriptions of your workspace.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])),
    responses((status = 200, description = "Subscriptions", body = WebhookList), ReadErrors))]
#[get("/webhooks")]
pub async fn list_webhooks(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let subscriptions = state.store.subscriptions(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(WebhookList { data: subscriptions.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Subscribe a URL to events. The response carries the signing secret, once.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), request_body = CreateWebhookRequest,
    responses((status = 201, description = "Created, with its secret", body = WebhookWithSecret), WriteErrors))]
#[post("/webhooks")]
pub async fn create_webhook(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let url = check_url(&state, &mut errors, &body.url).await;
    let event_types = check_event_types(&mut errors, &body.event_types);
    let (Some(url), Some(event_types)) = (url, event_types) else { return Err(errors.into_error()) };
    // The store refuses a pipeline of another workspace (422 on `pipeline_id`), here and on update.
    let pipeline_id = body.pipeline_id.map(PipelineId::from);
    let secret = new_secret()?;
    let description = body.description.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty());
    let fields = SubscriptionFields { url, description, event_types, pipeline_id };
    let webhook = state.store.create_subscription(auth.workspace_id, fields, secret.expose()).await?;
    Ok(crate::idempotency::not_repeatable(
        HttpResponse::Created()
            .insert_header(etag(webhook.version))
            .json(WebhookWithSecret { webhook: webhook.into(), secret: secret.expose() }),
    ))
}

/// One subscription, with its disabled state.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The subscription", body = WebhookResponse), ReadErrors))]
#[get("/webhooks/{id}")]
pub async fn get_webhook(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let webhook = state.store.subscription(auth.workspace_id, *id).await?;
    Ok(HttpResponse::Ok().insert_header(etag(webhook.version)).json(WebhookResponse::from(webhook)))
}

/// Change a subscription; `active: true` re-enables a disabled one.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateWebhookRequest,
    responses((status = 200, description = "Updated", body = WebhookResponse), WriteErrors))]
#[patch("/webhooks/{id}")]
pub async fn update_webhook(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateWebhookRequest>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let url = match &body.url {
        Some(raw) => check_url(&state, &mut errors, raw).await.map(Some),
        None => Some(None),
    };
    let event_types = match &body.event_types {
        Some(types) => check_event_types(&mut errors, types).map(Some),
        None => Some(None),
    };
    let (Some(url), Some(event_types)) = (url, event_types) else { return Err(errors.into_error()) };
    let patch = SubscriptionPatch {
        url,
        description: body.description.map(|d| d.map(|d| d.trim().to_owned()).filter(|d| !d.is_empty())),
        event_types,
        pipeline_id: body.pipeline_id.map(|p| p.map(PipelineId::from)),
        active: body.active,
    };
    let webhook = state.store.update_subscription(auth.workspace_id, *id, if_match.optional(body.version), patch).await?;
    Ok(HttpResponse::Ok().insert_header(etag(webhook.version)).json(WebhookResponse::from(webhook)))
}

/// Delete a subscription and its delivery log.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    state.store.delete_subscription(auth.workspace_id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Replace the signing secret. During the overlap both secrets sign every delivery, so the
/// receiver can switch without missing a message.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = RotateSecretRequest,
    responses((status = 200, description = "Rotated, with the new secret", body = WebhookWithSecret), WriteErrors))]
#[post("/webhooks/{id}/rotate-secret")]
pub async fn rotate_secret(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<RotateSecretRequest>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let secret = new_secret()?;
    let overlap = Duration::hours(body.0.overlap_hours.unwrap_or(24));
    let webhook = state.store.rotate_secret(auth.workspace_id, *id, secret.expose(), state.store.now() + overlap).await?;
    Ok(crate::idempotency::not_repeatable(HttpResponse::Ok().json(WebhookWithSecret { webhook: webhook.into(), secret: secret.expose() })))
}

/// Send a `ping` event to the subscription now; its delivery appears in the log.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 202, description = "Queued", body = DeliveryResponse), WriteErrors))]
#[post("/webhooks/{id}/test")]
pub async fn test_webhook(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let delivery = state.store.enqueue_ping(auth.workspace_id, *id).await?;
    Ok(HttpResponse::Accepted().json(DeliveryResponse::from(delivery)))
}

/// The delivery log: every delivery of the subscription, newest first, with every attempt.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path), DeliveryQuery),
    responses((status = 200, description = "Deliveries", body = DeliveryList), ReadErrors))]
#[get("/webhooks/{id}/deliveries")]
pub async fn list_deliveries(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<DeliveryQuery>,
) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let query = query.into_inner();
    if let Some(status) = query.status.as_deref().filter(|s| !crate::vocabulary::DELIVERY_STATUSES.contains(s)) {
        return Err(ApiError::BadRequest(format!("unknown status `{status}`; use pending, succeeded or failed")));
    }
    let filter = DeliveryFilter { status: query.status, event_type: query.event_type };
    let page =
        state.store.deliveries(auth.workspace_id, *id, filter, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(DeliveryList { data: page.items.into_iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Send a delivery's event again (same `webhook-id`), as a new delivery due now.
#[utoipa::path(tag = "webhooks", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 202, description = "Queued", body = DeliveryResponse), WriteErrors))]
#[post("/webhooks/deliveries/{id}/redeliver")]
pub async fn redeliver(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    require_admin(&auth)?;
    let delivery = state.store.redeliver(auth.workspace_id, *id).await?;
    Ok(HttpResponse::Accepted().json(DeliveryResponse::from(delivery)))
}
