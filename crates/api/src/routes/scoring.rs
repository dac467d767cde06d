//! Lead-scoring rules: read them, or replace them all (which re-scores every lead).

use actix_web::{HttpResponse, get, post, put, web};
use kariz_domain::scoring::{Comparison, Condition, LeadField, RuleError, RuleName, ScoringRule};
use kariz_domain::{ActivityKind, LeadSource};
use kariz_persistence::scoring::{PreviewedLead, ScoringPreview, ScoringRuleRecord};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::extract::ValidJson;
use crate::state::AppState;
use crate::vocabulary as vocab;

/// The most rules a workspace may have.
const MAX_RULES: usize = 100;

/// How a custom-field condition compares.
#[derive(Clone, Copy, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ComparisonDto {
    Equals,
    AtLeast,
    AtMost,
    Present,
}

/// When a rule fires. Text comparisons ignore case.
#[derive(Clone, Serialize, Deserialize, ToSchema)]
// Named apart from the automations' `ConditionDto`, which would otherwise take its place in the document.
#[schema(as = ScoringCondition)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ConditionDto {
    /// The field has a value.
    FieldPresent {
        #[schema(schema_with = vocab::lead_field)]
        field: LeadField,
    },
    /// The field equals `value`.
    FieldEquals {
        #[schema(schema_with = vocab::lead_field)]
        field: LeadField,
        value: String,
    },
    /// The field contains `value` (e.g. job title contains `CEO`).
    FieldContains {
        #[schema(schema_with = vocab::lead_field)]
        field: LeadField,
        value: String,
    },
    /// The lead came from one of these sources.
    SourceIn {
        #[schema(schema_with = lead_sources)]
        sources: Vec<LeadSource>,
    },
    /// The lead carries this tag.
    HasTag { tag: String },
    /// A custom field compares to `value` (a number for `at_least` / `at_most`).
    CustomField {
        key: String,
        comparison: ComparisonDto,
        #[serde(default)]
        value: Value,
    },
    /// The lead was submitted (intake or import) at least `min` times.
    SubmissionsAtLeast {
        #[schema(value_type = i64, minimum = 1, maximum = 4294967295_i64)]
        min: u32,
    },
    /// At least `min` activities are logged on the lead: of `activity_kind`, or of any kind when
    /// it is omitted. Logging or deleting one re-scores the lead.
    ActivitiesAtLeast {
        #[schema(value_type = i64, minimum = 1, maximum = 4294967295_i64)]
        min: u32,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        #[schema(schema_with = vocab::activity_kind_or_null)]
        activity_kind: Option<ActivityKind>,
    },
}

fn lead_sources() -> utoipa::openapi::schema::Array {
    utoipa::openapi::schema::ArrayBuilder::new().items(vocab::lead_source()).min_items(Some(1)).build()
}

impl From<ConditionDto> for Condition {
    fn from(dto: ConditionDto) -> Self {
        match dto {
            ConditionDto::FieldPresent { field } => Condition::FieldPresent { field },
            ConditionDto::FieldEquals { field, value } => Condition::FieldEquals { field, value },
            ConditionDto::FieldContains { field, value } => Condition::FieldContains { field, value },
            ConditionDto::SourceIn { sources } => Condition::SourceIn { sources },
            ConditionDto::HasTag { tag } => Condition::HasTag { tag },
            ConditionDto::CustomField { key, comparison, value } => {
                let comparison = match comparison {
                    ComparisonDto::Equals => Comparison::Equals,
                    ComparisonDto::AtLeast => Comparison::AtLeast,
                    ComparisonDto::AtMost => Comparison::AtMost,
                    ComparisonDto::Present => Comparison::Present,
                };
                Condition::CustomField { key, comparison, value }
            }
            ConditionDto::SubmissionsAtLeast { min } => Condition::SubmissionsAtLeast { min },
            ConditionDto::ActivitiesAtLeast { min, activity_kind } => Condition::ActivitiesAtLeast { min, activity_kind },
        }
    }
}

