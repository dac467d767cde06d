//! Domain events: what happened, recorded in the same transaction as the change (the outbox).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::ids::{DealId, PipelineId, StageId, UserId};

/// Every event type a webhook can subscribe to.
pub const EVENT_TYPES: [&str; 17] = [
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "deal.reopened",
    "deal.deleted",
    LEAD_CREATED,
    LEAD_UPDATED,
    LEAD_QUALIFIED,
    LEAD_DISQUALIFIED,
    LEAD_DELETED,
    OPPORTUNITY_CREATED,
    CONTACT_CREATED,
    ACTIVITY_CREATED,
    TASK_COMPLETED,
    "ping",
];

/// Top-of-funnel events; their payload is `{"<aggregate>": <snapshot>, …}` like the deal events'.
pub const LEAD_CREATED: &str = "lead.created";
pub const LEAD_UPDATED: &str = "lead.updated";
pub const LEAD_QUALIFIED: &str = "lead.qualified";
pub const LEAD_DISQUALIFIED: &str = "lead.disqualified";
pub const LEAD_DELETED: &str = "lead.deleted";
pub const OPPORTUNITY_CREATED: &str = "opportunity.created";
pub const CONTACT_CREATED: &str = "contact.created";
/// An activity was logged or a task created (by hand, or by a stage's template); `{activity}`.
pub const ACTIVITY_CREATED: &str = "activity.created";
/// An activity with something to do was marked done; `{activity}`.
pub const TASK_COMPLETED: &str = "task.completed";

/// One changed field of a deal: its previous and current value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealChange {
    pub field: &'static str,
    pub previous: Value,
    pub current: Value,
}

/// A domain event with the facts a consumer needs; the persistence layer adds the deal's
/// current state when it writes the event to the outbox.
#[derive(Clone, Debug, PartialEq)]
pub enum DomainEvent {
    DealCreated {
        deal_id: DealId,
    },
    DealUpdated {
        deal_id: DealId,
        changes: Vec<DealChange>,
    },
    DealStageChanged {
        deal_id: DealId,
        pipeline_id: PipelineId,
        from_stage_id: StageId,
        to_stage_id: StageId,
        actor_id: Option<UserId>,
        at: DateTime<Utc>,
    },
    DealWon {
        deal_id: DealId,
        at: DateTime<Utc>,
    },
    DealLost {
        deal_id: DealId,
        reason: String,
        at: DateTime<Utc>,
    },
    DealReopened {
        deal_id: DealId,
    },
    DealDeleted {
        deal_id: DealId,
    },
}

impl DomainEvent {
    /// The event type name used in the outbox and in webhook payloads.
    pub fn type_name(&self) -> &'static str {
        match self {
            DomainEvent::DealCreated { .. } => "deal.created",
            DomainEvent::DealUpdated { .. } => "deal.updated",
            DomainEvent::DealStageChanged { .. } => "deal.stage_changed",
            DomainEvent::DealWon { .. } => "deal.won",
            DomainEvent::DealLost { .. } => "deal.lost",
            DomainEvent::DealReopened { .. } => "deal.reopened",
            DomainEvent::DealDeleted { .. } => "deal.deleted",
        }
    }

    pub fn deal_id(&self) -> DealId {
        match self {
            DomainEvent::DealCreated { deal_id }
            | DomainEvent::DealUpdated { deal_id, .. }
            | DomainEvent::DealStageChanged { deal_id, .. }
            | DomainEvent::DealWon { deal_id, .. }
            | DomainEvent::DealLost { deal_id, .. }
            | DomainEvent::DealReopened { deal_id }
            | DomainEvent::DealDeleted { deal_id } => *deal_id,
        }
    }

    /// The event's own facts, beside the deal snapshot, as JSON.
    pub fn details(&self) -> Value {
        match self {
            DomainEvent::DealUpdated { changes, .. } => serde_json::json!({ "changes": changes }),
            DomainEvent::DealStageChanged { pipeline_id, from_stage_id, to_stage_id, actor_id, at, .. } => serde_json::json!({
                "pipeline_id": pipeline_id,
                "from_stage_id": from_stage_id,
                "to_stage_id": to_stage_id,
                "actor_id": actor_id,
                "changed_at": at,
            }),
            DomainEvent::DealLost { reason, .. } => serde_json::json!({ "reason": reason }),
            _ => serde_json::json!({}),
        }
    }
}

/// Serializes an optional date the same way everywhere (`null` or `YYYY-MM-DD`).
pub fn date_value(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| Value::String(d.to_string()))
}
