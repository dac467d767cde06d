//! The events webhooks deliver: each type's `data`, and [`Event`], which pairs a type with its
//! data. The store writes an [`Event`] into the outbox with the change that causes it; the
//! dispatcher sends its `data` unchanged.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::activities::ActivityResponse;
use crate::attachments::AttachmentResponse;
use crate::contacts::ContactResponse;
use crate::deals::DealResponse;
use crate::documents::{InvoiceResponse, PaymentResponse, QuoteResponse};
use crate::emails::EmailResponse;
use crate::leads::{LeadResponse, OpportunityResponse};
use crate::notifications::NotificationResponse;
use crate::products::ProductResponse;

/// `data` of `deal.created`, `deal.won`, `deal.reopened` and `deal.deleted`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealEventData {
    pub deal: DealResponse,
}

/// One changed field with its value before and after.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct FieldChange {
    #[schema(example = "amount_minor")]
    pub field: String,
    pub previous: Value,
    pub current: Value,
}

/// `data` of `deal.updated`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealUpdatedData {
    pub deal: DealResponse,
    pub changes: Vec<FieldChange>,
}

/// `data` of `deal.stage_changed`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealStageChangedData {
    pub deal: DealResponse,
    pub pipeline_id: Uuid,
    pub from_stage_id: Uuid,
    pub to_stage_id: Uuid,
    /// Who moved it; `null` for system moves.
    pub actor_id: Option<Uuid>,
    pub changed_at: DateTime<Utc>,
}

/// `data` of `deal.lost`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DealLostData {
    pub deal: DealResponse,
    /// The salesperson's note, when they wrote one.
    pub reason: Option<String>,
    /// The managed lost reason, when one was picked.
    #[serde(default)]
    pub reason_id: Option<Uuid>,
}

/// `data` of `ping`, sent by `POST /webhooks/{id}/test`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PingData {
    pub webhook_id: Uuid,
    pub message: String,
}

/// `data` of `lead.created`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadEventData {
    pub lead: LeadResponse,
}

/// `data` of `lead.updated` (also sent when a submission or import attaches to the lead, when a
/// disqualified lead is reopened, and when another lead is merged into it).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadUpdatedData {
    pub lead: LeadResponse,
    pub changes: Vec<FieldChange>,
    /// The lead merged into this one, which is deleted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_from: Option<Uuid>,
}

/// `data` of `lead.qualified`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadQualifiedData {
    pub lead: LeadResponse,
    pub opportunity_id: Uuid,
    pub contact_id: Uuid,
    pub organization_id: Option<Uuid>,
    /// The deal opened by the qualification, if any.
    pub deal_id: Option<Uuid>,
}

/// `data` of `lead.disqualified`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadDisqualifiedData {
    pub lead: LeadResponse,
    #[schema(schema_with = crate::vocabulary::disqualify_reason)]
    pub reason: String,
    pub note: Option<String>,
}

/// `data` of `lead.deleted` (the lead as it was).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadDeletedData {
    pub lead: LeadResponse,
    /// Set when the lead was deleted by merging it into this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub merged_into: Option<Uuid>,
}

/// `data` of `opportunity.created` (its deals are announced by their own `deal.created`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct OpportunityEventData {
    pub opportunity: OpportunityResponse,
}

/// `data` of `contact.created`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactEventData {
    pub contact: ContactResponse,
}

/// `data` of `contact.erased`: only the id, since the person's data is gone.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactErasedData {
    pub contact_id: Uuid,
}

/// `data` of `lead.erased`: only the id, since the person's data is gone.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LeadErasedData {
    pub lead_id: Uuid,
}

/// `data` of `activity.created` and `task.completed`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActivityEventData {
    pub activity: ActivityResponse,
}

/// `data` of `attachment.created` and `attachment.deleted`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AttachmentEventData {
    pub attachment: AttachmentResponse,
}

/// `data` of `notification.created`: read on the event stream by its user alone, and never
/// delivered to webhooks (a notification is one person's, a subscription the workspace's).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NotificationEventData {
    pub notification: NotificationResponse,
}

