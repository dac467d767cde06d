//! Automation rules (admins and managers): a trigger, conditions on the record and actions,
//! run from the outbox on every change that commits (see `persistence/src/automations.rs`).
//! A rule is checked whole by the domain when it is saved; each problem is a field error at the
//! path of the part it concerns (`actions[1].stage_id`).

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use kariz_domain::automation::{RawCondition, RawRule, RawTrigger, RuleProblem};
use kariz_persistence::automations::{ActionOutcome, AutomationRecord, CheckedRule, RunRecord, check_rule};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, ErrorCode, FieldCode, FieldError};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::state::AppState;

/// What starts a rule.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TriggerDto {
    /// `deal.stage_changed`, `deal.created`, `deal.won`, `deal.lost`, `lead.created` or
    /// `lead.qualified` run on each such change; `deal.rotting`, `activity.overdue` and
    /// `important_date.upcoming` are accepted and kept, and run from the scheduled pass.
    #[serde(rename = "type")]
    #[schema(example = "deal.stage_changed")]
    pub kind: String,
    /// `deal.stage_changed` into this stage only (any stage when omitted).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stage_id: Option<Uuid>,
    /// `important_date.upcoming`: how many days before the date (0–365).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days_before: Option<i64>,
}

/// A test of one field of the record: its name as the record's JSON has it, or
/// `custom_fields.<key>`. `eq`/`neq` compare one value (text without regard to case), `gt`,
/// `gte`, `lt`, `lte` numbers or ISO dates, `contains` text in text or a value in a list (tags),
/// `in` the field against a list of values. A missing field passes only `neq`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ConditionDto {
    #[schema(example = "amount_minor")]
    pub field: String,
    #[schema(example = "gte")]
    pub op: String,
    #[schema(value_type = Object, example = 1000)]
    pub value: Value,
}

/// What a rule does, by `type`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ActionDto {
    /// Emails the record's `contact`, its `owner` or an address with a template.
    SendEmail {
        to: String,
        template_id: Uuid,
    },
    /// A task on the record, due `due_in_days` (0–365) after the change, for `owner_id` or the
    /// record's owner.
    CreateTask {
        title: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        due_in_days: Option<i64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        owner_id: Option<Uuid>,
    },
    /// A notification to each of these members.
    Notify {
        user_ids: Vec<Uuid>,
    },
    /// Gives the record to the next of these members in turn.
    AssignOwner {
        user_ids: Vec<Uuid>,
    },
    /// Moves the deal to this stage (of its pipeline).
    MoveToStage {
        stage_id: Uuid,
    },
    AddTag {
        tag: String,
    },
    /// Qualifies the lead into a deal in this pipeline's first stage.
    QualifyLead {
        pipeline_id: Uuid,
    },
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateAutomationRequest {
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120, example = "Big deals into Proposal")]
    pub name: String,
    pub trigger: TriggerDto,
    /// All must hold (at most 20).
    #[serde(default)]
    #[validate(length(max = 20))]
    pub conditions: Vec<ConditionDto>,
    /// Run in order (one to 10).
    #[validate(length(min = 1, max = 10))]
    pub actions: Vec<ActionDto>,
    /// Default `true`.
    #[serde(default = "yes")]
    pub active: bool,
}

fn yes() -> bool {
    true
}

/// A change of a rule: what is sent replaces what is stored; the whole rule is checked again.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateAutomationRequest {
    #[validate(length(min = 1, max = 120))]
    #[schema(min_length = 1, max_length = 120)]
    pub name: Option<String>,
    pub trigger: Option<TriggerDto>,
    #[validate(length(max = 20))]
    pub conditions: Option<Vec<ConditionDto>>,
    #[validate(length(min = 1, max = 10))]
    pub actions: Option<Vec<ActionDto>>,
    pub active: Option<bool>,
    /// The version you read, when you cannot send `If-Match`.
    pub version: Option<i64>,
}

#[derive(Serialize, ToSchema)]
pub struct AutomationResponse {
    pub id: Uuid,
    pub name: String,
    pub trigger: TriggerDto,
    pub conditions: Vec<ConditionDto>,
    pub actions: Vec<ActionDto>,
    pub active: bool,
    pub created_by: Uuid,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Serialize, ToSchema)]
pub struct AutomationList {
    pub data: Vec<AutomationResponse>,
}

