//! Quotes and invoices as PDF (`/quotes/{id}/pdf`, `/invoices/{id}/pdf`), typeset by
//! `kariz-documents` in Persian or English with the workspace's calendar, Rial or Toman display,
//! seller details and template.
//!
//! Typesetting takes tens of milliseconds of CPU a page: it runs on the blocking pool, never on an
//! async worker, and at most one render per core runs at once (the others wait their turn), so a
//! burst of downloads cannot take every thread or pile up memory.

use std::sync::LazyLock;

use actix_web::http::header;
use actix_web::{HttpResponse, get, web};
use kariz_contract::{DocumentLine, Party, QuoteResponse};
use kariz_documents::{AccentColour, Document, DocumentKind, DocumentLocale, Line, Logo, Payment, PaymentMethod, Stamp, Template, Totals};
use kariz_domain::{Currency, InvoiceId, InvoiceStatus, Quantity, QuoteId, WorkspaceId};
use kariz_persistence::documents::DocumentSettings;
use serde::Deserialize;
use tokio::sync::Semaphore;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use crate::auth::Caller;
use crate::dto::errors::ReadErrors;
use crate::error::ApiError;
use crate::state::AppState;

/// Renders at once: one per core.
static RENDERS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(std::thread::available_parallelism().map_or(2, |n| n.get())));

/// The language of a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum DocumentLocaleDto {
    En,
    Fa,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PdfQuery {
    /// `fa` (right to left, Persian digits) or `en`; the workspace's language when omitted. Dates
    /// follow the workspace's calendar either way.
    #[param(inline)]
    pub locale: Option<DocumentLocaleDto>,
}

fn party(party: &Party) -> kariz_documents::Party {
    kariz_documents::Party {
        name: party.name.clone().unwrap_or_default(),
        organization: party.organization.clone(),
        economic_code: party.economic_code.clone(),
        national_id: party.national_id.clone(),
        registration_number: party.registration_number.clone(),
        postal_code: party.postal_code.clone(),
        address: party.address.clone(),
        phone: party.phone.clone(),
        email: party.email.clone(),
    }
}

fn lines(lines: &[DocumentLine]) -> Result<Vec<Line>, ApiError> {
    lines
        .iter()
        .map(|line| {
            Ok(Line {
                name: line.name.clone(),
                unit: line.unit.clone(),
                quantity: Quantity::parse(&line.quantity).map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored quantity: {e}")))?,
                unit_price_minor: line.unit_price_minor,
                subtotal_minor: line.subtotal_minor,
                discount_minor: line.discount_minor,
                tax_minor: line.tax_minor,
                total_minor: line.total_minor,
            })
        })
        .collect()
}

/// What every document of the workspace shares: its language, calendar, display and template.
struct Letterhead {
    locale: DocumentLocale,
    calendar: kariz_domain::dates::Calendar,
    /// Payments are dated by the day they were made in the workspace's time zone.
    time_zone: kariz_domain::TimeZone,
    settings: DocumentSettings,
    template: Template,
}

async fn letterhead(state: &AppState, workspace_id: WorkspaceId, asked: Option<DocumentLocaleDto>) -> Result<Letterhead, ApiError> {
    let workspace = state.store.workspace(workspace_id).await?;
    let settings = state.store.document_settings(workspace_id).await?;
    let logo = state.store.document_logo(workspace_id).await?;
    let locale = match asked {
        Some(DocumentLocaleDto::Fa) => DocumentLocale::Fa,
        Some(DocumentLocaleDto::En) => DocumentLocale::En,
        None if workspace.locale.starts_with("fa") => DocumentLocale::Fa,
        None => DocumentLocale::En,
    };
    let template = Template {
        accent: AccentColour::parse(&settings.accent_colour).unwrap_or_default(),
        // A stored logo was checked when it was set; one that no longer reads is left off.
        logo: logo.and_then(|(bytes, _)| Logo::new(bytes).ok()),
        footer: settings.footer.clone(),
        terms: settings.terms.clone(),
    };
    Ok(Letterhead { locale, calendar: workspace.calendar, time_zone: workspace.time_zone, settings, template })
}

/// Typesets `document` on the blocking pool, in turn: its bytes and a file name from its number.
pub(crate) async fn render(document: Document) -> Result<(Vec<u8>, String), ApiError> {
    let _turn = RENDERS.acquire().await.map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    let stem: String = document.number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
    let bytes = web::block(move || kariz_documents::render_pdf(&document))
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e)))?;
    Ok((bytes, format!("{stem}.pdf")))
}

