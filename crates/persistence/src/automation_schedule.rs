//! The automation triggers that fire on time rather than on a change: `deal.rotting` (an open
//! deal past its stage's rotting days, once per stay in the stage), `activity.overdue` (an open
//! activity past its due time, once per due time) and `important_date.upcoming` (a contact's
//! important date `days_before` days ahead in the workspace's time zone, once per occurrence).
//! Each firing is an occurrence key, so the rule runs once for it however many passes or
//! replicas see it; a pass reads at most [`BATCH`] candidates per rule and looks back
//! [`LOOKBACK_DAYS`] days, as the reminders do.

use std::collections::HashSet;

use chrono::{DateTime, Days, NaiveTime, Utc};
use kariz_domain::automation::{Subject, TriggerKind, may_cascade};
use kariz_domain::dates::upcoming_within;
use kariz_domain::{ActivityId, ContactId, DealId, Role, RottingDays, TimeZone, Viewer, WorkspaceId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;
use uuid::Uuid;

use crate::automations::{AutomationRecord, Occurrence};
use crate::entities::{activities, automation_runs as runs, deals, events, important_dates, stages, workspaces};
use crate::error::StoreResult;
use crate::important_dates::{date_of, windows};
use crate::store::Store;

/// The most candidates a rule considers per pass.
const BATCH: u64 = 200;
/// How far back a firing is still made up for (a server that was down).
const LOOKBACK_DAYS: i64 = 7;

impl Store {
    /// Fires the active time-based rules on what is due now; answers how many runs ended.
    pub(crate) async fn run_scheduled_automations(&self) -> StoreResult<usize> {
        let kinds = [TriggerKind::DealRotting, TriggerKind::ActivityOverdue, TriggerKind::ImportantDateUpcoming].map(TriggerKind::as_str);
        let workspaces: Vec<Uuid> = crate::entities::automations::Entity::find()
            .filter(crate::entities::automations::Column::Active.eq(true))
            .filter(crate::entities::automations::Column::TriggerType.is_in(kinds))
            .select_only()
            .column(crate::entities::automations::Column::WorkspaceId)
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut finished = 0;
        for workspace_id in workspaces {
            let workspace_id = WorkspaceId::from(workspace_id);
            for automation in self.automations(workspace_id).await? {
                if !automation.rule.active || automation.rule.trigger.kind.is_event() {
                    continue;
                }
                finished += self.fire_scheduled(workspace_id, &automation).await?;
            }
        }
        Ok(finished)
    }

    async fn fire_scheduled(&self, workspace_id: WorkspaceId, automation: &AutomationRecord) -> StoreResult<usize> {
        let now = self.now();
        let viewer = Viewer::everything(workspace_id, automation.created_by, Role::Admin);
        let done: HashSet<String> = runs::Entity::find()
            .filter(runs::Column::AutomationId.eq(automation.id))
            .filter(runs::Column::CreatedAt.gt(now - chrono::Duration::days(LOOKBACK_DAYS * 2 + 366)))
            .select_only()
            .column(runs::Column::Occurrence)
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let candidates = match automation.rule.trigger.kind {
            TriggerKind::DealRotting => self.rotting_deals(workspace_id, now).await?,
            TriggerKind::ActivityOverdue => self.overdue_activities(workspace_id, now).await?,
            TriggerKind::ImportantDateUpcoming => {
                self.dates_coming(workspace_id, now, automation.rule.trigger.days_before.unwrap_or(0)).await?
            }
            _ => Vec::new(),
        };
        let subject = automation.rule.trigger.kind.subject();
        let mut finished = 0;
        for (key, subject_id) in candidates {
            if done.contains(&key) {
                continue;
            }
            let record = match self.scheduled_subject(&viewer, subject, subject_id).await {
                Ok(record) => record,
                Err(crate::StoreError::NotFound(_)) => continue,
                Err(err) => return Err(err),
            };
            if !automation.rule.matches(&record) {
                continue;
            }
            // A record that rules made (a follow-up task) or put where it is (a deal moved into a
            // rotting stage) carries their chain: the cascade bound holds for time as for changes.
            let chain = self.chain_of(subject, subject_id).await?;
            if !may_cascade(automation.id, &chain) {
                continue;
            }
            let occurrence = Occurrence { key, event_id: None, subject, subject_id, chain: chain.clone() };
            if let Some(run) = self.start_run(workspace_id, automation, &occurrence).await? {
                self.finish_run(automation, run, &chain).await?;
                finished += 1;
            }
        }
        Ok(finished)
    }

    /// The rules whose actions made the record's state that a time-based trigger fires on: the
    /// chain of the event that created the activity, or that put the deal in its stage.
    async fn chain_of(&self, subject: Subject, id: Uuid) -> StoreResult<Vec<Uuid>> {
        let types: &[&str] = match subject {
            Subject::Activity => &["activity.created"],
            Subject::Deal => &["deal.created", "deal.stage_changed"],
            Subject::Lead | Subject::Contact => return Ok(Vec::new()),
        };
        let latest = events::Entity::find()
            .filter(events::Column::AggregateId.eq(id))
            .filter(events::Column::EventType.is_in(types.iter().copied()))
            .order_by_desc(events::Column::Id)
            .one(&self.db)
            .await?;
        Ok(latest.and_then(|e| e.caused_by).and_then(|c| serde_json::from_str(&c).ok()).unwrap_or_default())
    }

    /// The record a time-based rule reads, as the API shows it.
    async fn scheduled_subject(&self, viewer: &Viewer, subject: Subject, id: Uuid) -> StoreResult<Value> {
        let value = match subject {
            Subject::Deal => serde_json::to_value(kariz_contract::DealResponse::from(&self.deal(viewer, DealId::from(id)).await?)),
            Subject::Activity => {
                serde_json::to_value(kariz_contract::ActivityResponse::from(&self.activity(viewer, ActivityId::from(id)).await?))
            }
            Subject::Contact => {
                serde_json::to_value(kariz_contract::ContactResponse::from(&self.contact(viewer, ContactId::from(id)).await?))
            }
            Subject::Lead => return Ok(Value::Null),
        };
        value.map_err(|e| crate::StoreError::corrupt("automations", e))
    }

    /// Open deals past their stage's rotting days: `rotting:<deal>:<stage entry>`.
    async fn rotting_deals(&self, workspace_id: WorkspaceId, now: DateTime<Utc>) -> StoreResult<Vec<(String, Uuid)>> {
        let ws = workspace_id.as_uuid();
        let rotting = stages::Entity::find()
            .filter(stages::Column::WorkspaceId.eq(ws))
            .filter(stages::Column::RottingDays.is_not_null())
            .all(&self.db)
            .await?;
        let mut found = Vec::new();
        for stage in rotting {
            let Some(Ok(rule)) = stage.rotting_days.map(|d| RottingDays::new(i64::from(d))) else { continue };
            let rots_before = now - chrono::Duration::days(i64::from(stage.rotting_days.unwrap_or(0)));
            let rows = deals::Entity::find()
                .filter(deals::Column::WorkspaceId.eq(ws))
                .filter(deals::Column::StageId.eq(stage.id))
                .filter(deals::Column::Status.eq("open"))
                .filter(deals::Column::StageEnteredAt.lte(rots_before))
                .filter(deals::Column::StageEnteredAt.gt(rots_before - chrono::Duration::days(LOOKBACK_DAYS)))
                .order_by_asc(deals::Column::StageEnteredAt)
                .limit(BATCH)
                .all(&self.db)
                .await?;
            found.extend(
                rows.into_iter()
                    .filter(|d| rule.is_rotting(d.stage_entered_at, now))
                    .map(|d| (format!("rotting:{}:{}", d.id, d.stage_entered_at.timestamp_micros()), d.id)),
            );
        }
        Ok(found)
    }

    /// Open activities past their due time: `overdue:<activity>:<due time>`.
    async fn overdue_activities(&self, workspace_id: WorkspaceId, now: DateTime<Utc>) -> StoreResult<Vec<(String, Uuid)>> {
        let rows = activities::Entity::find()
            .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(activities::Column::DoneAt.is_null())
            .filter(activities::Column::DueAt.lte(now))
            .filter(activities::Column::DueAt.gt(now - chrono::Duration::days(LOOKBACK_DAYS)))
            .order_by_asc(activities::Column::DueAt)
            .limit(BATCH)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().filter_map(|a| Some((format!("overdue:{}:{}", a.id, a.due_at?.timestamp_micros()), a.id))).collect())
    }

    /// Contacts' important dates `days_before` days from the workspace's today:
    /// `date:<date row>:<day>`.
    async fn dates_coming(&self, workspace_id: WorkspaceId, now: DateTime<Utc>, days_before: u16) -> StoreResult<Vec<(String, Uuid)>> {
        let zone = workspaces::Entity::find_by_id(workspace_id.as_uuid())
            .one(&self.db)
            .await?
            .and_then(|w| TimeZone::parse(&w.time_zone).ok())
            .unwrap_or(TimeZone::UTC);
        let today = zone.date_at(now);
        let Some(to) = today.checked_add_days(Days::new(u64::from(days_before))) else { return Ok(Vec::new()) };
        let rows = important_dates::Entity::find()
            .filter(important_dates::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(important_dates::Column::ContactId.is_not_null())
            .filter(windows(today, to))
            .limit(BATCH)
            .all(&self.db)
            .await?;
        let mut found = Vec::new();
        for row in rows {
            let (Ok(date), Some(contact_id)) = (date_of(&row), row.contact_id) else { continue };
            // Within the days before (a pass that missed the exact day still fires), once a year.
            let Some(on) = upcoming_within(&date.date, today, u32::from(days_before)) else { continue };
            found.push((format!("date:{}:{}", row.id, on.and_time(NaiveTime::MIN).and_utc().timestamp()), contact_id));
        }
        Ok(found)
    }
}
