//! Pipelines, their stages, and the board.

use actix_web::{HttpResponse, delete, get, patch, post, web};
use kariz_domain::{Currency, PipelineId, PipelineName, Probability, RottingDays, StageId, StageName, UserId};
use kariz_domain::{NewStage, PipelinePatch, RequiredFields, StagePatch};
use kariz_persistence::board::BoardFilter;
use kariz_persistence::pipelines::NewPipeline;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, Caller};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::{BoardResponse, PipelineList, PipelineResponse, StageResponse, double_option};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::routes::deals::parse_status;
use crate::state::AppState;

#[derive(Deserialize, Serialize, Validate, ToSchema, Clone)]
#[serde(deny_unknown_fields)]
pub struct StageInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    #[schema(example = "Proposal")]
    pub name: String,
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    #[schema(example = 60)]
    pub probability: i64,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    pub rotting_days: Option<i64>,
    /// What a deal must have to enter the stage (created in, moved in, reopened in): `amount`
    /// (above zero), `expected_close_date`, `contact_id`, `organization_id` or a deal custom-field
    /// key; at most 20.
    #[validate(length(max = 20))]
    #[schema(max_items = 20, example = json!(["amount", "expected_close_date"]))]
    #[serde(default)]
    pub required_fields: Vec<String>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePipelineRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    #[schema(example = "New business")]
    pub name: String,
    /// Default currency of its deals; the workspace's when omitted.
    pub currency: Option<String>,
    /// The columns, left to right (right to left in RTL layouts). At least one.
    #[validate(length(min = 1, max = 30), nested)]
    #[schema(min_items = 1, max_items = 30)]
    pub stages: Vec<StageInput>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePipelineRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    pub currency: Option<String>,
    /// Archived pipelines are hidden from lists and accept no new deals.
    pub archived: Option<bool>,
    /// Zero-based place among the workspace's pipelines.
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
    /// The version you read (alternative to If-Match; optional for pipelines).
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateStageRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: String,
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub probability: i64,
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    pub rotting_days: Option<i64>,
    /// What a deal must have to enter the stage (created in, moved in, reopened in): `amount`
    /// (above zero), `expected_close_date`, `contact_id`, `organization_id` or a deal custom-field
    /// key; at most 20.
    #[validate(length(max = 20))]
    #[schema(max_items = 20, example = json!(["amount", "expected_close_date"]))]
    #[serde(default)]
    pub required_fields: Vec<String>,
    /// Zero-based column index; the end when omitted.
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateStageRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[validate(range(min = 0, max = 100))]
    #[schema(minimum = 0, maximum = 100)]
    pub probability: Option<i64>,
    /// `null` turns rotting off for the stage.
    #[validate(range(min = 1, max = 3650))]
    #[schema(minimum = 1, maximum = 3650)]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<i64>, nullable)]
    pub rotting_days: Option<Option<i64>>,
    /// Replaces what a deal must have to enter the stage (created in, moved in, reopened in): `amount`
    /// (above zero), `expected_close_date`, `contact_id`, `organization_id` or a deal custom-field
    /// key; at most 20.
    #[validate(length(max = 20))]
    #[schema(max_items = 20, example = json!(["amount", "expected_close_date"]))]
    pub required_fields: Option<Vec<String>>,
    /// Zero-based column index to move the stage to (reorders the pipeline).
    #[validate(range(min = 0, max = 1000))]
    #[schema(minimum = 0, maximum = 1000)]
    pub position: Option<i64>,
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PipelineListQuery {
    /// Include archived pipelines.
    pub include_archived: Option<bool>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteStageQuery {
    /// Where the stage's deals go; required when it holds any.
    pub move_deals_to: Option<Uuid>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BoardQuery {
    /// `open` (default), `won`, `lost` or `all`.
    #[param(schema_with = crate::vocabulary::board_status)]
    pub status: Option<String>,
    pub owner_id: Option<Uuid>,
    /// Text in the deal title; case, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    /// Only deals with this tag, whatever its case; the counts and totals too.
    pub tag: Option<String>,
    /// Cards per column, 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
}

fn parse_stage(errors: &mut FieldErrors, prefix: &str, input: &StageInput) -> Option<NewStage> {
    let name = errors.check(&format!("{prefix}name"), StageName::parse(&input.name));
    let probability = errors.check(&format!("{prefix}probability"), Probability::new(input.probability));
    let rotting_days = errors.check_opt(&format!("{prefix}rotting_days"), input.rotting_days.map(RottingDays::new));
    let required_fields = errors.check(&format!("{prefix}required_fields"), RequiredFields::parse(&input.required_fields));
    Some(NewStage { name: name?, probability: probability?, rotting_days: rotting_days?, required_fields: required_fields? })
}

/// The pipelines of your workspace, in order.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(PipelineListQuery),
    responses((status = 200, description = "Pipelines with their stages", body = PipelineList), ReadErrors))]
#[get("/pipelines")]
pub async fn list_pipelines(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<PipelineListQuery>,
) -> Result<HttpResponse, ApiError> {
    let pipelines = state.store.pipelines(auth.workspace_id, query.include_archived.unwrap_or(false)).await?;
    Ok(HttpResponse::Ok().json(PipelineList { data: pipelines.into_iter().map(Into::into).collect(), next_cursor: None }))
}

/// Create a pipeline with its stages (admins and managers).
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), request_body = CreatePipelineRequest,
    responses((status = 201, description = "Created", body = PipelineResponse), WriteErrors))]
