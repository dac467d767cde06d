//! OpenAPI schemas of the domain's closed vocabularies that response bodies and payloads carry,
//! built from the domain's own name lists so the document cannot drift from what is sent.

use kariz_domain::{ActivityKind, DisqualifyReason, LeadSource, LeadStatus, OpportunityStatus, Priority};
use utoipa::openapi::schema::{Object, ObjectBuilder, Type};
use utoipa::openapi::{OneOfBuilder, RefOr, Schema};

/// A string schema that admits exactly `names`.
pub fn names(names: &[&str]) -> Object {
    ObjectBuilder::new().schema_type(Type::String).enum_values(Some(names.iter().copied())).build()
}

/// `names`, or `null`.
pub fn nullable(names: &[&str]) -> RefOr<Schema> {
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

pub fn activity_kind() -> Object {
    names(ActivityKind::NAMES)
}

pub fn notification_kind() -> Object {
    names(&kariz_domain::notification::NOTIFICATION_KINDS)
}

pub fn priority() -> Object {
    names(Priority::NAMES)
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

pub fn quote_status() -> Object {
    names(kariz_domain::QuoteStatus::NAMES)
}

pub fn invoice_status() -> Object {
    names(kariz_domain::InvoiceStatus::NAMES)
}

pub fn payment_method() -> Object {
    names(kariz_domain::PaymentMethod::NAMES)
}
