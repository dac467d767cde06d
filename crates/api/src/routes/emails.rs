//! Emails: sending one to a contact or to a deal's contact (queued, then sent over SMTP by the
//! sender), the email log (admins and managers: it holds what was written to every customer), and
//! email templates with placeholders, their preview included.
//!
//! Members read templates and send emails to the contacts and deals they see; admins and
//! managers write templates and read the log.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, Utc};
use kariz_contract::EmailResponse;
use kariz_domain::{ContactId, DealId, EmailStatus, Template, TemplateError, TemplateLocale, TemplateName};
use kariz_persistence::emails::{EmailAbout, EmailContent, EmailFilter, EmailTemplatePatch, EmailTemplateRecord, NewEmailTemplate};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, Caller};
use crate::dto::errors::{ManagerReadErrors, ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct EmailListQuery {
    /// Only emails in this status.
    #[param(schema_with = email_status)]
    pub status: Option<String>,
    /// Only emails about this deal.
    pub deal_id: Option<Uuid>,
    /// Only emails to this contact.
    pub contact_id: Option<Uuid>,
    /// Only emails to this lead.
    pub lead_id: Option<Uuid>,
    /// 1–200 (default 50).
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    pub cursor: Option<String>,
}

fn email_status() -> utoipa::openapi::schema::Object {
    crate::vocabulary::names(EmailStatus::NAMES)
}

fn template_locale() -> utoipa::openapi::schema::Object {
    crate::vocabulary::names(TemplateLocale::NAMES)
}

/// A locale that may be left out or `null` (the default, or what is stored, stays).
fn template_locale_or_null() -> utoipa::openapi::RefOr<utoipa::openapi::Schema> {
    crate::vocabulary::nullable(TemplateLocale::NAMES)
}

#[derive(Serialize, ToSchema)]
pub struct EmailList {
    /// Newest first.
    pub data: Vec<EmailResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// An email to send now: from a template (`template_id`), or written here (`subject` and
/// `body`, which may hold the same placeholders, in `locale`).
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SendEmailRequest {
    pub template_id: Option<Uuid>,
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300, example = "Our proposal for {{deal.title}}")]
    pub subject: Option<String>,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, example = "Dear {{contact.first_name}},\nour proposal is {{deal.amount}}.")]
    pub body: Option<String>,
    /// The language of a written email (default: the workspace's); a template has its own.
    #[schema(schema_with = template_locale_or_null)]
    pub locale: Option<String>,
    /// For an email to a contact: the deal it is about, whose values the placeholders may name.
    pub deal_id: Option<Uuid>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateEmailTemplateRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Proposal follow-up (Persian)")]
    pub name: String,
    /// `en` or `fa`: how values are formatted (digits, money, dates) and the HTML part's direction.
    #[schema(schema_with = template_locale)]
    pub locale: String,
    /// May name placeholders such as `{{deal.title}}`; an unknown one is refused (422).
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300, example = "پیشنهاد {{deal.title}}")]
    pub subject: String,
    /// Plain text with placeholders: `{{deal.title}}`, `{{deal.amount}}`, `{{deal.expected_close}}`,
    /// `{{stage.name}}`, `{{pipeline.name}}`, `{{contact.name}}`, `{{contact.first_name}}`,
    /// `{{contact.email}}`, `{{organization.name}}`, `{{owner.name}}`, `{{owner.email}}`,
    /// `{{workspace.name}}`. The HTML part is made from it, every value escaped.
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000, example = "{{contact.first_name}} عزیز،\nپیشنهاد ما {{deal.amount}} است.")]
    pub body: String,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateEmailTemplateRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    #[schema(schema_with = template_locale_or_null)]
    pub locale: Option<String>,
    #[validate(length(min = 1, max = 300))]
    #[schema(min_length = 1, max_length = 300)]
    pub subject: Option<String>,
    #[validate(length(min = 1, max = 20000))]
    #[schema(min_length = 1, max_length = 20000)]
    pub body: Option<String>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

/// What a preview renders the template with: a deal, a contact, or (neither) sample values.
#[derive(Deserialize, Validate, ToSchema, Default)]
#[serde(deny_unknown_fields)]
pub struct PreviewEmailTemplateRequest {
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
}

