//! The daily digest: at 08:00 in their time zone, each user who chose it gets one digest a day
//! of their unread notifications and the activities due that day. The maintenance pass finds the
//! users due ([`Store::send_digests`]); a row per user and local day (unique) makes the digest
//! happen once, whatever the replicas or reruns, and it is handed to email delivery in the same
//! unit of work ([`hand_digest_to_email`]).

use chrono::NaiveDate;
use kariz_contract::{ActivityResponse, NotificationResponse};
use kariz_domain::notification::digest_day;
use kariz_domain::{TimeZone, UserId, WorkspaceId};
use sea_orm::sea_query::OnConflict;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::activities::activity_record;
use crate::entities::{activities, notification_digests, notification_preferences, notifications, users};
use crate::error::StoreResult;
use crate::notifications::{response, time_zones};
use crate::store::Store;
use crate::unit_of_work::UnitOfWork;

/// The most notifications and activities one digest lists (the counts are complete).
pub const DIGEST_LIMIT: u64 = 50;

/// One user's digest for one of their days.
#[derive(Clone, Debug)]
pub struct Digest {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    /// The user's email, name and language, for the message.
    pub email: String,
    pub name: String,
    pub locale: String,
    pub time_zone: TimeZone,
    /// The local day it is for.
    pub day: NaiveDate,
    /// Unread notifications, newest first.
    pub notifications: Vec<NotificationResponse>,
    pub unread_count: u64,
    /// Open activities due during `day` in the user's time zone, soonest first.
    pub due_today: Vec<ActivityResponse>,
}

