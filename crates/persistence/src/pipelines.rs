//! Pipelines and their stages. The rules (one to thirty stages, where a removed stage's deals
//! go) are the domain's `Pipeline`'s; this stores what it decides.

use kariz_domain::{
    Currency, Deal, NewStage, Pipeline, PipelineError, PipelineId, PipelineName, PipelinePatch, Position, StageId, StagePatch, UserId,
    WorkspaceId,
};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::custom_fields::definitions_in;
use crate::entities::{deals, pipelines, stages, workspaces};
use crate::error::{Conflict, StoreError, StoreResult};
use crate::outbox::{self, Aggregate};
use crate::records::{DealRecord, PipelineRecord, StageRecord};
use crate::rows::{self, BULK_BATCH, PipelineRows, hold_column, last_position, pipeline_in, pipeline_rows, stage_in, stage_row};
use crate::stage_entry::{LeftStage, enter_stage};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};

/// What a new pipeline is made of.
#[derive(Clone, Debug)]
pub struct NewPipeline {
    pub name: PipelineName,
    pub currency: Currency,
    pub stages: Vec<NewStage>,
}

/// A refusal of the pipeline's rules, as the client should read it.
fn refused(err: PipelineError) -> StoreError {
    match err {
        PipelineError::NoStages | PipelineError::TooManyStages => StoreError::invalid("stages", err.to_string()),
        PipelineError::LastStage => Conflict::LastStage.into(),
        PipelineError::StageHasDeals { deals } => Conflict::StageHasDeals { deals }.into(),
        PipelineError::HasDeals { deals } => Conflict::PipelineHasDeals { deals }.into(),
        PipelineError::BadMoveTarget => StoreError::invalid("move_deals_to", "must be another stage of the same pipeline"),
        PipelineError::UnknownStage => StoreError::NotFound("stage"),
        PipelineError::Archived => StoreError::invalid("pipeline_id", err.to_string()),
    }
}

/// Refuses required fields naming a deal custom field the workspace does not define.
async fn check_required_keys<'a, C: sea_orm::ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    required: impl Iterator<Item = &'a kariz_domain::RequiredFields>,
) -> StoreResult<()> {
    let keys: Vec<&str> = required.flat_map(|fields| fields.custom_keys()).collect();
    if keys.is_empty() {
        return Ok(());
    }
    let definitions = definitions_in(conn, workspace_id, Some(kariz_domain::custom_fields::FieldEntity::Deal)).await?;
    match keys.iter().find(|key| !definitions.iter().any(|d| d.definition.key == **key)) {
        Some(key) => Err(StoreError::invalid("required_fields", format!("no deal custom field has the key `{key}`"))),
        None => Ok(()),
    }
}

/// The pipeline's row as `pipeline` has it; its place among the workspace's pipelines is kept.
fn pipeline_row(pipeline: &Pipeline, stored: &pipelines::Model) -> pipelines::Model {
    pipelines::Model {
        name: pipeline.name().as_str().to_owned(),
        currency: pipeline.currency().as_str().to_owned(),
        archived_at: pipeline.archived_at(),
        ..stored.clone()
    }
}

/// The rows of `pipeline`'s stages, in column order: stored ones keep their bookkeeping, new
/// ones start at version 1.
fn stage_rows(pipeline: &Pipeline, stored: &[stages::Model], now: chrono::DateTime<chrono::Utc>) -> Vec<stages::Model> {
    pipeline
        .stages()
        .iter()
        .enumerate()
        .map(|(index, stage)| {
            let known = stored.iter().find(|row| row.id == stage.id().as_uuid());
            stages::Model {
                id: stage.id().as_uuid(),
                workspace_id: pipeline.workspace_id().as_uuid(),
                pipeline_id: pipeline.id().as_uuid(),
                name: stage.name().as_str().to_owned(),
                position: index as i32,
                probability: stage.probability().percent().into(),
                rotting_days: stage.rotting_days().map(|d| d.days().into()),
                required_fields: serde_json::Value::from(stage.required_fields().names()).to_string(),
                version: known.map_or(1, |row| row.version),
                created_at: known.map_or(now, |row| row.created_at),
                updated_at: known.map_or(now, |row| row.updated_at),
            }
        })
        .collect()
}

