//! Pre-invoices (quotes): `/deals/{id}/quotes` makes one of a deal's lines, `/quotes` lists and
//! reads them, and their actions send, answer, revise and invoice them. Whoever sees a deal sees
//! its quotes; whoever may change it acts on them.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, get, post, web};
use chrono::NaiveDate;
use kariz_contract::{InvoiceResponse, QuoteResponse};
use kariz_domain::{DealId, DocumentText, PartyDetail, QuoteId, QuoteStatus};
use kariz_persistence::documents::BuyerDetails;
use kariz_persistence::invoices::NewInvoice;
use kariz_persistence::quotes::{NewQuote, QuoteEmail, QuoteFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use kariz_documents::DocumentLocale;
use kariz_domain::{Email, TemplateLocale};
use kariz_persistence::attachments::GeneratedFile;
use sha2::{Digest, Sha256};

use crate::auth::Caller;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, etag};
use crate::routes::document_pdfs::{DocumentLocaleDto, quote_document, render};
use crate::state::AppState;

#[derive(Serialize, ToSchema)]
pub struct QuoteList {
    /// Newest first.
    pub data: Vec<QuoteResponse>,
    /// Pass as `cursor` for the next page; `null` on the last.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct QuoteListQuery {
    /// Only this deal's quotes.
    pub deal_id: Option<Uuid>,
    /// `draft`, `sent`, `accepted`, `rejected`, `expired` or `superseded`.
    pub status: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

/// The buyer's details a document shows over those of the deal's organization and contact (name,
/// phone, email, address come from them; Iranian invoices also name the codes below).
#[derive(Clone, Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BuyerRequest {
    #[validate(length(min = 1, max = 300))]
    pub name: Option<String>,
    /// کد اقتصادی.
    #[validate(length(min = 1, max = 300))]
    pub economic_code: Option<String>,
    /// شناسه ملی or کد ملی.
    #[validate(length(min = 1, max = 300))]
    pub national_id: Option<String>,
    /// شماره ثبت.
    #[validate(length(min = 1, max = 300))]
    pub registration_number: Option<String>,
    #[validate(length(min = 1, max = 300))]
    pub postal_code: Option<String>,
    #[validate(length(min = 1, max = 300))]
    pub address: Option<String>,
    #[validate(length(min = 1, max = 300))]
    pub phone: Option<String>,
    #[validate(length(min = 1, max = 300))]
    pub email: Option<String>,
}

