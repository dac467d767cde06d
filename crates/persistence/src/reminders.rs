//! The time-based notifications, created by the maintenance pass every minute: activities due
//! (at their due time) and overdue (once their due day has passed in the owner's time zone),
//! deals rotting (the stage's rotting rule, `RottingDays::is_rotting`), and customers' important
//! dates coming (`IMPORTANT_DATE_NOTICE_DAYS` ahead, counted in the owner's time zone).
//!
//! Each notification names its occurrence (the due time, the time the deal entered its stage,
//! the date's day), and a unique index lets it exist once: passes may run on every replica at
//! once, and again after a failure, without duplicates. Each is created in its own unit of work
//! with its event. Candidates are read with what is already notified, and the users who turned
//! in-app notifications off, left out, and at most [`BATCH`] per kind and pass; a pass looks back [`REMINDER_LOOKBACK_DAYS`] at most.

use std::collections::{HashMap, HashSet};

use chrono::{DateTime, Days, NaiveDate, NaiveTime, Utc};
use kariz_domain::dates::upcoming_within;
use kariz_domain::notification::{IMPORTANT_DATE_NOTICE_DAYS, REMINDER_LOOKBACK_DAYS, is_overdue};
use kariz_domain::{NotificationKind, RottingDays, TimeZone, UserId, WorkspaceId};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::json;
use uuid::Uuid;

use crate::activities::seen_by;
use crate::entities::{activities, contacts, deals, important_dates, notifications, organizations, stages};
use crate::error::StoreResult;
use crate::important_dates::{date_of, windows};
use crate::notifications::{NewNotification, notify, time_zones};
use crate::sql::statement;
use crate::store::Store;

/// The most candidates of one kind a pass reads.
const BATCH: u64 = 500;

/// What a pass created.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ReminderCounts {
    pub due: usize,
    pub overdue: usize,
    pub rotting: usize,
    pub important_dates: usize,
}

impl ReminderCounts {
    pub fn total(&self) -> usize {
        self.due + self.overdue + self.rotting + self.important_dates
    }
}

fn zone_of(zones: &HashMap<Uuid, TimeZone>, user: Uuid) -> TimeZone {
    zones.get(&user).copied().unwrap_or(TimeZone::UTC)
}

impl Store {
    /// One pass of the time-based notifications (see the module documentation).
    pub async fn send_reminders(&self) -> StoreResult<ReminderCounts> {
        let now = self.now();
        Ok(ReminderCounts {
            due: self.activity_reminders(now, NotificationKind::TaskDue).await?,
            overdue: self.activity_reminders(now, NotificationKind::TaskOverdue).await?,
            rotting: self.rotting_reminders(now).await?,
            important_dates: self.important_date_reminders(now).await?,
        })
    }

    /// Open activities due within the look-back and not yet notified as `kind`; for overdue ones,
    /// those whose due day has passed in the owner's time zone.
    async fn activity_reminders(&self, now: DateTime<Utc>, kind: NotificationKind) -> StoreResult<usize> {
        let since = now - chrono::Duration::days(REMINDER_LOOKBACK_DAYS as i64);
        let sql = format!(
            "SELECT a.* FROM activities a WHERE a.done_at IS NULL AND a.due_at IS NOT NULL AND a.due_at <= ? AND a.due_at > ? \
             AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = a.owner_id AND n.kind = ? \
               AND n.subject_id = a.id AND n.occurs_at = a.due_at) \
             AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.id = a.owner_id AND p.in_app = ?) \
             ORDER BY a.due_at LIMIT {BATCH}"
        );
        let values = vec![now.into(), since.into(), kind.as_str().into(), false.into()];
        let candidates = activities::Entity::find().from_raw_sql(statement(self.backend(), &sql, values)).all(&self.db).await?;
        let zones = time_zones(&self.db, candidates.iter().map(|a| a.owner_id)).await?;
        let mut created = 0;
        for activity in candidates {
            let Some(due_at) = activity.due_at else { continue };
            if !seen_by(&self.db, WorkspaceId::from(activity.workspace_id), UserId::from(activity.owner_id), activity.id).await? {
                continue;
            }
            if kind == NotificationKind::TaskOverdue && !is_overdue(zone_of(&zones, activity.owner_id), due_at, now) {
                continue;
            }
            let data = json!({"activity": {"id": activity.id, "subject": activity.subject, "kind": activity.kind, "due_at": due_at}});
            let mut new = NewNotification::new(UserId::from(activity.owner_id), kind, data);
            new.activity_id = Some(activity.id);
            new.deal_id = activity.deal_id;
            new.lead_id = activity.lead_id;
            new.contact_id = activity.contact_id;
            new.organization_id = activity.organization_id;
            new.occurrence = Some((activity.id, due_at));
            created += self.notify_once(WorkspaceId::from(activity.workspace_id), new).await?;
        }
        Ok(created)
    }

