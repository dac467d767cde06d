//! Stage follow-up templates: the tasks a deal gets for its owner when it enters a stage.
//! Reading them is for everyone; changing them, like changing stages, for admins and managers.

use actix_web::http::header;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use kariz_domain::{ActivityKind, ActivitySubject, Priority, StageId, TaskTemplate, TaskTemplateId};
use kariz_persistence::stage_templates::TaskTemplatePatch;
use serde::Deserialize;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::activities::{TaskTemplateList, TaskTemplateResponse};
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::extract::ValidJson;
use crate::routes::activities::body_text;
use crate::state::AppState;
use crate::vocabulary as vocab;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateTaskTemplateRequest {
    /// `task` when omitted; not `note`.
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: Option<ActivityKind>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Send the proposal")]
    pub subject: String,
    #[validate(length(max = 10000))]
    #[schema(max_length = 10000)]
    pub body: Option<String>,
    /// `normal` when omitted.
    #[schema(schema_with = vocab::priority)]
    pub priority: Option<Priority>,
    /// The task is due this many hours after the deal enters the stage (at most a year).
    #[validate(range(max = 8784))]
    #[schema(minimum = 0, maximum = 8784, example = 48)]
    pub due_in_hours: u32,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateTaskTemplateRequest {
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: Option<ActivityKind>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub subject: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 10000)]
    pub body: Option<Option<String>>,
    #[schema(schema_with = vocab::priority)]
    pub priority: Option<Priority>,
    #[validate(range(max = 8784))]
    #[schema(minimum = 0, maximum = 8784)]
    pub due_in_hours: Option<u32>,
}

/// A stage's task templates, in order.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The stage's templates", body = TaskTemplateList), ReadErrors))]
#[get("/stages/{id}/task-templates")]
pub async fn list_task_templates(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let templates = state.store.task_templates(auth.workspace_id, StageId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(TaskTemplateList { data: templates.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Add a follow-up to a stage (admins and managers): every deal entering the stage from now on —
/// opened in it, or moved into it from another stage — gets the task, for its owner.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CreateTaskTemplateRequest,
    responses((status = 201, description = "Created", body = TaskTemplateResponse, headers(("Location" = String))), WriteErrors))]
#[post("/stages/{id}/task-templates")]
pub async fn create_task_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<CreateTaskTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let subject = errors.check("subject", ActivitySubject::parse(&body.subject));
    let text = body_text(&mut errors, body.body.as_deref());
    let Some(subject) = subject.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let template = TaskTemplate {
        kind: body.kind.unwrap_or(ActivityKind::Task),
        subject,
        body: text,
        priority: body.priority.unwrap_or(Priority::Normal),
        due_in_hours: body.due_in_hours,
    };
    let record = state.store.create_task_template(auth.workspace_id, StageId::from(*id), template).await?;
    // Templates carry no version (an edit overwrites the fields it names), so no ETag.
    let location = format!("/api/v1/task-templates/{}", record.id);
    Ok(HttpResponse::Created().insert_header((header::LOCATION, location)).json(TaskTemplateResponse::from(&record)))
}

/// Change a template (admins and managers); tasks it already created stay as they are.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateTaskTemplateRequest,
    responses((status = 200, description = "Updated", body = TaskTemplateResponse), WriteErrors))]
#[patch("/task-templates/{id}")]
pub async fn update_task_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<UpdateTaskTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let subject = errors.check_opt("subject", body.subject.as_deref().map(ActivitySubject::parse));
    let text = body.body.map(|raw| body_text(&mut errors, raw.as_deref()));
    let Some(subject) = subject.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let patch = TaskTemplatePatch { kind: body.kind, subject, body: text, priority: body.priority, due_in_hours: body.due_in_hours };
    let record = state.store.update_task_template(auth.workspace_id, TaskTemplateId::from(*id), patch).await?;
    Ok(HttpResponse::Ok().json(TaskTemplateResponse::from(&record)))
}

/// Delete a template (admins and managers); tasks it already created stay.
#[utoipa::path(tag = "pipelines", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/task-templates/{id}")]
pub async fn delete_task_template(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_pipeline_manager()?;
    state.store.delete_task_template(auth.workspace_id, TaskTemplateId::from(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