/// Writes `pipeline`'s stages over what was stored: new stages are inserted, `changed` (the one
/// a caller edited) is written by compare-and-swap, removed ones are deleted, and the others
/// only take their new column index, which is the pipeline's bookkeeping and changes no version.
async fn write_stages(work: &mut UnitOfWork, stored: &PipelineRows, pipeline: &Pipeline, changed: Option<StageId>) -> StoreResult<()> {
    let now = work.now();
    let rows = stage_rows(pipeline, &stored.stages, now);
    for gone in stored.stages.iter().filter(|old| !rows.iter().any(|row| row.id == old.id)) {
        work.delete("stage.deleted", gone).await?;
    }
    for row in rows {
        match stored.stages.iter().find(|old| old.id == row.id) {
            None => {
                work.insert("stage.created", row).await?;
            }
            Some(old) if Some(StageId::from(row.id)) == changed => {
                work.update("stage.updated", old, row).await?;
            }
            Some(old) if old.position != row.position => {
                stages::Entity::update_many()
                    .col_expr(stages::Column::Position, Expr::value(row.position))
                    .filter(stages::Column::Id.eq(row.id))
                    .exec(work.conn())
                    .await?;
            }
            Some(_) => {}
        }
    }
    Ok(())
}

/// Moves these deals of a deleted stage (a batch of them), open or closed, to the end of
/// `target`'s column in their order, each with its history row and `deal.stage_changed` event.
async fn move_all_deals(work: &mut UnitOfWork, held: Vec<DealRecord>, target: kariz_domain::StageRef, actor_id: UserId) -> StoreResult<()> {
    hold_column(work.conn(), target.id).await?;
    let last = last_position(work.conn(), target.id, None).await?;
    let positions = Position::sequence_after(last.as_ref(), held.len()).map_err(|e| StoreError::corrupt("deals", e))?;
    for (current, position) in held.into_iter().zip(positions) {
        let mut deal: Deal = current.deal.clone();
        let event = deal.leave_deleted_stage(&target, position, Some(actor_id), work.now())?;
        let after = DealRecord { deal, stage_probability: target.probability, ..current.clone() };
        let row = work.update("deal.moved", &rows::deal_row(&current), rows::deal_row(&after)).await?;
        let record = DealRecord { version: row.version, updated_at: row.updated_at, ..after };
        enter_stage(work, &record, Some(LeftStage::of(&current)), Some(actor_id)).await?;
        work.emit(Aggregate::deal(&record), &outbox::deal_event(&event, &record)).await?;
    }
    Ok(())
}

