//! The transactional outbox: events are inserted by the same transaction as their change.

use chrono::{DateTime, Utc};
use kariz_domain::{DomainEvent, WorkspaceId};
use sea_orm::{ActiveValue::Set, ConnectionTrait, EntityTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::events;
use crate::error::StoreResult;
use crate::records::DealRecord;

/// The deal as event payloads carry it; the same fields the API returns.
pub fn deal_snapshot(record: &DealRecord) -> Value {
    let deal = &record.deal;
    json!({
        "id": deal.id,
        "pipeline_id": deal.pipeline_id,
        "stage_id": deal.stage_id,
        "title": deal.title,
        "amount_minor": deal.value.amount_minor(),
        "currency": deal.value.currency(),
        "probability": record.probability(),
        "custom_probability": deal.probability,
        "weighted_amount_minor": record.weighted_amount_minor(),
        "expected_close_date": deal.expected_close_date,
        "owner_id": deal.owner_id,
        "status": deal.status.as_str(),
        "lost_reason": deal.status.lost_reason(),
        "closed_at": deal.status.closed_at(),
        "position": deal.position,
        "stage_entered_at": deal.stage_entered_at,
        "opportunity_id": record.opportunity_id,
        "version": record.version,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    })
}

/// Writes `event` about `deal` to the outbox on `conn` (a transaction, in every caller).
pub async fn record<C: ConnectionTrait>(conn: &C, event: &DomainEvent, deal: &DealRecord, at: DateTime<Utc>) -> StoreResult<()> {
    events::Entity::insert(deal_fact_row(event, deal, at)).exec_without_returning(conn).await?;
    Ok(())
}

/// The outbox row of `event` about `deal`, not yet written.
pub(crate) fn deal_fact_row(event: &DomainEvent, deal: &DealRecord, at: DateTime<Utc>) -> events::ActiveModel {
    let mut data = json!({ "deal": deal_snapshot(deal) });
    if let (Value::Object(data), Value::Object(details)) = (&mut data, event.details()) {
        data.extend(details);
    }
    let aggregate = Aggregate { workspace_id: deal.deal.workspace_id, kind: "deal", id: event.deal_id().as_uuid() };
    fact_row(aggregate, event.type_name(), data, at)
}

/// The object an event is about: events of one aggregate are delivered in order.
#[derive(Clone, Copy, Debug)]
pub struct Aggregate {
    pub workspace_id: WorkspaceId,
    pub kind: &'static str,
    pub id: Uuid,
}

/// Writes an event of type `event_type` with payload `data` to the outbox on `conn`.
pub async fn record_fact<C: ConnectionTrait>(
    conn: &C,
    about: Aggregate,
    event_type: &str,
    data: Value,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    events::Entity::insert(fact_row(about, event_type, data, at)).exec_without_returning(conn).await?;
    Ok(())
}

/// Writes many events with one statement per `chunk` rows (bulk imports).
pub(crate) async fn record_facts<C: ConnectionTrait>(conn: &C, rows: Vec<events::ActiveModel>, chunk: usize) -> StoreResult<()> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let batch: Vec<events::ActiveModel> = rows.by_ref().take(chunk).collect();
        events::Entity::insert_many(batch).exec_without_returning(conn).await?;
    }
    Ok(())
}

/// An outbox row, not yet written.
pub(crate) fn fact_row(about: Aggregate, event_type: &str, data: Value, at: DateTime<Utc>) -> events::ActiveModel {
    events::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(about.workspace_id.as_uuid()),
        event_type: Set(event_type.to_owned()),
        aggregate_type: Set(about.kind.to_owned()),
        aggregate_id: Set(about.id),
        payload: Set(data.to_string()),
        occurred_at: Set(at),
        dispatched_at: Set(None),
    }
}
