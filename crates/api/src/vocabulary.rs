//! OpenAPI schemas of the domain's closed vocabularies, built from the domain's own name lists
//! so the document cannot drift from what the API accepts.

use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_domain::scoring::LeadField;
use kariz_domain::{ActivityKind, ApiKeyScope};
use kariz_persistence::deals::DealSort;
use kariz_persistence::leads::LeadSort;
use kariz_persistence::search::ListOrder;
use utoipa::openapi::schema::{Array, ArrayBuilder, Object};
use utoipa::openapi::{RefOr, Schema};

pub use kariz_contract::vocabulary::*;

/// The statuses a deal list filters on.
pub const DEAL_STATUSES: [&str; 3] = ["open", "won", "lost"];

/// The statuses a webhook delivery list filters on.
pub const DELIVERY_STATUSES: [&str; 3] = ["pending", "succeeded", "failed"];

pub fn field_entity() -> Object {
    names(FieldEntity::NAMES)
}

/// The list a saved view filters.
pub fn view_entity() -> Object {
    names(kariz_domain::ViewEntity::NAMES)
}

pub fn field_kind() -> Object {
    names(FieldKind::NAMES)
}

/// A field kind in an edit, where `null` (like absence) leaves it as it is.
pub fn field_kind_or_null() -> RefOr<Schema> {
    nullable(FieldKind::NAMES)
}

pub fn lead_field() -> Object {
    names(LeadField::NAMES)
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

/// A webhook delivery's status.
pub fn delivery_status_value() -> Object {
    names(&DELIVERY_STATUSES)
}
