//! The export of one person's data (`GET /contacts/{id}/export`, `GET /leads/{id}/export`).

use chrono::{DateTime, Utc};
use kariz_contract::{ActivityResponse, AttachmentResponse, ContactResponse, DealResponse, LeadResponse};
use kariz_persistence::privacy::{PersonalData, StoredEvent, SubmissionRecord};
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use super::audit::AuditEntryResponse;

/// One intake submission of a lead, with the fields it carried as they were received.
#[derive(Serialize, ToSchema)]
pub struct SubmissionResponse {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
    /// Whether this submission created the lead (otherwise it attached to it).
    pub created_lead: bool,
    #[schema(value_type = Object)]
    pub payload: Value,
}

/// An outbox event about the person: what webhooks were (or will be) sent.
#[derive(Serialize, ToSchema)]
pub struct ExportedEvent {
    pub id: Uuid,
    #[schema(example = "lead.created")]
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    /// The event's `data`, as delivered.
    #[schema(value_type = Object)]
    pub data: Value,
}

/// Everything Kariz holds about one person that the caller may see: the contact or the lead
/// (custom fields and important dates included), a lead's submissions, the activities and notes
/// about them, the deals linked to them (a contact's `contact_id`, a lead's opportunity), their
/// files (metadata; download each with `GET /attachments/{id}/content`), the audit entries and
/// the outbox events about them.
#[derive(Serialize, ToSchema)]
pub struct PersonalDataExport {
    /// Set on a contact's export.
    pub contact: Option<ContactResponse>,
    /// Set on a lead's export.
    pub lead: Option<LeadResponse>,
    /// A lead's intake submissions, oldest first (empty for a contact).
    pub submissions: Vec<SubmissionResponse>,
    pub activities: Vec<ActivityResponse>,
    pub deals: Vec<DealResponse>,
    pub attachments: Vec<AttachmentResponse>,
    pub audit_entries: Vec<AuditEntryResponse>,
    pub events: Vec<ExportedEvent>,
    pub exported_at: DateTime<Utc>,
}

impl From<&SubmissionRecord> for SubmissionResponse {
    fn from(s: &SubmissionRecord) -> Self {
        SubmissionResponse { id: s.id, received_at: s.received_at, created_lead: s.created_lead, payload: s.payload.clone() }
    }
}

impl From<&StoredEvent> for ExportedEvent {
    fn from(e: &StoredEvent) -> Self {
        ExportedEvent { id: e.id, event_type: e.event_type.clone(), occurred_at: e.occurred_at, data: e.data.clone() }
    }
}

impl From<PersonalData> for PersonalDataExport {
    fn from(data: PersonalData) -> Self {
        PersonalDataExport {
            contact: data.contact.as_ref().map(Into::into),
            lead: data.lead.as_ref().map(Into::into),
            submissions: data.submissions.iter().map(Into::into).collect(),
            activities: data.activities.iter().map(Into::into).collect(),
            deals: data.deals.iter().map(Into::into).collect(),
            attachments: data.attachments.iter().map(Into::into).collect(),
            audit_entries: data.audit_entries.into_iter().map(Into::into).collect(),
            events: data.events.iter().map(Into::into).collect(),
            exported_at: data.exported_at,
        }
    }
}
