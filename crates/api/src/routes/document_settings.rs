//! The workspace's document settings (`/workspace/documents`): how quotes and invoices are
//! numbered, their validity and payment terms, the seller's details and the template (accent
//! colour, footer, terms, logo). Every member reads them; admins and managers change them.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, put, web};
use chrono::{DateTime, Utc};
use kariz_contract::Party;
use kariz_domain::{DocumentPrefix, DocumentText, PartyDetail, RialDisplay};
use kariz_persistence::documents::{DocumentSettings, DocumentSettingsPatch, MAX_LOGO_BYTES};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldError, FieldErrors};
use crate::extract::{IfMatch, RawBody, ValidJson, etag};
use crate::state::AppState;

/// How quotes and invoices are made and shown.
#[derive(Serialize, ToSchema)]
pub struct DocumentSettingsResponse {
    /// Before every quote number (`Q-`).
    #[schema(example = "Q-")]
    pub quote_prefix: String,
    /// Before every invoice number (`INV-`).
    #[schema(example = "INV-")]
    pub invoice_prefix: String,
    /// Numbers restart at 1 each year of the workspace's calendar (the Jalali year for a Jalali
    /// workspace), and carry the year: `Q-1405-0007`.
    pub yearly_reset: bool,
    /// A new quote's validity from its date, in days.
    pub quote_validity_days: u16,
    /// An issued invoice's payment term, in days.
    pub invoice_due_days: u16,
    /// Accepting a quote wins its deal, if still open.
    pub accept_wins_deal: bool,
    /// How documents show Iranian rial amounts: `rial` or `toman` (ten rials).
    #[schema(schema_with = rial_display)]
    pub rial_display: String,
    /// The seller on every document: legal name, economic code, national id, registration number,
    /// postal code, address, phone, email.
    pub seller: Party,
    /// `#rrggbb`: the documents' accent colour.
    #[schema(example = "#1f6feb")]
    pub accent_colour: String,
    pub footer: Option<String>,
    /// Terms and conditions printed under the totals.
    pub terms: Option<String>,
    /// Whether a logo is set (`GET /workspace/documents/logo`).
    pub has_logo: bool,
    /// 0 until first saved; send it back as `If-Match` or `version` to change the settings.
    pub version: i64,
    pub updated_at: Option<DateTime<Utc>>,
}

fn rial_display() -> utoipa::openapi::schema::Object {
    kariz_contract::vocabulary::names(RialDisplay::NAMES)
}

impl From<&DocumentSettings> for DocumentSettingsResponse {
    fn from(s: &DocumentSettings) -> Self {
        DocumentSettingsResponse {
            quote_prefix: s.quote_prefix.as_str().to_owned(),
            invoice_prefix: s.invoice_prefix.as_str().to_owned(),
            yearly_reset: s.yearly_reset,
            quote_validity_days: s.quote_validity_days,
            invoice_due_days: s.invoice_due_days,
            accept_wins_deal: s.accept_wins_deal,
            rial_display: s.rial_display.as_str().to_owned(),
            seller: s.seller.clone(),
            accent_colour: s.accent_colour.clone(),
            footer: s.footer.clone(),
            terms: s.terms.clone(),
            has_logo: s.logo_type.is_some(),
            version: s.version,
            updated_at: s.updated_at,
        }
    }
}

/// A change of the settings: what is omitted stays; `null` clears a seller detail, the footer or
/// the terms.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateDocumentSettingsRequest {
    /// 1 to 12 letters, digits, `-`, `_` or `/`.
    #[schema(example = "Q-")]
    pub quote_prefix: Option<String>,
    #[schema(example = "INV-")]
    pub invoice_prefix: Option<String>,
    pub yearly_reset: Option<bool>,
    #[validate(range(min = 1, max = 365))]
    #[schema(minimum = 1, maximum = 365)]
    pub quote_validity_days: Option<u16>,
    #[validate(range(min = 0, max = 365))]
    #[schema(minimum = 0, maximum = 365)]
    pub invoice_due_days: Option<u16>,
    pub accept_wins_deal: Option<bool>,
    #[schema(schema_with = rial_display)]
    pub rial_display: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub legal_name: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub economic_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub national_id: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub registration_number: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub postal_code: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub address: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub phone: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 300)]
    pub email: Option<Option<String>>,
    /// `#rrggbb`.
    #[schema(example = "#1f6feb")]
    pub accent_colour: Option<String>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 2000)]
    pub footer: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, max_length = 2000)]
    pub terms: Option<Option<String>>,
    /// The version you read, if you do not send If-Match (0 before the first save).
    pub version: Option<i64>,
}

fn settings_response(settings: &DocumentSettings) -> HttpResponse {
    HttpResponse::Ok().insert_header(etag(settings.version)).json(DocumentSettingsResponse::from(settings))
}

