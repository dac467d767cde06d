//! Pipelines and their stages.

use chrono::Utc;
use kariz_domain::{Currency, PipelineId, PipelineName, Position, Probability, RottingDays, StageId, StageName, UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};

use crate::audit;
use crate::deals::{LeftStage, deal_record, enter_stage};
use crate::entities::{deals, pipelines, stages, workspaces};
use crate::error::{StoreError, StoreResult};
use crate::outbox;
use crate::records::{PipelineRecord, StageRecord};
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct NewStage {
    pub name: StageName,
    pub probability: Probability,
    pub rotting_days: Option<RottingDays>,
}

#[derive(Clone, Debug)]
pub struct NewPipeline {
    pub name: PipelineName,
    pub currency: Currency,
    pub stages: Vec<NewStage>,
}

#[derive(Clone, Debug, Default)]
pub struct PipelinePatch {
    pub name: Option<PipelineName>,
    pub currency: Option<Currency>,
    pub archived: Option<bool>,
    /// Zero-based place among the workspace's pipelines.
    pub position: Option<usize>,
}

#[derive(Clone, Debug, Default)]
pub struct StagePatch {
    pub name: Option<StageName>,
    pub probability: Option<Probability>,
    pub rotting_days: Option<Option<RottingDays>>,
    /// Zero-based column index to move the stage to; the other columns shift.
    pub position: Option<usize>,
}

/// A pipeline may hold at most this many stages: a board wider than that is unusable.
pub const MAX_STAGES: usize = 30;

