//! Response bodies of leads, scoring, qualification, opportunities, API keys and custom fields.

use chrono::{DateTime, Utc};
use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_persistence::api_keys::ApiKeyRecord;
use kariz_persistence::custom_fields::FieldDefinitionRecord;
use kariz_persistence::opportunities::Qualification;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::DealResponse;
use crate::vocabulary as vocab;

pub use kariz_contract::{LeadResponse, OpportunityResponse};

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