/// `data` of `email.sent` and `email.failed`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EmailEventData {
    pub email: EmailResponse,
}

/// `data` of `product.created` and `product.deleted` (the product as it was).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductEventData {
    pub product: ProductResponse,
}

/// `data` of `product.updated`: the product as it now is, and each changed field.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ProductUpdatedData {
    pub product: ProductResponse,
    pub changes: Vec<FieldChange>,
}

/// `data` of `quote.created`, `quote.sent`, `quote.accepted`, `quote.rejected`, `quote.expired`
/// and `quote.superseded`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct QuoteEventData {
    pub quote: QuoteResponse,
}

/// `data` of `invoice.created`, `invoice.issued`, `invoice.paid`, `invoice.voided` and
/// `invoice.deleted` (a draft, as it was).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct InvoiceEventData {
    pub invoice: InvoiceResponse,
}

/// `data` of `payment.recorded`: the payment and its invoice after it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PaymentRecordedData {
    pub payment: PaymentResponse,
    pub invoice: InvoiceResponse,
}

/// An event: its type, and the data of that type.
#[derive(Clone, Debug)]
pub enum Event {
    DealCreated(DealEventData),
    DealUpdated(DealUpdatedData),
    DealStageChanged(DealStageChangedData),
    DealWon(DealEventData),
    DealLost(DealLostData),
    DealReopened(DealEventData),
    DealDeleted(DealEventData),
    LeadCreated(LeadEventData),
    LeadUpdated(LeadUpdatedData),
    LeadQualified(LeadQualifiedData),
    LeadDisqualified(LeadDisqualifiedData),
    LeadDeleted(LeadDeletedData),
    OpportunityCreated(OpportunityEventData),
    ContactCreated(ContactEventData),
    ContactErased(ContactErasedData),
    LeadErased(LeadErasedData),
    ActivityCreated(ActivityEventData),
    TaskCompleted(ActivityEventData),
    AttachmentCreated(AttachmentEventData),
    AttachmentDeleted(AttachmentEventData),
    NotificationCreated(NotificationEventData),
    EmailSent(EmailEventData),
    EmailFailed(EmailEventData),
    ProductCreated(ProductEventData),
    ProductUpdated(ProductUpdatedData),
    ProductDeleted(ProductEventData),
    QuoteCreated(QuoteEventData),
    QuoteSent(QuoteEventData),
    QuoteAccepted(QuoteEventData),
    QuoteRejected(QuoteEventData),
    QuoteExpired(QuoteEventData),
    QuoteSuperseded(QuoteEventData),
    InvoiceCreated(InvoiceEventData),
    InvoiceIssued(InvoiceEventData),
    InvoicePaid(InvoiceEventData),
    InvoiceVoided(InvoiceEventData),
    InvoiceDeleted(InvoiceEventData),
    PaymentRecorded(PaymentRecordedData),
    Ping(PingData),
}

/// Applies `$apply` to the data of every kind of event, whatever its type.
macro_rules! each_data {
    ($event:expr, $data:ident => $apply:expr) => {
        match $event {
            Event::DealCreated($data) | Event::DealWon($data) | Event::DealReopened($data) | Event::DealDeleted($data) => $apply,
            Event::DealUpdated($data) => $apply,
            Event::DealStageChanged($data) => $apply,
            Event::DealLost($data) => $apply,
            Event::LeadCreated($data) => $apply,
            Event::LeadUpdated($data) => $apply,
            Event::LeadQualified($data) => $apply,
            Event::LeadDisqualified($data) => $apply,
            Event::LeadDeleted($data) => $apply,
            Event::OpportunityCreated($data) => $apply,
            Event::ContactCreated($data) => $apply,
            Event::ContactErased($data) => $apply,
            Event::LeadErased($data) => $apply,
            Event::ActivityCreated($data) | Event::TaskCompleted($data) => $apply,
            Event::AttachmentCreated($data) | Event::AttachmentDeleted($data) => $apply,
            Event::NotificationCreated($data) => $apply,
            Event::EmailSent($data) | Event::EmailFailed($data) => $apply,
            Event::ProductCreated($data) | Event::ProductDeleted($data) => $apply,
            Event::ProductUpdated($data) => $apply,
            Event::QuoteCreated($data)
            | Event::QuoteSent($data)
            | Event::QuoteAccepted($data)
            | Event::QuoteRejected($data)
            | Event::QuoteExpired($data)
            | Event::QuoteSuperseded($data) => $apply,
            Event::InvoiceCreated($data)
            | Event::InvoiceIssued($data)
            | Event::InvoicePaid($data)
            | Event::InvoiceVoided($data)
            | Event::InvoiceDeleted($data) => $apply,
            Event::PaymentRecorded($data) => $apply,
            Event::Ping($data) => $apply,
        }
    };
}

