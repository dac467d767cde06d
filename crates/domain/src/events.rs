//! Domain events: what happened, recorded in the same transaction as the change (the outbox).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::ids::{DealId, PipelineId, StageId, UserId};

/// Every event type a webhook can subscribe to. Each has a payload type in `kariz-contract`
/// (a test there holds the two lists together).
pub const EVENT_TYPES: [&str; 17] = [
    "deal.created",
    "deal.updated",
    "deal.stage_changed",
    "deal.won",
    "deal.lost",
    "deal.reopened",
    "deal.deleted",
    "lead.created",
    "lead.updated",
    "lead.qualified",
    "lead.disqualified",
    "lead.deleted",
    "opportunity.created",
    "contact.created",
    "activity.created",
    "task.completed",
    "ping",
];

/// One changed field of a deal: its previous and current value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealChange {
    pub field: &'static str,
    pub previous: Value,
    pub current: Value,
}

/// A domain event with the facts a consumer needs; the store pairs it with the deal's current
/// state when it writes the event to the outbox.
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
}

/// Serializes an optional date the same way everywhere (`null` or `YYYY-MM-DD`).
pub fn date_value(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| Value::String(d.to_string()))
}