#[post("/pipelines")]
pub async fn create_pipeline(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreatePipelineRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", PipelineName::parse(&body.name));
    let currency = match body.currency.as_deref() {
        Some(raw) => errors.check("currency", Currency::parse(raw)),
        None => Some(state.store.workspace(auth.workspace_id).await?.default_currency),
    };
    let stages: Vec<Option<NewStage>> =
        body.stages.iter().enumerate().map(|(i, s)| parse_stage(&mut errors, &format!("stages.{i}."), s)).collect();
    let (Some(name), Some(currency), Some(stages)) = (name, currency, stages.into_iter().collect::<Option<Vec<_>>>()) else {
        return Err(errors.into_error());
    };
    let pipeline = state.store.create_pipeline(auth.workspace_id, NewPipeline { name, currency, stages }).await?;
    Ok(HttpResponse::Created().insert_header(etag(pipeline.version)).json(PipelineResponse::from(pipeline)))
}

/// One pipeline with its stages.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The pipeline", body = PipelineResponse), ReadErrors))]
#[get("/pipelines/{id}")]
pub async fn get_pipeline(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let pipeline = state.store.pipeline(auth.workspace_id, PipelineId::from(*id)).await?;
    Ok(HttpResponse::Ok().insert_header(etag(pipeline.version)).json(PipelineResponse::from(pipeline)))
}

/// Rename, re-currency, archive or reorder a pipeline (admins and managers).
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdatePipelineRequest,
    responses((status = 200, description = "Updated", body = PipelineResponse), WriteErrors))]
#[patch("/pipelines/{id}")]
pub async fn update_pipeline(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdatePipelineRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(PipelineName::parse));
    let currency = errors.check_opt("currency", body.currency.as_deref().map(Currency::parse));
    let (Some(name), Some(currency)) = (name, currency) else { return Err(errors.into_error()) };
    let patch = PipelinePatch { name, currency, archived: body.archived, position: body.position.map(|p| p as usize) };
    let pipeline = state.store.update_pipeline(auth.workspace_id, PipelineId::from(*id), if_match.optional(body.version), patch).await?;
    Ok(HttpResponse::Ok().insert_header(etag(pipeline.version)).json(PipelineResponse::from(pipeline)))
}

/// Delete a pipeline that holds no deals (admins and managers); archive one that does.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/pipelines/{id}")]
pub async fn delete_pipeline(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    state.store.delete_pipeline(auth.workspace_id, PipelineId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Add a stage (admins and managers).
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CreateStageRequest,
    responses((status = 201, description = "Created", body = StageResponse), WriteErrors))]
#[post("/pipelines/{id}/stages")]
pub async fn create_stage(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<CreateStageRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let input = StageInput {
        name: body.name,
        probability: body.probability,
        rotting_days: body.rotting_days,
        required_fields: body.required_fields,
    };
    let Some(stage) = parse_stage(&mut errors, "", &input) else { return Err(errors.into_error()) };
    let position = body.position.map(|p| p as usize);
    let stage = state.store.add_stage(auth.workspace_id, PipelineId::from(*id), stage, position).await?;
    Ok(HttpResponse::Created().insert_header(etag(stage.version)).json(StageResponse::from(stage)))
}

/// Rename a stage, set its probability or rotting days, or move it to another column index.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateStageRequest,
    responses((status = 200, description = "Updated", body = StageResponse), WriteErrors))]
#[patch("/stages/{id}")]
pub async fn update_stage(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateStageRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check_opt("name", body.name.as_deref().map(StageName::parse));
    let probability = errors.check_opt("probability", body.probability.map(Probability::new));
    let rotting_days = match body.rotting_days {
        None => Some(None),
        Some(None) => Some(Some(None)),
        Some(Some(days)) => errors.check("rotting_days", RottingDays::new(days)).map(|d| Some(Some(d))),
    };
    let required_fields = errors.check_opt("required_fields", body.required_fields.as_deref().map(RequiredFields::parse));
    let (Some(name), Some(probability), Some(rotting_days), Some(required_fields)) = (name, probability, rotting_days, required_fields)
    else {
        return Err(errors.into_error());
    };
    let patch = StagePatch { name, probability, rotting_days, position: body.position.map(|p| p as usize), required_fields };
    let stage = state.store.update_stage(auth.workspace_id, StageId::from(*id), if_match.optional(body.version), patch).await?;
    Ok(HttpResponse::Ok().insert_header(etag(stage.version)).json(StageResponse::from(stage)))
}

/// Delete a stage; a stage holding deals needs `move_deals_to`, another stage of its pipeline.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path), DeleteStageQuery),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/stages/{id}")]
pub async fn delete_stage(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<DeleteStageQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let target = query.move_deals_to.map(StageId::from);
    state.store.delete_stage(auth.workspace_id, StageId::from(*id), target, auth.user_id).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The kanban board: every column with its count, per-currency totals and weighted totals, and
/// its first cards in position order.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path), BoardQuery),
    responses((status = 200, description = "The board", body = BoardResponse), ReadErrors))]
#[get("/pipelines/{id}/board")]
pub async fn board(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    query: web::Query<BoardQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let status = match query.status.as_deref() {
        None => Some("open"),
        Some("all") => None,
        Some(raw) => Some(parse_status(raw)?),
    };
    let filter = BoardFilter { status, owner_id: query.owner_id.map(UserId::from), text: query.q, tag: query.tag };
    let board = state.store.board(&auth, PipelineId::from(*id), filter, query.limit).await?;
    Ok(HttpResponse::Ok().json(BoardResponse::from(board)))
}
