//! Response bodies of activities, the agenda and stage task templates.

use chrono::{DateTime, Utc};
use kariz_domain::{ActivityKind, Priority};
use kariz_persistence::activities::{ActivityRecord, Agenda};
use kariz_persistence::stage_templates::TaskTemplateRecord;
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::vocabulary as vocab;

pub use kariz_contract::ActivityResponse;

#[derive(Serialize, ToSchema)]
pub struct ActivityList {
    pub data: Vec<ActivityResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

/// Your open activities with a due time, by your local day (your time zone, else the workspace's); each bucket soonest first, at most 200.
#[derive(Serialize, ToSchema)]
pub struct AgendaResponse {
    /// The instant today began in your time zone (20:30 UTC the day before in Tehran).
    pub today_starts_at: DateTime<Utc>,
    /// The end (exclusive) of the upcoming days.
    pub upcoming_ends_at: DateTime<Utc>,
    /// Due before today, the longest overdue first.
    pub overdue: Vec<ActivityResponse>,
    pub today: Vec<ActivityResponse>,
    /// Due in the `days` days after today.
    pub upcoming: Vec<ActivityResponse>,
}

impl From<&Agenda> for AgendaResponse {
    fn from(a: &Agenda) -> Self {
        let list = |records: &[ActivityRecord]| records.iter().map(Into::into).collect();
        AgendaResponse {
            today_starts_at: a.window.today_start,
            upcoming_ends_at: a.window.upcoming_end,
            overdue: list(&a.overdue),
            today: list(&a.today),
            upcoming: list(&a.upcoming),
        }
    }
}

/// A follow-up a stage gives every deal entering it: a task for the deal's owner.
#[derive(Serialize, ToSchema)]
pub struct TaskTemplateResponse {
    pub id: Uuid,
    pub stage_id: Uuid,
    #[schema(schema_with = vocab::activity_kind)]
    pub kind: ActivityKind,
    #[schema(example = "Send the proposal")]
    pub subject: String,
    pub body: Option<String>,
    #[schema(schema_with = vocab::priority)]
    pub priority: Priority,
    /// The task is due this many hours after the deal enters the stage.
    #[schema(example = 48)]
    pub due_in_hours: u32,
    /// Zero-based order among the stage's templates.
    pub position: i32,
    pub created_at: DateTime<Utc>,
}

impl From<&TaskTemplateRecord> for TaskTemplateResponse {
    fn from(r: &TaskTemplateRecord) -> Self {
        let t = &r.template;
        TaskTemplateResponse {
            id: r.id.as_uuid(),
            stage_id: r.stage_id.as_uuid(),
            kind: t.kind,
            subject: t.subject.as_str().to_owned(),
            body: t.body.as_ref().map(|b| b.as_str().to_owned()),
            priority: t.priority,
            due_in_hours: t.due_in_hours,
            position: r.position,
            created_at: r.created_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct TaskTemplateList {
    pub data: Vec<TaskTemplateResponse>,
    /// Always `null`: a stage's templates fit one page.
    pub next_cursor: Option<String>,
}
