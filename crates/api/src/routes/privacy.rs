//! One person's data: its export, by whoever may read the person, and its erasure, by an admin.

use actix_web::{HttpResponse, get, post, web};
use kariz_domain::{ContactId, LeadId, Viewer};
use uuid::Uuid;

use crate::auth::{AuthUser, Caller};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::privacy::PersonalDataExport;
use crate::error::ApiError;
use crate::state::AppState;

/// Everything held about a contact: the contact (custom fields and important dates included),
/// the activities and notes about them, the deals linked to them, their files' metadata, and
/// the audit entries and webhook events about them. Whoever may read the contact may export it;
/// the export is recorded in the audit log as `contact.exported` (without the data).
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The contact's data", body = PersonalDataExport), ReadErrors))]
#[get("/contacts/{id}/export")]
pub async fn export_contact(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let data = state.store.export_contact(&auth, ContactId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(PersonalDataExport::from(data)))
}

/// Everything held about a lead: the lead, its intake submissions, the activities and notes
/// about it, the deals of its opportunity, its files' metadata, and the audit entries and webhook
/// events about it. Whoever may read the lead may export it; recorded as `lead.exported`.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The lead's data", body = PersonalDataExport), ReadErrors))]
#[get("/leads/{id}/export")]
pub async fn export_lead(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let data = state.store.export_lead(&auth, LeadId::from(*id)).await?;
    Ok(HttpResponse::Ok().json(PersonalDataExport::from(data)))
}

/// Erase a contact's personal data everywhere (admins): the contact, its important dates,
/// activities and files are deleted, the lead it was made from is erased with it, deals and
/// opportunities lose their link, and the audit entries and webhook events about them are
/// replaced by `{"erased": true}` (undelivered webhooks of those events are not sent). Recorded as
/// `contact.erased` and announced by a `contact.erased` event, both carrying only the id.
/// Cannot be undone.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Erased"), WriteErrors))]
#[post("/contacts/{id}/erase")]
pub async fn erase_contact(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let viewer = Viewer::new(auth.workspace_id, auth.user_id, auth.role, auth.visibility);
    state.store.erase_contact(&viewer, ContactId::from(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Erase a lead's personal data everywhere (admins): the lead, its submissions, activities and
/// files are deleted, the leads merged into it and the contacts made from it are erased with
/// it, its opportunity loses its link, and the audit entries and webhook events about them are
/// replaced by `{"erased": true}`. Recorded as `lead.erased` and announced by a `lead.erased`
/// event, both carrying only the id. Cannot be undone.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Erased"), WriteErrors))]
#[post("/leads/{id}/erase")]
pub async fn erase_lead(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_admin()?;
    let viewer = Viewer::new(auth.workspace_id, auth.user_id, auth.role, auth.visibility);
    state.store.erase_lead(&viewer, LeadId::from(*id)).await?;
    Ok(HttpResponse::NoContent().finish())
}
