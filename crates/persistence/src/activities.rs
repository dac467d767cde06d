//! Activities and tasks: create, read, list, update, complete, reopen, delete, and the agenda.
//!
//! Every change is a compare-and-swap on the activity's version. Creating one records
//! `activity.created`, completing one `task.completed`, in the same transaction; and since
//! scoring rules count a lead's activities, a change that adds or removes one on a lead re-scores
//! that lead in the same transaction too.

use chrono::{DateTime, Utc};
use kariz_contract::Event;
use kariz_contract::events::ActivityEventData;
use kariz_domain::activity::AgendaWindow;
use kariz_domain::notification::{TimeZone, excerpt, mentions, without_mention_markup};
use kariz_domain::{
    Activity, ActivityBody, ActivityError, ActivityFields, ActivityId, ActivityKind, ActivityLinks, ActivityPatch, ActivitySubject,
    ContactId, DealId, LeadId, NotificationKind, OrganizationId, Priority, TaskTemplateId, UserId, Viewer, WorkspaceId,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::auth::viewer_of;
use crate::entities::activities;
use crate::error::{StoreError, StoreResult};
use crate::notifications::{NewNotification, active_members, notify, person};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::rows::ensure_member;
use crate::scoring::rescore_lead;
use crate::sql::statement;
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::{activities_seen, contacts_seen_sql, deals_seen_sql, leads_seen_sql};

/// The most activities one agenda bucket lists.
pub const AGENDA_LIMIT: u64 = 200;

/// The only list order: newest first.
const SORT: &str = "-created_at";

/// An activity as stored.
#[derive(Clone, Debug)]
pub struct ActivityRecord {
    pub id: ActivityId,
    pub workspace_id: WorkspaceId,
    pub activity: Activity,
    /// The stage template that created it, if one did.
    pub template_id: Option<TaskTemplateId>,
    pub created_by: Option<UserId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ActivityRecord {
    pub(crate) fn new(
        workspace_id: WorkspaceId,
        activity: Activity,
        template_id: Option<TaskTemplateId>,
        created_by: Option<UserId>,
        now: DateTime<Utc>,
    ) -> ActivityRecord {
        ActivityRecord {
            id: ActivityId::new(),
            workspace_id,
            activity,
            template_id,
            created_by,
            version: 1,
            created_at: now,
            updated_at: now,
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct ActivityFilter {
    pub kind: Option<ActivityKind>,
    pub owner_id: Option<UserId>,
    pub lead_id: Option<LeadId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub deal_id: Option<DealId>,
    /// Done (`true`) or still to do (`false`).
    pub done: Option<bool>,
    /// Due at or after.
    pub due_from: Option<DateTime<Utc>>,
    /// Due at or before.
    pub due_to: Option<DateTime<Utc>>,
}

/// One user's open activities with a due time, by UTC day, soonest first in each bucket.
#[derive(Clone, Debug)]
pub struct Agenda {
    pub window: AgendaWindow,
    /// Due before today; the longest overdue first.
    pub overdue: Vec<ActivityRecord>,
    pub today: Vec<ActivityRecord>,
    /// Due in the days after today.
    pub upcoming: Vec<ActivityRecord>,
}

/// A rule of what fits together, as the field the client should fix.
fn field_error(err: ActivityError) -> StoreError {
    let field = match err {
        ActivityError::NoLink => "lead_id",
        ActivityError::NoteIsNotATask => "due_at",
        ActivityError::DueInHoursOutOfRange => "due_in_hours",
        ActivityError::AlreadyDone | ActivityError::NotDone => return StoreError::ActivityRule(err),
    };
    StoreError::invalid(field, err.to_string())
}

pub(crate) fn activity_record(row: activities::Model) -> StoreResult<ActivityRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("activities", e);
    let activity = Activity::restore(ActivityFields {
        kind: ActivityKind::parse(&row.kind).map_err(|e| corrupt(&e))?,
        subject: ActivitySubject::parse(&row.subject).map_err(|e| corrupt(&e))?,
        body: row.body.as_deref().map(ActivityBody::parse).transpose().map_err(|e| corrupt(&e))?,
        links: ActivityLinks {
            lead_id: row.lead_id.map(Into::into),
            contact_id: row.contact_id.map(Into::into),
            organization_id: row.organization_id.map(Into::into),
            deal_id: row.deal_id.map(Into::into),
        },
        owner_id: row.owner_id.into(),
        priority: Priority::parse(&row.priority).map_err(|e| corrupt(&e))?,
        due_at: row.due_at,
        done_at: row.done_at,
    });
    Ok(ActivityRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        activity,
        template_id: row.template_id.map(Into::into),
        created_by: row.created_by.map(Into::into),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

/// The row of an activity, every column.
fn activity_row(record: &ActivityRecord) -> activities::Model {
    let a = &record.activity;
    let links = a.links();
    activities::Model {
        id: record.id.as_uuid(),
        workspace_id: record.workspace_id.as_uuid(),
        kind: a.kind().as_str().to_owned(),
        subject: a.subject().as_str().to_owned(),
        body: a.body().map(|b| b.as_str().to_owned()),
        lead_id: links.lead_id.map(|id| id.as_uuid()),
        contact_id: links.contact_id.map(|id| id.as_uuid()),
        organization_id: links.organization_id.map(|id| id.as_uuid()),
        deal_id: links.deal_id.map(|id| id.as_uuid()),
        owner_id: a.owner_id().as_uuid(),
        priority: a.priority().as_str().to_owned(),
        due_at: a.due_at(),
        done_at: a.done_at(),
        template_id: record.template_id.map(|t| t.as_uuid()),
        created_by: record.created_by.map(|u| u.as_uuid()),
        version: record.version,
        created_at: record.created_at,
        updated_at: record.updated_at,
    }
}

/// Whether `user_id` may read the activity now (their role, the workspace's visibility, the
/// records it is about): nobody is notified of an activity they cannot open.
pub(crate) async fn seen_by<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    user_id: UserId,
    activity_id: Uuid,
) -> StoreResult<bool> {
    let Some(viewer) = viewer_of(conn, workspace_id, user_id).await? else { return Ok(false) };
    let seen = activities::Entity::find()
        .filter(activities::Column::Id.eq(activity_id))
        .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(activities_seen(&viewer))
        .count(conn)
        .await?;
    Ok(seen > 0)
}

/// Notifies, in the unit of work that wrote `after` (over `before`, for a change), the owner of a
/// task someone else assigned to them, and each member an activity newly mentions
/// (`@[Name](user-id)` in its subject or body) other than the actor.
async fn notify_about_activity(
    work: &mut UnitOfWork,
    actor_id: UserId,
    before: Option<&ActivityRecord>,
    after: &ActivityRecord,
) -> StoreResult<()> {
    let workspace_id = after.workspace_id;
    let activity = &after.activity;
    let links = activity.links();
    let linked = |kind, data| {
        let mut new = NewNotification::new(UserId::from(Uuid::nil()), kind, data);
        new.activity_id = Some(after.id.as_uuid());
        new.deal_id = links.deal_id.map(|id| id.as_uuid());
        new.lead_id = links.lead_id.map(|id| id.as_uuid());
        new.contact_id = links.contact_id.map(|id| id.as_uuid());
        new.organization_id = links.organization_id.map(|id| id.as_uuid());
        new
    };
    let owner = activity.owner_id();
    let assigned = activity.kind() == ActivityKind::Task
        && owner != actor_id
        && before.is_none_or(|before| before.activity.owner_id() != owner || before.activity.kind() != ActivityKind::Task);
    let texts = |record: &ActivityRecord| {
        let mut text = record.activity.subject().as_str().to_owned();
        if let Some(body) = record.activity.body() {
            text.push('\n');
            text.push_str(body.as_str());
        }
        text
    };
    let text = texts(after);
    let earlier = before.map(|before| mentions(&texts(before))).unwrap_or_default();
    let mentioned: Vec<UserId> = mentions(&text).into_iter().filter(|user| *user != actor_id && !earlier.contains(user)).collect();
    if !assigned && mentioned.is_empty() {
        return Ok(());
    }
    let actor = person(work.conn(), workspace_id, actor_id).await?;
    if assigned && seen_by(work.conn(), workspace_id, owner, after.id.as_uuid()).await? {
        let data = json!({"actor": actor, "activity": {
            "id": after.id.as_uuid(), "subject": activity.subject().as_str(), "kind": activity.kind().as_str(), "due_at": activity.due_at()
        }});
        notify(work, workspace_id, NewNotification { user_id: owner, ..linked(NotificationKind::TaskAssigned, data) }).await?;
    }
    for user_id in active_members(work.conn(), workspace_id, &mentioned).await? {
        if !seen_by(work.conn(), workspace_id, user_id, after.id.as_uuid()).await? {
            continue;
        }
        let data = json!({"actor": actor, "activity": {
            "id": after.id.as_uuid(), "subject": activity.subject().as_str(), "kind": activity.kind().as_str()
        }, "excerpt": excerpt(&without_mention_markup(activity.body().map_or(activity.subject().as_str(), |body| body.as_str())), 200)});
        notify(work, workspace_id, NewNotification { user_id, ..linked(NotificationKind::Mention, data) }).await?;
    }
    Ok(())
}

/// Writes `activity.created` or `task.completed` for `record`.
async fn record_activity_event(work: &mut UnitOfWork, record: &ActivityRecord, completed: bool) -> StoreResult<()> {
    let about = Aggregate { workspace_id: record.workspace_id, kind: "activity", id: record.id.as_uuid() };
    let data = ActivityEventData { activity: record.into() };
    let event = if completed { Event::TaskCompleted(data) } else { Event::ActivityCreated(data) };
    work.emit(about, &event).await
}

/// Inserts a new activity with its `activity.created` event. The caller has checked it and its
/// links, records its creation if it is one of its own, and re-scores its lead.
pub(crate) async fn insert_activity(work: &mut UnitOfWork, record: &ActivityRecord) -> StoreResult<()> {
    activities::Entity::insert(activities::ActiveModel::from(activity_row(record)).reset_all()).exec_without_returning(work.conn()).await?;
    record_activity_event(work, record, false).await
}

/// Refuses links to anything that is not in the workspace or is hidden from the viewer, naming the field.
pub(crate) async fn ensure_links<C: ConnectionTrait>(conn: &C, viewer: &Viewer, links: &ActivityLinks) -> StoreResult<()> {
    let links = [
        ("lead_id", "leads", "lead", links.lead_id.map(Uuid::from), leads_seen_sql(viewer, "owner_id")),
        ("contact_id", "contacts", "contact", links.contact_id.map(Uuid::from), contacts_seen_sql(viewer, "owner_id")),
        ("organization_id", "organizations", "organization", links.organization_id.map(Uuid::from), None),
        ("deal_id", "deals", "deal", links.deal_id.map(Uuid::from), deals_seen_sql(viewer, "owner_id")),
    ];
    for (field, table, noun, id, seen) in links {
        let Some(id) = id else { continue };
        let mut sql = format!("SELECT 1 FROM {table} WHERE workspace_id = ? AND id = ?");
        let mut values = vec![viewer.workspace_id.as_uuid().into(), id.into()];
        if let Some((condition, owner)) = seen {
            sql.push_str(&format!(" AND {condition}"));
            values.push(owner);
        }
        let found = conn.query_one_raw(statement(conn.get_database_backend(), &sql, values)).await?;
        if found.is_none() {
            return Err(StoreError::invalid(field, format!("no such {noun}")));
        }
    }
    Ok(())
}

/// The activity the viewer may change, at the version they read, read in the unit of work.
async fn activity_to_change(
    work: &UnitOfWork,
    viewer: &Viewer,
    activity_id: ActivityId,
    expected_version: Option<i64>,
) -> StoreResult<ActivityRecord> {
    let row = activities::Entity::find_by_id(activity_id.as_uuid())
        .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(activities_seen(viewer))
        .one(work.conn())
        .await?
        .ok_or(StoreError::NotFound("activity"))?;
    let record = activity_record(row)?;
    check_version("activity", expected_version, record.version)?;
    Ok(record)
}

/// Writes `after`, changed from `before`.
async fn save(work: &mut UnitOfWork, action: &'static str, before: &ActivityRecord, after: ActivityRecord) -> StoreResult<ActivityRecord> {
    let row = work.update(action, &activity_row(before), activity_row(&after)).await?;
    Ok(ActivityRecord { version: row.version, updated_at: row.updated_at, ..after })
}

/// An activity the viewer sees: none linked to a deal or lead hidden from them.
async fn visible_activity(db: &DatabaseConnection, viewer: &Viewer, activity_id: ActivityId) -> StoreResult<ActivityRecord> {
    let row = activities::Entity::find_by_id(activity_id.as_uuid())
        .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(activities_seen(viewer))
        .one(db)
        .await?
        .ok_or(StoreError::NotFound("activity"))?;
    activity_record(row)
}

/// Re-scores the leads an activity left or joined, or whose kind of activity changed.
async fn rescore_leads<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    before: Option<&Activity>,
    after: Option<&Activity>,
) -> StoreResult<()> {
    let lead = |a: Option<&Activity>| a.and_then(|a| a.links().lead_id);
    let kind = |a: Option<&Activity>| a.map(Activity::kind);
    if lead(before) == lead(after) && kind(before) == kind(after) {
        return Ok(());
    }
    let mut leads: Vec<LeadId> = [lead(before), lead(after)].into_iter().flatten().collect();
    leads.dedup();
    for lead_id in leads {
        rescore_lead(conn, workspace_id, lead_id).await?;
    }
    Ok(())
}

fn filter_condition(filter: &ActivityFilter) -> Condition {
    use activities::Column as C;
    let mut condition = Condition::all();
    if let Some(kind) = filter.kind {
        condition = condition.add(C::Kind.eq(kind.as_str()));
    }
    let ids = [
        (C::OwnerId, filter.owner_id.map(Uuid::from)),
        (C::LeadId, filter.lead_id.map(Uuid::from)),
        (C::ContactId, filter.contact_id.map(Uuid::from)),
        (C::OrganizationId, filter.organization_id.map(Uuid::from)),
        (C::DealId, filter.deal_id.map(Uuid::from)),
    ];
    for (column, id) in ids {
        if let Some(id) = id {
            condition = condition.add(column.eq(id));
        }
    }
    match filter.done {
        Some(true) => condition = condition.add(C::DoneAt.is_not_null()),
        Some(false) => condition = condition.add(C::DoneAt.is_null()),
        None => {}
    }
    if let Some(from) = filter.due_from {
        condition = condition.add(C::DueAt.gte(from));
    }
    if let Some(to) = filter.due_to {
        condition = condition.add(C::DueAt.lte(to));
    }
    condition
}

impl Store {
    /// Logs an activity or creates a task. The owner must be a member and every link must be in
    /// the workspace.
    pub async fn create_activity(&self, viewer: &Viewer, activity: ActivityFields) -> StoreResult<ActivityRecord> {
        let (workspace_id, actor_id) = (viewer.workspace_id, viewer.user_id);
        let activity = Activity::new(activity).map_err(field_error)?;
        let mut work = self.begin().await?;
        if activity.owner_id() != actor_id {
            ensure_member(work.conn(), workspace_id, activity.owner_id()).await?;
        }
        ensure_links(work.conn(), viewer, activity.links()).await?;
        let record = ActivityRecord::new(workspace_id, activity, None, Some(actor_id), work.now());
        insert_activity(&mut work, &record).await?;
        work.audit_object("activity.created", &activity_row(&record)).await?;
        notify_about_activity(&mut work, actor_id, None, &record).await?;
        rescore_leads(work.conn(), workspace_id, None, Some(&record.activity)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// [`Store::create_activity`] with the id given: a writer that may repeat itself (an
    /// automation's resumed run) makes the same task once.
    pub(crate) async fn create_activity_with_id(
        &self,
        viewer: &Viewer,
        id: ActivityId,
        activity: ActivityFields,
    ) -> StoreResult<ActivityRecord> {
        let (workspace_id, actor_id) = (viewer.workspace_id, viewer.user_id);
        let activity = Activity::new(activity).map_err(field_error)?;
        let mut work = self.begin().await?;
        if activity.owner_id() != actor_id {
            ensure_member(work.conn(), workspace_id, activity.owner_id()).await?;
        }
        ensure_links(work.conn(), viewer, activity.links()).await?;
        let record = ActivityRecord { id, ..ActivityRecord::new(workspace_id, activity, None, Some(actor_id), work.now()) };
        insert_activity(&mut work, &record).await?;
        work.audit_object("activity.created", &activity_row(&record)).await?;
        rescore_leads(work.conn(), workspace_id, None, Some(&record.activity)).await?;
        work.commit().await?;
        Ok(record)
    }

    /// Whether the workspace holds an activity with this id.
    pub(crate) async fn activity_exists(&self, workspace_id: WorkspaceId, id: ActivityId) -> StoreResult<bool> {
        let found = activities::Entity::find_by_id(id.as_uuid())
            .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&self.db)
            .await?;
        Ok(found.is_some())
    }

    pub async fn activity(&self, viewer: &Viewer, activity_id: ActivityId) -> StoreResult<ActivityRecord> {
        visible_activity(&self.db, viewer, activity_id).await
    }

    /// Activities of the workspace, newest first, a page at a time.
    pub async fn activities(
        &self,
        viewer: &Viewer,
        filter: &ActivityFilter,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<ActivityRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = activities::Entity::find()
            .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(activities_seen(viewer))
            .filter(filter_condition(filter));
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, SORT)?;
            query = query.filter(activities::Column::Id.lt(last_id));
        }
        let rows = query.order_by_desc(activities::Column::Id).limit(limit + 1).all(&self.db).await?;
        let items = rows.into_iter().map(activity_record).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(items, limit, |last| pagination::encode(SORT, Value::Null, last.id.as_uuid())))
    }

    pub async fn update_activity(
        &self,
        viewer: &Viewer,
        activity_id: ActivityId,
        expected_version: Option<i64>,
        patch: ActivityPatch,
    ) -> StoreResult<ActivityRecord> {
        let workspace_id = viewer.workspace_id;
        let mut work = self.begin().await?;
        let current = activity_to_change(&work, viewer, activity_id, expected_version).await?;
        let mut next = current.clone();
        if !next.activity.update(patch).map_err(field_error)? {
            return Ok(current);
        }
        if next.activity.owner_id() != current.activity.owner_id() {
            ensure_member(work.conn(), workspace_id, next.activity.owner_id()).await?;
        }
        if next.activity.links() != current.activity.links() {
            ensure_links(work.conn(), viewer, next.activity.links()).await?;
        }
        let next = save(&mut work, "activity.updated", &current, next).await?;
        notify_about_activity(&mut work, viewer.user_id, Some(&current), &next).await?;
        rescore_leads(work.conn(), workspace_id, Some(&current.activity), Some(&next.activity)).await?;
        work.commit().await?;
        Ok(next)
    }

    /// Marks an activity done, with its `task.completed` event.
    pub async fn complete_activity(
        &self,
        viewer: &Viewer,
        activity_id: ActivityId,
        expected_version: Option<i64>,
    ) -> StoreResult<ActivityRecord> {
        self.transition("activity.completed", viewer, activity_id, expected_version, |a, now| a.complete(now), true).await
    }

    /// Makes a done activity something to do again.
    pub async fn reopen_activity(
        &self,
        viewer: &Viewer,
        activity_id: ActivityId,
        expected_version: Option<i64>,
    ) -> StoreResult<ActivityRecord> {
        self.transition("activity.reopened", viewer, activity_id, expected_version, |a, _| a.reopen(), false).await
    }

    /// Applies a done/undone transition with a compare-and-swap, and its event if it has one.
    async fn transition(
        &self,
        action: &'static str,
        viewer: &Viewer,
        activity_id: ActivityId,
        expected_version: Option<i64>,
        change: impl FnOnce(&mut Activity, DateTime<Utc>) -> Result<(), ActivityError>,
        completes: bool,
    ) -> StoreResult<ActivityRecord> {
        let mut work = self.begin().await?;
        let current = activity_to_change(&work, viewer, activity_id, expected_version).await?;
        let mut next = current.clone();
        change(&mut next.activity, work.now())?;
        let next = save(&mut work, action, &current, next).await?;
        if completes {
            record_activity_event(&mut work, &next, true).await?;
        }
        work.commit().await?;
        Ok(next)
    }

    pub async fn delete_activity(&self, viewer: &Viewer, activity_id: ActivityId, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = activity_to_change(&work, viewer, activity_id, expected_version).await?;
        work.delete("activity.deleted", &activity_row(&current)).await?;
        rescore_leads(work.conn(), viewer.workspace_id, Some(&current.activity), None).await?;
        work.commit().await
    }

    /// The viewer's open activities due before the end of the `days` days after today, by the
    /// viewer's local day (their time zone, else the workspace's): three range scans of the agenda index, each sorted and bounded in SQL.
    pub async fn agenda(&self, viewer: &Viewer, now: DateTime<Utc>, days: u32) -> StoreResult<Agenda> {
        let zone = crate::notifications::time_zones(&self.db, [viewer.user_id.as_uuid()]).await?.remove(&viewer.user_id.as_uuid());
        let window = AgendaWindow::new(now, days, zone.unwrap_or(TimeZone::UTC));
        let open = || -> Select<activities::Entity> {
            activities::Entity::find()
                .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
                .filter(activities::Column::OwnerId.eq(viewer.user_id.as_uuid()))
                .filter(activities_seen(viewer))
                .filter(activities::Column::DoneAt.is_null())
        };
        let due = activities::Column::DueAt;
        let overdue = self.agenda_bucket(open().filter(due.lt(window.today_start))).await?;
        let today = self.agenda_bucket(open().filter(due.gte(window.today_start)).filter(due.lt(window.tomorrow_start))).await?;
        let upcoming = self.agenda_bucket(open().filter(due.gte(window.tomorrow_start)).filter(due.lt(window.upcoming_end))).await?;
        Ok(Agenda { window, overdue, today, upcoming })
    }

    async fn agenda_bucket(&self, query: Select<activities::Entity>) -> StoreResult<Vec<ActivityRecord>> {
        let rows =
            query.order_by_asc(activities::Column::DueAt).order_by_asc(activities::Column::Id).limit(AGENDA_LIMIT).all(&self.db).await?;
        rows.into_iter().map(activity_record).collect()
    }
}
