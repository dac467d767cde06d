//! Notifications: each created inside the unit of work of its cause ([`notify`]), with its
//! `notification.created` event; a user's list, read marks and preferences.
//!
//! A notification belongs to one user and is read by that user alone: every query here is
//! scoped by workspace and user, so another's is indistinguishable from a missing one.

use chrono::{DateTime, Utc};
use kariz_contract::events::NotificationEventData;
use kariz_contract::{Event, NotificationResponse};
use kariz_domain::{NotificationKind, NotificationPreferences, TimeZone, UserId, WorkspaceId};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::entities::{notification_preferences, notifications, users};
use crate::error::{StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::store::Store;
use crate::unit_of_work::UnitOfWork;

/// The only list order: newest first.
const SORT: &str = "-created_at";

/// A notification to create: for whom, what about, and the records it links to.
#[derive(Clone, Debug)]
pub(crate) struct NewNotification {
    pub user_id: UserId,
    pub kind: NotificationKind,
    /// Facts for the app to word (see `NotificationResponse`): never a sentence.
    pub data: Value,
    pub deal_id: Option<Uuid>,
    pub lead_id: Option<Uuid>,
    pub contact_id: Option<Uuid>,
    pub organization_id: Option<Uuid>,
    pub activity_id: Option<Uuid>,
    /// For a notification that must exist at most once: the record it is about and the
    /// occurrence it announces. A second one with the same user, kind, subject and occurrence
    /// is not created (a unique index), so a rerun, or another replica, adds nothing.
    pub occurrence: Option<(Uuid, DateTime<Utc>)>,
}

impl NewNotification {
    pub(crate) fn new(user_id: UserId, kind: NotificationKind, data: Value) -> NewNotification {
        NewNotification {
            user_id,
            kind,
            data,
            deal_id: None,
            lead_id: None,
            contact_id: None,
            organization_id: None,
            activity_id: None,
            occurrence: None,
        }
    }
}

/// Creates a notification in `work`, the unit of work of its cause, and announces it with
/// `notification.created`. Nothing is created for a user who turned in-app notifications off, nor
/// for an occurrence already notified; the answer is then `None`. Automations' `notify` action
/// calls this too. Not audited: a notification is a consequence of a change, like the tasks a
/// stage template creates.
pub(crate) async fn notify(
    work: &mut UnitOfWork,
    workspace_id: WorkspaceId,
    new: NewNotification,
) -> StoreResult<Option<NotificationResponse>> {
    let preferences = preferences_of(work.conn(), workspace_id, new.user_id).await?;
    if !preferences.in_app {
        return Ok(None);
    }
    let row = notifications::Model {
        id: Uuid::now_v7(),
        workspace_id: workspace_id.as_uuid(),
        user_id: new.user_id.as_uuid(),
        kind: new.kind.as_str().to_owned(),
        data: new.data.to_string(),
        deal_id: new.deal_id,
        lead_id: new.lead_id,
        contact_id: new.contact_id,
        organization_id: new.organization_id,
        activity_id: new.activity_id,
        subject_id: new.occurrence.map(|(subject, _)| subject),
        occurs_at: new.occurrence.map(|(_, at)| at),
        created_at: work.now(),
        read_at: None,
    };
    let once = OnConflict::columns([
        notifications::Column::UserId,
        notifications::Column::Kind,
        notifications::Column::SubjectId,
        notifications::Column::OccursAt,
    ])
    .do_nothing()
    .to_owned();
    let inserted = notifications::Entity::insert(notifications::ActiveModel::from(row.clone()))
        .on_conflict(once)
        .exec_without_returning(work.conn())
        .await?;
    if inserted != 1 {
        return Ok(None);
    }
    let notification = response(row)?;
    let about = Aggregate { workspace_id, kind: "notification", id: notification.id };
    work.emit(about, &Event::NotificationCreated(NotificationEventData { notification: notification.clone() })).await?;
    if preferences.email {
        hand_notification_to_email(work, &notification).await?;
    }
    Ok(Some(notification))
}

/// Emails a notification to its user (who chose `email`), in the unit of work that creates it:
/// it is queued exactly when the notification exists, worded in the user's language.
pub(crate) async fn hand_notification_to_email(work: &mut UnitOfWork, notification: &NotificationResponse) -> StoreResult<()> {
    let Some(user) = users::Entity::find_by_id(notification.user_id).one(work.conn()).await? else { return Ok(()) };
    let Ok(to) = kariz_domain::Email::parse(&user.email) else { return Ok(()) };
    let Some(kind) = NotificationKind::parse(&notification.kind) else { return Ok(()) };
    let locale = kariz_domain::TemplateLocale::parse(&user.locale).unwrap_or(kariz_domain::TemplateLocale::En);
    let (subject, body) = kariz_domain::notification_text::notification_email(kind, &notification.data, locale);
    let email = crate::emails::QueuedEmail {
        id: None,
        workspace_id: WorkspaceId::from(user.workspace_id),
        to,
        rendered: kariz_domain::render_plain(&subject, &body, locale),
        locale,
        deal_id: notification.deal_id,
        contact_id: None,
        lead_id: None,
        template_id: None,
        created_by: None,
        attachment_id: None,
    };
    crate::emails::queue_email(work, email).await?;
    Ok(())
}

/// A user's preferences: their stored row, or the defaults until they change one.
pub(crate) async fn preferences_of<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    user_id: UserId,
) -> StoreResult<NotificationPreferences> {
    let row = notification_preferences::Entity::find_by_id(user_id.as_uuid())
        .filter(notification_preferences::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?;
    Ok(row.map(|row| NotificationPreferences { in_app: row.in_app, email: row.email, daily_digest: row.daily_digest }).unwrap_or_default())
}

/// `{id, name}` of a member, for the `actor` of a notification (`null` when there is none).
pub(crate) async fn person<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<Value> {
    let name: Option<String> = users::Entity::find_by_id(user_id.as_uuid())
        .select_only()
        .column(users::Column::Name)
        .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .into_tuple()
        .one(conn)
        .await?;
    Ok(name.map(|name| json!({"id": user_id.as_uuid(), "name": name})).unwrap_or(Value::Null))
}

/// The active members of the workspace among `ids`.
pub(crate) async fn active_members<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, ids: &[UserId]) -> StoreResult<Vec<UserId>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let found: Vec<Uuid> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(users::Column::Active.eq(true))
        .filter(users::Column::Id.is_in(ids.iter().map(|id| id.as_uuid())))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(ids.iter().copied().filter(|id| found.contains(&id.as_uuid())).collect())
}

