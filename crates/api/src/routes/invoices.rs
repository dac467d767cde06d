//! Invoices and payments: `/deals/{id}/invoices` bills a deal's lines, `/quotes/{id}/invoice` an
//! accepted quote (in `quotes.rs`); `/invoices` lists, reads, issues, voids and deletes drafts;
//! `/invoices/{id}/payments` records what was paid. Whoever sees a deal sees its invoices;
//! whoever may change it acts on them.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use kariz_contract::{InvoiceResponse, PaymentResponse};
use kariz_domain::{DealId, InvoiceId, InvoiceStatus, PaymentAmount, PaymentMethod, PaymentReference};
use kariz_persistence::invoices::{InvoiceFilter, NewPayment};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson};
use crate::routes::quotes::{CreateInvoiceRequest, VersionRequest, invoice_response, new_invoice};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct InvoiceList {
    /// Newest first.
    pub data: Vec<InvoiceResponse>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct InvoiceListQuery {
    /// Only this deal's invoices.
    pub deal_id: Option<Uuid>,
    /// `draft`, `issued`, `partially_paid`, `paid` or `void`.
    pub status: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

#[derive(Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct IssueInvoiceRequest {
    /// When payment is due: the issue date (today) or later; the workspace's terms (30 days by
    /// default) from today when omitted.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub due_on: Option<NaiveDate>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordPaymentRequest {
    /// Above 0 and at most what the invoice still owes (`exceeds_outstanding` otherwise).
    #[validate(range(min = 1, max = 1_000_000_000_000_000i64))]
    #[schema(minimum = 1, maximum = 1_000_000_000_000_000_f64, example = 10_000_000)]
    pub amount_minor: i64,
    /// When it was paid; now when omitted.
    #[serde(default, deserialize_with = "crate::dates::optional_timestamp")]
    pub paid_at: Option<DateTime<Utc>>,
    #[schema(schema_with = kariz_contract::vocabulary::payment_method)]
    pub method: String,
    /// A transfer's tracking code or a cheque's number.
    #[validate(length(min = 1, max = 200))]
    #[schema(max_length = 200)]
    pub reference: Option<String>,
}

/// A payment and its invoice after it.
#[derive(Serialize, ToSchema)]
pub struct PaymentRecorded {
    pub payment: PaymentResponse,
    pub invoice: InvoiceResponse,
}

/// The invoices of deals you see, newest first, a page at a time.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(InvoiceListQuery),
    responses((status = 200, description = "A page of invoices", body = InvoiceList), ReadErrors))]
#[get("/invoices")]
pub async fn list_invoices(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<InvoiceListQuery>,
) -> Result<HttpResponse, ApiError> {
    let status = match query.status.as_deref() {
        Some(raw) => Some(InvoiceStatus::parse(raw).map_err(|e| ApiError::BadRequest(format!("status: {e}")))?),
        None => None,
    };
    let filter = InvoiceFilter { deal_id: query.deal_id.map(DealId::from), status };
    let page = state.store.invoices(&auth, filter, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(InvoiceList { data: page.items, next_cursor: page.next_cursor }))
}

/// One invoice with its payments; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The invoice", body = InvoiceResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/invoices/{id}")]
pub async fn get_invoice(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let invoice = state.store.invoice(&auth, InvoiceId::from(*id)).await?;
    Ok(invoice_response(StatusCode::OK, &invoice))
}

/// Make a draft invoice of the deal's line items as they now are (`invoice.created`); a deal
/// without lines is refused (`no_lines`). A draft has no number until it is issued.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body(content = Option<CreateInvoiceRequest>),
    responses((status = 201, description = "The draft invoice", body = InvoiceResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/deals/{id}/invoices")]
pub async fn create_deal_invoice(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: Option<ValidJson<CreateInvoiceRequest>>,
) -> Result<HttpResponse, ApiError> {
    let new = new_invoice(body.map(|b| b.0))?;
    let invoice = state.store.invoice_deal(&auth, DealId::from(*id), new).await?;
    Ok(invoice_response(StatusCode::CREATED, &invoice))
}

/// Issue a draft (`invoice.issued`): it takes the next number of the workspace's invoice sequence
/// (`INV-1405-0012`: gapless, per workspace, restarting each year of its calendar unless turned
/// off), today's date in the workspace's time zone, its due date, and the seller's details from
/// the document settings as they now are. An issued invoice is never deleted.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<IssueInvoiceRequest>),
    responses((status = 200, description = "Issued", body = InvoiceResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/invoices/{id}/issue")]
pub async fn issue_invoice(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Option<ValidJson<IssueInvoiceRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(|b| b.0).unwrap_or_default();
    let version = if_match.optional(body.version);
    let invoice = state.store.issue_invoice(&auth, InvoiceId::from(*id), version, body.due_on).await?;
    Ok(invoice_response(StatusCode::OK, &invoice))
}

/// Void an issued invoice without payments (`invoice.voided`); it keeps its number, so the
/// sequence shows no gap. One with payments is refused (`invoice_has_payments`).
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<VersionRequest>),
    responses((status = 200, description = "Voided", body = InvoiceResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/invoices/{id}/void")]
pub async fn void_invoice(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Option<ValidJson<VersionRequest>>,
) -> Result<HttpResponse, ApiError> {
    let version = if_match.optional(body.and_then(|b| b.0.version));
    let invoice = state.store.void_invoice(&auth, InvoiceId::from(*id), version).await?;
    Ok(invoice_response(StatusCode::OK, &invoice))
}

/// Delete a draft invoice (`invoice.deleted`); an issued one is refused (`invoice_status`): void
/// it instead. If-Match is honoured when sent.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/invoices/{id}")]
pub async fn delete_invoice(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_invoice(&auth, InvoiceId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Record a payment against an issued invoice (`payment.recorded`, and `invoice.paid` when it
/// settles it). Payments never exceed the total: one above what is still owed is refused
/// (`exceeds_outstanding` on `amount_minor`), also when two arrive at once.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = RecordPaymentRequest,
    responses((status = 201, description = "Recorded", body = PaymentRecorded), WriteErrors))]
#[post("/invoices/{id}/payments")]
pub async fn record_payment(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<RecordPaymentRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let amount = errors.check("amount_minor", PaymentAmount::new(body.amount_minor));
    let method = errors.check("method", PaymentMethod::parse(&body.method));
    let reference = errors.check_opt("reference", body.reference.as_deref().map(PaymentReference::parse));
    let (Some(amount), Some(method), Some(reference)) = (amount, method, reference) else {
        return Err(errors.into_error());
    };
    let new = NewPayment { amount, paid_at: body.paid_at, method, reference };
    let (invoice, payment) = state.store.record_payment(&auth, InvoiceId::from(*id), new).await?;
    Ok(HttpResponse::Created().json(PaymentRecorded { payment, invoice }))
}
