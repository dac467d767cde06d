//! Managed lost reasons: the workspace's list of why deals are lost, in the order the lose
//! dialog offers them. A reason is renamed, reordered or deactivated (an inactive one stays on
//! the deals lost for it and in reports, and is offered for no new loss); one that no deal names
//! may be deleted.

use chrono::{DateTime, Utc};
use kariz_domain::{LostReasonId, LostReasonName, ManagedLostReason, WorkspaceId};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{deals, lost_reasons, workspaces};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

/// A workspace keeps at most this many reasons: the lose dialog lists them all.
pub const MAX_LOST_REASONS: u64 = 100;

#[derive(Clone, Debug)]
pub struct LostReasonRecord {
    pub id: LostReasonId,
    pub name: String,
    pub active: bool,
    /// Zero-based place in the list.
    pub position: i32,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A change of a reason; `None` keeps a field.
#[derive(Clone, Debug, Default)]
pub struct LostReasonPatch {
    pub name: Option<LostReasonName>,
    pub active: Option<bool>,
    /// Zero-based place to move it to; the others shift.
    pub position: Option<usize>,
}

fn record(row: lost_reasons::Model) -> LostReasonRecord {
    LostReasonRecord {
        id: row.id.into(),
        name: row.name,
        active: row.active,
        position: row.position,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    }
}

/// The workspace's reasons in list order.
async fn reasons_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<Vec<lost_reasons::Model>> {
    Ok(lost_reasons::Entity::find()
        .filter(lost_reasons::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .order_by_asc(lost_reasons::Column::Position)
        .order_by_asc(lost_reasons::Column::Id)
        .limit(MAX_LOST_REASONS)
        .all(conn)
        .await?)
}

async fn reason_row<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: LostReasonId) -> StoreResult<lost_reasons::Model> {
    lost_reasons::Entity::find_by_id(id.as_uuid())
        .filter(lost_reasons::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("lost reason"))
}

/// A reason of the workspace as the rules of losing a deal see it; another workspace's or a
/// missing one is a bad `reason_id`.
pub(crate) async fn managed_reason<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    id: LostReasonId,
) -> StoreResult<ManagedLostReason> {
    match reason_row(conn, workspace_id, id).await {
        Ok(row) => Ok(ManagedLostReason { id, active: row.active }),
        Err(StoreError::NotFound(_)) => Err(StoreError::invalid("reason_id", "no such lost reason")),
        Err(other) => Err(other),
    }
}

/// Holds the workspace row until the transaction ends, so that changes to the order of its
/// reasons run one at a time.
async fn hold_workspace(work: &UnitOfWork, workspace_id: WorkspaceId) -> StoreResult<()> {
    workspaces::Entity::find_by_id(workspace_id.as_uuid())
        .lock_exclusive()
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("workspace"))?;
    Ok(())
}

/// Gives the reasons of the workspace their places in `order` (ids); the place of a reason is
/// the list's bookkeeping and changes no version, like a stage's column index.
async fn renumber(work: &UnitOfWork, order: &[Uuid], except: Uuid, stored: &[lost_reasons::Model]) -> StoreResult<()> {
    for (index, id) in order.iter().enumerate().filter(|(_, id)| **id != except) {
        if stored.iter().any(|row| row.id == *id && row.position != index as i32) {
            lost_reasons::Entity::update_many()
                .col_expr(lost_reasons::Column::Position, Expr::value(index as i32))
                .filter(lost_reasons::Column::Id.eq(*id))
                .exec(work.conn())
                .await?;
        }
    }
    Ok(())
}

/// `ids` with `id` moved to `to` (or appended when it was not there).
fn placed(ids: &[Uuid], id: Uuid, to: Option<usize>) -> Vec<Uuid> {
    let mut order: Vec<Uuid> = ids.iter().copied().filter(|other| *other != id).collect();
    let at = to.unwrap_or(order.len()).min(order.len());
    order.insert(at, id);
    order
}

impl Store {
    /// The workspace's reasons in list order; inactive ones too unless `active_only`.
    pub async fn lost_reasons(&self, workspace_id: WorkspaceId, active_only: bool) -> StoreResult<Vec<LostReasonRecord>> {
        let rows = reasons_in(&self.db, workspace_id).await?;
        Ok(rows.into_iter().filter(|row| row.active || !active_only).map(record).collect())
    }

