//! A product of the catalogue, as the API answers it and `product.*` events carry it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// A product of the workspace's catalogue; `product.*` webhook events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductResponse {
    pub id: Uuid,
    #[schema(example = "GPS tracker T4")]
    pub name: String,
    /// Unique in the workspace whatever its letter case.
    #[schema(example = "GPS-T4")]
    pub sku: String,
    /// What the product is counted in.
    #[schema(example = "pcs")]
    pub unit: Option<String>,
    /// The price of one unit in the currency's minor units.
    #[schema(example = 12_500_000)]
    pub unit_price_minor: i64,
    #[schema(example = "IRR")]
    pub currency: String,
    /// Tax (VAT) in basis points: 1000 is 10%.
    #[schema(example = 1000, minimum = 0, maximum = 10000)]
    pub tax_rate_bp: i32,
    /// Offered for new lines; an archived product stays on the lines that have it.
    pub active: bool,
    /// Incremented by every change; send it back as `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
