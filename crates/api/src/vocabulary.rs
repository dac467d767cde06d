//! OpenAPI schemas of the domain's closed vocabularies, built from the domain's own name lists
//! so the document cannot drift from what the API accepts.

use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_domain::scoring::LeadField;
use kariz_domain::{ActivityKind, ApiKeyScope, DisqualifyReason, LeadSource, LeadStatus, OpportunityStatus, Priority};
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};
use utoipa::openapi::{OneOfBuilder, RefOr, Schema};

fn names(names: &[&str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names.iter().copied())).build()
}

fn nullable(names: &[&str]) -> RefOr<Schema> {
    let null = ObjectBuilder::new().schema_type(Type::Null).build();
    RefOr::T(Schema::OneOf(OneOfBuilder::new().item(self::names(names)).item(null).build()))
}

pub fn lead_source() -> Object {
    names(LeadSource::NAMES)
}

pub fn lead_status() -> Object {
    names(&LeadStatus::NAMES)
}

pub fn disqualify_reason() -> Object {
    names(DisqualifyReason::NAMES)
}

pub fn disqualify_reason_or_null() -> RefOr<Schema> {
    nullable(DisqualifyReason::NAMES)
}

pub fn opportunity_status() -> Object {
    names(&[OpportunityStatus::Open.as_str(), OpportunityStatus::Won.as_str(), OpportunityStatus::Lost.as_str()])
}

pub fn field_entity() -> Object {
    names(FieldEntity::NAMES)
}

pub fn field_kind() -> Object {
    names(FieldKind::NAMES)
}

pub fn lead_field() -> Object {
    names(LeadField::NAMES)
}

pub fn activity_kind() -> Object {
    names(ActivityKind::NAMES)
}

pub fn priority() -> Object {
    names(Priority::NAMES)
}

/// An API key's scopes.
pub fn api_key_scopes() -> Array {
    ArrayBuilder::new()
        .items(names(ApiKeyScope::NAMES))
        .min_items(Some(1))
        .description(Some(
            "What the key may do, acting as the admin who made it: `read` (GET), `write` (also changes), `admin` \
             (also admin-only operations) — each including the ones before — and `intake` (only `POST /intake/leads`)",
        ))
        .build()
}
