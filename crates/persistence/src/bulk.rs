//! Long operations in bounded batches (`bulk_operations`): each batch is a unit of work of its
//! own that holds the operation's row, does at most one batch of rows after the recorded cursor,
//! and records the new cursor in the same transaction. So a batch is done exactly once whoever
//! runs it, a crash loses at most the batch in flight (rolled back, done again), and between two
//! batches other writers — of this workspace or any other — get their turn.
//!
//! The request that starts an operation runs its batches one after another; each batch extends
//! the operation's lease. An operation whose lease ran out (its runner died, or its request was
//! dropped) is resumed by the maintenance pass.

use chrono::{DateTime, Duration, Utc};
use kariz_domain::WorkspaceId;
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::bulk_operations;
use crate::error::StoreResult;
use crate::unit_of_work::UnitOfWork;

pub use crate::entities::bulk_operations::Model as BulkOperation;

/// How long a runner may go between two batches before the maintenance pass takes over.
const LEASE_SECONDS: i64 = 60;

pub(crate) const RUNNING: &str = "running";
const DONE: &str = "done";
const SUPERSEDED: &str = "superseded";

/// Records a new operation of `kind` in `work`'s transaction (the one that made it necessary),
/// superseding a running one of the same kind in the workspace: the new one redoes all of it.
pub(crate) async fn start(work: &UnitOfWork, workspace_id: WorkspaceId, kind: &str) -> StoreResult<Uuid> {
    let now = work.now();
    bulk_operations::Entity::update_many()
        .col_expr(bulk_operations::Column::Status, Expr::value(SUPERSEDED))
        .col_expr(bulk_operations::Column::FinishedAt, Expr::value(now))
        .col_expr(bulk_operations::Column::UpdatedAt, Expr::value(now))
        .filter(bulk_operations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(bulk_operations::Column::Kind.eq(kind))
        .filter(bulk_operations::Column::Status.eq(RUNNING))
        .exec(work.conn())
        .await?;
    let id = Uuid::now_v7();
    bulk_operations::Entity::insert(bulk_operations::ActiveModel {
        id: Set(id),
        workspace_id: Set(workspace_id.as_uuid()),
        kind: Set(kind.to_owned()),
        status: Set(RUNNING.to_owned()),
        cursor: Set(None),
        processed: Set(0),
        changed: Set(0),
        batches: Set(0),
        lease_until: Set(now + Duration::seconds(LEASE_SECONDS)),
        created_at: Set(now),
        updated_at: Set(now),
        finished_at: Set(None),
    })
    .exec_without_returning(work.conn())
    .await?;
    Ok(id)
}

/// The operation, held until `work` ends, if it is still running (not done nor superseded).
pub(crate) async fn hold(work: &UnitOfWork, id: Uuid) -> StoreResult<Option<BulkOperation>> {
    let row = bulk_operations::Entity::find_by_id(id)
        .filter(bulk_operations::Column::Status.eq(RUNNING))
        .lock_exclusive()
        .one(work.conn())
        .await?;
    Ok(row)
}

/// What one batch did.
pub(crate) struct Batch {
    /// The last row it did, or `None` when there was none left.
    pub cursor: Option<String>,
    pub processed: u64,
    pub changed: u64,
    /// Fewer rows than a batch were left: the operation is done.
    pub last: bool,
}

/// Records a batch on the held operation, in the batch's transaction; returns the operation as
/// it now stands.
pub(crate) async fn record(work: &UnitOfWork, operation: &BulkOperation, batch: Batch) -> StoreResult<BulkOperation> {
    let now = work.now();
    let to_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    let recorded = BulkOperation {
        cursor: batch.cursor.or_else(|| operation.cursor.clone()),
        processed: operation.processed + to_i64(batch.processed),
        changed: operation.changed + to_i64(batch.changed),
        batches: operation.batches + 1,
        status: if batch.last { DONE } else { RUNNING }.to_owned(),
        lease_until: now + Duration::seconds(LEASE_SECONDS),
        updated_at: now,
        finished_at: batch.last.then_some(now),
        ..operation.clone()
    };
    let mut active: bulk_operations::ActiveModel = recorded.clone().into();
    active = sea_orm::ActiveModelTrait::reset_all(active);
    active.id = sea_orm::ActiveValue::Unchanged(operation.id);
    bulk_operations::Entity::update(active).exec(work.conn()).await?;
    Ok(recorded)
}

/// Running operations of `kind` whose runner has not recorded a batch within its lease.
pub(crate) async fn stalled<C: ConnectionTrait>(conn: &C, kind: &str, now: DateTime<Utc>) -> StoreResult<Vec<Uuid>> {
    let ids = bulk_operations::Entity::find()
        .select_only()
        .column(bulk_operations::Column::Id)
        .filter(bulk_operations::Column::Kind.eq(kind))
        .filter(bulk_operations::Column::Status.eq(RUNNING))
        .filter(bulk_operations::Column::LeaseUntil.lt(now))
        .order_by_asc(bulk_operations::Column::Id)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids)
}

/// An operation as it stands, whatever its status.
pub(crate) async fn find<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<Option<BulkOperation>> {
    Ok(bulk_operations::Entity::find_by_id(id).filter(bulk_operations::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(conn).await?)
}

pub(crate) async fn by_id<C: ConnectionTrait>(conn: &C, id: Uuid) -> StoreResult<Option<BulkOperation>> {
    Ok(bulk_operations::Entity::find_by_id(id).one(conn).await?)
}