impl Event {
    /// The event type, as webhook subscriptions and payloads name it.
    pub fn type_name(&self) -> &'static str {
        match self {
            Event::DealCreated(_) => "deal.created",
            Event::DealUpdated(_) => "deal.updated",
            Event::DealStageChanged(_) => "deal.stage_changed",
            Event::DealWon(_) => "deal.won",
            Event::DealLost(_) => "deal.lost",
            Event::DealReopened(_) => "deal.reopened",
            Event::DealDeleted(_) => "deal.deleted",
            Event::LeadCreated(_) => "lead.created",
            Event::LeadUpdated(_) => "lead.updated",
            Event::LeadQualified(_) => "lead.qualified",
            Event::LeadDisqualified(_) => "lead.disqualified",
            Event::LeadDeleted(_) => "lead.deleted",
            Event::OpportunityCreated(_) => "opportunity.created",
            Event::ContactCreated(_) => "contact.created",
            Event::ContactErased(_) => "contact.erased",
            Event::LeadErased(_) => "lead.erased",
            Event::ActivityCreated(_) => "activity.created",
            Event::TaskCompleted(_) => "task.completed",
            Event::AttachmentCreated(_) => "attachment.created",
            Event::AttachmentDeleted(_) => "attachment.deleted",
            Event::NotificationCreated(_) => "notification.created",
            Event::EmailSent(_) => "email.sent",
            Event::EmailFailed(_) => "email.failed",
            Event::ProductCreated(_) => "product.created",
            Event::ProductUpdated(_) => "product.updated",
            Event::ProductDeleted(_) => "product.deleted",
            Event::QuoteCreated(_) => "quote.created",
            Event::QuoteSent(_) => "quote.sent",
            Event::QuoteAccepted(_) => "quote.accepted",
            Event::QuoteRejected(_) => "quote.rejected",
            Event::QuoteExpired(_) => "quote.expired",
            Event::QuoteSuperseded(_) => "quote.superseded",
            Event::InvoiceCreated(_) => "invoice.created",
            Event::InvoiceIssued(_) => "invoice.issued",
            Event::InvoicePaid(_) => "invoice.paid",
            Event::InvoiceVoided(_) => "invoice.voided",
            Event::InvoiceDeleted(_) => "invoice.deleted",
            Event::PaymentRecorded(_) => "payment.recorded",
            Event::Ping(_) => "ping",
        }
    }

    /// The event's `data`, as it is stored and delivered.
    pub fn data(&self) -> Value {
        // Serializing plain structs of strings, numbers and maps cannot fail.
        each_data!(self, data => serde_json::to_value(data).unwrap_or(Value::Null))
    }

    /// Reads an event back from its type and `data`, refusing fields its type does not have
    /// (consumers' tests and the integration suite use it to hold payloads to the contract).
    pub fn parse(event_type: &str, data: Value) -> Result<Event, String> {
        let err = |e: serde_json::Error| format!("{event_type}: {e}");
        Ok(match event_type {
            "deal.created" => Event::DealCreated(serde_json::from_value(data).map_err(err)?),
            "deal.updated" => Event::DealUpdated(serde_json::from_value(data).map_err(err)?),
            "deal.stage_changed" => Event::DealStageChanged(serde_json::from_value(data).map_err(err)?),
            "deal.won" => Event::DealWon(serde_json::from_value(data).map_err(err)?),
            "deal.lost" => Event::DealLost(serde_json::from_value(data).map_err(err)?),
            "deal.reopened" => Event::DealReopened(serde_json::from_value(data).map_err(err)?),
            "deal.deleted" => Event::DealDeleted(serde_json::from_value(data).map_err(err)?),
            "lead.created" => Event::LeadCreated(serde_json::from_value(data).map_err(err)?),
            "lead.updated" => Event::LeadUpdated(serde_json::from_value(data).map_err(err)?),
            "lead.qualified" => Event::LeadQualified(serde_json::from_value(data).map_err(err)?),
            "lead.disqualified" => Event::LeadDisqualified(serde_json::from_value(data).map_err(err)?),
            "lead.deleted" => Event::LeadDeleted(serde_json::from_value(data).map_err(err)?),
            "opportunity.created" => Event::OpportunityCreated(serde_json::from_value(data).map_err(err)?),
            "contact.created" => Event::ContactCreated(serde_json::from_value(data).map_err(err)?),
            "contact.erased" => Event::ContactErased(serde_json::from_value(data).map_err(err)?),
            "lead.erased" => Event::LeadErased(serde_json::from_value(data).map_err(err)?),
            "activity.created" => Event::ActivityCreated(serde_json::from_value(data).map_err(err)?),
            "task.completed" => Event::TaskCompleted(serde_json::from_value(data).map_err(err)?),
            "attachment.created" => Event::AttachmentCreated(serde_json::from_value(data).map_err(err)?),
            "attachment.deleted" => Event::AttachmentDeleted(serde_json::from_value(data).map_err(err)?),
            "notification.created" => Event::NotificationCreated(serde_json::from_value(data).map_err(err)?),
            "email.sent" => Event::EmailSent(serde_json::from_value(data).map_err(err)?),
            "email.failed" => Event::EmailFailed(serde_json::from_value(data).map_err(err)?),
            "product.created" => Event::ProductCreated(serde_json::from_value(data).map_err(err)?),
            "product.updated" => Event::ProductUpdated(serde_json::from_value(data).map_err(err)?),
            "product.deleted" => Event::ProductDeleted(serde_json::from_value(data).map_err(err)?),
            "quote.created" => Event::QuoteCreated(serde_json::from_value(data).map_err(err)?),
            "quote.sent" => Event::QuoteSent(serde_json::from_value(data).map_err(err)?),
            "quote.accepted" => Event::QuoteAccepted(serde_json::from_value(data).map_err(err)?),
            "quote.rejected" => Event::QuoteRejected(serde_json::from_value(data).map_err(err)?),
            "quote.expired" => Event::QuoteExpired(serde_json::from_value(data).map_err(err)?),
            "quote.superseded" => Event::QuoteSuperseded(serde_json::from_value(data).map_err(err)?),
            "invoice.created" => Event::InvoiceCreated(serde_json::from_value(data).map_err(err)?),
            "invoice.issued" => Event::InvoiceIssued(serde_json::from_value(data).map_err(err)?),
            "invoice.paid" => Event::InvoicePaid(serde_json::from_value(data).map_err(err)?),
            "invoice.voided" => Event::InvoiceVoided(serde_json::from_value(data).map_err(err)?),
            "invoice.deleted" => Event::InvoiceDeleted(serde_json::from_value(data).map_err(err)?),
            "payment.recorded" => Event::PaymentRecorded(serde_json::from_value(data).map_err(err)?),
            "ping" => Event::Ping(serde_json::from_value(data).map_err(err)?),
            other => return Err(format!("unknown event type `{other}`")),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_event_type_subscriptions_accept_has_a_payload_and_back() {
        let ping = Event::Ping(PingData { webhook_id: Uuid::nil(), message: "ping".to_owned() });
        for name in kariz_domain::events::EVENT_TYPES {
            // Every type parses; only `ping`'s data fits this body, the others name what they miss.
            match Event::parse(name, ping.data()) {
                Ok(event) => assert_eq!(event.type_name(), name),
                Err(err) => assert!(err.starts_with(name) && !err.contains("unknown event type"), "{err}"),
            }
        }
        assert!(Event::parse("deal.teleported", Value::Null).unwrap_err().contains("unknown event type"));
    }
}
