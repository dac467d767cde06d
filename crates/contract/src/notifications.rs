//! A user's notification, as `GET /notifications` lists it and `notification.created` carries it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

/// One notification of one user. `data` holds the facts to show, never a sentence, so that the
/// app words it in the reader's language; by `kind`:
///
/// - `task_assigned`: `actor` (`{id, name}`, who assigned it), `activity` (`{id, subject, kind, due_at}`)
/// - `mention`: `actor`, `activity` (`{id, subject, kind}`), `excerpt` (the text around the mention)
/// - `task_due`, `task_overdue`: `activity` (`{id, subject, kind, due_at}`)
/// - `deal_rotting`: `deal` (`{id, title, pipeline_id, stage_id, stage_name, stage_entered_at, rotting_days}`)
/// - `important_date`: `customer` (`{type: "contact"|"organization", id, name}`), `date`
///   (`{kind, label, calendar, month, day}`), `on` (the Gregorian day it falls on), `years`
///   (age or jubilee, or `null`), `days_left`
/// - `automation`: whatever the rule's action says (`title`, `body`)
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationResponse {
    pub id: Uuid,
    /// The one user who sees it.
    pub user_id: Uuid,
    #[schema(schema_with = crate::vocabulary::notification_kind)]
    pub kind: String,
    #[schema(example = json!({"actor": {"id": "01a20d5e-b3e7-74c4-80ef-000000000009", "name": "Sara Ahmadi"},
        "activity": {"id": "01a20d5e-b3f0-7000-8000-0000000000e1", "subject": "Call back about the fleet quote", "kind": "task", "due_at": "2026-11-26T10:15:00Z"}}))]
    pub data: Value,
    pub deal_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    /// When its user marked it read; `null` while unread.
    pub read_at: Option<DateTime<Utc>>,
}
