//! OpenAPI schemas of the domain's closed vocabularies, built from the domain's own name lists
//! so the document cannot drift from what the API accepts.

use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_domain::scoring::LeadField;
use kariz_domain::{ActivityKind, ApiKeyScope, DisqualifyReason, LeadSource, LeadStatus, OpportunityStatus, Priority};
use kariz_persistence::deals::DealSort;
use kariz_persistence::leads::LeadSort;
use kariz_persistence::search::ListOrder;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object, ObjectBuilder, Type};
use utoipa::openapi::{OneOfBuilder, RefOr, Schema};

/// The statuses a deal list filters on.
pub const DEAL_STATUSES: [&str; 3] = ["open", "won", "lost"];

/// The statuses a webhook delivery list filters on.
pub const DELIVERY_STATUSES: [&str; 3] = ["pending", "succeeded", "failed"];

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

pub fn activity_kind_or_null() -> RefOr<Schema> {
    nullable(ActivityKind::NAMES)
}

/// The `sort` of the deal list.
pub fn deal_sort() -> Object {
    names(&DealSort::NAMES)
}

/// The `sort` of the lead inbox.
pub fn lead_sort() -> Object {
    names(&LeadSort::NAMES)
}

/// The `sort` of the contact and organization lists.
pub fn list_order() -> Object {
    names(&ListOrder::NAMES)
}

/// A deal's status as a list filter.
pub fn deal_status() -> Object {
    names(&DEAL_STATUSES)
}

/// The board's status filter: a deal status, or `all`.
pub fn board_status() -> Object {
    names(&[DEAL_STATUSES[0], DEAL_STATUSES[1], DEAL_STATUSES[2], "all"])
}

/// A webhook delivery's status as a list filter.
pub fn delivery_status() -> Object {
    names(&DELIVERY_STATUSES)
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

/// A webhook event type, as subscriptions, deliveries and payloads name it: a named schema, so
/// that clients list the types from the document instead of keeping their own list.
pub struct EventType;

impl utoipa::PartialSchema for EventType {
    fn schema() -> RefOr<Schema> {
        let mut schema = names(&kariz_domain::events::EVENT_TYPES);
        schema.description = Some("A webhook event type.".to_owned());
        RefOr::T(Schema::Object(schema))
    }
}

impl utoipa::ToSchema for EventType {}

/// A webhook delivery's status.
pub fn delivery_status_value() -> Object {
    names(&DELIVERY_STATUSES)
}