/// Composes `user_id`'s digest of `day` on `conn`.
async fn compose<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, user_id: UserId, day: NaiveDate) -> StoreResult<Option<Digest>> {
    let Some(user) =
        users::Entity::find_by_id(user_id.as_uuid()).filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(conn).await?
    else {
        return Ok(None);
    };
    let time_zone = time_zones(conn, [user.id]).await?.remove(&user.id).unwrap_or(TimeZone::UTC);
    let unread = notifications::Entity::find()
        .filter(notifications::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(notifications::Column::UserId.eq(user.id))
        .filter(notifications::Column::ReadAt.is_null());
    let unread_count = unread.clone().count(conn).await?;
    let notifications = unread
        .order_by_desc(notifications::Column::Id)
        .limit(DIGEST_LIMIT)
        .all(conn)
        .await?
        .into_iter()
        .map(response)
        .collect::<StoreResult<Vec<_>>>()?;
    let (start, end) = time_zone.day_span(day);
    let due_today = activities::Entity::find()
        .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(activities::Column::OwnerId.eq(user.id))
        .filter(activities::Column::DoneAt.is_null())
        .filter(activities::Column::DueAt.gte(start))
        .filter(activities::Column::DueAt.lt(end))
        .order_by_asc(activities::Column::DueAt)
        .limit(DIGEST_LIMIT)
        .all(conn)
        .await?
        .into_iter()
        .map(|row| activity_record(row).map(|record| ActivityResponse::from(&record)))
        .collect::<StoreResult<Vec<_>>>()?;
    Ok(Some(Digest {
        workspace_id,
        user_id,
        email: user.email,
        name: user.name,
        locale: user.locale,
        time_zone,
        day,
        notifications,
        unread_count,
        due_today,
    }))
}

/// Emails a composed digest to its user, in the unit of work that records it (so that it is
/// queued exactly when it is recorded), worded in the user's language.
pub(crate) async fn hand_digest_to_email(work: &mut UnitOfWork, digest: &Digest) -> StoreResult<()> {
    let Ok(to) = kariz_domain::Email::parse(&digest.email) else { return Ok(()) };
    let locale = kariz_domain::TemplateLocale::parse(&digest.locale).unwrap_or(kariz_domain::TemplateLocale::En);
    let unread: Vec<String> = digest
        .notifications
        .iter()
        .filter_map(|n| {
            let kind = kariz_domain::NotificationKind::parse(&n.kind)?;
            Some(kariz_domain::notification_text::describe_notification(kind, &n.data, locale))
        })
        .collect();
    let due: Vec<String> = digest.due_today.iter().map(|a| a.subject.clone()).collect();
    let (subject, body) = kariz_domain::notification_text::digest_email(&digest.name, &unread, &due, locale);
    let email = crate::emails::QueuedEmail {
        id: None,
        workspace_id: digest.workspace_id,
        to,
        rendered: kariz_domain::render_plain(&subject, &body, locale),
        locale,
        deal_id: None,
        contact_id: None,
        lead_id: None,
        template_id: None,
        created_by: None,
        attachment_id: None,
    };
    crate::emails::queue_email(work, email).await?;
    Ok(())
}

impl Store {
    /// A user's digest of `day` (their local day), as it would be sent now.
    pub async fn compose_digest(&self, workspace_id: WorkspaceId, user_id: UserId, day: NaiveDate) -> StoreResult<Option<Digest>> {
        compose(&self.db, workspace_id, user_id, day).await
    }

    /// Records and hands over the digest of every active user who chose one and whose local time
    /// is 08:00 or later on a day without a digest yet; answers how many.
    pub async fn send_digests(&self) -> StoreResult<usize> {
        let now = self.now();
        let subscribers: Vec<(Uuid, Uuid)> = notification_preferences::Entity::find()
            .select_only()
            .column(notification_preferences::Column::Id)
            .column(notification_preferences::Column::WorkspaceId)
            .filter(notification_preferences::Column::DailyDigest.eq(true))
            .into_tuple()
            .all(&self.db)
            .await?;
        let zones = time_zones(&self.db, subscribers.iter().map(|(user, _)| *user)).await?;
        let mut sent = 0;
        for (user_id, workspace_id) in subscribers {
            let Some(day) = digest_day(zones.get(&user_id).copied().unwrap_or(TimeZone::UTC), now) else { continue };
            let local_date = day.format("%Y-%m-%d").to_string();
            let done = notification_digests::Entity::find()
                .filter(notification_digests::Column::UserId.eq(user_id))
                .filter(notification_digests::Column::LocalDate.eq(local_date.as_str()))
                .count(&self.db)
                .await?;
            if done > 0 {
                continue;
            }
            let active = users::Entity::find_by_id(user_id).filter(users::Column::Active.eq(true)).count(&self.db).await?;
            if active == 0 {
                continue;
            }
            let mut work = self.begin().await?;
            let Some(digest) = compose(work.conn(), WorkspaceId::from(workspace_id), UserId::from(user_id), day).await? else { continue };
            let row = notification_digests::Model {
                id: Uuid::now_v7(),
                workspace_id,
                user_id,
                local_date,
                notifications: i32::try_from(digest.unread_count).unwrap_or(i32::MAX),
                tasks: i32::try_from(digest.due_today.len()).unwrap_or(i32::MAX),
                created_at: work.now(),
            };
            let once = OnConflict::columns([notification_digests::Column::UserId, notification_digests::Column::LocalDate])
                .do_nothing()
                .to_owned();
            let inserted = notification_digests::Entity::insert(notification_digests::ActiveModel::from(row))
                .on_conflict(once)
                .exec_without_returning(work.conn())
                .await?;
            if inserted != 1 {
                continue;
            }
            hand_digest_to_email(&mut work, &digest).await?;
            work.commit().await?;
            sent += 1;
        }
        Ok(sent)
    }

    /// How many digests a user has had (tests and the account screen).
    pub async fn digests_sent(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<u64> {
        Ok(notification_digests::Entity::find()
            .filter(notification_digests::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(notification_digests::Column::UserId.eq(user_id.as_uuid()))
            .count(&self.db)
            .await?)
    }
}