/// What one action of a run did.
#[derive(Serialize, ToSchema)]
pub struct ActionOutcomeResponse {
    /// The action's type.
    pub action: String,
    /// `done`, `skipped` (there was nothing to change, e.g. the tag was already there) or `failed`.
    pub status: String,
    /// Why it was skipped or failed.
    pub detail: Option<String>,
    /// The record it made or changed (a task, the deal, the new owner).
    pub record_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct AutomationRunResponse {
    pub id: Uuid,
    pub automation_id: Uuid,
    /// The outbox event that fired it (its webhook event id).
    pub event_id: Option<Uuid>,
    /// `deal`, `lead`, `activity` or `contact`.
    pub subject_type: String,
    pub subject_id: Uuid,
    /// `running`, `succeeded`, or `failed` when an action failed.
    pub status: String,
    /// 1 when a person's change fired it; 2 or 3 when another rule's did.
    pub depth: i32,
    pub outcomes: Vec<ActionOutcomeResponse>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

#[derive(Serialize, ToSchema)]
pub struct AutomationRunList {
    pub data: Vec<AutomationRunResponse>,
    /// Pass as `cursor` for older runs; absent on the last page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RunListQuery {
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DryRunRequest {
    /// A deal (for a deal trigger) or a lead (for a lead trigger).
    pub record_id: Uuid,
}

#[derive(Serialize, ToSchema)]
pub struct ConditionCheck {
    pub field: String,
    pub op: String,
    #[schema(value_type = Object)]
    pub value: Value,
    /// The record's value of the field (`null` when it has none).
    #[schema(value_type = Object)]
    pub actual: Value,
    pub holds: bool,
}

/// What a rule would do for a record now, without doing it.
#[derive(Serialize, ToSchema)]
pub struct DryRunResponse {
    pub subject_type: String,
    pub conditions: Vec<ConditionCheck>,
    /// Whether every condition holds, so the rule would run.
    pub matches: bool,
    /// The actions that would run, in order.
    pub actions: Vec<String>,
}

fn response(record: &AutomationRecord) -> AutomationResponse {
    AutomationResponse {
        id: record.id,
        name: record.rule.name.as_str().to_owned(),
        trigger: serde_json::from_value(record.trigger.clone()).unwrap_or(TriggerDto {
            kind: String::new(),
            stage_id: None,
            days_before: None,
        }),
        conditions: serde_json::from_value(record.conditions.clone()).unwrap_or_default(),
        actions: serde_json::from_value(record.actions.clone()).unwrap_or_default(),
        active: record.rule.active,
        created_by: record.created_by.as_uuid(),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// The caller as the store sees them: the rule's maker, and a dry run's reader.
fn viewer(auth: &AuthUser) -> kariz_domain::Viewer {
    kariz_domain::Viewer::new(auth.workspace_id, auth.user_id, auth.role, auth.visibility)
}

fn one(status: StatusCode, record: &AutomationRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(response(record))
}

fn run_response(run: RunRecord) -> AutomationRunResponse {
    AutomationRunResponse {
        id: run.id,
        automation_id: run.automation_id,
        event_id: run.event_id,
        subject_type: run.subject_type,
        subject_id: run.subject_id,
        status: run.status,
        depth: run.depth,
        outcomes: run
            .outcomes
            .into_iter()
            .map(|ActionOutcome { action, status, detail, record_id }| ActionOutcomeResponse { action, status, detail, record_id })
            .collect(),
        created_at: run.created_at,
        finished_at: run.finished_at,
    }
}

/// The domain's rule from the request's parts, or every problem as a field error.
fn checked(
    name: String,
    trigger: TriggerDto,
    conditions: Vec<ConditionDto>,
    actions: Vec<ActionDto>,
    active: bool,
) -> Result<CheckedRule, ApiError> {
    let raw = RawRule {
        name,
        trigger: RawTrigger { kind: trigger.kind, stage_id: trigger.stage_id, days_before: trigger.days_before },
        conditions: conditions.into_iter().map(|c| RawCondition { field: c.field, op: c.op, value: c.value }).collect(),
        actions: actions.iter().map(|a| serde_json::to_value(a).unwrap_or(Value::Null)).collect(),
        active,
    };
    check_rule(raw).map_err(|problems| {
        ApiError::Validation(
            problems.into_iter().map(|RuleProblem { path, message }| FieldError::new(path, FieldCode::Invalid, message)).collect(),
        )
    })
}

/// The workspace's automation rules, oldest first (at most 200).
#[utoipa::path(tag = "automations", security(("bearer" = [])),
    responses((status = 200, description = "The rules", body = AutomationList), ReadErrors))]
#[get("/automations")]
pub async fn list_automations(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let records = state.store.automations(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(AutomationList { data: records.iter().map(response).collect() }))
}

/// Create a rule. It runs on the changes that commit from now on.
#[utoipa::path(tag = "automations", security(("bearer" = [])), request_body = CreateAutomationRequest,
    responses((status = 201, description = "Created", body = AutomationResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/automations")]
pub async fn create_automation(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateAutomationRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let rule = checked(body.name, body.trigger, body.conditions, body.actions, body.active)?;
    let record = state.store.create_automation(&viewer(&auth), rule).await?;
    Ok(created(&format!("/api/v1/automations/{}", record.id), record.version, response(&record)))
}

/// One rule; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "automations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The rule", body = AutomationResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/automations/{id}")]
pub async fn get_automation(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let record = state.store.automation(auth.workspace_id, *id).await?;
    Ok(one(StatusCode::OK, &record))
}

/// Change a rule (pause it with `active: false`); what is sent replaces what is stored.
#[utoipa::path(tag = "automations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    request_body = UpdateAutomationRequest,
    responses((status = 200, description = "Updated", body = AutomationResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/automations/{id}")]
pub async fn update_automation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateAutomationRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let version = if_match.require(body.version)?;
    let current = response(&state.store.automation(auth.workspace_id, *id).await?);
    let rule = checked(
        body.name.unwrap_or(current.name),
        body.trigger.unwrap_or(current.trigger),
        body.conditions.unwrap_or(current.conditions),
        body.actions.unwrap_or(current.actions),
        body.active.unwrap_or(current.active),
    )?;
    let record = state.store.update_automation(&viewer(&auth), *id, version, rule).await?;
    Ok(one(StatusCode::OK, &record))
}

/// Delete a rule and its run log. If-Match is honoured when sent.
#[utoipa::path(tag = "automations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/automations/{id}")]
pub async fn delete_automation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    state.store.delete_automation(&viewer(&auth), *id, if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A rule's runs, newest first: the record each ran for and what each action did.
#[utoipa::path(tag = "automations", security(("bearer" = [])), params(("id" = Uuid, Path), RunListQuery),
    responses((status = 200, description = "The runs", body = AutomationRunList), ReadErrors))]
#[get("/automations/{id}/runs")]
pub async fn list_automation_runs(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    query: web::Query<RunListQuery>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let limit = query.limit.unwrap_or(50);
    let before = match query.cursor.as_deref() {
        None => None,
        Some(raw) => Some(Uuid::parse_str(raw).map_err(|_| ApiError::refused(ErrorCode::InvalidCursor, "not a cursor of this list"))?),
    };
    let mut runs = state.store.automation_runs(auth.workspace_id, *id, before, limit + 1).await?;
    let more = runs.len() as u64 > limit;
    runs.truncate(usize::try_from(limit).unwrap_or(usize::MAX));
    let next_cursor = more.then(|| runs.last().map(|r| r.id.to_string())).flatten();
    Ok(HttpResponse::Ok().json(AutomationRunList { data: runs.into_iter().map(run_response).collect(), next_cursor }))
}

/// A dry run: whether the rule would run for this record now, with each condition's result.
/// Nothing is changed.
#[utoipa::path(tag = "automations", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = DryRunRequest,
    responses((status = 200, description = "What the rule would do", body = DryRunResponse), WriteErrors))]
#[post("/automations/{id}/test")]
pub async fn test_automation(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<DryRunRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let dry = state.store.dry_run_automation(&viewer(&auth), *id, body.0.record_id).await?;
    Ok(HttpResponse::Ok().json(DryRunResponse {
        subject_type: dry.subject_type.to_owned(),
        conditions: dry
            .conditions
            .into_iter()
            .map(|(field, op, value, actual, holds)| ConditionCheck { field, op, value, actual, holds })
            .collect(),
        matches: dry.matches,
        actions: dry.actions.into_iter().map(str::to_owned).collect(),
    }))
}
