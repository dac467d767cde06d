//! Response bodies of the audit log.

use chrono::{DateTime, Utc};
use kariz_persistence::audit::AuditEntryRecord;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// One recorded change: who made it, in which request, and what changed.
#[derive(Serialize, ToSchema)]
pub struct AuditEntryResponse {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    /// The user who made the change (for an API key, the admin who created the key); `null` for
    /// changes made from the command line.
    pub actor_user_id: Option<Uuid>,
    /// The API key the change was made with, if any.
    pub actor_api_key_id: Option<Uuid>,
    /// The `x-request-id` of the request that made the change.
    pub request_id: Option<String>,
    /// `<entity type>.<verb>`.
    #[schema(example = "deal.moved")]
    pub action: String,
    #[schema(example = "deal")]
    pub entity_type: String,
    /// `null` for a change of a whole set (an import batch, the scoring rules).
    pub entity_id: Option<Uuid>,
    /// For an update, `{field: {"before": …, "after": …}}` for each changed field; for a create or
    /// delete, the object's stored fields. Secrets and their hashes read `"[redacted]"`.
    #[schema(value_type = Object, example = json!({"stage_id": {"before": "0193…", "after": "0194…"}}))]
    pub changes: Value,
}

impl From<AuditEntryRecord> for AuditEntryResponse {
    fn from(e: AuditEntryRecord) -> Self {
        AuditEntryResponse {
            id: e.id,
            occurred_at: e.occurred_at,
            actor_user_id: e.actor_user_id.map(|u| u.as_uuid()),
            actor_api_key_id: e.actor_api_key_id.map(|k| k.as_uuid()),
            request_id: e.request_id,
            action: e.action,
            entity_type: e.entity_type,
            entity_id: e.entity_id,
            changes: e.changes,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct AuditEntryList {
    /// Newest first.
    pub data: Vec<AuditEntryResponse>,
    pub next_cursor: Option<String>,
}