    pub async fn lost_reason(&self, workspace_id: WorkspaceId, id: LostReasonId) -> StoreResult<LostReasonRecord> {
        Ok(record(reason_row(&self.db, workspace_id, id).await?))
    }

    /// Adds an active reason at `position` (default: the end).
    pub async fn create_lost_reason(
        &self,
        workspace_id: WorkspaceId,
        name: LostReasonName,
        position: Option<usize>,
    ) -> StoreResult<LostReasonRecord> {
        let mut work = self.begin().await?;
        hold_workspace(&work, workspace_id).await?;
        let count =
            lost_reasons::Entity::find().filter(lost_reasons::Column::WorkspaceId.eq(workspace_id.as_uuid())).count(work.conn()).await?;
        if count >= MAX_LOST_REASONS {
            return Err(StoreError::invalid("name", format!("a workspace keeps at most {MAX_LOST_REASONS} lost reasons")));
        }
        let stored = reasons_in(work.conn(), workspace_id).await?;
        let id = Uuid::now_v7();
        let order = placed(&stored.iter().map(|row| row.id).collect::<Vec<_>>(), id, position);
        renumber(&work, &order, id, &stored).await?;
        let now = work.now();
        let row = lost_reasons::Model {
            id,
            workspace_id: workspace_id.as_uuid(),
            name: name.into_inner(),
            active: true,
            position: order.iter().position(|other| *other == id).unwrap_or(0) as i32,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let row = work.insert("lost_reason.created", row).await?;
        work.commit().await?;
        Ok(record(row))
    }

    /// Renames, (de)activates or moves a reason, at the version the caller read.
    pub async fn update_lost_reason(
        &self,
        workspace_id: WorkspaceId,
        id: LostReasonId,
        expected_version: Option<i64>,
        patch: LostReasonPatch,
    ) -> StoreResult<LostReasonRecord> {
        let mut work = self.begin().await?;
        if patch.position.is_some() {
            hold_workspace(&work, workspace_id).await?;
        }
        let current = reason_row(work.conn(), workspace_id, id).await?;
        check_version("lost reason", expected_version, current.version)?;
        let mut after = current.clone();
        if let Some(name) = patch.name {
            after.name = name.into_inner();
        }
        if let Some(active) = patch.active {
            after.active = active;
        }
        if let Some(position) = patch.position {
            let stored = reasons_in(work.conn(), workspace_id).await?;
            let order = placed(&stored.iter().map(|row| row.id).collect::<Vec<_>>(), current.id, Some(position));
            renumber(&work, &order, current.id, &stored).await?;
            after.position = order.iter().position(|other| *other == current.id).unwrap_or(0) as i32;
        }
        if after == current {
            return Ok(record(current));
        }
        let row = work.update("lost_reason.updated", &current, after).await?;
        work.commit().await?;
        Ok(record(row))
    }

    /// Deletes a reason no deal names; one that lost deals name is deactivated instead
    /// (`Conflict::LostReasonInUse`), so that their reports keep it.
    pub async fn delete_lost_reason(&self, workspace_id: WorkspaceId, id: LostReasonId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = reason_row(work.conn(), workspace_id, id).await?;
        check_version("lost reason", expected_version, current.version)?;
        let deals = deals::Entity::find()
            .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(deals::Column::LostReasonId.eq(current.id))
            .count(work.conn())
            .await?;
        if deals > 0 {
            return Err(Conflict::LostReasonInUse { deals }.into());
        }
        work.delete("lost_reason.deleted", &current).await?;
        work.commit().await
    }
}

#[cfg(test)]
mod tests {
    use super::placed;
    use uuid::Uuid;

    #[test]
    fn a_reason_is_placed_at_its_index_or_last() {
        let ids: Vec<Uuid> = (0..3).map(|_| Uuid::now_v7()).collect();
        let new = Uuid::now_v7();
        assert_eq!(placed(&ids, new, None), [ids[0], ids[1], ids[2], new]);
        assert_eq!(placed(&ids, new, Some(1)), [ids[0], new, ids[1], ids[2]]);
        assert_eq!(placed(&ids, ids[2], Some(0)), [ids[2], ids[0], ids[1]]);
        assert_eq!(placed(&ids, ids[0], Some(99)), [ids[1], ids[2], ids[0]]);
    }
}