fn is_colour(raw: &str) -> bool {
    raw.len() == 7 && raw.starts_with('#') && raw[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// The workspace's document settings (the defaults, at version 0, until first saved).
#[utoipa::path(tag = "workspace", security(("bearer" = [])),
    responses((status = 200, description = "The document settings", body = DocumentSettingsResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/workspace/documents")]
pub async fn get_document_settings(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    Ok(settings_response(&state.store.document_settings(auth.workspace_id).await?))
}

/// Change the document settings (admins and managers) at the version you read. New numbers
/// follow a changed prefix; numbers already given stay.
#[utoipa::path(tag = "workspace", security(("bearer" = [])), params(("If-Match" = Option<String>, Header)), request_body = UpdateDocumentSettingsRequest,
    responses((status = 200, description = "Updated", body = DocumentSettingsResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/workspace/documents")]
pub async fn update_document_settings(
    state: web::Data<AppState>,
    auth: AuthUser,
    if_match: IfMatch,
    body: ValidJson<UpdateDocumentSettingsRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let quote_prefix = errors.check_opt("quote_prefix", body.quote_prefix.as_deref().map(DocumentPrefix::parse)).flatten();
    let invoice_prefix = errors.check_opt("invoice_prefix", body.invoice_prefix.as_deref().map(DocumentPrefix::parse)).flatten();
    let rial_display = errors.check_opt("rial_display", body.rial_display.as_deref().map(RialDisplay::parse)).flatten();
    let mut detail = |field: &str, raw: Option<Option<String>>| -> Option<Option<PartyDetail>> {
        match raw {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => errors.check(field, PartyDetail::parse(&raw)).map(Some),
        }
    };
    let legal_name = detail("legal_name", body.legal_name);
    let economic_code = detail("economic_code", body.economic_code);
    let national_id = detail("national_id", body.national_id);
    let registration_number = detail("registration_number", body.registration_number);
    let postal_code = detail("postal_code", body.postal_code);
    let address = detail("address", body.address);
    let phone = detail("phone", body.phone);
    let email = detail("email", body.email);
    let mut text = |field: &str, raw: Option<Option<String>>| -> Option<Option<String>> {
        match raw {
            None => None,
            Some(None) => Some(None),
            Some(Some(raw)) => errors.check(field, DocumentText::parse(&raw)).map(|t| Some(t.into_inner())),
        }
    };
    let footer = text("footer", body.footer);
    let terms = text("terms", body.terms);
    if let Some(colour) = body.accent_colour.as_deref()
        && !is_colour(colour)
    {
        errors.push(FieldError::new("accent_colour", FieldCode::Invalid, "must be a colour as #rrggbb"));
    }
    errors.into_result()?;
    let patch = DocumentSettingsPatch {
        quote_prefix,
        invoice_prefix,
        yearly_reset: body.yearly_reset,
        quote_validity_days: body.quote_validity_days,
        invoice_due_days: body.invoice_due_days,
        accept_wins_deal: body.accept_wins_deal,
        rial_display,
        legal_name,
        economic_code,
        national_id,
        registration_number,
        postal_code,
        address,
        phone,
        email,
        accent_colour: body.accent_colour.map(|c| c.to_ascii_lowercase()),
        footer,
        terms,
    };
    Ok(settings_response(&state.store.update_document_settings(auth.workspace_id, version, patch).await?))
}

/// The media type of a PNG or JPEG image, told by its first bytes (not by what the client says).
fn image_type(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("image/jpeg")
    } else {
        None
    }
}

/// Set the logo documents show (admins and managers): the body is the image itself, a PNG or
/// JPEG of at most 256 KiB, sent as `image/png` or `image/jpeg`.
#[utoipa::path(tag = "workspace", security(("bearer" = [])),
    request_body(content = Vec<u8>, content_type = "image/png", description = "A PNG or JPEG image, at most 256 KiB"),
    responses((status = 200, description = "The settings with the logo", body = DocumentSettingsResponse, headers(("ETag" = String))), WriteErrors))]
#[put("/workspace/documents/logo")]
pub async fn put_document_logo(
    state: web::Data<AppState>,
    auth: AuthUser,
    request: HttpRequest,
    body: RawBody,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let declared = request.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default();
    if !matches!(declared, "image/png" | "image/jpeg") {
        return Err(ApiError::UnsupportedMediaType);
    }
    let bytes = body.0;
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(ApiError::PayloadTooLarge { limit: MAX_LOGO_BYTES });
    }
    let Some(media_type) = image_type(&bytes) else {
        return Err(ApiError::validation("logo", FieldCode::Invalid, "is not a PNG or JPEG image"));
    };
    Ok(settings_response(&state.store.set_document_logo(auth.workspace_id, Some((bytes.to_vec(), media_type))).await?))
}

/// Remove the logo (admins and managers).
#[utoipa::path(tag = "workspace", security(("bearer" = [])),
    responses((status = 200, description = "The settings without a logo", body = DocumentSettingsResponse, headers(("ETag" = String))), WriteErrors))]
#[delete("/workspace/documents/logo")]
pub async fn delete_document_logo(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    Ok(settings_response(&state.store.set_document_logo(auth.workspace_id, None).await?))
}

/// The logo documents show.
#[utoipa::path(tag = "workspace", security(("bearer" = [])),
    responses((status = 200, description = "The image", content_type = "image/png", body = Vec<u8>), ReadErrors))]
#[get("/workspace/documents/logo")]
pub async fn get_document_logo(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    match state.store.document_logo(auth.workspace_id).await? {
        Some((bytes, media_type)) => Ok(HttpResponse::Ok()
            .content_type(media_type)
            .insert_header((header::CACHE_CONTROL, "private, no-cache"))
            .insert_header(("X-Content-Type-Options", "nosniff"))
            .body(bytes)),
        None => Err(ApiError::not_found("logo")),
    }
}
