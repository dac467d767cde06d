//! An activity as the API answers it and `activity.created` and `task.completed` events carry it.

use chrono::{DateTime, Utc};
use kariz_domain::{ActivityKind, Priority};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use crate::vocabulary as vocab;

/// A call, meeting, email or note logged against the funnel, or a task; `activity.created` and
/// `task.completed` events carry the same object.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityResponse {
    pub id: Uuid,
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: ActivityKind,
    #[schema(example = "Call back about the fleet quote")]
    pub subject: String,
    pub body: Option<String>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub deal_id: Option<Uuid>,
    /// Whose it is to do, or who logged it.
    pub owner_id: Uuid,
    #[schema(schema_with = vocab::priority)]
    pub priority: Priority,
    /// When it is to be done; `null` for what is only logged.
    pub due_at: Option<DateTime<Utc>>,
    /// When it was done; `null` while it is still to do.
    pub done_at: Option<DateTime<Utc>>,
    /// The stage task template that created it, if one did.
    pub template_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    /// Incremented by every change; send it back as `If-Match` to update.
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
