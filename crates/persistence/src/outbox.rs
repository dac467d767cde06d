//! The transactional outbox: events are inserted by the same transaction as their change. Their
//! payloads are the `kariz-contract` types the API answers with, serialized once, here.

use chrono::{DateTime, Utc};
use kariz_contract::events::{
    DealEventData, DealLostData, DealStageChangedData, DealUpdatedData, FieldChange, LeadDeletedData, LeadDisqualifiedData, LeadEventData,
    LeadQualifiedData, LeadUpdatedData,
};
use kariz_contract::{Event, LeadResponse};
use kariz_domain::{DealEvent, LeadEvent, WorkspaceId};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde::Serialize;
use serde_json::Value;
use uuid::Uuid;

use crate::entities::events;
use crate::error::StoreResult;
use crate::records::{DealRecord, LeadRecord};

/// The object an event is about: events of one aggregate are delivered in order.
#[derive(Clone, Copy, Debug)]
pub struct Aggregate {
    pub workspace_id: WorkspaceId,
    pub kind: &'static str,
    pub id: Uuid,
}

impl Aggregate {
    pub(crate) fn deal(record: &DealRecord) -> Aggregate {
        Aggregate { workspace_id: record.deal.workspace_id(), kind: "deal", id: record.deal.id().as_uuid() }
    }

    pub(crate) fn lead(record: &LeadRecord) -> Aggregate {
        Aggregate { workspace_id: record.lead.workspace_id(), kind: "lead", id: record.lead.id().as_uuid() }
    }
}

/// The event a domain transition of a deal announces, carrying the deal as it now is.
pub(crate) fn deal_event(event: &DealEvent, record: &DealRecord) -> Event {
    let deal = record.into();
    match event {
        DealEvent::Created { .. } => Event::DealCreated(DealEventData { deal }),
        DealEvent::Updated { changes, .. } => Event::DealUpdated(DealUpdatedData {
            deal,
            changes: changes
                .iter()
                .map(|c| FieldChange { field: c.field.to_owned(), previous: c.previous.clone(), current: c.current.clone() })
                .collect(),
        }),
        DealEvent::StageChanged { pipeline_id, from_stage_id, to_stage_id, actor_id, at, .. } => {
            Event::DealStageChanged(DealStageChangedData {
                deal,
                pipeline_id: pipeline_id.as_uuid(),
                from_stage_id: from_stage_id.as_uuid(),
                to_stage_id: to_stage_id.as_uuid(),
                actor_id: actor_id.map(|a| a.as_uuid()),
                changed_at: *at,
            })
        }
        DealEvent::Won { .. } => Event::DealWon(DealEventData { deal }),
        DealEvent::Lost { reason, reason_id, .. } => {
            Event::DealLost(DealLostData { deal, reason: reason.clone(), reason_id: reason_id.map(|r| r.as_uuid()) })
        }
        DealEvent::Reopened { .. } => Event::DealReopened(DealEventData { deal }),
        DealEvent::Deleted { .. } => Event::DealDeleted(DealEventData { deal }),
    }
}

/// The event a transition of a lead announces, carrying the lead as it now is; an update lists
/// what changed since `before`.
pub(crate) fn lead_event(event: &LeadEvent, before: Option<&LeadRecord>, record: &LeadRecord) -> Event {
    let lead: LeadResponse = record.into();
    match event {
        LeadEvent::Updated { .. } => {
            let changes = before.map(|before| changed_fields(&LeadResponse::from(before), &lead)).unwrap_or_default();
            Event::LeadUpdated(LeadUpdatedData { lead, changes, merged_from: None })
        }
        LeadEvent::Disqualified { reason, note, .. } => {
            Event::LeadDisqualified(LeadDisqualifiedData { lead, reason: (*reason).to_owned(), note: note.clone() })
        }
        LeadEvent::Deleted { .. } => Event::LeadDeleted(LeadDeletedData { lead, merged_into: None }),
        LeadEvent::Qualified { opportunity_id, contact_id, organization_id, deal_id, .. } => Event::LeadQualified(LeadQualifiedData {
            lead,
            opportunity_id: opportunity_id.as_uuid(),
            contact_id: contact_id.as_uuid(),
            organization_id: organization_id.map(|o| o.as_uuid()),
            deal_id: deal_id.map(|d| d.as_uuid()),
        }),
        LeadEvent::Created { .. } => Event::LeadCreated(LeadEventData { lead }),
    }
}

/// The fields whose values differ between two views of one object, with both values; the
/// bookkeeping fields that every write changes are left out.
pub(crate) fn changed_fields<T: Serialize>(before: &T, after: &T) -> Vec<FieldChange> {
    const BOOKKEEPING: [&str; 3] = ["version", "updated_at", "created_at"];
    let (Ok(Value::Object(before)), Ok(Value::Object(after))) = (serde_json::to_value(before), serde_json::to_value(after)) else {
        return Vec::new();
    };
    after
        .into_iter()
        .filter(|(field, value)| !BOOKKEEPING.contains(&field.as_str()) && before.get(field) != Some(value))
        .map(|(field, current)| FieldChange { previous: before.get(&field).cloned().unwrap_or(Value::Null), field, current })
        .collect()
}

/// Writes `event` about `about` to the outbox on `conn` (a transaction, in every caller).
pub(crate) async fn record<C: ConnectionTrait>(conn: &C, about: Aggregate, event: &Event, at: DateTime<Utc>) -> StoreResult<()> {
    events::Entity::insert(row(about, event, at)).exec_without_returning(conn).await?;
    Ok(())
}

/// Writes many events with one statement per `chunk` rows (bulk imports).
pub(crate) async fn record_rows<C: ConnectionTrait>(conn: &C, rows: Vec<events::ActiveModel>, chunk: usize) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<events::ActiveModel> = rows.by_ref().take(chunk).collect();
        events::Entity::insert_many(batch).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// The outbox row of `event` about `about`, not yet written.
pub(crate) fn row(about: Aggregate, event: &Event, at: DateTime<Utc>) -> events::ActiveModel {
    events::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(about.workspace_id.as_uuid()),
        event_type: Set(event.type_name().to_owned()),
        aggregate_type: Set(about.kind.to_owned()),
        aggregate_id: Set(about.id),
        payload: Set(event.data().to_string()),
        occurred_at: Set(at),
        dispatched_at: Set(None),
        sequence: Set(None),
        caused_by: Set(CAUSED_BY.try_with(|chain| serde_json::to_string(chain).ok()).ok().flatten()),
    }
}

tokio::task_local! {
    /// The automation rules whose actions the current task runs, oldest first.
    static CAUSED_BY: Vec<Uuid>;
}

/// Runs `work` as the actions of the rules in `chain`: every event it writes names them.
pub async fn caused_by<F: std::future::Future>(chain: Vec<Uuid>, work: F) -> F::Output {
    CAUSED_BY.scope(chain, work).await
}
