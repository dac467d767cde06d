//! Domain events: what happened, recorded in the same transaction as the change (the outbox).

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::ids::{ContactId, DealId, LeadId, OpportunityId, OrganizationId, PipelineId, StageId, UserId};

/// Every event type a webhook can subscribe to. Each has a payload type in `kariz-contract`
/// (a test there holds the two lists together).
pub const EVENT_TYPES: [&str; 38] = [
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
    "lead.erased",
    "opportunity.created",
    "contact.created",
    "contact.erased",
    "activity.created",
    "task.completed",
    "attachment.created",
    "attachment.deleted",
    "email.sent",
    "email.failed",
    "product.created",
    "product.updated",
    "product.deleted",
    "quote.created",
    "quote.sent",
    "quote.accepted",
    "quote.rejected",
    "quote.expired",
    "quote.superseded",
    "invoice.created",
    "invoice.issued",
    "invoice.paid",
    "invoice.voided",
    "invoice.deleted",
    "payment.recorded",
    "ping",
];

/// One changed field of a deal: its previous and current value.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DealChange {
    pub field: &'static str,
    pub previous: Value,
    pub current: Value,
}

/// What happened to a deal, with the facts a consumer needs; the store pairs it with the deal's
/// current state when it writes it to the outbox.
#[derive(Clone, Debug, PartialEq)]
pub enum DealEvent {
    Created {
        deal_id: DealId,
    },
    Updated {
        deal_id: DealId,
        changes: Vec<DealChange>,
    },
    StageChanged {
        deal_id: DealId,
        pipeline_id: PipelineId,
        from_stage_id: StageId,
        to_stage_id: StageId,
        actor_id: Option<UserId>,
        at: DateTime<Utc>,
    },
    Won {
        deal_id: DealId,
        at: DateTime<Utc>,
    },
    Lost {
        deal_id: DealId,
        /// The salesperson's note.
        reason: Option<String>,
        /// The managed reason.
        reason_id: Option<crate::ids::LostReasonId>,
        at: DateTime<Utc>,
    },
    Reopened {
        deal_id: DealId,
    },
    Deleted {
        deal_id: DealId,
    },
}

impl DealEvent {
    /// The event type name used in the outbox and in webhook payloads.
    pub fn type_name(&self) -> &'static str {
        match self {
            DealEvent::Created { .. } => "deal.created",
            DealEvent::Updated { .. } => "deal.updated",
            DealEvent::StageChanged { .. } => "deal.stage_changed",
            DealEvent::Won { .. } => "deal.won",
            DealEvent::Lost { .. } => "deal.lost",
            DealEvent::Reopened { .. } => "deal.reopened",
            DealEvent::Deleted { .. } => "deal.deleted",
        }
    }

    pub fn deal_id(&self) -> DealId {
        match self {
            DealEvent::Created { deal_id }
            | DealEvent::Updated { deal_id, .. }
            | DealEvent::StageChanged { deal_id, .. }
            | DealEvent::Won { deal_id, .. }
            | DealEvent::Lost { deal_id, .. }
            | DealEvent::Reopened { deal_id }
            | DealEvent::Deleted { deal_id } => *deal_id,
        }
    }
}

/// What happened to a lead; the store pairs it with the lead's current state.
#[derive(Clone, Debug, PartialEq)]
pub enum LeadEvent {
    Created {
        lead_id: LeadId,
    },
    /// Its fields or status changed, a submission attached to it, or a lead merged into it.
    Updated {
        lead_id: LeadId,
    },
    Qualified {
        lead_id: LeadId,
        opportunity_id: OpportunityId,
        contact_id: ContactId,
        organization_id: Option<OrganizationId>,
        deal_id: Option<DealId>,
    },
    Disqualified {
        lead_id: LeadId,
        /// A `DisqualifyReason`'s name.
        reason: &'static str,
        note: Option<String>,
    },
    Deleted {
        lead_id: LeadId,
    },
}

impl LeadEvent {
    pub fn type_name(&self) -> &'static str {
        match self {
            LeadEvent::Created { .. } => "lead.created",
            LeadEvent::Updated { .. } => "lead.updated",
            LeadEvent::Qualified { .. } => "lead.qualified",
            LeadEvent::Disqualified { .. } => "lead.disqualified",
            LeadEvent::Deleted { .. } => "lead.deleted",
        }
    }
}

/// Serializes an optional date the same way everywhere (`null` or `YYYY-MM-DD`).
pub fn date_value(date: Option<NaiveDate>) -> Value {
    date.map_or(Value::Null, |d| Value::String(d.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_domain_event_is_a_type_subscriptions_accept() {
        let (deal_id, lead_id) = (DealId::new(), LeadId::new());
        let names = [
            DealEvent::Created { deal_id }.type_name(),
            DealEvent::Reopened { deal_id }.type_name(),
            DealEvent::Deleted { deal_id }.type_name(),
            LeadEvent::Created { lead_id }.type_name(),
            LeadEvent::Updated { lead_id }.type_name(),
            LeadEvent::Deleted { lead_id }.type_name(),
        ];
        for name in names {
            assert!(EVENT_TYPES.contains(&name), "{name}");
        }
    }
}