impl Store {
    pub async fn pipelines(&self, workspace_id: WorkspaceId, include_archived: bool) -> StoreResult<Vec<PipelineRecord>> {
        let mut query = pipelines::Entity::find().filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if !include_archived {
            query = query.filter(pipelines::Column::ArchivedAt.is_null());
        }
        let rows = query.order_by_asc(pipelines::Column::Position).order_by_asc(pipelines::Column::Id).all(&self.db).await?;
        let mut stage_rows = stages::Entity::find()
            .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(stages::Column::Position)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|pipeline| {
                let (mine, rest): (Vec<_>, Vec<_>) = stage_rows.drain(..).partition(|s| s.pipeline_id == pipeline.id);
                stage_rows = rest;
                PipelineRows { pipeline, stages: mine }.record()
            })
            .collect()
    }

    pub async fn pipeline(&self, workspace_id: WorkspaceId, pipeline_id: PipelineId) -> StoreResult<PipelineRecord> {
        pipeline_in(&self.db, workspace_id, pipeline_id).await
    }

    pub async fn create_pipeline(&self, workspace_id: WorkspaceId, new: NewPipeline) -> StoreResult<PipelineRecord> {
        let pipeline = Pipeline::create(workspace_id, new.name, new.currency, new.stages).map_err(refused)?;
        let mut work = self.begin().await?;
        check_required_keys(work.conn(), workspace_id, pipeline.stages().iter().map(|s| s.required_fields())).await?;
        hold_workspace(&work, workspace_id).await?;
        let count = pipelines::Entity::find().filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid())).count(work.conn()).await?;
        let now = work.now();
        let row = pipelines::Model {
            id: pipeline.id().as_uuid(),
            workspace_id: workspace_id.as_uuid(),
            name: pipeline.name().as_str().to_owned(),
            currency: pipeline.currency().as_str().to_owned(),
            position: i32::try_from(count).unwrap_or(i32::MAX),
            archived_at: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        let row = work.insert("pipeline.created", row).await?;
        let stored = PipelineRows { pipeline: row, stages: Vec::new() };
        write_stages(&mut work, &stored, &pipeline, None).await?;
        let record = pipeline_in(work.conn(), workspace_id, pipeline.id()).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn update_pipeline(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        expected_version: Option<i64>,
        patch: PipelinePatch,
    ) -> StoreResult<PipelineRecord> {
        let mut work = self.begin().await?;
        if patch.position.is_some() {
            hold_workspace(&work, workspace_id).await?;
        }
        let stored = pipeline_rows(work.conn(), workspace_id, pipeline_id).await?;
        check_version("pipeline", expected_version, stored.pipeline.version)?;
        let mut pipeline = stored.aggregate()?;
        pipeline.update(&patch, work.now());
        let mut row = pipeline_row(&pipeline, &stored.pipeline);
        if let Some(position) = patch.position {
            row.position = reorder_pipelines(&work, workspace_id, pipeline_id, position).await?;
        }
        work.update("pipeline.updated", &stored.pipeline, row).await?;
        let record = pipeline_in(work.conn(), workspace_id, pipeline_id).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Deletes a pipeline that holds no deals; one with deals must be archived instead.
    pub async fn delete_pipeline(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        expected_version: Option<i64>,
    ) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let stored = pipeline_rows(work.conn(), workspace_id, pipeline_id).await?;
        check_version("pipeline", expected_version, stored.pipeline.version)?;
        let deal_count = deals::Entity::find()
            .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(deals::Column::PipelineId.eq(pipeline_id.as_uuid()))
            .count(work.conn())
            .await?;
        stored.aggregate()?.ensure_deletable(deal_count).map_err(refused)?;
        // Its stages go with it (the foreign key cascades); the entry records the pipeline.
        work.delete("pipeline.deleted", &stored.pipeline).await?;
        work.commit().await
    }

    /// Adds a stage at `position` (default: the end).
    pub async fn add_stage(
        &self,
        workspace_id: WorkspaceId,
        pipeline_id: PipelineId,
        stage: NewStage,
        position: Option<usize>,
    ) -> StoreResult<StageRecord> {
        let mut work = self.begin().await?;
        check_required_keys(work.conn(), workspace_id, std::iter::once(&stage.required_fields)).await?;
        hold_pipeline(&work, workspace_id, pipeline_id).await?;
        let stored = pipeline_rows(work.conn(), workspace_id, pipeline_id).await?;
        let mut pipeline = stored.aggregate()?;
        let stage_id = pipeline.add_stage(stage, position).map_err(refused)?;
        write_stages(&mut work, &stored, &pipeline, None).await?;
        let record = stage_in(work.conn(), workspace_id, stage_id).await?;
        work.commit().await?;
        Ok(record)
    }

    pub async fn update_stage(
        &self,
        workspace_id: WorkspaceId,
        stage_id: StageId,
        expected_version: Option<i64>,
        patch: StagePatch,
    ) -> StoreResult<StageRecord> {
        let mut work = self.begin().await?;
        check_required_keys(work.conn(), workspace_id, patch.required_fields.iter()).await?;
        let row = stage_row(work.conn(), workspace_id, stage_id).await?;
        if patch.position.is_some() {
            hold_pipeline(&work, workspace_id, row.pipeline_id.into()).await?;
        }
        check_version("stage", expected_version, row.version)?;
        let stored = pipeline_rows(work.conn(), workspace_id, row.pipeline_id.into()).await?;
        let mut pipeline = stored.aggregate()?;
        pipeline.update_stage(stage_id, patch).map_err(refused)?;
        write_stages(&mut work, &stored, &pipeline, Some(stage_id)).await?;
        let record = stage_in(work.conn(), workspace_id, stage_id).await?;
        work.commit().await?;
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
        // The deals move a batch per transaction (BULK_BATCH, in column order, each appended to
        // the target's column), each decided again by `remove_stage` on the pipeline as it then
        // is; the transaction that finds fewer than a batch left moves those and deletes the
        // stage. Stopped half-way, the stage is still there with fewer deals (each moved one
        // with its history row and event), and a retry finishes.
        loop {
            let mut work = self.begin().await?;
            let row = stage_row(work.conn(), workspace_id, stage_id).await?;
            hold_pipeline(&work, workspace_id, row.pipeline_id.into()).await?;
            let stored = pipeline_rows(work.conn(), workspace_id, row.pipeline_id.into()).await?;
            let held = rows::with_stage(
                deals::Entity::find()
                    .filter(deals::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                    .filter(deals::Column::StageId.eq(stage_id.as_uuid())),
            )
            .order_by_asc(deals::Column::Position)
            .order_by_asc(deals::Column::Id)
            .limit(BULK_BATCH as u64)
            .all(work.conn())
            .await?
            .into_iter()
            .map(rows::joined_record)
            .collect::<StoreResult<Vec<_>>>()?;
            let last_batch = held.len() < BULK_BATCH;
            let mut pipeline = stored.aggregate()?;
            let target = pipeline.remove_stage(stage_id, held.len(), move_deals_to).map_err(refused)?;
            if let Some(target) = target {
                move_all_deals(&mut work, held, target, actor_id).await?;
            }
            if last_batch {
                write_stages(&mut work, &stored, &pipeline, None).await?;
                return work.commit().await;
            }
            work.commit().await?;
        }
    }
}

/// Moves pipeline `pipeline_id` to `position` among the workspace's pipelines, renumbering the
/// others, and returns its new position.
async fn reorder_pipelines(work: &UnitOfWork, workspace_id: WorkspaceId, pipeline_id: PipelineId, position: usize) -> StoreResult<i32> {
    let siblings = pipelines::Entity::find()
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .order_by_asc(pipelines::Column::Position)
        .order_by_asc(pipelines::Column::Id)
        .all(work.conn())
        .await?;
    let ids: Vec<_> = siblings.iter().map(|p| p.id).collect();
    let from = ids.iter().position(|id| *id == pipeline_id.as_uuid()).unwrap_or(0);
    let order = reordered(&ids, from, position);
    for (index, id) in order.iter().enumerate().filter(|(_, id)| **id != pipeline_id.as_uuid()) {
        pipelines::Entity::update_many()
            .col_expr(pipelines::Column::Position, Expr::value(index as i32))
            .filter(pipelines::Column::Id.eq(*id))
            .exec(work.conn())
            .await?;
    }
    Ok(order.iter().position(|id| *id == pipeline_id.as_uuid()).unwrap_or(0) as i32)
}

/// Moves `items[from]` to index `to` and returns the new order.
fn reordered<T: Clone>(items: &[T], from: usize, to: usize) -> Vec<T> {
    let mut order = items.to_vec();
    let item = order.remove(from);
    order.insert(to.min(order.len()), item);
    order
}

/// Holds the workspace row until the transaction ends, so that changes to the order of its
/// pipelines run one at a time. Two reorders that each wrote their own pipeline and then its
/// siblings would wait on each other (a deadlock on PostgreSQL), and two that read the same
/// order would write clashing positions.
async fn hold_workspace(work: &UnitOfWork, workspace_id: WorkspaceId) -> StoreResult<()> {
    workspaces::Entity::find_by_id(workspace_id.as_uuid())
        .lock_exclusive()
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("workspace"))?;
    Ok(())
}

/// Holds the pipeline row until the transaction ends, so that changes to the order of its stages
/// run one at a time (see [`hold_workspace`]).
async fn hold_pipeline(work: &UnitOfWork, workspace_id: WorkspaceId, pipeline_id: PipelineId) -> StoreResult<()> {
    pipelines::Entity::find_by_id(pipeline_id.as_uuid())
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .lock_exclusive()
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("pipeline"))?;
    Ok(())
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