pub(crate) fn response(row: notifications::Model) -> StoreResult<NotificationResponse> {
    let data = serde_json::from_str(&row.data).map_err(|e| StoreError::corrupt("notifications", e))?;
    Ok(NotificationResponse {
        id: row.id,
        user_id: row.user_id,
        kind: row.kind,
        data,
        deal_id: row.deal_id,
        lead_id: row.lead_id,
        contact_id: row.contact_id,
        organization_id: row.organization_id,
        activity_id: row.activity_id,
        created_at: row.created_at,
        read_at: row.read_at,
    })
}

/// A page of a user's notifications and how many of theirs are unread.
#[derive(Clone, Debug)]
pub struct NotificationPage {
    pub page: Page<NotificationResponse>,
    pub unread_count: u64,
}

fn of_user(workspace_id: WorkspaceId, user_id: UserId) -> sea_orm::Select<notifications::Entity> {
    notifications::Entity::find()
        .filter(notifications::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(notifications::Column::UserId.eq(user_id.as_uuid()))
}

impl Store {
    /// A user's notifications, newest first, a page at a time (only the unread ones with
    /// `unread_only`), with the count of their unread ones.
    pub async fn notifications(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        unread_only: bool,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<NotificationPage> {
        let limit = pagination::clamp_limit(limit);
        let mut query = of_user(workspace_id, user_id);
        if unread_only {
            query = query.filter(notifications::Column::ReadAt.is_null());
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, SORT)?;
            query = query.filter(notifications::Column::Id.lt(last_id));
        }
        let rows = query.order_by_desc(notifications::Column::Id).limit(limit + 1).all(&self.db).await?;
        let items = rows.into_iter().map(response).collect::<StoreResult<Vec<_>>>()?;
        let page = Page::of(items, limit, |last| pagination::encode(SORT, Value::Null, last.id));
        let unread_count = self.unread_notifications(workspace_id, user_id).await?;
        Ok(NotificationPage { page, unread_count })
    }

    /// How many of a user's notifications are unread.
    pub async fn unread_notifications(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<u64> {
        Ok(of_user(workspace_id, user_id).filter(notifications::Column::ReadAt.is_null()).count(&self.db).await?)
    }

    /// Marks one of the user's notifications read (again: nothing changes). Another user's is
    /// not found.
    pub async fn mark_notification_read(&self, workspace_id: WorkspaceId, user_id: UserId, id: Uuid) -> StoreResult<NotificationResponse> {
        let work = self.begin().await?;
        let mut row = of_user(workspace_id, user_id)
            .filter(notifications::Column::Id.eq(id))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("notification"))?;
        if row.read_at.is_none() {
            let now = work.now();
            notifications::Entity::update_many()
                .col_expr(notifications::Column::ReadAt, Expr::value(Some(now)))
                .filter(notifications::Column::Id.eq(row.id))
                .filter(notifications::Column::ReadAt.is_null())
                .exec(work.conn())
                .await?;
            row.read_at = Some(now);
        }
        work.commit().await?;
        response(row)
    }

    /// Marks every unread notification of the user read; answers how many were.
    pub async fn mark_all_notifications_read(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<u64> {
        let work = self.begin().await?;
        let now = work.now();
        let marked = notifications::Entity::update_many()
            .col_expr(notifications::Column::ReadAt, Expr::value(Some(now)))
            .filter(notifications::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(notifications::Column::UserId.eq(user_id.as_uuid()))
            .filter(notifications::Column::ReadAt.is_null())
            .exec(work.conn())
            .await?;
        work.commit().await?;
        Ok(marked.rows_affected)
    }

    /// A user's notification preferences.
    pub async fn notification_preferences(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<NotificationPreferences> {
        preferences_of(&self.db, workspace_id, user_id).await
    }

    /// Replaces a user's notification preferences, audited as `notification_preferences.updated`.
    pub async fn set_notification_preferences(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        preferences: NotificationPreferences,
    ) -> StoreResult<NotificationPreferences> {
        const ACTION: &str = "notification_preferences.updated";
        let mut work = self.begin().await?;
        let now = work.now();
        let current = notification_preferences::Entity::find_by_id(user_id.as_uuid())
            .filter(notification_preferences::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?;
        let NotificationPreferences { in_app, email, daily_digest } = preferences;
        match current {
            Some(before) => {
                let after = notification_preferences::Model { in_app, email, daily_digest, updated_at: now, ..before.clone() };
                work.replace(ACTION, &before, after).await?;
            }
            None => {
                let row = notification_preferences::Model {
                    id: user_id.as_uuid(),
                    workspace_id: workspace_id.as_uuid(),
                    in_app,
                    email,
                    daily_digest,
                    created_at: now,
                    updated_at: now,
                };
                work.insert(ACTION, row).await?;
            }
        }
        work.commit().await?;
        Ok(preferences)
    }
}

/// The time zone of each of `users` that exists: their own, or else their workspace's.
pub(crate) async fn time_zones<C: ConnectionTrait>(
    conn: &C,
    users: impl IntoIterator<Item = Uuid>,
) -> StoreResult<std::collections::HashMap<Uuid, TimeZone>> {
    use crate::entities::workspaces;
    let ids: Vec<Uuid> = users.into_iter().collect();
    let mut zones = std::collections::HashMap::new();
    if ids.is_empty() {
        return Ok(zones);
    }
    let rows: Vec<(Uuid, Option<String>, Option<String>)> = users::Entity::find()
        .select_only()
        .column(users::Column::Id)
        .column(users::Column::TimeZone)
        .column(workspaces::Column::TimeZone)
        .join(sea_orm::JoinType::InnerJoin, users::Relation::Workspace.def())
        .filter(users::Column::Id.is_in(ids))
        .into_tuple()
        .all(conn)
        .await?;
    for (id, own, workspace) in rows {
        let zone = own.or(workspace).and_then(|raw| TimeZone::parse(&raw).ok()).unwrap_or(TimeZone::UTC);
        zones.insert(id, zone);
    }
    Ok(zones)
}
