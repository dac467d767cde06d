//! Stage follow-up templates: the tasks a deal gets when it enters a stage. The deal's own
//! unit of work creates them (see `stage_entry`), so a deal never enters a stage without its
//! follow-ups, nor do they exist for an entry that was rolled back.

use chrono::{DateTime, Utc};
use kariz_domain::{ActivityBody, ActivityKind, ActivitySubject, Priority, StageId, TaskTemplate, TaskTemplateId, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::stage_task_templates;
use crate::error::{StoreError, StoreResult};
use crate::rows::stage_in;
use crate::store::Store;

/// The most templates one stage may have.
pub const MAX_TEMPLATES_PER_STAGE: usize = 20;

#[derive(Clone, Debug)]
pub struct TaskTemplateRecord {
    pub id: TaskTemplateId,
    pub stage_id: StageId,
    pub template: TaskTemplate,
    /// Zero-based; new templates go last.
    pub position: i32,
    pub created_at: DateTime<Utc>,
}

/// A change to a template: `None` leaves a field alone; `Some(None)` clears the body.
#[derive(Clone, Debug, Default)]
pub struct TaskTemplatePatch {
    pub kind: Option<ActivityKind>,
    pub subject: Option<ActivitySubject>,
    pub body: Option<Option<ActivityBody>>,
    pub priority: Option<Priority>,
    pub due_in_hours: Option<u32>,
}

fn template_record(row: stage_task_templates::Model) -> StoreResult<TaskTemplateRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("stage_task_templates", e);
    let template = TaskTemplate {
        kind: ActivityKind::parse(&row.kind).map_err(|e| corrupt(&e))?,
        subject: ActivitySubject::parse(&row.subject).map_err(|e| corrupt(&e))?,
        body: row.body.as_deref().map(ActivityBody::parse).transpose().map_err(|e| corrupt(&e))?,
        priority: Priority::parse(&row.priority).map_err(|e| corrupt(&e))?,
        due_in_hours: u32::try_from(row.due_in_hours).map_err(|e| corrupt(&e))?,
    };
    Ok(TaskTemplateRecord {
        id: row.id.into(),
        stage_id: row.stage_id.into(),
        template,
        position: row.position,
        created_at: row.created_at,
    })
}

/// The row of a template, every column.
fn template_row(workspace_id: WorkspaceId, record: &TaskTemplateRecord) -> stage_task_templates::Model {
    let template = &record.template;
    stage_task_templates::Model {
        id: record.id.as_uuid(),
        workspace_id: workspace_id.as_uuid(),
        stage_id: record.stage_id.as_uuid(),
        kind: template.kind.as_str().to_owned(),
        subject: template.subject.as_str().to_owned(),
        body: template.body.as_ref().map(|b| b.as_str().to_owned()),
        priority: template.priority.as_str().to_owned(),
        due_in_hours: i32::try_from(template.due_in_hours).unwrap_or(i32::MAX),
        position: record.position,
        created_at: record.created_at,
    }
}

pub(crate) async fn templates_of<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    stage_id: StageId,
) -> StoreResult<Vec<TaskTemplateRecord>> {
    let rows = stage_task_templates::Entity::find()
        .filter(stage_task_templates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(stage_task_templates::Column::StageId.eq(stage_id.as_uuid()))
        .order_by_asc(stage_task_templates::Column::Position)
        .order_by_asc(stage_task_templates::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter().map(template_record).collect()
}

async fn template_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: TaskTemplateId) -> StoreResult<TaskTemplateRecord> {
    let row = stage_task_templates::Entity::find_by_id(id.as_uuid())
        .filter(stage_task_templates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("task template"))?;
    template_record(row)
}

fn checked(template: &TaskTemplate) -> StoreResult<()> {
    template.check().map_err(|e| match e {
        kariz_domain::ActivityError::DueInHoursOutOfRange => StoreError::invalid("due_in_hours", e.to_string()),
        other => StoreError::invalid("kind", other.to_string()),
    })
}

impl Store {
    /// A stage's templates, in order.
    pub async fn task_templates(&self, workspace_id: WorkspaceId, stage_id: StageId) -> StoreResult<Vec<TaskTemplateRecord>> {
        stage_in(&self.db, workspace_id, stage_id).await?;
        templates_of(&self.db, workspace_id, stage_id).await
    }

    pub async fn task_template(&self, workspace_id: WorkspaceId, id: TaskTemplateId) -> StoreResult<TaskTemplateRecord> {
        template_in(&self.db, workspace_id, id).await
    }

    /// Adds a template after the stage's others. It applies to deals entering the stage from now on.
    pub async fn create_task_template(
        &self,
        workspace_id: WorkspaceId,
        stage_id: StageId,
        template: TaskTemplate,
    ) -> StoreResult<TaskTemplateRecord> {
        checked(&template)?;
        let mut work = self.begin().await?;
        stage_in(work.conn(), workspace_id, stage_id).await?;
        let existing = templates_of(work.conn(), workspace_id, stage_id).await?;
        if existing.len() >= MAX_TEMPLATES_PER_STAGE {
            return Err(crate::error::Conflict::TooManyTaskTemplates { max: MAX_TEMPLATES_PER_STAGE as u64 }.into());
        }
        let record = TaskTemplateRecord {
            id: TaskTemplateId::new(),
            stage_id,
            template,
            position: existing.last().map_or(0, |t| t.position + 1),
            created_at: work.now(),
        };
        work.insert("task_template.created", template_row(workspace_id, &record)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Changes a template; tasks it already created keep what they were given.
    pub async fn update_task_template(
        &self,
        workspace_id: WorkspaceId,
        id: TaskTemplateId,
        patch: TaskTemplatePatch,
    ) -> StoreResult<TaskTemplateRecord> {
        let mut work = self.begin().await?;
        let current = template_in(work.conn(), workspace_id, id).await?;
        let mut record = current.clone();
        let t = &mut record.template;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { t.$field = value; })* };
        }
        apply!(kind, subject, body, priority, due_in_hours);
        checked(t)?;
        work.replace("task_template.updated", &template_row(workspace_id, &current), template_row(workspace_id, &record)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Deletes a template; tasks it already created stay.
    pub async fn delete_task_template(&self, workspace_id: WorkspaceId, id: TaskTemplateId) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = template_in(work.conn(), workspace_id, id).await?;
        work.remove("task_template.deleted", &template_row(workspace_id, &current)).await?;
        work.commit().await
    }
}
