//! Response bodies of leads, scoring, qualification, opportunities, API keys and custom fields.

use chrono::{DateTime, Utc};
use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_domain::{DisqualifyReason, LeadSource, LeadStatus};
use kariz_persistence::api_keys::ApiKeyRecord;
use kariz_persistence::custom_fields::FieldDefinitionRecord;
use kariz_persistence::leads::LeadRecord;
use kariz_persistence::opportunities::{OpportunityRecord, Qualification};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::ToSchema;
use uuid::Uuid;

use super::DealResponse;
use crate::vocabulary as vocab;

/// A lead; `lead.*` webhook events carry the same object.
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadResponse {
    pub id: Uuid,
    #[schema(example = "Sara Ahmadi")]
    pub name: String,
    /// Lower-cased.
    pub email: Option<String>,
    /// E.164 (`+989121234567`), whatever digits and prefix it was written with.
    pub phone: Option<String>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    #[schema(schema_with = vocab::lead_source)]
    pub source: LeadSource,
    pub campaign: Option<String>,
    pub medium: Option<String>,
    pub owner_id: Option<Uuid>,
    #[schema(schema_with = vocab::lead_status)]
    pub status: String,
    #[schema(schema_with = vocab::disqualify_reason_or_null)]
    pub disqualify_reason: Option<DisqualifyReason>,
    pub disqualify_note: Option<String>,
    /// When the lead was qualified or disqualified.
    pub closed_at: Option<DateTime<Utc>>,
    /// The sum of the points of the workspace's scoring rules that fire for this lead.
    pub score: i32,
    pub tags: Vec<String>,
    pub notes: Option<String>,
    pub custom_fields: Map<String, Value>,
    /// How many times the lead was submitted (intake or import).
    pub submissions: i32,
    /// Set once the lead is qualified.
    pub opportunity_id: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&LeadRecord> for LeadResponse {
    fn from(r: &LeadRecord) -> Self {
        let f = &r.fields;
        let (reason, note, closed_at) = match &r.status {
            LeadStatus::Disqualified { reason, note, at } => (Some(*reason), note.as_ref().map(|n| n.as_str().to_owned()), Some(*at)),
            LeadStatus::Qualified { at } => (None, None, Some(*at)),
            _ => (None, None, None),
        };
        LeadResponse {
            id: r.id.as_uuid(),
            name: f.name.as_str().to_owned(),
            email: f.email.as_ref().map(|e| e.as_str().to_owned()),
            phone: f.phone.as_ref().map(|p| p.as_str().to_owned()),
            company: f.company.clone(),
            job_title: f.job_title.clone(),
            source: f.source,
            campaign: f.campaign.clone(),
            medium: f.medium.clone(),
            owner_id: f.owner_id.map(|o| o.as_uuid()),
            status: r.status.as_str().to_owned(),
            disqualify_reason: reason,
            disqualify_note: note,
            closed_at,
            score: r.score,
            tags: f.tags.as_slice().to_vec(),
            notes: f.notes.clone(),
            custom_fields: f.custom_fields.clone(),
            submissions: r.submissions,
            opportunity_id: r.opportunity_id.map(|o| o.as_uuid()),
            version: r.version,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LeadList {
    pub data: Vec<LeadResponse>,
    pub next_cursor: Option<String>,
}

/// One rule that fired for a lead.
#[derive(Serialize, ToSchema)]
pub struct FiredRuleResponse {
    pub rule_id: Uuid,
    pub name: String,
    pub points: i32,
}

/// Why a lead has its score.
#[derive(Serialize, ToSchema)]
pub struct ScoreResponse {
    pub lead_id: Uuid,
    pub score: i32,
    /// Every rule that fired, in rule order; rules that did not fire are not listed.
    pub rules: Vec<FiredRuleResponse>,
}

#[derive(Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityResponse {
    pub id: Uuid,
    pub title: String,
    /// The lead it was qualified from.
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub need: Option<String>,
    pub budget_minor: Option<i64>,
    pub budget_currency: Option<String>,
    pub timeline: Option<String>,
    pub decision_maker: Option<String>,
    pub owner_id: Uuid,
    /// Derived from the deals: won if any is won, open while any is open (or none exists), lost
    /// when all are lost.
    #[schema(schema_with = vocab::opportunity_status)]
    pub status: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first. (Absent from `opportunity.created` events, whose deals have their own.)
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deals: Option<Vec<DealResponse>>,
}

impl From<&OpportunityRecord> for OpportunityResponse {
    fn from(r: &OpportunityRecord) -> Self {
        OpportunityResponse {
            id: r.id.as_uuid(),
            title: r.title.clone(),
            lead_id: r.lead_id.map(|l| l.as_uuid()),
            contact_id: r.contact_id.map(|c| c.as_uuid()),
            organization_id: r.organization_id.map(|o| o.as_uuid()),
            need: r.need.clone(),
            budget_minor: r.budget.map(|b| b.amount_minor()),
            budget_currency: r.budget.map(|b| b.currency().to_string()),
            timeline: r.timeline.clone(),
            decision_maker: r.decision_maker.clone(),
            owner_id: r.owner_id.as_uuid(),
            status: r.status().as_str().to_owned(),
            created_at: r.created_at,
            updated_at: r.updated_at,
            deals: Some(r.deals.iter().map(Into::into).collect()),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OpportunityList {
    pub data: Vec<OpportunityResponse>,
    pub next_cursor: Option<String>,
}

/// What qualifying a lead created or linked. Qualifying again returns the same ids.
#[derive(Serialize, ToSchema)]
pub struct QualificationResponse {
    pub lead: LeadResponse,
    pub opportunity: OpportunityResponse,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    /// The deal opened by the qualification, if one was.
    pub deal: Option<DealResponse>,
    pub contact_created: bool,
    pub organization_created: bool,
    /// False when the lead had been qualified before and this is that result again.
    pub first_time: bool,
}

impl From<&Qualification> for QualificationResponse {
    fn from(q: &Qualification) -> Self {
        QualificationResponse {
            lead: (&q.lead).into(),
            opportunity: (&q.opportunity).into(),
            contact_id: q.opportunity.contact_id.map(|c| c.as_uuid()),
            organization_id: q.opportunity.organization_id.map(|o| o.as_uuid()),
            deal: q.opportunity.deals.first().map(Into::into),
            contact_created: q.contact_created,
            organization_created: q.organization_created,
            first_time: q.first_time,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyResponse {
    pub id: Uuid,
    pub name: String,
    /// The key's first characters, to tell keys apart.
    #[schema(example = "kz_3f9a1c2e")]
    pub prefix: String,
    #[schema(schema_with = vocab::api_key_scopes)]
    pub scopes: Vec<String>,
    pub created_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    /// When the key stops working; `null` for never.
    pub expires_at: Option<DateTime<Utc>>,
}

impl From<&ApiKeyRecord> for ApiKeyResponse {
    fn from(r: &ApiKeyRecord) -> Self {
        ApiKeyResponse {
            id: r.id.as_uuid(),
            name: r.name.clone(),
            prefix: r.prefix.clone(),
            scopes: r.scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            created_by: r.created_by.map(|u| u.as_uuid()),
            created_at: r.created_at,
            last_used_at: r.last_used_at,
            revoked_at: r.revoked_at,
            expires_at: r.expires_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ApiKeyList {
    pub data: Vec<ApiKeyResponse>,
    pub next_cursor: Option<String>,
}

/// A new key: `key` is shown this once and cannot be read again.
#[derive(Serialize, ToSchema)]
pub struct ApiKeyCreated {
    pub api_key: ApiKeyResponse,
    #[schema(example = "kz_3f9a1c2e_P6q0cW8d…")]
    pub key: String,
}

#[derive(Serialize, ToSchema)]
pub struct FieldDefinitionResponse {
    pub id: Uuid,
    #[schema(schema_with = vocab::field_entity)]
    pub entity: FieldEntity,
    pub key: String,
    pub label: String,
    #[schema(schema_with = vocab::field_kind)]
    pub kind: FieldKind,
    /// The choices of a `select` field.
    pub options: Vec<String>,
    pub required: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&FieldDefinitionRecord> for FieldDefinitionResponse {
    fn from(r: &FieldDefinitionRecord) -> Self {
        FieldDefinitionResponse {
            id: r.id,
            entity: r.entity,
            key: r.definition.key.clone(),
            label: r.label.clone(),
            kind: r.definition.kind,
            options: r.definition.options.clone(),
            required: r.definition.required,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FieldDefinitionList {
    pub data: Vec<FieldDefinitionResponse>,
    pub next_cursor: Option<String>,
}

/// A contact that looks like the same person as a lead.
#[derive(Serialize, ToSchema)]
pub struct ContactMatchResponse {
    pub id: Uuid,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    /// `email` and/or `phone`.
    pub matched_on: Vec<String>,
}
