//! Webhook subscriptions, the fan-out of outbox events into deliveries, and the claim/record
//! cycle of the dispatcher.
//!
//! Deliveries of one aggregate (deal) to one subscription are attempted strictly in event order:
//! a delivery is due only when no earlier delivery of the same pair is still pending. Claims take
//! a lease (`locked_until`) and, on PostgreSQL, row locks with `SKIP LOCKED`, so several replicas
//! never make the same attempt; a replica that dies loses its lease and another retries.
//!
//! Claims are fair across workspaces: the leases in force count each workspace's and each
//! endpoint's deliveries in flight, a claim stays within their limits, and it serves workspaces
//! round robin, so slow endpoints of one workspace cannot occupy every dispatcher slot.

use chrono::{DateTime, Duration, Utc};
use kariz_domain::{EventTypes, StoredSubscription, SubscriptionFields, SubscriptionPatch, WebhookSubscription, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Value,
};
use serde_json::{Value as Json, json};
use uuid::Uuid;

use crate::entities::{events, pipelines, webhook_attempts, webhook_deliveries, webhook_subscriptions};
use crate::error::{StoreError, StoreResult};
use crate::pagination::{self, Page};
use crate::sql::statement;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

/// A subscription as stored.
#[derive(Clone, Debug)]
pub struct SubscriptionRecord {
    pub subscription: WebhookSubscription,
    /// Until when the previous secret still signs (after a rotation), as of reading.
    pub previous_secret_expires_at: Option<DateTime<Utc>>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[derive(Clone, Debug)]
pub struct AttemptRecord {
    pub attempted_at: DateTime<Utc>,
    pub status_code: Option<i32>,
    pub error: Option<String>,
    pub latency_ms: i32,
    pub response_excerpt: Option<String>,
}

#[derive(Clone, Debug)]
pub struct DeliveryRecord {
    pub id: Uuid,
    pub subscription_id: Uuid,
    pub event_id: Uuid,
    pub event_type: String,
    pub aggregate_id: Uuid,
    /// `pending`, `succeeded` or `failed`.
    pub status: String,
    pub attempts: i32,
    pub next_attempt_at: DateTime<Utc>,
    pub last_attempt_at: Option<DateTime<Utc>>,
    pub last_status_code: Option<i32>,
    pub last_error: Option<String>,
    pub redelivery_of: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub completed_at: Option<DateTime<Utc>>,
    /// Oldest first.
    pub attempt_log: Vec<AttemptRecord>,
}

#[derive(Clone, Debug, Default)]
pub struct DeliveryFilter {
    pub status: Option<String>,
    pub event_type: Option<String>,
}

/// A delivery claimed for one attempt, with everything needed to send it.
#[derive(Clone, Debug)]
pub struct ClaimedDelivery {
    pub id: Uuid,
    pub workspace_id: Uuid,
    pub subscription_id: Uuid,
    pub url: String,
    /// The current secret first, then the previous one while it overlaps.
    pub secrets: Vec<String>,
    pub event_id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub payload: String,
    /// Attempts made before this one.
    pub attempts: i32,
    pub failing_since: Option<DateTime<Utc>>,
}

/// How much one claim may take: at most `batch` deliveries, and no more than `per_workspace`
/// (`per_endpoint`) in flight at once for one workspace (subscription), counting the leases every
/// dispatcher holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ClaimLimits {
    pub batch: usize,
    pub per_workspace: usize,
    pub per_endpoint: usize,
}

impl ClaimLimits {
    fn batch_i64(&self) -> i64 {
        i64::try_from(self.batch).unwrap_or(i64::MAX)
    }

    fn per_workspace_i64(&self) -> i64 {
        i64::try_from(self.per_workspace).unwrap_or(i64::MAX)
    }

    fn per_endpoint_i64(&self) -> i64 {
        i64::try_from(self.per_endpoint).unwrap_or(i64::MAX)
    }
}

