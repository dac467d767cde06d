//! What a deal's entering a stage writes beside the deal: its stage-history row, and the
//! stage's follow-up tasks. Every entry goes through [`enter_stage`]: creation, a move to
//! another stage, and the deletion of the stage a deal was in; a move within a column or a
//! reopen is no entry.

use chrono::{DateTime, Utc};
use kariz_domain::{ActivityLinks, StageId, UserId};
use sea_orm::ActiveValue::Set;
use sea_orm::EntityTrait;
use uuid::Uuid;

use crate::activities::{ActivityRecord, insert_activity};
use crate::entities::stage_history;
use crate::error::StoreResult;
use crate::records::DealRecord;
use crate::stage_templates::templates_of;
use crate::unit_of_work::UnitOfWork;

/// The stage a deal left and when it had entered it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct LeftStage {
    pub stage_id: StageId,
    pub entered_at: DateTime<Utc>,
}

impl LeftStage {
    pub(crate) fn of(record: &DealRecord) -> LeftStage {
        LeftStage { stage_id: record.deal.stage_id(), entered_at: record.deal.stage_entered_at() }
    }
}

/// Records that the deal entered its current stage at its `stage_entered_at`, coming from
/// `left` (`None` for a new deal), and gives it the stage's follow-up tasks.
pub(crate) async fn enter_stage(
    work: &mut UnitOfWork,
    record: &DealRecord,
    left: Option<LeftStage>,
    actor_id: Option<UserId>,
) -> StoreResult<()> {
    stage_history::Entity::insert(entry_row(record, left, actor_id)).exec_without_returning(work.conn()).await?;
    create_stage_tasks(work, record, actor_id).await
}

/// The stage-history row of the deal entering its current stage, coming from `left`.
pub(crate) fn entry_row(record: &DealRecord, left: Option<LeftStage>, actor_id: Option<UserId>) -> stage_history::ActiveModel {
    let deal = &record.deal;
    stage_history::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(deal.workspace_id().as_uuid()),
        deal_id: Set(deal.id().as_uuid()),
        pipeline_id: Set(deal.pipeline_id().as_uuid()),
        from_stage_id: Set(left.map(|l| l.stage_id.as_uuid())),
        to_stage_id: Set(deal.stage_id().as_uuid()),
        actor_id: Set(actor_id.map(|a| a.as_uuid())),
        entered_at: Set(deal.stage_entered_at()),
        from_entered_at: Set(left.map(|l| l.entered_at)),
    }
}

/// Gives the deal, which has just entered its stage, the stage's follow-up tasks: one per
/// template, for the deal's owner, each with its `activity.created` event. They are a
/// consequence of the entry, not changes of their own: no audit entries.
pub(crate) async fn create_stage_tasks(work: &mut UnitOfWork, record: &DealRecord, actor_id: Option<UserId>) -> StoreResult<()> {
    let deal = &record.deal;
    let links = ActivityLinks { deal_id: Some(deal.id()), ..ActivityLinks::default() };
    let entered_at = deal.stage_entered_at();
    for template in templates_of(work.conn(), deal.workspace_id(), deal.stage_id()).await? {
        let task = template.template.task_for(links, deal.owner_id(), entered_at);
        let activity = ActivityRecord::new(deal.workspace_id(), task, Some(template.id), actor_id, entered_at);
        insert_activity(work, &activity).await?;
    }
    Ok(())
}