impl From<&Condition> for ConditionDto {
    fn from(condition: &Condition) -> Self {
        match condition.clone() {
            Condition::FieldPresent { field } => ConditionDto::FieldPresent { field },
            Condition::FieldEquals { field, value } => ConditionDto::FieldEquals { field, value },
            Condition::FieldContains { field, value } => ConditionDto::FieldContains { field, value },
            Condition::SourceIn { sources } => ConditionDto::SourceIn { sources },
            Condition::HasTag { tag } => ConditionDto::HasTag { tag },
            Condition::CustomField { key, comparison, value } => {
                let comparison = match comparison {
                    Comparison::Equals => ComparisonDto::Equals,
                    Comparison::AtLeast => ComparisonDto::AtLeast,
                    Comparison::AtMost => ComparisonDto::AtMost,
                    Comparison::Present => ComparisonDto::Present,
                };
                ConditionDto::CustomField { key, comparison, value }
            }
            Condition::SubmissionsAtLeast { min } => ConditionDto::SubmissionsAtLeast { min },
            Condition::ActivitiesAtLeast { min, activity_kind } => ConditionDto::ActivitiesAtLeast { min, activity_kind },
        }
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ScoringRuleInput {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Decision maker")]
    pub name: String,
    pub condition: ConditionDto,
    /// Added to the score when the rule fires; negative to subtract.
    #[validate(range(min = -1000, max = 1000))]
    #[schema(minimum = -1000, maximum = 1000, example = 25)]
    pub points: i32,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReplaceScoringRulesRequest {
    /// The complete rule set, in order; an empty list scores every lead 0.
    #[schema(max_items = 100)]
    pub rules: Vec<ScoringRuleInput>,
}

#[derive(Serialize, ToSchema)]
pub struct ScoringRuleResponse {
    pub id: Uuid,
    pub name: String,
    pub condition: ConditionDto,
    pub points: i32,
}

impl From<&ScoringRuleRecord> for ScoringRuleResponse {
    fn from(r: &ScoringRuleRecord) -> Self {
        ScoringRuleResponse {
            id: r.id,
            name: r.rule.name.as_str().to_owned(),
            condition: (&r.rule.condition).into(),
            points: r.rule.points,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ScoringRulesResponse {
    pub data: Vec<ScoringRuleResponse>,
    /// After a replacement: how many leads' scores changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rescored: Option<u64>,
}

/// The workspace's scoring rules, in order.
#[utoipa::path(tag = "leads", security(("bearer" = [])),
    responses((status = 200, description = "The rules", body = ScoringRulesResponse), ReadErrors))]
#[get("/scoring-rules")]
pub async fn list_scoring_rules(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let rules = state.store.scoring_rules(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(ScoringRulesResponse { data: rules.iter().map(Into::into).collect(), rescored: None }))
}

/// Replace the scoring rules (admins and managers). Every lead of the workspace is re-scored in
/// the same transaction.
#[utoipa::path(tag = "leads", security(("bearer" = [])), request_body = ReplaceScoringRulesRequest,
    responses((status = 200, description = "The new rules", body = ScoringRulesResponse), WriteErrors))]
#[put("/scoring-rules")]
pub async fn replace_scoring_rules(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<ReplaceScoringRulesRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let rules = checked_rules(body.0)?;
    let (rules, rescored) = state.store.replace_scoring_rules(auth.workspace_id, rules).await?;
    Ok(HttpResponse::Ok().json(ScoringRulesResponse { data: rules.iter().map(Into::into).collect(), rescored: Some(rescored) }))
}

/// The rules of a request, each checked; a refused rule is a field error at `rules.{i}.…`.
fn checked_rules(request: ReplaceScoringRulesRequest) -> Result<Vec<ScoringRule>, ApiError> {
    if request.rules.len() > MAX_RULES {
        return Err(ApiError::validation("rules", FieldCode::Length, format!("at most {MAX_RULES} rules")));
    }
    let mut errors = FieldErrors::default();
    let mut rules = Vec::new();
    for (i, input) in request.rules.into_iter().enumerate() {
        let Some(name) = errors.check(&format!("rules.{i}.name"), RuleName::parse(&input.name)) else { continue };
        let rule = ScoringRule::new(name, input.condition.into(), input.points);
        // Points out of range are the points' fault; every other refusal is the condition's.
        let (at, code) = if matches!(rule, Err(RuleError::PointsOutOfRange)) {
            ("points", FieldCode::Range)
        } else {
            ("condition", FieldCode::Condition)
        };
        if let Some(rule) = errors.check_as(&format!("rules.{i}.{at}"), code, rule) {
            rules.push(rule);
        }
    }
    if !errors.is_empty() {
        return Err(errors.into_error());
    }
    Ok(rules)
}

/// Leads a preview lists.
const PREVIEW_SAMPLE: usize = 10;

/// One lead's score now and under the draft rules.
#[derive(Serialize, ToSchema)]
pub struct PreviewedLeadResponse {
    pub lead_id: Uuid,
    pub name: String,
    pub current_score: i32,
    pub new_score: i32,
}

impl From<&PreviewedLead> for PreviewedLeadResponse {
    fn from(p: &PreviewedLead) -> Self {
        PreviewedLeadResponse { lead_id: p.lead_id.as_uuid(), name: p.name.clone(), current_score: p.current, new_score: p.proposed }
    }
}

/// One draft rule's effect.
#[derive(Serialize, ToSchema)]
pub struct RuleEffectResponse {
    /// How many of the workspace's leads the rule fires on.
    pub matches: u64,
    pub points: i32,
}

/// What draft rules would do to the inbox; nothing is saved.
#[derive(Serialize, ToSchema)]
pub struct ScoringPreviewResponse {
    /// One entry per draft rule, in the request's order.
    pub rules: Vec<RuleEffectResponse>,
    /// The workspace's leads, all of which were scored.
    pub leads: u64,
    /// How many leads' scores the rules would change.
    pub changed: u64,
    /// The best-scored leads under the draft rules (at most 10), best first.
    pub top: Vec<PreviewedLeadResponse>,
}

impl ScoringPreviewResponse {
    fn new(rules: &[ScoringRule], preview: &ScoringPreview) -> Self {
        ScoringPreviewResponse {
            rules: rules.iter().zip(&preview.matches).map(|(r, &matches)| RuleEffectResponse { matches, points: r.points }).collect(),
            leads: preview.leads,
            changed: preview.changed,
            top: preview.top.iter().map(Into::into).collect(),
        }
    }
}

/// Preview draft scoring rules (admins and managers): how many leads each rule fires on and how
/// the best leads' scores would change. Read-only; the rules are checked as `PUT` checks them.
#[utoipa::path(tag = "leads", security(("bearer" = [])), request_body = ReplaceScoringRulesRequest,
    responses((status = 200, description = "The draft rules' effect", body = ScoringPreviewResponse), WriteErrors))]
#[post("/scoring-rules/preview")]
pub async fn preview_scoring_rules(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<ReplaceScoringRulesRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let rules = checked_rules(body.0)?;
    let preview = state.store.preview_scoring(auth.workspace_id, &rules, PREVIEW_SAMPLE).await?;
    Ok(HttpResponse::Ok().json(ScoringPreviewResponse::new(&rules, &preview)))
}