/// Typesets `document` and answers it as an inline PDF.
async fn pdf_response(document: Document) -> Result<HttpResponse, ApiError> {
    let (bytes, file_name) = render(document).await?;
    Ok(HttpResponse::Ok()
        .content_type("application/pdf")
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{file_name}\"")))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

fn currency(raw: &str) -> Result<Currency, ApiError> {
    Currency::from_stored(raw).map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored currency: {e}")))
}

/// The quote (pre-invoice) as a PDF: seller, buyer, lines, totals and the total in words, in
/// Persian (`locale=fa`) or English, dated on the workspace's calendar.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path), PdfQuery),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>), ReadErrors))]
#[get("/quotes/{id}/pdf")]
pub async fn quote_pdf(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PdfQuery>,
) -> Result<HttpResponse, ApiError> {
    let quote = state.store.quote(&auth, QuoteId::from(*id)).await?;
    pdf_response(quote_document(&state, auth.workspace_id, &quote, query.locale).await?).await
}

/// The quote as the typesetter takes it, in `locale` (the workspace's language when `None`).
pub(crate) async fn quote_document(
    state: &AppState,
    workspace_id: WorkspaceId,
    quote: &QuoteResponse,
    locale: Option<DocumentLocaleDto>,
) -> Result<Document, ApiError> {
    let head = letterhead(state, workspace_id, locale).await?;
    Ok(Document {
        kind: DocumentKind::Quote,
        locale: head.locale,
        calendar: head.calendar,
        rial_display: head.settings.rial_display,
        number: quote.number.clone(),
        stamp: None,
        issued_on: quote.quote_date,
        due_on: Some(quote.valid_until),
        currency: currency(&quote.currency)?,
        seller: party(&head.settings.seller),
        buyer: party(&quote.buyer),
        lines: lines(&quote.lines)?,
        totals: Totals {
            subtotal_minor: quote.subtotal_minor,
            discount_minor: quote.discount_minor,
            tax_minor: quote.tax_minor,
            total_minor: quote.total_minor,
            paid_minor: None,
        },
        payments: Vec::new(),
        notes: quote.notes.clone(),
        template: head.template,
    })
}

/// The invoice as a PDF, as the quote's: an issued one shows the seller as it was when issued,
/// a draft is stamped as a draft, a void one as void, a paid one as paid; payments and the
/// balance due are shown.
#[utoipa::path(tag = "invoices", security(("bearer" = [])), params(("id" = Uuid, Path), PdfQuery),
    responses((status = 200, description = "The PDF", content_type = "application/pdf", body = Vec<u8>), ReadErrors))]
#[get("/invoices/{id}/pdf")]
pub async fn invoice_pdf(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    query: web::Query<PdfQuery>,
) -> Result<HttpResponse, ApiError> {
    let invoice = state.store.invoice(&auth, InvoiceId::from(*id)).await?;
    let head = letterhead(&state, auth.workspace_id, query.locale).await?;
    let status = InvoiceStatus::parse(&invoice.status).map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored status: {e}")))?;
    let stamp = match status {
        InvoiceStatus::Draft => Some(Stamp::Draft),
        InvoiceStatus::Void => Some(Stamp::Void),
        InvoiceStatus::Paid => Some(Stamp::Paid),
        InvoiceStatus::Issued | InvoiceStatus::PartiallyPaid => None,
    };
    let document = Document {
        kind: DocumentKind::Invoice,
        locale: head.locale,
        calendar: head.calendar,
        rial_display: head.settings.rial_display,
        number: invoice.number.clone().unwrap_or_else(|| "—".to_owned()),
        stamp,
        issued_on: invoice.issued_on.unwrap_or_else(|| invoice.created_at.date_naive()),
        due_on: invoice.due_on,
        currency: currency(&invoice.currency)?,
        seller: party(invoice.seller.as_ref().unwrap_or(&head.settings.seller)),
        buyer: party(&invoice.buyer),
        lines: lines(&invoice.lines)?,
        totals: Totals {
            subtotal_minor: invoice.subtotal_minor,
            discount_minor: invoice.discount_minor,
            tax_minor: invoice.tax_minor,
            total_minor: invoice.total_minor,
            paid_minor: Some(invoice.paid_minor),
        },
        payments: invoice
            .payments
            .iter()
            .map(|payment| {
                let method =
                    PaymentMethod::parse(&payment.method).map_err(|e| ApiError::Internal(anyhow::anyhow!("a stored method: {e}")))?;
                Ok(Payment {
                    paid_on: head.time_zone.date_at(payment.paid_at),
                    method,
                    reference: payment.reference.clone(),
                    amount_minor: payment.amount_minor,
                })
            })
            .collect::<Result<_, ApiError>>()?,
        notes: invoice.notes.clone(),
        template: head.template,
    };
    pdf_response(document).await
}