pub(crate) fn stage_record(row: stages::Model) -> StoreResult<StageRecord> {
    Ok(StageRecord {
        id: row.id.into(),
        pipeline_id: row.pipeline_id.into(),
        name: row.name,
        position: row.position,
        probability: Probability::new(row.probability.into()).map_err(|e| StoreError::corrupt("stages", e))?,
        rotting_days: row.rotting_days.and_then(|d| u16::try_from(d).ok()),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn pipeline_record(row: pipelines::Model, stages: Vec<StageRecord>) -> StoreResult<PipelineRecord> {
    Ok(PipelineRecord {
        id: row.id.into(),
        name: row.name,
        currency: Currency::from_stored(&row.currency).map_err(|e| StoreError::corrupt("pipelines", e))?,
        position: row.position,
        archived_at: row.archived_at,
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
        stages,
    })
}

fn stage_row(workspace_id: WorkspaceId, pipeline_id: PipelineId, stage: NewStage, position: i32) -> stages::ActiveModel {
    let now = Utc::now();
    stages::ActiveModel {
        id: Set(StageId::new().as_uuid()),
        workspace_id: Set(workspace_id.as_uuid()),
        pipeline_id: Set(pipeline_id.as_uuid()),
        name: Set(stage.name.into_inner()),
        position: Set(position),
        probability: Set(stage.probability.percent().into()),
        rotting_days: Set(stage.rotting_days.map(|d| d.days().into())),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

fn check_version(entity: &'static str, expected: Option<i64>, current: i64) -> StoreResult<()> {
    match expected {
        Some(expected) if expected != current => Err(StoreError::StaleVersion { entity, current }),
        _ => Ok(()),
    }
}

/// Moves `items[from]` to index `to` and returns the new order.
fn reordered<T: Clone>(items: &[T], from: usize, to: usize) -> Vec<T> {
    let mut order = items.to_vec();
    let item = order.remove(from);
    order.insert(to.min(order.len()), item);
    order
}

impl Store {
    pub async fn pipelines(&self, workspace_id: WorkspaceId, include_archived: bool) -> StoreResult<Vec<PipelineRecord>> {
        let mut query = pipelines::Entity::find().filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if !include_archived {
            query = query.filter(pipelines::Column::ArchivedAt.is_null());
        }
        let rows = query.order_by_asc(pipelines::Column::Position).order_by_asc(pipelines::Column::Id).all(&self.db).await?;
        let stage_rows = stages::Entity::find()
            .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(stages::Column::Position)
            .all(&self.db)
            .await?;
        let mut all_stages: Vec<StageRecord> = stage_rows.into_iter().map(stage_record).collect::<StoreResult<_>>()?;
        rows.into_iter()
            .map(|row| {
                let id: PipelineId = row.id.into();
                let (mine, rest): (Vec<_>, Vec<_>) = all_stages.drain(..).partition(|s| s.pipeline_id == id);
                all_stages = rest;
                pipeline_record(row, mine)
            })
            .collect()
    }

    pub async fn pipeline(&self, workspace_id: WorkspaceId, pipeline_id: PipelineId) -> StoreResult<PipelineRecord> {
        pipeline_in(&self.db, workspace_id, pipeline_id).await
    }

    pub async fn create_pipeline(&self, workspace_id: WorkspaceId, new: NewPipeline) -> StoreResult<PipelineRecord> {
        if new.stages.is_empty() {
            return Err(StoreError::invalid("stages", "a pipeline needs at least one stage"));
        }
        if new.stages.len() > MAX_STAGES {
            return Err(StoreError::invalid("stages", format!("a pipeline has at most {MAX_STAGES} stages")));
        }
        let now = Utc::now();
        let pipeline_id = PipelineId::new();
        let txn = self.write().await?;
        hold_workspace(&txn, workspace_id).await?;
        let count = pipelines::Entity::find().filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid())).count(&txn).await?;
        pipelines::Entity::insert(pipelines::ActiveModel {
            id: Set(pipeline_id.as_uuid()),
            workspace_id: Set(workspace_id.as_uuid()),
            name: Set(new.name.into_inner()),
            currency: Set(new.currency.as_str().to_owned()),
            position: Set(i32::try_from(count).unwrap_or(i32::MAX)),
            archived_at: Set(None),
            version: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        let rows: Vec<_> = new.stages.into_iter().enumerate().map(|(i, s)| stage_row(workspace_id, pipeline_id, s, i as i32)).collect();
        stages::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        let record = pipeline_in(&txn, workspace_id, pipeline_id).await?;
        audit::object::<pipelines::Entity>(&txn, workspace_id, "pipeline.created", pipeline_id.as_uuid()).await?;
        for stage in &record.stages {
            audit::object::<stages::Entity>(&txn, workspace_id, "stage.created", stage.id.as_uuid()).await?;
        }
        txn.commit().await?;
        Ok(record)
    }

    pub async fn update_pipeline(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        expected_version: Option<i64>,
        patch: PipelinePatch,
    ) -> StoreResult<PipelineRecord> {
        let txn = self.write().await?;
        if patch.position.is_some() {
            hold_workspace(&txn, workspace_id).await?;
        }
        let current = pipeline_in(&txn, workspace_id, pipeline_id).await?;
        check_version("pipeline", expected_version, current.version)?;
        let before = audit::snapshot::<pipelines::Entity>(&txn, pipeline_id.as_uuid()).await?;
        let mut row = pipelines::ActiveModel {
            id: Set(pipeline_id.as_uuid()),
            version: Set(current.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        };
        if let Some(name) = patch.name {
            row.name = Set(name.into_inner());
        }
        if let Some(currency) = patch.currency {
            row.currency = Set(currency.as_str().to_owned());
        }
        if let Some(archived) = patch.archived {
            row.archived_at = Set(if archived { current.archived_at.or(Some(Utc::now())) } else { None });
        }
        let cas = pipelines::Entity::update_many()
            .set(row)
            .filter(pipelines::Column::Id.eq(pipeline_id.as_uuid()))
            .filter(pipelines::Column::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if cas.rows_affected != 1 {
            return Err(StoreError::StaleVersion { entity: "pipeline", current: current.version + 1 });
        }
        if let Some(position) = patch.position {
            let siblings = pipelines::Entity::find()
                .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .order_by_asc(pipelines::Column::Position)
                .order_by_asc(pipelines::Column::Id)
                .all(&txn)
                .await?;
            let ids: Vec<_> = siblings.iter().map(|p| p.id).collect();
            let from = ids.iter().position(|id| *id == pipeline_id.as_uuid()).unwrap_or(0);
            for (index, id) in reordered(&ids, from, position).into_iter().enumerate() {
                pipelines::Entity::update_many()
                    .col_expr(pipelines::Column::Position, Expr::value(index as i32))
                    .filter(pipelines::Column::Id.eq(id))
                    .exec(&txn)
                    .await?;
            }
        }
        audit::updated::<pipelines::Entity>(&txn, workspace_id, "pipeline.updated", pipeline_id.as_uuid(), before).await?;
        let record = pipeline_in(&txn, workspace_id, pipeline_id).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Deletes a pipeline that holds no deals; one with deals must be archived instead.
    pub async fn delete_pipeline(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        expected_version: Option<i64>,
    ) -> StoreResult<()> {
        let txn = self.write().await?;
        let current = pipeline_in(&txn, workspace_id, pipeline_id).await?;
        check_version("pipeline", expected_version, current.version)?;
        let deal_count = deals::Entity::find()
            .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(deals::Column::PipelineId.eq(pipeline_id.as_uuid()))
            .count(&txn)
            .await?;
        if deal_count > 0 {
            return Err(StoreError::Conflict(format!(
                "the pipeline holds {deal_count} deals; archive it, or move or delete its deals first"
            )));
        }
        audit::object::<pipelines::Entity>(&txn, workspace_id, "pipeline.deleted", pipeline_id.as_uuid()).await?;
        pipelines::Entity::delete_many()
            .filter(pipelines::Column::Id.eq(pipeline_id.as_uuid()))
            .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .exec(&txn)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Adds a stage at `position` (default: the end).
    pub async fn add_stage(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        stage: NewStage,
        position: Option<usize>,
    ) -> StoreResult<StageRecord> {
        let txn = self.write().await?;
        hold_pipeline(&txn, workspace_id, pipeline_id).await?;
        let pipeline = pipeline_in(&txn, workspace_id, pipeline_id).await?;
        if pipeline.stages.len() >= MAX_STAGES {
            return Err(StoreError::invalid("stages", format!("a pipeline has at most {MAX_STAGES} stages")));
        }
        let row = stage_row(workspace_id, pipeline_id, stage, pipeline.stages.len() as i32);
        let stage_id: StageId = row.id.clone().unwrap().into();
        stages::Entity::insert(row).exec_without_returning(&txn).await?;
        if let Some(position) = position {
            let mut ids: Vec<StageId> = pipeline.stages.iter().map(|s| s.id).collect();
            ids.push(stage_id);
            renumber_stages(&txn, &reordered(&ids, ids.len() - 1, position)).await?;
        }
        audit::object::<stages::Entity>(&txn, workspace_id, "stage.created", stage_id.as_uuid()).await?;
        let record = stage_in(&txn, workspace_id, stage_id).await?;
        txn.commit().await?;
        Ok(record)
    }

    pub async fn update_stage(
        &self,
        workspace_id: WorkspaceId,
        stage_id: StageId,
        expected_version: Option<i64>,
        patch: StagePatch,
    ) -> StoreResult<StageRecord> {
        let txn = self.write().await?;
        let current = stage_in(&txn, workspace_id, stage_id).await?;
        if patch.position.is_some() {
            hold_pipeline(&txn, workspace_id, current.pipeline_id).await?;
        }
        check_version("stage", expected_version, current.version)?;
        let before = audit::snapshot::<stages::Entity>(&txn, stage_id.as_uuid()).await?;
        let mut row = stages::ActiveModel {
            id: Set(stage_id.as_uuid()),
            version: Set(current.version + 1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        };
        if let Some(name) = patch.name {
            row.name = Set(name.into_inner());
        }
        if let Some(probability) = patch.probability {
            row.probability = Set(probability.percent().into());
        }
        if let Some(rotting_days) = patch.rotting_days {
            row.rotting_days = Set(rotting_days.map(|d| d.days().into()));
        }
        let cas = stages::Entity::update_many()
            .set(row)
            .filter(stages::Column::Id.eq(stage_id.as_uuid()))
            .filter(stages::Column::Version.eq(current.version))
            .exec(&txn)
            .await?;
        if cas.rows_affected != 1 {
            return Err(StoreError::StaleVersion { entity: "stage", current: current.version + 1 });
        }
        if let Some(position) = patch.position {
            let pipeline = pipeline_in(&txn, workspace_id, current.pipeline_id).await?;
            let ids: Vec<StageId> = pipeline.stages.iter().map(|s| s.id).collect();
            let from = ids.iter().position(|id| *id == stage_id).unwrap_or(0);
            renumber_stages(&txn, &reordered(&ids, from, position)).await?;
        }
        audit::updated::<stages::Entity>(&txn, workspace_id, "stage.updated", stage_id.as_uuid(), before).await?;
        let record = stage_in(&txn, workspace_id, stage_id).await?;
        txn.commit().await?;
        Ok(record)
    }

    /// Deletes a stage. Its deals, open or closed, must go somewhere: to `move_deals_to`, another
    /// stage of the same pipeline, each with a stage-history row and a `deal.stage_changed` event.
    pub async fn delete_stage(
        &self,
        workspace_id: WorkspaceId,
        stage_id: StageId,
        move_deals_to: Option<StageId>,
        actor_id: UserId,
    ) -> StoreResult<()> {
        let txn = self.write().await?;
        let stage = stage_in(&txn, workspace_id, stage_id).await?;
        hold_pipeline(&txn, workspace_id, stage.pipeline_id).await?;
        let pipeline = pipeline_in(&txn, workspace_id, stage.pipeline_id).await?;
        if pipeline.stages.len() == 1 {
            return Err(StoreError::Conflict("a pipeline keeps at least one stage".to_owned()));
        }
        let held = deals::Entity::find()
            .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(deals::Column::StageId.eq(stage_id.as_uuid()))
            .order_by_asc(deals::Column::Position)
            .order_by_asc(deals::Column::Id)
            .all(&txn)
            .await?;
        if !held.is_empty() {
            let target_id = move_deals_to.ok_or_else(|| {
                StoreError::Conflict(format!("the stage holds {} deals; say which stage they move to (move_deals_to)", held.len()))
            })?;
            let target = pipeline
                .stages
                .iter()
                .find(|s| s.id == target_id && s.id != stage_id)
                .ok_or_else(|| StoreError::invalid("move_deals_to", "must be another stage of the same pipeline"))?;
            move_all_deals(&txn, held, target, actor_id).await?;
        }
        audit::object::<stages::Entity>(&txn, workspace_id, "stage.deleted", stage_id.as_uuid()).await?;
        stages::Entity::delete_many()
            .filter(stages::Column::Id.eq(stage_id.as_uuid()))
            .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .exec(&txn)
            .await?;
        let rest: Vec<StageId> = pipeline.stages.iter().map(|s| s.id).filter(|id| *id != stage_id).collect();
        renumber_stages(&txn, &rest).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(())
    }
}

/// Holds the workspace row until the transaction ends, so that changes to the order of its
/// pipelines run one at a time. Two reorders that each wrote their own pipeline and then its
/// siblings would wait on each other (a deadlock on PostgreSQL), and two that read the same
/// order would write clashing positions.
async fn hold_workspace(txn: &DatabaseTransaction, workspace_id: WorkspaceId) -> StoreResult<()> {
    workspaces::Entity::find_by_id(workspace_id.as_uuid()).lock_exclusive().one(txn).await?.ok_or(StoreError::NotFound("workspace"))?;
    Ok(())
}

/// Holds the pipeline row until the transaction ends, so that changes to the order of its stages
/// run one at a time (see [`hold_workspace`]).
async fn hold_pipeline(txn: &DatabaseTransaction, workspace_id: WorkspaceId, pipeline_id: PipelineId) -> StoreResult<()> {
    pipelines::Entity::find_by_id(pipeline_id.as_uuid())
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .lock_exclusive()
        .one(txn)
        .await?
        .ok_or(StoreError::NotFound("pipeline"))?;
    Ok(())
}

/// Appends `held` deals to the end of `target`'s column, keeping their relative order.
async fn move_all_deals(txn: &DatabaseTransaction, held: Vec<deals::Model>, target: &StageRecord, actor_id: UserId) -> StoreResult<()> {
    let last = deals::Entity::find()
        .filter(deals::Column::StageId.eq(target.id.as_uuid()))
        .order_by_desc(deals::Column::Position)
        .one(txn)
        .await?
        .map(|d| Position::parse(&d.position))
        .transpose()
        .map_err(|e| StoreError::corrupt("deals", e))?;
    let positions = Position::sequence_after(last.as_ref(), held.len()).map_err(|e| StoreError::corrupt("deals", e))?;
    let now = Utc::now();
    for (row, position) in held.into_iter().zip(positions) {
        let from_stage_id: StageId = row.stage_id.into();
        let left = LeftStage { stage_id: from_stage_id, entered_at: row.stage_entered_at };
        let before = audit::serialized(&row);
        let mut active: deals::ActiveModel = row.into();
        active.stage_id = Set(target.id.as_uuid());
        active.position = Set(position.as_str().to_owned());
        active.stage_entered_at = Set(now);
        active.version = Set(active.version.clone().unwrap() + 1);
        active.updated_at = Set(now);
        let updated = active.update(txn).await?;
        let workspace_id = WorkspaceId::from(updated.workspace_id);
        audit::changed(txn, workspace_id, "deal.moved", updated.id, &before, &audit::serialized(&updated)).await?;
        let record = deal_record(updated, target.probability)?;
        enter_stage(txn, &record.deal, Some(left), Some(actor_id)).await?;
        let event = kariz_domain::DomainEvent::DealStageChanged {
            deal_id: record.deal.id,
            pipeline_id: record.deal.pipeline_id,
            from_stage_id,
            to_stage_id: target.id,
            actor_id: Some(actor_id),
            at: now,
        };
        outbox::record(txn, &event, &record, now).await?;
    }
    Ok(())
}

async fn renumber_stages<C: ConnectionTrait>(conn: &C, order: &[StageId]) -> StoreResult<()> {
    for (index, id) in order.iter().enumerate() {
        stages::Entity::update_many()
            .col_expr(stages::Column::Position, Expr::value(index as i32))
            .filter(stages::Column::Id.eq(id.as_uuid()))
            .exec(conn)
            .await?;
    }
    Ok(())
}

pub(crate) async fn stage_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, stage_id: StageId) -> StoreResult<StageRecord> {
    let row = stages::Entity::find_by_id(stage_id.as_uuid())
        .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("stage"))?;
    stage_record(row)
}

pub(crate) async fn pipeline_in<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    pipeline_id: PipelineId,
) -> StoreResult<PipelineRecord> {
    let row = pipelines::Entity::find_by_id(pipeline_id.as_uuid())
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("pipeline"))?;
    let stage_rows = stages::Entity::find()
        .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(stages::Column::PipelineId.eq(pipeline_id.as_uuid()))
        .order_by_asc(stages::Column::Position)
        .all(conn)
        .await?;
    let stages = stage_rows.into_iter().map(stage_record).collect::<StoreResult<_>>()?;
    pipeline_record(row, stages)
}

#[cfg(test)]
mod tests {
    use super::reordered;

    #[test]
    fn reorder_moves_one_item() {
        assert_eq!(reordered(&[1, 2, 3, 4], 0, 2), [2, 3, 1, 4]);
        assert_eq!(reordered(&[1, 2, 3, 4], 3, 0), [4, 1, 2, 3]);
        assert_eq!(reordered(&[1, 2, 3], 1, 99), [1, 3, 2]);
    }
}