    /// Open deals rotting in their stage and not yet notified for this stay in it.
    async fn rotting_reminders(&self, now: DateTime<Utc>) -> StoreResult<usize> {
        let rotting_stages = stages::Entity::find().filter(stages::Column::RottingDays.is_not_null()).all(&self.db).await?;
        let mut by_days: HashMap<i32, Vec<&stages::Model>> = HashMap::new();
        for stage in &rotting_stages {
            if let Some(days) = stage.rotting_days {
                by_days.entry(days).or_default().push(stage);
            }
        }
        let mut created = 0;
        for (days, stages_of) in by_days {
            let Ok(rule) = RottingDays::new(i64::from(days)) else { continue };
            let rots_before = now - chrono::Duration::days(i64::from(days));
            let since = rots_before - chrono::Duration::days(REMINDER_LOOKBACK_DAYS as i64);
            let names: HashMap<Uuid, &str> = stages_of.iter().map(|s| (s.id, s.name.as_str())).collect();
            let placeholders = vec!["?"; stages_of.len()].join(", ");
            let sql = format!(
                "SELECT d.* FROM deals d WHERE d.status = 'open' AND d.stage_id IN ({placeholders}) \
                 AND d.stage_entered_at <= ? AND d.stage_entered_at > ? \
                 AND NOT EXISTS (SELECT 1 FROM notifications n WHERE n.user_id = d.owner_id AND n.kind = ? \
                   AND n.subject_id = d.id AND n.occurs_at = d.stage_entered_at) \
                 AND NOT EXISTS (SELECT 1 FROM notification_preferences p WHERE p.id = d.owner_id AND p.in_app = ?) \
                 ORDER BY d.stage_entered_at LIMIT {BATCH}"
            );
            let mut values: Vec<sea_orm::Value> = stages_of.iter().map(|s| s.id.into()).collect();
            values.extend([rots_before.into(), since.into(), NotificationKind::DealRotting.as_str().into(), false.into()]);
            let candidates = deals::Entity::find().from_raw_sql(statement(self.backend(), &sql, values)).all(&self.db).await?;
            for deal in candidates {
                if !rule.is_rotting(deal.stage_entered_at, now) {
                    continue;
                }
                let data = json!({"deal": {
                    "id": deal.id, "title": deal.title, "pipeline_id": deal.pipeline_id, "stage_id": deal.stage_id,
                    "stage_name": names.get(&deal.stage_id).copied().unwrap_or_default(),
                    "stage_entered_at": deal.stage_entered_at, "rotting_days": days,
                }});
                let mut new = NewNotification::new(UserId::from(deal.owner_id), NotificationKind::DealRotting, data);
                new.deal_id = Some(deal.id);
                new.contact_id = deal.contact_id;
                new.organization_id = deal.organization_id;
                new.occurrence = Some((deal.id, deal.stage_entered_at));
                created += self.notify_once(WorkspaceId::from(deal.workspace_id), new).await?;
            }
        }
        Ok(created)
    }