#[derive(Serialize, ToSchema)]
pub struct EmailTemplateResponse {
    pub id: Uuid,
    pub name: String,
    #[schema(schema_with = template_locale)]
    pub locale: &'static str,
    pub subject: String,
    pub body: String,
    pub created_by: Option<Uuid>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&EmailTemplateRecord> for EmailTemplateResponse {
    fn from(record: &EmailTemplateRecord) -> Self {
        EmailTemplateResponse {
            id: record.id,
            name: record.name.clone(),
            locale: record.locale.as_str(),
            subject: record.subject.clone(),
            body: record.body.clone(),
            created_by: record.created_by,
            version: record.version,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct EmailTemplateList {
    /// By name; at most 500.
    pub data: Vec<EmailTemplateResponse>,
    /// Always `null`: a workspace's templates are one page.
    pub next_cursor: Option<String>,
}

/// A rendered email, as it would be sent.
#[derive(Serialize, ToSchema)]
pub struct EmailPreviewResponse {
    pub subject: String,
    pub text_body: String,
    pub html_body: String,
}

fn template_field(errors: &mut FieldErrors, field: &'static str, parsed: Result<Template, TemplateError>) -> Option<Template> {
    match parsed {
        Ok(template) => Some(template),
        Err(err) => {
            let code = match err {
                TemplateError::UnknownPlaceholders(_) => FieldCode::UnknownPlaceholder,
                _ => FieldCode::Invalid,
            };
            errors.push(FieldError::new(field, code, err.to_string()));
            None
        }
    }
}

fn locale_field(errors: &mut FieldErrors, raw: &str) -> Option<TemplateLocale> {
    match TemplateLocale::parse(raw) {
        Ok(locale) => Some(locale),
        Err(err) => {
            errors.push(FieldError::new("locale", FieldCode::Invalid, err.to_string()));
            None
        }
    }
}

fn name_field(errors: &mut FieldErrors, raw: &str) -> Option<TemplateName> {
    match TemplateName::parse(raw) {
        Ok(name) => Some(name),
        Err(err) => {
            errors.push(FieldError::new("name", FieldCode::Invalid, err.to_string()));
            None
        }
    }
}

fn template_response(status: StatusCode, record: &EmailTemplateRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(EmailTemplateResponse::from(record))
}

/// The email log: every email of the workspace with its status, attempts and last error, newest
/// first (admins and managers). An email `not_sent` with `last_error` `smtp_not_configured` was
/// queued while no SMTP server was configured.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(EmailListQuery),
    responses((status = 200, description = "Emails, newest first", body = EmailList), ManagerReadErrors))]
#[get("/emails")]
pub async fn list_emails(state: web::Data<AppState>, auth: AuthUser, query: web::Query<EmailListQuery>) -> Result<HttpResponse, ApiError> {
    auth.require_manager()?;
    let query = query.into_inner();
    let status = match query.status.as_deref() {
        None => None,
        Some(raw) => Some(EmailStatus::parse(raw).map_err(|e| ApiError::BadRequest(format!("status {e}")))?),
    };
    let filter = EmailFilter { status, deal_id: query.deal_id, contact_id: query.contact_id, lead_id: query.lead_id };
    let page = state.store.emails(auth.workspace_id, filter, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(EmailList { data: page.items, next_cursor: page.next_cursor }))
}

/// One email of the log (admins and managers).
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The email", body = EmailResponse), ManagerReadErrors))]
#[get("/emails/{id}")]
pub async fn get_email(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_manager()?;
    let email = state.store.email(auth.workspace_id, *id).await?;
    Ok(HttpResponse::Ok().json(email))
}

/// The content of a send request: a template, or a written subject and body (not both).
fn content(body: SendEmailRequest) -> Result<(EmailContent, Option<Uuid>), ApiError> {
    let mut errors = FieldErrors::default();
    let content = match (body.template_id, body.subject, body.body) {
        (Some(id), None, None) => {
            if body.locale.is_some() {
                errors.push(FieldError::new("locale", FieldCode::Invalid, "a template has its own locale"));
            }
            Some(EmailContent::Template(id))
        }
        (None, Some(subject), Some(text)) => {
            let subject = template_field(&mut errors, "subject", Template::subject(&subject));
            let text = template_field(&mut errors, "body", Template::body(&text));
            let locale = body.locale.as_deref().map(|raw| locale_field(&mut errors, raw));
            match (subject, text, locale) {
                (Some(subject), Some(body), None) => Some(EmailContent::Written { subject, body, locale: None }),
                (Some(subject), Some(body), Some(Some(locale))) => Some(EmailContent::Written { subject, body, locale: Some(locale) }),
                _ => None,
            }
        }
        (Some(_), _, _) => {
            errors.push(FieldError::new("template_id", FieldCode::Invalid, "send a template_id, or a subject and a body, not both"));
            None
        }
        (None, subject, _) => {
            let missing = if subject.is_none() { "subject" } else { "body" };
            errors.push(FieldError::new(missing, FieldCode::Required, "send a template_id, or a subject and a body"));
            None
        }
    };
    errors.into_result()?;
    Ok((content.ok_or_else(|| ApiError::BadRequest("no content".to_owned()))?, body.deal_id))
}

fn accepted(email: EmailResponse) -> HttpResponse {
    HttpResponse::Accepted().insert_header((actix_web::http::header::LOCATION, format!("/api/v1/emails/{}", email.id))).json(email)
}

/// Send an email to a contact you see: queued now and sent over SMTP by the sender (202). It is
/// rendered with the contact's values (and the deal's, with `deal_id`), appears on the contact's
/// timeline, and is refused (422 at `to`) when the contact has no email address.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SendEmailRequest,
    responses((status = 202, description = "Queued", body = EmailResponse, headers(("Location" = String))), WriteErrors))]
