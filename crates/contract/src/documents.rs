//! Pre-invoices (quotes), invoices and payments, as the API answers them and `quote.*`,
//! `invoice.*` and `payment.recorded` events carry them. The lines and parties are also the form
//! a document keeps its snapshot in.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

/// The seller or the buyer as a document names them (an Iranian invoice names both fully).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Party {
    /// A person's or company's legal name.
    #[schema(example = "شرکت نمونه‌سازان پارس")]
    pub name: Option<String>,
    /// The company a person buys for.
    pub organization: Option<String>,
    /// کد اقتصادی.
    pub economic_code: Option<String>,
    /// شناسه ملی (a company) or کد ملی (a person).
    pub national_id: Option<String>,
    /// شماره ثبت.
    pub registration_number: Option<String>,
    pub postal_code: Option<String>,
    pub address: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// One priced line of a document, as it was when the document was made.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DocumentLine {
    pub product_id: Option<Uuid>,
    #[schema(example = "GPS tracker T4")]
    pub name: String,
    #[schema(example = "pcs")]
    pub unit: Option<String>,
    /// A decimal string, at most three decimals.
    #[schema(example = "3")]
    pub quantity: String,
    pub unit_price_minor: i64,
    pub discount_bp: i32,
    pub tax_rate_bp: i32,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
}

/// A pre-invoice (quote) or one of its revisions; `quote.*` events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteResponse {
    pub id: Uuid,
    pub deal_id: Uuid,
    /// The deal's owner: who, besides managers, sees the quote.
    pub owner_id: Option<Uuid>,
    /// Gapless per workspace (`Q-1405-0007`); a revision keeps it with `-R2`, `-R3`….
    #[schema(example = "Q-1405-0007")]
    pub number: String,
    /// 1 for the first version.
    pub revision: i32,
    /// The quote this revision replaces.
    pub revision_of: Option<Uuid>,
    #[schema(schema_with = crate::vocabulary::quote_status)]
    pub status: String,
    #[schema(example = "IRR")]
    pub currency: String,
    pub quote_date: NaiveDate,
    /// The last day the customer may accept it.
    pub valid_until: NaiveDate,
    pub lines: Vec<DocumentLine>,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    pub buyer: Party,
    pub notes: Option<String>,
    pub created_by: Option<Uuid>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When it was accepted or rejected.
    pub answered_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A payment recorded against an invoice.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentResponse {
    pub id: Uuid,
    pub invoice_id: Uuid,
    pub amount_minor: i64,
    pub paid_at: DateTime<Utc>,
    #[schema(schema_with = crate::vocabulary::payment_method)]
    pub method: String,
    /// A transfer's tracking code or a cheque's number.
    pub reference: Option<String>,
    pub recorded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}

/// An invoice; `invoice.*` and `payment.recorded` events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceResponse {
    pub id: Uuid,
    pub deal_id: Uuid,
    /// The deal's owner: who, besides managers, sees the invoice.
    pub owner_id: Option<Uuid>,
    /// The accepted quote it bills, if any.
    pub quote_id: Option<Uuid>,
    /// Gapless per workspace, given when issued (`INV-1405-0012`); a void invoice keeps it.
    #[schema(example = "INV-1405-0012")]
    pub number: Option<String>,
    #[schema(schema_with = crate::vocabulary::invoice_status)]
    pub status: String,
    #[schema(example = "IRR")]
    pub currency: String,
    pub issued_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub lines: Vec<DocumentLine>,
    pub subtotal_minor: i64,
    pub discount_minor: i64,
    pub tax_minor: i64,
    pub total_minor: i64,
    /// The sum of its payments, never above the total.
    pub paid_minor: i64,
    pub outstanding_minor: i64,
    pub buyer: Party,
    /// The seller's details as they were when it was issued.
    pub seller: Option<Party>,
    pub notes: Option<String>,
    pub created_by: Option<Uuid>,
    pub voided_at: Option<DateTime<Utc>>,
    /// Oldest first.
    pub payments: Vec<PaymentResponse>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
