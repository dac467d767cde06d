//! A user's calendar feed: one secret token per user, stored as its hash, that lets a calendar
//! application read their open activities with a due time and the important dates of the
//! customers they own.

use chrono::{DateTime, Days, NaiveDate, Utc};
use kariz_domain::{ContactId, OrganizationId, TimeZone, UserId, WorkspaceId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::activities::{ActivityRecord, activity_record};
use crate::entities::{activities, calendar_feeds, contacts, important_dates, organizations, users};
use crate::error::{StoreError, StoreResult};
use crate::important_dates::date_of;
use crate::notifications::time_zones;
use crate::records::UpcomingDateRecord;
use crate::store::Store;

/// The most activities a feed lists.
pub const FEED_ACTIVITY_LIMIT: u64 = 1000;

/// How far ahead a feed lists important dates (each occurrence on its Gregorian day).
pub const FEED_DATE_DAYS: u64 = 730;

/// A user's feed: its id (from which the token is derived) and when it was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CalendarFeed {
    pub id: Uuid,
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub created_at: DateTime<Utc>,
}

/// What a feed lists.
#[derive(Clone, Debug)]
pub struct CalendarContent {
    pub time_zone: TimeZone,
    /// Open activities with a due time, soonest first.
    pub activities: Vec<ActivityRecord>,
    /// Each occurrence of the owned customers' important dates, from today for two years.
    pub dates: Vec<UpcomingDateRecord>,
    /// Each date row's id, beside `dates`, for stable event ids.
    pub date_ids: Vec<Uuid>,
}

fn feed(row: calendar_feeds::Model) -> CalendarFeed {
    CalendarFeed { id: row.id, workspace_id: row.workspace_id.into(), user_id: row.user_id.into(), created_at: row.created_at }
}

impl Store {
    /// The user's feed, if they have one.
    pub async fn calendar_feed(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<Option<CalendarFeed>> {
        let row = calendar_feeds::Entity::find()
            .filter(calendar_feeds::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(calendar_feeds::Column::UserId.eq(user_id.as_uuid()))
            .one(&self.db)
            .await?;
        Ok(row.map(feed))
    }

    /// Replaces the user's feed with a new one (`id`, whose token hashes to `token_hash`): the old
    /// URL stops working. Audited as `calendar_feed.created`, after `calendar_feed.revoked` for
    /// the one it replaces.
    pub async fn rotate_calendar_feed(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        id: Uuid,
        token_hash: String,
    ) -> StoreResult<CalendarFeed> {
        let mut work = self.begin().await?;
        let current = calendar_feeds::Entity::find()
            .filter(calendar_feeds::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(calendar_feeds::Column::UserId.eq(user_id.as_uuid()))
            .one(work.conn())
            .await?;
        if let Some(current) = current {
            work.remove("calendar_feed.revoked", &current).await?;
        }
        let row = calendar_feeds::Model {
            id,
            workspace_id: workspace_id.as_uuid(),
            user_id: user_id.as_uuid(),
            token_hash,
            created_at: work.now(),
        };
        let row = work.insert("calendar_feed.created", row).await?;
        work.commit().await?;
        Ok(feed(row))
    }

    /// Revokes the user's feed; a user without one gets `NotFound`.
    pub async fn revoke_calendar_feed(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = calendar_feeds::Entity::find()
            .filter(calendar_feeds::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(calendar_feeds::Column::UserId.eq(user_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("calendar feed"))?;
        work.remove("calendar_feed.revoked", &current).await?;
        work.commit().await
    }

    /// The feed whose token hashes to `token_hash`, if it exists and its user is active.
    pub async fn calendar_feed_by_token(&self, token_hash: &str) -> StoreResult<Option<CalendarFeed>> {
        let Some(row) = calendar_feeds::Entity::find().filter(calendar_feeds::Column::TokenHash.eq(token_hash)).one(&self.db).await? else {
            return Ok(None);
        };
        let active = users::Entity::find_by_id(row.user_id)
            .filter(users::Column::WorkspaceId.eq(row.workspace_id))
            .filter(users::Column::Active.eq(true))
            .one(&self.db)
            .await?
            .is_some();
        Ok(active.then(|| feed(row)))
    }

    /// What the user's feed lists now.
    pub async fn calendar_content(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<CalendarContent> {
        let now = self.now();
        let time_zone = time_zones(&self.db, [user_id.as_uuid()]).await?.remove(&user_id.as_uuid()).unwrap_or(TimeZone::UTC);
        let activities = activities::Entity::find()
            .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(activities::Column::OwnerId.eq(user_id.as_uuid()))
            .filter(activities::Column::DoneAt.is_null())
            .filter(activities::Column::DueAt.is_not_null())
            .order_by_asc(activities::Column::DueAt)
            .limit(FEED_ACTIVITY_LIMIT)
            .all(&self.db)
            .await?
            .into_iter()
            .map(activity_record)
            .collect::<StoreResult<Vec<_>>>()?;
        let owned_contacts: Vec<(Uuid, String)> = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .column(contacts::Column::Name)
            .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(contacts::Column::OwnerId.eq(user_id.as_uuid()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let owned_organizations: Vec<(Uuid, String)> = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::Id)
            .column(organizations::Column::Name)
            .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(organizations::Column::OwnerId.eq(user_id.as_uuid()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let names: std::collections::HashMap<Uuid, String> = owned_contacts.iter().chain(owned_organizations.iter()).cloned().collect();
        let rows = important_dates::Entity::find()
            .filter(important_dates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(
                sea_orm::Condition::any()
                    .add(important_dates::Column::ContactId.is_in(owned_contacts.iter().map(|(id, _)| *id)))
                    .add(important_dates::Column::OrganizationId.is_in(owned_organizations.iter().map(|(id, _)| *id))),
            )
            .all(&self.db)
            .await?;
        let today = time_zone.date_at(now);
        let last = today.checked_add_days(Days::new(FEED_DATE_DAYS)).unwrap_or(today);
        let mut dated: Vec<(UpcomingDateRecord, Uuid)> = Vec::new();
        for row in &rows {
            let Some(name) = row.contact_id.or(row.organization_id).and_then(|id| names.get(&id)) else { continue };
            let date = date_of(row)?;
            for on in occurrences(|from| date.date.next_on_or_after(from), today, last) {
                let record = UpcomingDateRecord {
                    on,
                    years: date.date.years_at(on),
                    date: date.clone(),
                    contact_id: row.contact_id.map(ContactId::from),
                    organization_id: row.organization_id.map(OrganizationId::from),
                    name: name.clone(),
                };
                dated.push((record, row.id));
            }
        }
        dated.sort_by_key(|a| (a.0.on, a.1));
        let (dates, date_ids) = dated.into_iter().unzip();
        Ok(CalendarContent { time_zone, activities, dates, date_ids })
    }
}

/// The days `next` gives from `from` to `last`: each occurrence, then the one after the day
/// following it.
fn occurrences(next: impl Fn(NaiveDate) -> NaiveDate, from: NaiveDate, last: NaiveDate) -> Vec<NaiveDate> {
    let mut days = Vec::new();
    let mut cursor = from;
    while cursor <= last {
        let on = next(cursor);
        if on > last {
            break;
        }
        days.push(on);
        let Some(after) = on.checked_add_days(Days::new(1)) else { break };
        cursor = after;
    }
    days
}