/// The `due` part of a claim (see [`Store::claim_deliveries`]): each attempt that may be made now
/// — pending, due, not leased, the first pending one of its (subscription, deal), on an active
/// subscription whose workspace and endpoint are below their limits — with its turn in its
/// endpoint's queue (`endpoint_turn`, 1 for the oldest). It reads `endpoint_busy` and
/// `workspace_busy`.
///
/// On PostgreSQL each endpoint's queue is read from the `endpoint_queue` index and only as far as
/// its limit (a lateral join), so a flooded endpoint costs a few index entries. SQLite has no
/// lateral join and numbers every due row (one process, small deployments).
fn due_deliveries(backend: DatabaseBackend, limits: ClaimLimits, now: DateTime<Utc>) -> (&'static str, Vec<Value>) {
    match backend {
        DatabaseBackend::Postgres => (
            "SELECT q.id, q.workspace_id, q.subscription_id, q.next_attempt_at, q.endpoint_turn \
             FROM webhook_subscriptions s CROSS JOIN LATERAL (\
               SELECT d.id, d.workspace_id, d.subscription_id, d.next_attempt_at, \
                 ROW_NUMBER() OVER (ORDER BY d.next_attempt_at, d.id) AS endpoint_turn \
               FROM webhook_deliveries d \
               WHERE d.subscription_id = s.id AND d.status = 'pending' AND d.next_attempt_at <= ? \
               AND (d.locked_until IS NULL OR d.locked_until < ?) \
               AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id \
                 AND e.aggregate_id = d.aggregate_id AND e.status = 'pending' AND e.event_id < d.event_id) \
               ORDER BY d.next_attempt_at, d.id LIMIT ?) q \
             WHERE s.active = ? \
             AND s.workspace_id NOT IN (SELECT workspace_id FROM workspace_busy WHERE leased >= ?) \
             AND s.id NOT IN (SELECT subscription_id FROM endpoint_busy WHERE leased >= ?)",
            vec![
                now.into(),
                now.into(),
                limits.per_endpoint_i64().into(),
                true.into(),
                limits.per_workspace_i64().into(),
                limits.per_endpoint_i64().into(),
            ],
        ),
        _ => (
            "SELECT d.id, d.workspace_id, d.subscription_id, d.next_attempt_at, \
               ROW_NUMBER() OVER (PARTITION BY d.subscription_id ORDER BY d.next_attempt_at, d.id) AS endpoint_turn \
             FROM webhook_deliveries d JOIN webhook_subscriptions s ON s.id = d.subscription_id AND s.active = ? \
             WHERE d.status = 'pending' AND d.next_attempt_at <= ? AND (d.locked_until IS NULL OR d.locked_until < ?) \
             AND d.workspace_id NOT IN (SELECT workspace_id FROM workspace_busy WHERE leased >= ?) \
             AND d.subscription_id NOT IN (SELECT subscription_id FROM endpoint_busy WHERE leased >= ?) \
             AND NOT EXISTS (SELECT 1 FROM webhook_deliveries e WHERE e.subscription_id = d.subscription_id \
               AND e.aggregate_id = d.aggregate_id AND e.status = 'pending' AND e.event_id < d.event_id)",
            vec![true.into(), now.into(), now.into(), limits.per_workspace_i64().into(), limits.per_endpoint_i64().into()],
        ),
    }
}

/// What happened on an attempt.
#[derive(Clone, Debug)]
pub struct AttemptOutcome {
    pub at: DateTime<Utc>,
    pub status_code: Option<u16>,
    pub error: Option<String>,
    pub latency_ms: i32,
    pub response_excerpt: Option<String>,
    pub dispatcher: String,
}

/// What to do after an attempt; decided by the dispatcher's retry policy.
#[derive(Clone, Debug)]
pub enum NextStep {
    Succeeded,
    RetryAt(DateTime<Utc>),
    /// No retries left.
    GiveUp,
    /// Stop this delivery and disable the subscription (410 Gone, or failing for too long).
    Disable {
        reason: String,
    },
}

