//! A file kept with a deal, a contact, an organization or a lead, as the API lists it and the
//! `attachment.created` and `attachment.deleted` events carry it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentResponse {
    pub id: Uuid,
    /// Exactly one of these four: what the file is kept with.
    pub deal_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    #[schema(example = "quote-1405-017.pdf")]
    pub file_name: String,
    /// The type the uploader declared (a label: downloads are always served as attachments).
    #[schema(example = "application/pdf")]
    pub media_type: String,
    pub size_bytes: i64,
    /// SHA-256 of the content, in hex.
    pub sha256: String,
    /// Who uploaded it; `null` once they are no longer a member.
    pub uploaded_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
}