    /// Important dates of owned contacts and organizations falling within the notice days of
    /// their owner's today, not yet notified for that occurrence.
    async fn important_date_reminders(&self, now: DateTime<Utc>) -> StoreResult<usize> {
        // Every time zone's today is within a day of UTC's.
        let utc_today = now.date_naive();
        let (Some(from), Some(to)) =
            (utc_today.checked_sub_days(Days::new(1)), utc_today.checked_add_days(Days::new(u64::from(IMPORTANT_DATE_NOTICE_DAYS) + 1)))
        else {
            return Ok(0);
        };
        let candidates = important_dates::Entity::find().filter(windows(from, to)).all(&self.db).await?;
        if candidates.is_empty() {
            return Ok(0);
        }
        let contact_ids: Vec<Uuid> = candidates.iter().filter_map(|r| r.contact_id).collect();
        let organization_ids: Vec<Uuid> = candidates.iter().filter_map(|r| r.organization_id).collect();
        let contact_owners: HashMap<Uuid, (Uuid, String)> = owners_of(
            &self.db,
            contacts::Entity::find()
                .select_only()
                .column(contacts::Column::Id)
                .column(contacts::Column::OwnerId)
                .column(contacts::Column::Name)
                .filter(contacts::Column::Id.is_in(contact_ids)),
        )
        .await?;
        let organization_owners: HashMap<Uuid, (Uuid, String)> = owners_of(
            &self.db,
            organizations::Entity::find()
                .select_only()
                .column(organizations::Column::Id)
                .column(organizations::Column::OwnerId)
                .column(organizations::Column::Name)
                .filter(organizations::Column::Id.is_in(organization_ids)),
        )
        .await?;
        let notified: HashSet<(Uuid, DateTime<Utc>)> = notifications::Entity::find()
            .select_only()
            .column(notifications::Column::SubjectId)
            .column(notifications::Column::OccursAt)
            .filter(notifications::Column::Kind.eq(NotificationKind::ImportantDate.as_str()))
            .filter(notifications::Column::SubjectId.is_in(candidates.iter().map(|r| r.id)))
            .into_tuple::<(Option<Uuid>, Option<DateTime<Utc>>)>()
            .all(&self.db)
            .await?
            .into_iter()
            .filter_map(|(subject, at)| Some((subject?, at?)))
            .collect();
        let owner_ids = contact_owners.values().chain(organization_owners.values()).map(|(owner, _)| *owner);
        let zones = time_zones(&self.db, owner_ids.collect::<HashSet<_>>()).await?;
        let mut created = 0;
        for row in &candidates {
            let (customer_type, customer_id, owner) = match (row.contact_id, row.organization_id) {
                (Some(id), _) => ("contact", id, contact_owners.get(&id)),
                (None, Some(id)) => ("organization", id, organization_owners.get(&id)),
                (None, None) => continue,
            };
            let Some((owner, name)) = owner else { continue };
            let Ok(date) = date_of(row) else { continue };
            let today = zone_of(&zones, *owner).date_at(now);
            let Some(on) = upcoming_within(&date.date, today, IMPORTANT_DATE_NOTICE_DAYS) else { continue };
            let occurs_at = on.and_time(NaiveTime::MIN).and_utc();
            if notified.contains(&(row.id, occurs_at)) {
                continue;
            }
            let data = json!({
                "customer": {"type": customer_type, "id": customer_id, "name": name},
                "date": {"kind": row.kind, "label": row.label, "calendar": row.calendar, "month": row.month, "day": row.day},
                "on": on, "years": date.date.years_at(on), "days_left": days_between(today, on),
            });
            let mut new = NewNotification::new(UserId::from(*owner), NotificationKind::ImportantDate, data);
            new.contact_id = row.contact_id;
            new.organization_id = row.organization_id;
            new.occurrence = Some((row.id, occurs_at));
            created += self.notify_once(WorkspaceId::from(row.workspace_id), new).await?;
        }
        Ok(created)
    }

    /// Creates `new` in a unit of work of its own; 1 when it was created, 0 when it existed (or
    /// its user turned notifications off).
    async fn notify_once(&self, workspace_id: WorkspaceId, new: NewNotification) -> StoreResult<usize> {
        let mut work = self.begin().await?;
        let created = notify(&mut work, workspace_id, new).await?;
        work.commit().await?;
        Ok(usize::from(created.is_some()))
    }
}

fn days_between(from: NaiveDate, to: NaiveDate) -> i64 {
    (to - from).num_days()
}

/// `(id, owner, name)` rows of owned customers, by id.
async fn owners_of<E: EntityTrait, C: ConnectionTrait>(conn: &C, select: sea_orm::Select<E>) -> StoreResult<HashMap<Uuid, (Uuid, String)>> {
    let rows: Vec<(Uuid, Option<Uuid>, String)> = select.into_tuple().all(conn).await?;
    Ok(rows.into_iter().filter_map(|(id, owner, name)| Some((id, (owner?, name)))).collect())
}