#[post("/contacts/{id}/emails")]
pub async fn send_to_contact(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<SendEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let (content, deal_id) = content(body.0)?;
    let about = match deal_id {
        // The deal's values, to the contact in the path: both must be ones the caller sees.
        Some(deal_id) => EmailAbout::DealTo(DealId::from(deal_id), ContactId::from(*id)),
        None => EmailAbout::Contact(ContactId::from(*id)),
    };
    let email = state.store.send_email(&auth, about, content).await?;
    Ok(accepted(email))
}

/// Send an email to a deal's contact: as to a contact, with the deal's values; refused (422 at
/// `to`) when the deal has no contact or the contact no email address.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = SendEmailRequest,
    responses((status = 202, description = "Queued", body = EmailResponse, headers(("Location" = String))), WriteErrors))]
#[post("/deals/{id}/emails")]
pub async fn send_to_deal(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<SendEmailRequest>,
) -> Result<HttpResponse, ApiError> {
    let (content, deal_id) = content(body.0)?;
    if deal_id.is_some() {
        return Err(ApiError::validation("deal_id", FieldCode::Invalid, "the deal is the one in the path"));
    }
    let email = state.store.send_email(&auth, EmailAbout::Deal(DealId::from(*id)), content).await?;
    Ok(accepted(email))
}

/// The workspace's email templates, by name.
#[utoipa::path(tag = "emails", security(("bearer" = [])),
    responses((status = 200, description = "The templates", body = EmailTemplateList), ReadErrors))]
#[get("/email-templates")]
pub async fn list_email_templates(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let templates = state.store.email_templates(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(EmailTemplateList { data: templates.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Create an email template (admins and managers). A placeholder that is not one of the known
/// names is refused with 422, `unknown_placeholder` at `subject` or `body`, naming it.
#[utoipa::path(tag = "emails", security(("bearer" = [])), request_body = CreateEmailTemplateRequest,
    responses((status = 201, description = "Created", body = EmailTemplateResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/email-templates")]
pub async fn create_email_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateEmailTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = name_field(&mut errors, &body.name);
    let locale = locale_field(&mut errors, &body.locale);
    let subject = template_field(&mut errors, "subject", Template::subject(&body.subject));
    let text = template_field(&mut errors, "body", Template::body(&body.body));
    errors.into_result()?;
    let (Some(name), Some(locale), Some(subject), Some(body)) = (name, locale, subject, text) else {
        return Err(ApiError::BadRequest("invalid template".to_owned()));
    };
    let record =
        state.store.create_email_template(auth.workspace_id, auth.user_id, NewEmailTemplate { name, locale, subject, body }).await?;
    Ok(created(&format!("/api/v1/email-templates/{}", record.id), record.version, EmailTemplateResponse::from(&record)))
}

/// One email template; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The template", body = EmailTemplateResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/email-templates/{id}")]
pub async fn get_email_template(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.email_template(auth.workspace_id, *id).await?;
    Ok(template_response(StatusCode::OK, &record))
}

/// Change an email template (admins and managers), checked like a new one.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateEmailTemplateRequest,
    responses((status = 200, description = "Updated", body = EmailTemplateResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/email-templates/{id}")]
pub async fn update_email_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateEmailTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let patch = EmailTemplatePatch {
        name: body.name.as_deref().and_then(|raw| name_field(&mut errors, raw)),
        locale: body.locale.as_deref().and_then(|raw| locale_field(&mut errors, raw)),
        subject: body.subject.as_deref().and_then(|raw| template_field(&mut errors, "subject", Template::subject(raw))),
        body: body.body.as_deref().and_then(|raw| template_field(&mut errors, "body", Template::body(raw))),
    };
    errors.into_result()?;
    let record = state.store.update_email_template(auth.workspace_id, *id, version, patch).await?;
    Ok(template_response(StatusCode::OK, &record))
}

/// Delete an email template (admins and managers); emails written from it keep what they said.
/// If-Match is honoured when sent.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/email-templates/{id}")]
pub async fn delete_email_template(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    state.store.delete_email_template(auth.workspace_id, *id, if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Render a template as it would be sent: with a deal's values (`deal_id`), a contact's
/// (`contact_id`), or sample values (neither). Nothing is sent or stored.
#[utoipa::path(tag = "emails", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = PreviewEmailTemplateRequest,
    responses((status = 200, description = "The rendered email", body = EmailPreviewResponse), WriteErrors))]
#[post("/email-templates/{id}/preview")]
pub async fn preview_email_template(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    body: ValidJson<PreviewEmailTemplateRequest>,
) -> Result<HttpResponse, ApiError> {
    let about = match (body.0.deal_id, body.0.contact_id) {
        (Some(_), Some(_)) => {
            return Err(ApiError::validation("deal_id", FieldCode::Invalid, "preview with a deal or a contact, not both"));
        }
        (Some(deal), None) => Some(EmailAbout::Deal(DealId::from(deal))),
        (None, Some(contact)) => Some(EmailAbout::Contact(ContactId::from(contact))),
        (None, None) => None,
    };
    let rendered = state.store.preview_email_template(&auth, *id, about).await?;
    Ok(HttpResponse::Ok().json(EmailPreviewResponse { subject: rendered.subject, text_body: rendered.text, html_body: rendered.html }))
}