impl BuyerRequest {
    /// The details parsed, each error against `buyer.<field>`.
    pub(crate) fn parse(&self, errors: &mut FieldErrors) -> BuyerDetails {
        let mut detail = |field: &str, raw: &Option<String>| {
            errors.check_opt(&format!("buyer.{field}"), raw.as_deref().map(PartyDetail::parse)).flatten()
        };
        BuyerDetails {
            name: detail("name", &self.name),
            economic_code: detail("economic_code", &self.economic_code),
            national_id: detail("national_id", &self.national_id),
            registration_number: detail("registration_number", &self.registration_number),
            postal_code: detail("postal_code", &self.postal_code),
            address: detail("address", &self.address),
            phone: detail("phone", &self.phone),
            email: detail("email", &self.email),
        }
    }
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateQuoteRequest {
    /// The last day the customer may accept it: today or later; the workspace's validity (30
    /// days by default) from today when omitted.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub valid_until: Option<NaiveDate>,
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[validate(nested)]
    pub buyer: Option<BuyerRequest>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviseQuoteRequest {
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub valid_until: Option<NaiveDate>,
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[validate(nested)]
    pub buyer: Option<BuyerRequest>,
    /// The revised quote's version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

/// An action's optional body.
#[derive(Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VersionRequest {
    /// The version you read, if you do not send If-Match; neither acts on the current one.
    pub version: Option<i64>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateInvoiceRequest {
    #[validate(length(min = 1, max = 2000))]
    #[schema(max_length = 2000)]
    pub notes: Option<String>,
    #[validate(nested)]
    pub buyer: Option<BuyerRequest>,
}

fn new_quote(valid_until: Option<NaiveDate>, notes: Option<&str>, buyer: Option<&BuyerRequest>) -> Result<NewQuote, ApiError> {
    let mut errors = FieldErrors::default();
    let notes = errors.check_opt("notes", notes.map(DocumentText::parse)).flatten();
    let buyer = buyer.map(|b| b.parse(&mut errors)).unwrap_or_default();
    errors.into_result()?;
    Ok(NewQuote { valid_until, notes, buyer })
}

pub(crate) fn new_invoice(body: Option<CreateInvoiceRequest>) -> Result<NewInvoice, ApiError> {
    let Some(body) = body else { return Ok(NewInvoice::default()) };
    let mut errors = FieldErrors::default();
    let notes = errors.check_opt("notes", body.notes.as_deref().map(DocumentText::parse)).flatten();
    let buyer = body.buyer.as_ref().map(|b| b.parse(&mut errors)).unwrap_or_default();
    errors.into_result()?;
    Ok(NewInvoice { notes, buyer })
}

fn quote_response(status: StatusCode, quote: &QuoteResponse) -> HttpResponse {
    let mut response = HttpResponse::build(status).insert_header(etag(quote.version)).json(quote);
    if status == StatusCode::CREATED
        && let Ok(location) = header::HeaderValue::from_str(&format!("/api/v1/quotes/{}", quote.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

pub(crate) fn invoice_response(status: StatusCode, invoice: &InvoiceResponse) -> HttpResponse {
    let mut response = HttpResponse::build(status).insert_header(etag(invoice.version)).json(invoice);
    if status == StatusCode::CREATED
        && let Ok(location) = header::HeaderValue::from_str(&format!("/api/v1/invoices/{}", invoice.id))
    {
        response.headers_mut().insert(header::LOCATION, location);
    }
    response
}

/// What the customer was told, or said.
enum Answer {
    Send,
    Accept,
    Reject,
}

async fn answer(state: &AppState, auth: &Caller, id: Uuid, version: Option<i64>, answer: Answer) -> Result<HttpResponse, ApiError> {
    let id = QuoteId::from(id);
    let quote = match answer {
        Answer::Send => state.store.send_quote(auth, id, version).await?,
        Answer::Accept => state.store.accept_quote(auth, id, version).await?,
        Answer::Reject => state.store.reject_quote(auth, id, version).await?,
    };
    Ok(quote_response(StatusCode::OK, &quote))
}

/// The quotes of deals you see, newest first, a page at a time.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(QuoteListQuery),
    responses((status = 200, description = "A page of quotes", body = QuoteList), ReadErrors))]
#[get("/quotes")]
pub async fn list_quotes(state: web::Data<AppState>, auth: Caller, query: web::Query<QuoteListQuery>) -> Result<HttpResponse, ApiError> {
    let status = match query.status.as_deref() {
        Some(raw) => Some(QuoteStatus::parse(raw).map_err(|e| ApiError::BadRequest(format!("status: {e}")))?),
        None => None,
    };
    let filter = QuoteFilter { deal_id: query.deal_id.map(DealId::from), status };
    let page = state.store.quotes(&auth, filter, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(QuoteList { data: page.items, next_cursor: page.next_cursor }))
}

/// One quote; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The quote", body = QuoteResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/quotes/{id}")]
pub async fn get_quote(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let quote = state.store.quote(&auth, QuoteId::from(*id)).await?;
    Ok(quote_response(StatusCode::OK, &quote))
}

/// Make a draft quote (pre-invoice) of the deal's line items as they now are, with the next
/// number of the workspace's sequence (`Q-1405-0007`: gapless, per workspace, restarting each
/// year of the workspace's calendar unless turned off). A deal without lines is refused
/// (`no_lines`). Sends `quote.created`.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = CreateQuoteRequest,
    responses((status = 201, description = "Created", body = QuoteResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/deals/{id}/quotes")]
pub async fn create_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<CreateQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let new = new_quote(body.valid_until, body.notes.as_deref(), body.buyer.as_ref())?;
    let quote = state.store.create_quote(&auth, DealId::from(*id), new).await?;
    Ok(quote_response(StatusCode::CREATED, &quote))
}

/// Make the next revision of a quote from the deal's lines as they now are: the same number with
/// `-R2`, `-R3`…. A draft or sent quote it follows is superseded (`quote.superseded`); a rejected
/// or expired one keeps its answer. Only the latest revision is revised (`not_latest_revision`),
/// never an accepted one (`quote_status`). Sends `quote.created` for the new revision.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = ReviseQuoteRequest,
    responses((status = 201, description = "The new revision", body = QuoteResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/quotes/{id}/revise")]
pub async fn revise_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<ReviseQuoteRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let new = new_quote(body.valid_until, body.notes.as_deref(), body.buyer.as_ref())?;
    let quote = state.store.revise_quote(&auth, QuoteId::from(*id), if_match.optional(body.version), new).await?;
    Ok(quote_response(StatusCode::CREATED, &quote))
}

/// How a quote is sent.
#[derive(Default, Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendQuoteRequest {
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
    /// `true` emails the quote with its PDF attached (kept with the deal as a file); otherwise the
    /// quote is only marked sent (it went another way).
    #[serde(default)]
    pub email: bool,
    /// The recipient; the buyer's email when omitted.
    #[validate(length(min = 3, max = 254))]
    pub to: Option<String>,
    /// Your own words under the standard text.
    #[validate(length(min = 1, max = 2000))]
    pub message: Option<String>,
    /// The language of the email and the PDF; the workspace's when omitted.
    #[schema(inline)]
    pub locale: Option<DocumentLocaleDto>,
}

/// Send the quote to the customer (`quote.sent`): with `email: true` as an email in their
/// language with the PDF attached, queued in the same change (and kept with the deal as a file);
/// otherwise only marked sent. Sending it again keeps it sent.
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<SendQuoteRequest>),
    responses((status = 200, description = "Sent", body = QuoteResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/quotes/{id}/send")]
pub async fn send_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Option<ValidJson<SendQuoteRequest>>,
) -> Result<HttpResponse, ApiError> {
    let body = body.map(|b| b.0).unwrap_or_default();
    let version = if_match.optional(body.version);
    if !body.email {
        return answer(&state, &auth, *id, version, Answer::Send).await;
    }
    let quote_id = QuoteId::from(*id);
    let quote = state.store.quote(&auth, quote_id).await?;
    let mut errors = FieldErrors::default();
    let to = match body.to.as_deref().or(quote.buyer.email.as_deref()) {
        Some(raw) => errors.check("to", Email::parse(raw)),
        None => {
            errors.push(FieldError::new("to", FieldCode::Required, "the buyer has no email address: name the recipient"));
            None
        }
    };
    let message = errors.check_opt("message", body.message.as_deref().map(DocumentText::parse)).flatten();
    let (Some(to), true) = (to, errors.is_empty()) else { return Err(errors.into_error()) };
    let document = quote_document(&state, auth.workspace_id, &quote, body.locale).await?;
    let locale = match document.locale {
        DocumentLocale::Fa => TemplateLocale::Fa,
        DocumentLocale::En => TemplateLocale::En,
    };
    let (bytes, file_name) = render(document).await?;
    let file = GeneratedFile {
        workspace_id: auth.workspace_id.as_uuid(),
        file_name,
        media_type: "application/pdf".to_owned(),
        sha256: Sha256::digest(&bytes).iter().map(|b| format!("{b:02x}")).collect(),
        bytes,
    };
    let quote = state.store.email_quote(&auth, quote_id, version, QuoteEmail { to, locale, message, file }).await?;
    Ok(quote_response(StatusCode::OK, &quote))
}

/// Record that the customer accepted the sent quote while it was valid (`quote.accepted`;
/// `quote_expired` after its last day). With the workspace's `accept_wins_deal`, an open deal is
/// won in the same change (`deal.won`).
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<VersionRequest>),
    responses((status = 200, description = "Accepted", body = QuoteResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/quotes/{id}/accept")]
pub async fn accept_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Option<ValidJson<VersionRequest>>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &auth, *id, if_match.optional(body.and_then(|b| b.0.version)), Answer::Accept).await
}

/// Record that the customer rejected the sent quote (`quote.rejected`).
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body(content = Option<VersionRequest>),
    responses((status = 200, description = "Rejected", body = QuoteResponse, headers(("ETag" = String))), WriteErrors))]
#[post("/quotes/{id}/reject")]
pub async fn reject_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: Option<ValidJson<VersionRequest>>,
) -> Result<HttpResponse, ApiError> {
    answer(&state, &auth, *id, if_match.optional(body.and_then(|b| b.0.version)), Answer::Reject).await
}

/// Make a draft invoice of an accepted quote's lines and buyer (`invoice.created`); a quote
/// already billed by an invoice that is not void is refused (`quote_invoiced`).
#[utoipa::path(tag = "quotes", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body(content = Option<CreateInvoiceRequest>),
    responses((status = 201, description = "The draft invoice", body = InvoiceResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/quotes/{id}/invoice")]
pub async fn invoice_quote(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: Option<ValidJson<CreateInvoiceRequest>>,
) -> Result<HttpResponse, ApiError> {
    let new = new_invoice(body.map(|b| b.0))?;
    let invoice = state.store.invoice_quote(&auth, QuoteId::from(*id), new).await?;
    Ok(invoice_response(StatusCode::CREATED, &invoice))
}