fn subscription_record(row: webhook_subscriptions::Model, now: DateTime<Utc>) -> SubscriptionRecord {
    let subscription = WebhookSubscription::restore(StoredSubscription {
        id: row.id,
        workspace_id: row.workspace_id.into(),
        fields: SubscriptionFields {
            url: row.url,
            description: row.description,
            event_types: EventTypes::restore(serde_json::from_str(&row.event_types).unwrap_or_default()),
            pipeline_id: row.pipeline_id.map(Into::into),
        },
        secret: row.secret,
        previous_secret: row.previous_secret,
        previous_secret_expires_at: row.previous_secret_expires_at,
        active: row.active,
        disabled_reason: row.disabled_reason,
        disabled_at: row.disabled_at,
        failing_since: row.failing_since,
    });
    let previous_secret_expires_at = subscription.previous_secret_expires_at(now);
    SubscriptionRecord {
        subscription,
        previous_secret_expires_at,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The row of a subscription, every column.
fn subscription_row(record: &SubscriptionRecord) -> webhook_subscriptions::Model {
    let (s, f) = (&record.subscription, record.subscription.fields());
    webhook_subscriptions::Model {
        id: s.id(),
        workspace_id: s.workspace_id().as_uuid(),
        url: f.url.clone(),
        description: f.description.clone(),
        event_types: serde_json::to_string(f.event_types.as_slice()).unwrap_or_else(|_| "[]".to_owned()),
        pipeline_id: f.pipeline_id.map(|p| p.as_uuid()),
        secret: s.secret().to_owned(),
        previous_secret: s.previous_secret().map(str::to_owned),
        previous_secret_expires_at: s.previous_secret_until(),
        active: s.is_active(),
        disabled_reason: s.disabled_reason().map(str::to_owned),
        disabled_at: s.disabled_at(),
        failing_since: s.failing_since(),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

fn delivery_record(row: webhook_deliveries::Model, attempt_log: Vec<AttemptRecord>) -> DeliveryRecord {
    DeliveryRecord {
        id: row.id,
        subscription_id: row.subscription_id,
        event_id: row.event_id,
        event_type: row.event_type,
        aggregate_id: row.aggregate_id,
        status: row.status,
        attempts: row.attempts,
        next_attempt_at: row.next_attempt_at,
        last_attempt_at: row.last_attempt_at,
        last_status_code: row.last_status_code,
        last_error: row.last_error,
        redelivery_of: row.redelivery_of,
        created_at: row.created_at,
        completed_at: row.completed_at,
        attempt_log,
    }
}

fn new_delivery(
    event: &events::Model,
    subscription_id: Uuid,
    now: DateTime<Utc>,
    redelivery_of: Option<Uuid>,
) -> webhook_deliveries::ActiveModel {
    webhook_deliveries::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(event.workspace_id),
        subscription_id: Set(subscription_id),
        event_id: Set(event.id),
        event_type: Set(event.event_type.clone()),
        aggregate_id: Set(event.aggregate_id),
        status: Set("pending".to_owned()),
        attempts: Set(0),
        next_attempt_at: Set(now),
        locked_until: Set(None),
        last_attempt_at: Set(None),
        last_status_code: Set(None),
        last_error: Set(None),
        redelivery_of: Set(redelivery_of),
        created_at: Set(now),
        completed_at: Set(None),
    }
}

/// Event types no subscription receives: a notification is one user's (read on their event
/// stream), a subscription the workspace's.
const NOT_DELIVERED: [&str; 1] = ["notification.created"];

/// Whether a subscription wants an event: its types (empty = all) and its pipeline filter.
fn wants(subscription: &webhook_subscriptions::Model, event: &events::Model) -> bool {
    if NOT_DELIVERED.contains(&event.event_type.as_str()) {
        return false;
    }
    let types: Vec<String> = serde_json::from_str(&subscription.event_types).unwrap_or_default();
    if !types.is_empty() && !types.iter().any(|t| t == &event.event_type) {
        return false;
    }
    match subscription.pipeline_id {
        None => true,
        Some(pipeline_id) => {
            let payload: Json = serde_json::from_str(&event.payload).unwrap_or(Json::Null);
            payload["deal"]["pipeline_id"].as_str() == Some(pipeline_id.to_string().as_str())
        }
    }
}

/// A subscription's row in the workspace.
async fn subscription_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<webhook_subscriptions::Model> {
    webhook_subscriptions::Entity::find_by_id(id)
        .filter(webhook_subscriptions::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("webhook"))
}

/// Writes a changed subscription over `before`.
async fn save_subscription(
    work: &mut UnitOfWork,
    action: &'static str,
    before: &SubscriptionRecord,
    subscription: WebhookSubscription,
) -> StoreResult<SubscriptionRecord> {
    let after = SubscriptionRecord { subscription, ..before.clone() };
    let row = work.update(action, &subscription_row(before), subscription_row(&after)).await?;
    Ok(subscription_record(row, work.now()))
}

/// A subscription's pipeline filter must name a pipeline of its own workspace: another
/// workspace's would leak nothing (fan-out stays within the workspace) but is meaningless, and
/// is refused like an unknown one.
async fn check_pipeline_filter<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    pipeline_id: kariz_domain::PipelineId,
) -> StoreResult<()> {
    let found = pipelines::Entity::find_by_id(pipeline_id.as_uuid())
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .count(conn)
        .await?;
    if found == 0 {
        return Err(StoreError::invalid("pipeline_id", "no such pipeline in this workspace"));
    }
    Ok(())
}

impl Store {
    pub async fn create_subscription(
        &self,
        workspace_id: WorkspaceId,
        fields: SubscriptionFields,
        secret: String,
    ) -> StoreResult<SubscriptionRecord> {
        let mut work = self.begin().await?;
        if let Some(pipeline_id) = fields.pipeline_id {
            check_pipeline_filter(work.conn(), workspace_id, pipeline_id).await?;
        }
        let now = work.now();
        let subscription = WebhookSubscription::create(workspace_id, fields, secret);
        let record = SubscriptionRecord { subscription, previous_secret_expires_at: None, version: 1, created_at: now, updated_at: now };
        work.insert("webhook.created", subscription_row(&record)).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn subscriptions(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<SubscriptionRecord>> {
        let rows = webhook_subscriptions::Entity::find()
            .filter(webhook_subscriptions::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(webhook_subscriptions::Column::Id)
            .all(&self.db)
            .await?;
        let now = self.now();
        Ok(rows.into_iter().map(|row| subscription_record(row, now)).collect())
    }

    pub async fn subscription(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<SubscriptionRecord> {
        Ok(subscription_record(subscription_in(&self.db, workspace_id, id).await?, self.now()))
    }

    pub async fn update_subscription(
        &self,
        workspace_id: WorkspaceId,
        id: Uuid,
        expected_version: Option<i64>,
        patch: SubscriptionPatch,
    ) -> StoreResult<SubscriptionRecord> {
        let mut work = self.begin().await?;
        let current = subscription_record(subscription_in(work.conn(), workspace_id, id).await?, work.now());
        check_version("webhook", expected_version, current.version)?;
        let mut subscription = current.subscription.clone();
        if !subscription.update(patch, work.now()) {
            return Ok(current);
        }
        if let Some(pipeline_id) = subscription.fields().pipeline_id {
            check_pipeline_filter(work.conn(), workspace_id, pipeline_id).await?;
        }
        let record = save_subscription(&mut work, "webhook.updated", &current, subscription).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn delete_subscription(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = subscription_in(work.conn(), workspace_id, id).await?;
        work.delete("webhook.deleted", &current).await?;
        work.commit().await
    }

    /// Replaces the signing secret; the previous one keeps signing until `overlap_until`.
    pub async fn rotate_secret(
        &self,
        workspace_id: WorkspaceId,
        id: Uuid,
        new_secret: String,
        overlap_until: DateTime<Utc>,
    ) -> StoreResult<SubscriptionRecord> {
        let mut work = self.begin().await?;
        let current = subscription_record(subscription_in(work.conn(), workspace_id, id).await?, work.now());
        let mut subscription = current.subscription.clone();
        subscription.rotate_secret(new_secret, overlap_until);
        let record = save_subscription(&mut work, "webhook.secret_rotated", &current, subscription).await?;
        work.commit().await?;
        Ok(record)
    }

    /// A `ping` event for one subscription, delivered like any other.
    pub async fn enqueue_ping(&self, workspace_id: WorkspaceId, subscription_id: Uuid) -> StoreResult<DeliveryRecord> {
        let mut work = self.begin().await?;
        let subscription = subscription_in(work.conn(), workspace_id, subscription_id).await?;
        let now = work.now();
        let payload =
            kariz_contract::Event::Ping(kariz_contract::events::PingData { webhook_id: subscription.id, message: "ping".to_owned() })
                .data();
        let event = events::Model {
            id: Uuid::now_v7(),
            workspace_id: workspace_id.as_uuid(),
            event_type: "ping".to_owned(),
            aggregate_type: "webhook".to_owned(),
            aggregate_id: subscription.id,
            payload: payload.to_string(),
            occurred_at: now,
            // Fanned out here, directly to this one subscription.
            dispatched_at: Some(now),
            sequence: None,
            caused_by: None,
        };
        events::Entity::insert(events::ActiveModel::from(event.clone())).exec_without_returning(work.conn()).await?;
        let delivery =
            webhook_deliveries::Entity::insert(new_delivery(&event, subscription.id, now, None)).exec_with_returning(work.conn()).await?;
        work.audit(workspace_id, "webhook.tested", Some(subscription.id), json!({ "delivery_id": delivery.id })).await?;
        work.emitted();
        work.commit().await?;
        Ok(delivery_record(delivery, Vec::new()))
    }

    /// The delivery log of a subscription, newest first, each with its attempts.
    pub async fn deliveries(
        &self,
        workspace_id: WorkspaceId,
        subscription_id: Uuid,
        filter: DeliveryFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<DeliveryRecord>> {
        subscription_in(&self.db, workspace_id, subscription_id).await?;
        let limit = pagination::clamp_limit(limit);
        let mut query = webhook_deliveries::Entity::find()
            .filter(webhook_deliveries::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(webhook_deliveries::Column::SubscriptionId.eq(subscription_id));
        if let Some(status) = filter.status {
            query = query.filter(webhook_deliveries::Column::Status.eq(status));
        }
        if let Some(event_type) = filter.event_type {
            query = query.filter(webhook_deliveries::Column::EventType.eq(event_type));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, "-id")?;
            query = query.filter(webhook_deliveries::Column::Id.lt(last_id));
        }
        let mut rows = query.order_by_desc(webhook_deliveries::Column::Id).limit(limit + 1).all(&self.db).await?;
        let next_cursor = if rows.len() as u64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|r| pagination::encode("-id", Json::Null, r.id))
        } else {
            None
        };
        let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
        let attempts = if ids.is_empty() {
            Vec::new()
        } else {
            webhook_attempts::Entity::find()
                .filter(webhook_attempts::Column::DeliveryId.is_in(ids))
                .order_by_asc(webhook_attempts::Column::AttemptedAt)
                .order_by_asc(webhook_attempts::Column::Id)
                .all(&self.db)
                .await?
        };
        let items = rows
            .into_iter()
            .map(|row| {
                let log = attempts
                    .iter()
                    .filter(|a| a.delivery_id == row.id)
                    .map(|a| AttemptRecord {
                        attempted_at: a.attempted_at,
                        status_code: a.status_code,
                        error: a.error.clone(),
                        latency_ms: a.latency_ms,
                        response_excerpt: a.response_excerpt.clone(),
                    })
                    .collect();
                delivery_record(row, log)
            })
            .collect();
        Ok(Page { items, next_cursor })
    }

    /// Sends an event again: a new delivery of the same event (same `webhook-id`) to the same
    /// subscription, due now.
    pub async fn redeliver(&self, workspace_id: WorkspaceId, delivery_id: Uuid) -> StoreResult<DeliveryRecord> {
        let original = webhook_deliveries::Entity::find_by_id(delivery_id)
            .filter(webhook_deliveries::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("delivery"))?;
        let event = events::Entity::find_by_id(original.event_id).one(&self.db).await?.ok_or(StoreError::NotFound("event"))?;
        let mut work = self.begin().await?;
        let row = webhook_deliveries::Entity::insert(new_delivery(&event, original.subscription_id, work.now(), Some(original.id)))
            .exec_with_returning(work.conn())
            .await?;
        let changes = json!({ "delivery_id": row.id, "redelivery_of": original.id });
        work.audit(workspace_id, "webhook.redelivered", Some(original.subscription_id), changes).await?;
        work.emitted();
        work.commit().await?;
        Ok(delivery_record(row, Vec::new()))
    }

    /// Turns up to `limit` undispatched events into deliveries, in event order. Returns how many
    /// events it handled. On PostgreSQL one replica fans out at a time (an advisory lock), so the
    /// deliveries of a deal are always created in the order of its events.
    pub async fn fan_out(&self, limit: u64) -> StoreResult<usize> {
        let work = self.begin().await?;
        let txn = work.conn();
        let backend = self.backend();
        if backend == DatabaseBackend::Postgres {
            let locked = txn.query_one_raw(statement(backend, "SELECT pg_try_advisory_xact_lock(7212023) AS locked", vec![])).await?;
            if !locked.map(|row| row.try_get::<bool>("", "locked")).transpose()?.unwrap_or(false) {
                return Ok(0);
            }
        }
        let pending = events::Entity::find()
            .filter(events::Column::DispatchedAt.is_null())
            .order_by_asc(events::Column::Id)
            .limit(limit)
            .all(txn)
            .await?;
        if pending.is_empty() {
            return Ok(0);
        }
        let mut workspaces: Vec<Uuid> = pending.iter().map(|e| e.workspace_id).collect();
        workspaces.sort();
        workspaces.dedup();
        let subscriptions = webhook_subscriptions::Entity::find()
            .filter(webhook_subscriptions::Column::WorkspaceId.is_in(workspaces))
            .filter(webhook_subscriptions::Column::Active.eq(true))
            .all(txn)
            .await?;
        let now = work.now();
        let deliveries: Vec<_> = pending
            .iter()
            .flat_map(|event| {
                subscriptions
                    .iter()
                    .filter(move |s| s.workspace_id == event.workspace_id && wants(s, event))
                    .map(move |s| new_delivery(event, s.id, now, None))
            })
            .collect();
        for chunk in deliveries.chunks(500) {
            webhook_deliveries::Entity::insert_many(chunk.to_vec()).exec_without_returning(txn).await?;
        }
        let ids: Vec<Uuid> = pending.iter().map(|e| e.id).collect();
        events::Entity::update_many()
            .col_expr(events::Column::DispatchedAt, Expr::value(now))
            .filter(events::Column::Id.is_in(ids))
            .exec(txn)
            .await?;
        work.commit().await?;
        Ok(pending.len())
    }

    /// Claims due deliveries for one attempt each, leased until `now + lease`, sharing the
    /// dispatchers fairly: no workspace or endpoint gets more than its limit of deliveries in
    /// flight (leased, by any replica), and every workspace with due work gets its next delivery
    /// before any gets another (round robin, oldest first within a turn).
    pub async fn claim_deliveries(&self, limits: ClaimLimits, lease: Duration) -> StoreResult<Vec<ClaimedDelivery>> {
        let backend = self.backend();
        let now = self.now();
        let lock = if backend == DatabaseBackend::Postgres { " FOR UPDATE OF l SKIP LOCKED" } else { "" };
        // Turns are numbered per endpoint first, so that an endpoint's backlog beyond its limit
        // does not use up its workspace's turns; then per workspace over what is left. The
        // backlog of a workspace or endpoint already at its limit is left out before anything is
        // ranked (`due_deliveries`).
        let (due, due_values) = due_deliveries(backend, limits, now);
        let sql = format!(
            "WITH endpoint_busy AS (SELECT subscription_id, COUNT(*) AS leased FROM webhook_deliveries \
               WHERE status = 'pending' AND locked_until >= ? GROUP BY subscription_id), \
             workspace_busy AS (SELECT workspace_id, COUNT(*) AS leased FROM webhook_deliveries \
               WHERE status = 'pending' AND locked_until >= ? GROUP BY workspace_id), \
             due AS ({due}), \
             within_endpoint_limit AS (SELECT due.id, due.workspace_id, due.next_attempt_at, \
               ROW_NUMBER() OVER (PARTITION BY due.workspace_id ORDER BY due.endpoint_turn, due.next_attempt_at, due.id) AS workspace_turn \
               FROM due LEFT JOIN endpoint_busy b ON b.subscription_id = due.subscription_id \
               WHERE due.endpoint_turn + COALESCE(b.leased, 0) <= ?), \
             chosen AS (SELECT w.id FROM within_endpoint_limit w LEFT JOIN workspace_busy b ON b.workspace_id = w.workspace_id \
               WHERE w.workspace_turn + COALESCE(b.leased, 0) <= ? \
               ORDER BY w.workspace_turn, w.next_attempt_at, w.id LIMIT ?) \
             UPDATE webhook_deliveries SET locked_until = ? WHERE id IN (\
               SELECT l.id FROM webhook_deliveries l WHERE l.id IN (SELECT id FROM chosen) \
               AND l.status = 'pending' AND (l.locked_until IS NULL OR l.locked_until < ?){lock}) RETURNING id"
        );
        let mut values: Vec<Value> = vec![now.into(), now.into()];
        values.extend(due_values);
        values.extend([
            limits.per_endpoint_i64().into(),
            limits.per_workspace_i64().into(),
            limits.batch_i64().into(),
            (now + lease).into(),
            now.into(),
        ]);
        let work = self.begin().await?;
        if backend == DatabaseBackend::Postgres {
            // Replicas claim one at a time, each seeing the leases of the one before: the limits
            // then hold across replicas, and no two replicas pick the same rows to fight over.
            work.conn().execute_raw(statement(backend, "SELECT pg_advisory_xact_lock(7212024)", vec![])).await?;
        }
        let rows = work.conn().query_all_raw(statement(backend, &sql, values)).await?;
        work.commit().await?;
        let ids: Vec<Uuid> = rows.iter().map(|r| r.try_get::<Uuid>("", "id")).collect::<Result<_, _>>()?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let deliveries = webhook_deliveries::Entity::find().filter(webhook_deliveries::Column::Id.is_in(ids.clone())).all(&self.db).await?;
        let subscription_ids: Vec<Uuid> = deliveries.iter().map(|d| d.subscription_id).collect();
        let event_ids: Vec<Uuid> = deliveries.iter().map(|d| d.event_id).collect();
        let subscriptions =
            webhook_subscriptions::Entity::find().filter(webhook_subscriptions::Column::Id.is_in(subscription_ids)).all(&self.db).await?;
        let events = events::Entity::find().filter(events::Column::Id.is_in(event_ids)).all(&self.db).await?;
        let mut claimed: Vec<ClaimedDelivery> = deliveries
            .into_iter()
            .filter_map(|d| {
                let s = subscriptions.iter().find(|s| s.id == d.subscription_id)?;
                let e = events.iter().find(|e| e.id == d.event_id)?;
                let mut secrets = vec![s.secret.clone()];
                if let (Some(previous), Some(until)) = (&s.previous_secret, s.previous_secret_expires_at)
                    && until > now
                {
                    secrets.push(previous.clone());
                }
                Some(ClaimedDelivery {
                    id: d.id,
                    workspace_id: d.workspace_id,
                    subscription_id: s.id,
                    url: s.url.clone(),
                    secrets,
                    event_id: e.id,
                    event_type: e.event_type.clone(),
                    occurred_at: e.occurred_at,
                    payload: e.payload.clone(),
                    attempts: d.attempts,
                    failing_since: s.failing_since,
                })
            })
            .collect();
        claimed.sort_by_key(|c| c.event_id);
        Ok(claimed)
    }

    /// Logs an attempt and applies its consequence, releasing the lease.
    pub async fn record_attempt(&self, delivery: &ClaimedDelivery, outcome: AttemptOutcome, next: NextStep) -> StoreResult<()> {
        let work = self.begin().await?;
        let txn = work.conn();
        webhook_attempts::Entity::insert(webhook_attempts::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(delivery.workspace_id),
            delivery_id: Set(delivery.id),
            subscription_id: Set(delivery.subscription_id),
            attempted_at: Set(outcome.at),
            status_code: Set(outcome.status_code.map(i32::from)),
            error: Set(outcome.error.clone()),
            latency_ms: Set(outcome.latency_ms),
            response_excerpt: Set(outcome.response_excerpt),
            dispatcher: Set(outcome.dispatcher),
        })
        .exec_without_returning(txn)
        .await?;
        let update = webhook_deliveries::Entity::update_many()
            .col_expr(webhook_deliveries::Column::Attempts, Expr::value(delivery.attempts + 1))
            .col_expr(webhook_deliveries::Column::LastAttemptAt, Expr::value(outcome.at))
            .col_expr(webhook_deliveries::Column::LastStatusCode, Expr::value(outcome.status_code.map(i32::from)))
            .col_expr(webhook_deliveries::Column::LastError, Expr::value(outcome.error))
            .col_expr(webhook_deliveries::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(webhook_deliveries::Column::Id.eq(delivery.id));
        let subscription =
            webhook_subscriptions::Entity::update_many().filter(webhook_subscriptions::Column::Id.eq(delivery.subscription_id));
        let now = work.now();
        match next {
            NextStep::Succeeded => {
                update
                    .col_expr(webhook_deliveries::Column::Status, Expr::value("succeeded"))
                    .col_expr(webhook_deliveries::Column::CompletedAt, Expr::value(now))
                    .exec(txn)
                    .await?;
                // Only a failing subscription is written: concurrent successes must not queue on its row.
                if delivery.failing_since.is_some() {
                    subscription
                        .filter(webhook_subscriptions::Column::FailingSince.is_not_null())
                        .col_expr(webhook_subscriptions::Column::FailingSince, Expr::value(Option::<DateTime<Utc>>::None))
                        .exec(txn)
                        .await?;
                }
            }
            NextStep::RetryAt(at) => {
                update.col_expr(webhook_deliveries::Column::NextAttemptAt, Expr::value(at)).exec(txn).await?;
                subscription
                    .filter(webhook_subscriptions::Column::FailingSince.is_null())
                    .col_expr(webhook_subscriptions::Column::FailingSince, Expr::value(outcome.at))
                    .exec(txn)
                    .await?;
            }
            NextStep::GiveUp => {
                update
                    .col_expr(webhook_deliveries::Column::Status, Expr::value("failed"))
                    .col_expr(webhook_deliveries::Column::CompletedAt, Expr::value(now))
                    .exec(txn)
                    .await?;
                subscription
                    .filter(webhook_subscriptions::Column::FailingSince.is_null())
                    .col_expr(webhook_subscriptions::Column::FailingSince, Expr::value(outcome.at))
                    .exec(txn)
                    .await?;
            }
            NextStep::Disable { reason } => {
                update
                    .col_expr(webhook_deliveries::Column::Status, Expr::value("failed"))
                    .col_expr(webhook_deliveries::Column::CompletedAt, Expr::value(now))
                    .exec(txn)
                    .await?;
                subscription
                    .col_expr(webhook_subscriptions::Column::Active, Expr::value(false))
                    .col_expr(webhook_subscriptions::Column::DisabledReason, Expr::value(reason))
                    .col_expr(webhook_subscriptions::Column::DisabledAt, Expr::value(now))
                    .exec(txn)
                    .await?;
            }
        }
        work.commit().await?;
        Ok(())
    }

    /// Gives back leases of deliveries that were claimed but not attempted (graceful shutdown).
    pub async fn release_deliveries(&self, ids: &[Uuid]) -> StoreResult<()> {
        if ids.is_empty() {
            return Ok(());
        }
        webhook_deliveries::Entity::update_many()
            .col_expr(webhook_deliveries::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
            .filter(
                Condition::all()
                    .add(webhook_deliveries::Column::Id.is_in(ids.to_vec()))
                    .add(webhook_deliveries::Column::Status.eq("pending")),
            )
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Pending work, for metrics and tests: (undispatched events, pending deliveries).
    pub async fn outbox_depth(&self) -> StoreResult<(i64, i64)> {
        let backend = self.backend();
        let row = self
            .db
            .query_one_raw(statement(
                backend,
                "SELECT (SELECT COUNT(*) FROM events WHERE dispatched_at IS NULL) AS events, \
                 (SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending') AS deliveries",
                vec![],
            ))
            .await?
            .ok_or_else(|| StoreError::corrupt("events", "no row"))?;
        Ok((row.try_get("", "events")?, row.try_get("", "deliveries")?))
    }
}
