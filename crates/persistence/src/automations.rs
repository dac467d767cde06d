//! Automation rules: their storage, and the runner that applies them to the outbox.
//!
//! The runner follows each workspace's outbox by sequence (`automation_cursors`), so every
//! committed change is seen once per pass and none is missed (at least once). For each event,
//! each active rule whose trigger fires and whose conditions hold on the record gets one run,
//! unique per rule and event: the insert that creates it decides, across passes and replicas,
//! who runs it. The run's actions then go through the store's own single-record operations —
//! authorized, versioned, audited and announced like any change — as the rule's creator, and
//! each action's outcome is recorded as it finishes. A run that stopped midway (a crash) is
//! resumed by a later pass from its first action without an outcome; every action is idempotent
//! (a task has an id derived from the run, a tag or an owner already there is left, a deal
//! already in the stage stays), so running one twice changes nothing more.
//!
//! Events written by a run's actions name the rules of its chain (`events.caused_by`): they may
//! fire other rules, to a depth of three, never one of their own chain.

use chrono::{DateTime, Utc};
use kariz_domain::automation::{Action, RawRule, Recipient, Rule, RuleProblem, Subject, TaskOwner, may_cascade, parse_rule, round_robin};
use kariz_domain::{
    ActivityFields, ActivityId, ActivityKind, ActivityLinks, ActivitySubject, DealId, DealPatch, Email, LeadId, LeadPatch,
    NotificationKind, Priority, Role, Tags, UserId, Viewer, WorkspaceId,
};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::emails::{EmailAbout, EmailContent};
use crate::entities::{automation_runs as runs, automations, events, users};
use crate::error::{StoreError, StoreResult};
use crate::notifications::{NewNotification, notify};
use crate::sql::statement;
use crate::store::Store;
use crate::unit_of_work::check_version;

/// Events matched against the rules per pass and workspace.
const EVENTS_PER_PASS: u64 = 200;
/// A run still `running` this long after it began was cut off (a crash) and is resumed.
const STALLED_AFTER: chrono::Duration = chrono::Duration::seconds(60);
/// How long the runner lets wake-ups gather after a pass.
const COALESCE: std::time::Duration = std::time::Duration::from_millis(50);
/// How often the runner looks for what the time-based triggers say is due.
const SCHEDULED_EVERY: std::time::Duration = std::time::Duration::from_secs(30);
/// How often an action whose write found the record changed meanwhile is tried.
const STALE_RETRIES: u32 = 5;
/// The most rules a workspace may have.
pub const MAX_RULES: u64 = 200;

/// A rule as stored: the domain's rule and the JSON it was given in.
#[derive(Clone, Debug)]
pub struct AutomationRecord {
    pub id: Uuid,
    pub rule: Rule,
    pub trigger: Value,
    pub conditions: Value,
    pub actions: Value,
    pub created_by: UserId,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What one action of a run did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct ActionOutcome {
    pub action: String,
    /// `done`, `skipped` (nothing to change) or `failed`.
    pub status: String,
    pub detail: Option<String>,
    /// The record the action made or changed.
    pub record_id: Option<Uuid>,
}

/// One run of a rule.
#[derive(Clone, Debug)]
pub struct RunRecord {
    pub id: Uuid,
    pub automation_id: Uuid,
    pub event_id: Option<Uuid>,
    pub subject_type: String,
    pub subject_id: Uuid,
    /// `running`, `succeeded` or `failed` (some action failed).
    pub status: String,
    /// 1 for a change made by a person; 2 and 3 for changes made by rules.
    pub depth: i32,
    pub outcomes: Vec<ActionOutcome>,
    pub created_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
}

/// A dry run: whether the rule would run for the record now, and why.
#[derive(Clone, Debug)]
pub struct DryRun {
    pub subject_type: &'static str,
    pub record: Value,
    /// Each condition with the record's value and whether it holds.
    pub conditions: Vec<(String, String, Value, Value, bool)>,
    pub matches: bool,
    /// The actions that would run, by kind.
    pub actions: Vec<&'static str>,
}

fn corrupt(e: impl std::fmt::Display) -> StoreError {
    StoreError::corrupt("automations", e)
}

fn record(row: automations::Model) -> StoreResult<AutomationRecord> {
    let trigger: Value = serde_json::from_str(&row.trigger).map_err(corrupt)?;
    let conditions: Value = serde_json::from_str(&row.conditions).map_err(corrupt)?;
    let actions: Value = serde_json::from_str(&row.actions).map_err(corrupt)?;
    let raw = RawRule {
        name: row.name.clone(),
        trigger: serde_json::from_value(trigger.clone()).map_err(corrupt)?,
        conditions: serde_json::from_value(conditions.clone()).map_err(corrupt)?,
        actions: serde_json::from_value(actions.clone()).map_err(corrupt)?,
        active: row.active,
    };
    let rule = parse_rule(&raw).map_err(|problems| corrupt(format!("{problems:?}")))?;
    Ok(AutomationRecord {
        id: row.id,
        rule,
        trigger,
        conditions,
        actions,
        created_by: UserId::from(row.created_by),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

fn run_record(row: runs::Model) -> StoreResult<RunRecord> {
    Ok(RunRecord {
        id: row.id,
        automation_id: row.automation_id,
        event_id: row.event_id,
        subject_type: row.subject_type,
        subject_id: row.subject_id,
        status: row.status,
        depth: row.depth,
        outcomes: serde_json::from_str(&row.outcomes).map_err(corrupt)?,
        created_at: row.created_at,
        finished_at: row.finished_at,
    })
}

/// A rule checked by the domain, with the JSON to keep.
pub struct CheckedRule {
    pub rule: Rule,
    pub raw: RawRule,
}

/// Parses `raw` into a rule, or answers every problem as a field error.
pub fn check_rule(raw: RawRule) -> Result<CheckedRule, Vec<RuleProblem>> {
    let rule = parse_rule(&raw)?;
    Ok(CheckedRule { rule, raw })
}

fn raw_columns(raw: &RawRule) -> (String, String, String) {
    let trigger = json!({"type": raw.trigger.kind, "stage_id": raw.trigger.stage_id, "days_before": raw.trigger.days_before});
    let trigger = Value::Object(
        trigger.as_object().into_iter().flatten().filter(|(_, v)| !v.is_null()).map(|(k, v)| (k.clone(), v.clone())).collect(),
    );
    let conditions: Vec<Value> = raw.conditions.iter().map(|c| json!({"field": c.field, "op": c.op, "value": c.value})).collect();
    (trigger.to_string(), Value::Array(conditions).to_string(), Value::Array(raw.actions.clone()).to_string())
}

async fn rule_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<automations::Model> {
    automations::Entity::find_by_id(id)
        .filter(automations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("automation"))
}

impl Store {
    /// The workspace's rules, oldest first.
    pub async fn automations(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<AutomationRecord>> {
        let rows = automations::Entity::find()
            .filter(automations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(automations::Column::Id)
            .limit(MAX_RULES)
            .all(&self.db)
            .await?;
        rows.into_iter().map(record).collect()
    }

    pub async fn automation(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<AutomationRecord> {
        record(rule_in(&self.db, workspace_id, id).await?)
    }

    /// Saves a rule made by the viewer. Its rules run on changes committed from now on.
    pub async fn create_automation(&self, viewer: &Viewer, checked: CheckedRule) -> StoreResult<AutomationRecord> {
        let mut work = self.begin().await?;
        let count = automations::Entity::find()
            .filter(automations::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .select_only()
            .column_as(automations::Column::Id.count(), "n")
            .into_tuple::<i64>()
            .one(work.conn())
            .await?
            .unwrap_or(0);
        if count >= i64::try_from(MAX_RULES).unwrap_or(i64::MAX) {
            return Err(StoreError::invalid("name", format!("a workspace has at most {MAX_RULES} automations")));
        }
        check_members(work.conn(), viewer.workspace_id, &checked.rule).await?;
        start_cursor(work.conn(), viewer.workspace_id).await?;
        let (trigger, conditions, actions) = raw_columns(&checked.raw);
        let row = automations::Model {
            id: Uuid::now_v7(),
            workspace_id: viewer.workspace_id.as_uuid(),
            created_by: viewer.user_id.as_uuid(),
            name: checked.rule.name.as_str().to_owned(),
            trigger_type: checked.rule.trigger.kind.as_str().to_owned(),
            trigger,
            conditions,
            actions,
            active: checked.rule.active,
            turns: 0,
            version: 1,
            created_at: work.now(),
            updated_at: work.now(),
        };
        let row = work.insert("automation.created", row).await?;
        work.commit().await?;
        record(row)
    }

    /// Replaces a rule, if it is still at `expected_version`.
    pub async fn update_automation(
        &self,
        viewer: &Viewer,
        id: Uuid,
        expected_version: Option<i64>,
        checked: CheckedRule,
    ) -> StoreResult<AutomationRecord> {
        let mut work = self.begin().await?;
        let current = rule_in(work.conn(), viewer.workspace_id, id).await?;
        check_version("automation", expected_version, current.version)?;
        check_members(work.conn(), viewer.workspace_id, &checked.rule).await?;
        let (trigger, conditions, actions) = raw_columns(&checked.raw);
        let after = automations::Model {
            name: checked.rule.name.as_str().to_owned(),
            trigger_type: checked.rule.trigger.kind.as_str().to_owned(),
            trigger,
            conditions,
            actions,
            active: checked.rule.active,
            ..current.clone()
        };
        if after == current {
            return record(current);
        }
        let row = work.update("automation.updated", &current, after).await?;
        work.commit().await?;
        record(row)
    }

    pub async fn delete_automation(&self, viewer: &Viewer, id: Uuid, expected_version: Option<i64>) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let current = rule_in(work.conn(), viewer.workspace_id, id).await?;
        check_version("automation", expected_version, current.version)?;
        work.delete("automation.deleted", &current).await?;
        work.commit().await
    }

    /// A rule's runs, newest first, before the run `before` when given.
    pub async fn automation_runs(
        &self,
        workspace_id: WorkspaceId,
        id: Uuid,
        before: Option<Uuid>,
        limit: u64,
    ) -> StoreResult<Vec<RunRecord>> {
        rule_in(&self.db, workspace_id, id).await?;
        let mut query = runs::Entity::find().filter(runs::Column::AutomationId.eq(id));
        if let Some(before) = before {
            query = query.filter(runs::Column::Id.lt(before));
        }
        let rows = query.order_by_desc(runs::Column::Id).limit(limit).all(&self.db).await?;
        rows.into_iter().map(run_record).collect()
    }

    /// Whether rule `id` would run for the record `record_id` (of its trigger's kind) now.
    pub async fn dry_run_automation(&self, viewer: &Viewer, id: Uuid, record_id: Uuid) -> StoreResult<DryRun> {
        let automation = self.automation(viewer.workspace_id, id).await?;
        let subject = automation.rule.trigger.kind.subject();
        let record = self.subject_json(viewer, subject, record_id).await?;
        let conditions = automation
            .rule
            .conditions
            .iter()
            .map(|c| {
                let actual =
                    c.field.split_once('.').map_or_else(|| record.get(&c.field), |(group, key)| record.get(group).and_then(|g| g.get(key)));
                (c.field.clone(), c.op.as_str().to_owned(), c.value.clone(), actual.cloned().unwrap_or(Value::Null), c.holds(&record))
            })
            .collect();
        Ok(DryRun {
            subject_type: subject.as_str(),
            matches: automation.rule.matches(&record),
            actions: automation.rule.actions.iter().map(Action::kind).collect(),
            conditions,
            record,
        })
    }

    /// The record a condition reads, as the API shows it.
    async fn subject_json(&self, viewer: &Viewer, subject: Subject, id: Uuid) -> StoreResult<Value> {
        let value = match subject {
            Subject::Deal => serde_json::to_value(kariz_contract::DealResponse::from(&self.deal(viewer, DealId::from(id)).await?)),
            Subject::Lead => serde_json::to_value(kariz_contract::LeadResponse::from(&self.lead(viewer, LeadId::from(id)).await?)),
            Subject::Activity | Subject::Contact => {
                return Err(StoreError::invalid("record_id", "a dry run takes a deal or a lead"));
            }
        };
        value.map_err(corrupt)
    }

    /// Runs passes until the store is closed: when this process's streams are woken (events were
    /// numbered, here or by a replica) and at least every `interval`. Wake-ups that come while a
    /// pass runs, or within [`COALESCE`] of one, are taken together, so that a busy workspace
    /// costs a pass per [`COALESCE`], not one per commit; the time-based triggers are looked at
    /// every [`SCHEDULED_EVERY`].
    pub async fn run_automations_forever(&self, interval: std::time::Duration) {
        let mut woken = self.stream_signals();
        let mut scheduled_at: Option<tokio::time::Instant> = None;
        loop {
            if self.is_closed() {
                return;
            }
            if let Err(err) = self.run_event_automations().await {
                tracing::warn!(error = %err, "an automation pass failed; retrying");
            }
            if scheduled_at.is_none_or(|at| at.elapsed() >= SCHEDULED_EVERY) {
                scheduled_at = Some(tokio::time::Instant::now());
                if let Err(err) = self.run_scheduled_automations().await {
                    tracing::warn!(error = %err, "a scheduled automation pass failed; retrying");
                }
            }
            tokio::select! {
                _ = woken.recv() => {}
                () = tokio::time::sleep(interval) => {}
            }
            tokio::time::sleep(COALESCE).await;
            while woken.try_recv().is_ok() {}
        }
    }

    /// Every pass: resumes runs a crash cut short, then matches new events, then fires what the
    /// time-based triggers say is due. Answers how many runs ended.
    pub async fn run_automations(&self) -> StoreResult<usize> {
        Ok(self.run_event_automations().await? + self.run_scheduled_automations().await?)
    }

    /// Matches the outbox events committed since the last pass against every workspace's active
    /// rules and runs what matches; resumes runs a crash cut short. Answers how many runs ended.
    pub async fn run_event_automations(&self) -> StoreResult<usize> {
        let mut finished = self.resume_stalled_runs().await?;
        // A workspace whose rules are all paused or gone skips to its head: a rule made or
        // resumed later acts on what commits from then on, not on what happened meanwhile.
        let skip = "UPDATE automation_cursors SET last_sequence = \
                      COALESCE((SELECT s.last_sequence FROM event_sequences s WHERE s.workspace_id = automation_cursors.workspace_id), last_sequence) \
                    WHERE NOT EXISTS (SELECT 1 FROM automations a WHERE a.workspace_id = automation_cursors.workspace_id AND a.active)";
        self.db.execute_raw(statement(self.backend(), skip, vec![])).await?;
        let workspaces: Vec<Uuid> = automations::Entity::find()
            .filter(automations::Column::Active.eq(true))
            .select_only()
            .column(automations::Column::WorkspaceId)
            .distinct()
            .into_tuple()
            .all(&self.db)
            .await?;
        for workspace_id in workspaces {
            finished += self.run_workspace_automations(WorkspaceId::from(workspace_id)).await?;
        }
        Ok(finished)
    }

    async fn run_workspace_automations(&self, workspace_id: WorkspaceId) -> StoreResult<usize> {
        let ws = workspace_id.as_uuid();
        let cursor = match self
            .db
            .query_one_raw(statement(
                self.backend(),
                "SELECT last_sequence FROM automation_cursors WHERE workspace_id = ?",
                vec![ws.into()],
            ))
            .await?
        {
            Some(row) => row.try_get::<i64>("", "last_sequence")?,
            None => {
                start_cursor(&self.db, workspace_id).await?;
                return Ok(0);
            }
        };
        let pending = events::Entity::find()
            .filter(events::Column::WorkspaceId.eq(ws))
            .filter(events::Column::Sequence.gt(cursor))
            .order_by_asc(events::Column::Sequence)
            .limit(EVENTS_PER_PASS)
            .all(&self.db)
            .await?;
        if pending.is_empty() {
            return Ok(0);
        }
        let rules: Vec<AutomationRecord> =
            self.automations(workspace_id).await?.into_iter().filter(|a| a.rule.active && a.rule.trigger.kind.is_event()).collect();
        let mut finished = 0;
        for event in &pending {
            let chain: Vec<Uuid> = event.caused_by.as_deref().and_then(|c| serde_json::from_str(c).ok()).unwrap_or_default();
            let payload: Value = serde_json::from_str(&event.payload).unwrap_or(Value::Null);
            for automation in &rules {
                let rule = &automation.rule;
                if !rule.trigger.fires_on(&event.event_type, &payload) || !may_cascade(automation.id, &chain) {
                    continue;
                }
                let subject = rule.trigger.kind.subject();
                let Some(record) = payload.get(subject.as_str()) else { continue };
                if !rule.matches(record) {
                    continue;
                }
                let Some(subject_id) = record.get("id").and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok()) else { continue };
                let occurrence =
                    Occurrence { key: event.id.to_string(), event_id: Some(event.id), subject, subject_id, chain: chain.clone() };
                if let Some(run) = self.start_run(workspace_id, automation, &occurrence).await? {
                    self.finish_run(automation, run, &occurrence.chain).await?;
                    finished += 1;
                }
            }
            let advance = "UPDATE automation_cursors SET last_sequence = ? WHERE workspace_id = ? AND last_sequence < ?";
            let sequence = event.sequence.unwrap_or(cursor);
            self.db.execute_raw(statement(self.backend(), advance, vec![sequence.into(), ws.into(), sequence.into()])).await?;
        }
        Ok(finished)
    }

    /// Creates the run of `automation` for `occurrence` unless one exists; `None` when it does.
    pub(crate) async fn start_run(
        &self,
        workspace_id: WorkspaceId,
        automation: &AutomationRecord,
        occurrence: &Occurrence,
    ) -> StoreResult<Option<runs::Model>> {
        let takes_turn = automation.rule.actions.iter().any(|a| matches!(a, Action::AssignOwner { .. }));
        let work = self.begin().await?;
        let now = work.now();
        let row = runs::Model {
            id: Uuid::now_v7(),
            workspace_id: workspace_id.as_uuid(),
            automation_id: automation.id,
            occurrence: occurrence.key.clone(),
            event_id: occurrence.event_id,
            subject_type: occurrence.subject.as_str().to_owned(),
            subject_id: occurrence.subject_id,
            status: "running".to_owned(),
            depth: i32::try_from(occurrence.chain.len() + 1).unwrap_or(i32::MAX),
            turn: None,
            outcomes: "[]".to_owned(),
            created_at: now,
            finished_at: None,
        };
        let inserted = runs::Entity::insert(runs::ActiveModel::from(row.clone()))
            .on_conflict(OnConflict::columns([runs::Column::AutomationId, runs::Column::Occurrence]).do_nothing().to_owned())
            .exec_without_returning(work.conn())
            .await?;
        if inserted == 0 {
            return Ok(None);
        }
        let mut row = row;
        if takes_turn {
            // The rule's next turn, taken with the run so that a resumed run keeps its own.
            let turn = "UPDATE automations SET turns = turns + 1 WHERE id = ? RETURNING turns";
            let taken = work.conn().query_one_raw(statement(self.backend(), turn, vec![automation.id.into()])).await?;
            let turn = taken.map(|r| r.try_get::<i64>("", "turns")).transpose()?.unwrap_or(1) - 1;
            runs::Entity::update_many()
                .col_expr(runs::Column::Turn, Expr::value(turn))
                .filter(runs::Column::Id.eq(row.id))
                .exec(work.conn())
                .await?;
            row.turn = Some(turn);
        }
        work.commit_bookkeeping().await?;
        Ok(Some(row))
    }

    /// Runs every action of `run` that has no outcome yet, recording each as it ends.
    pub(crate) async fn finish_run(&self, automation: &AutomationRecord, run: runs::Model, chain: &[Uuid]) -> StoreResult<()> {
        let mut outcomes: Vec<ActionOutcome> = serde_json::from_str(&run.outcomes).map_err(corrupt)?;
        let viewer = Viewer::everything(WorkspaceId::from(run.workspace_id), automation.created_by, Role::Admin);
        let mut caused: Vec<Uuid> = chain.to_vec();
        caused.push(automation.id);
        let subject = Subject::parse(&run.subject_type).map_err(corrupt)?;
        for (index, action) in automation.rule.actions.iter().enumerate().skip(outcomes.len()) {
            // A concurrent change of the record (a person's edit, another rule's action) makes a
            // write stale: the action reads the record again and decides again, a few times.
            let mut tries = 0;
            let outcome = loop {
                tries += 1;
                // Boxed: an action's future holds any of the store's operations, too large for a stack.
                let work = Box::pin(self.act(&viewer, &run, index, action, subject, automation.rule.name.as_str()));
                let outcome = crate::audit::in_request(format!("automation-run:{}", run.id), async {
                    crate::audit::identify(Some(automation.created_by), None);
                    crate::outbox::caused_by(caused.clone(), work).await
                })
                .await;
                match outcome {
                    Err(StoreError::StaleVersion { .. }) if tries < STALE_RETRIES => continue,
                    other => break other,
                }
            };
            let outcome = match outcome {
                Ok(outcome) => outcome,
                // The database failing is not the action's outcome: the run resumes later.
                Err(err @ (StoreError::Database(_) | StoreError::Unavailable(_))) => return Err(err),
                Err(refused) => ActionOutcome {
                    action: action.kind().to_owned(),
                    status: "failed".to_owned(),
                    detail: Some(refused.to_string()),
                    record_id: None,
                },
            };
            outcomes.push(outcome);
            self.record_outcomes(run.id, &outcomes, None).await?;
        }
        let status = if outcomes.iter().any(|o| o.status == "failed") { "failed" } else { "succeeded" };
        self.record_outcomes(run.id, &outcomes, Some(status)).await
    }

    async fn record_outcomes(&self, run_id: Uuid, outcomes: &[ActionOutcome], status: Option<&str>) -> StoreResult<()> {
        let text = serde_json::to_string(outcomes).map_err(corrupt)?;
        let mut update =
            runs::Entity::update_many().col_expr(runs::Column::Outcomes, Expr::value(text)).filter(runs::Column::Id.eq(run_id));
        if let Some(status) = status {
            update = update
                .col_expr(runs::Column::Status, Expr::value(status))
                .col_expr(runs::Column::FinishedAt, Expr::value(Some(self.now())));
        }
        update.exec(&self.db).await?;
        Ok(())
    }

    /// Finishes runs left `running` by a pass that stopped.
    async fn resume_stalled_runs(&self) -> StoreResult<usize> {
        let stalled = runs::Entity::find()
            .filter(runs::Column::Status.eq("running"))
            .filter(runs::Column::CreatedAt.lt(self.now() - STALLED_AFTER))
            .limit(100)
            .all(&self.db)
            .await?;
        let mut finished = 0;
        for run in stalled {
            let Ok(automation) = self.automation(WorkspaceId::from(run.workspace_id), run.automation_id).await else { continue };
            let chain: Vec<Uuid> = match run.event_id {
                Some(event_id) => events::Entity::find_by_id(event_id)
                    .one(&self.db)
                    .await?
                    .and_then(|e| e.caused_by)
                    .and_then(|c| serde_json::from_str(&c).ok())
                    .unwrap_or_default(),
                None => Vec::new(),
            };
            self.finish_run(&automation, run, &chain).await?;
            finished += 1;
        }
        Ok(finished)
    }

    /// Performs one action of a run on its record.
    async fn act(
        &self,
        viewer: &Viewer,
        run: &runs::Model,
        index: usize,
        action: &Action,
        subject: Subject,
        rule_name: &str,
    ) -> StoreResult<ActionOutcome> {
        let outcome = |status: &str, detail: Option<String>, record_id: Option<Uuid>| ActionOutcome {
            action: action.kind().to_owned(),
            status: status.to_owned(),
            detail,
            record_id,
        };
        let id = run.subject_id;
        match (action, subject) {
            (Action::CreateTask { title, due_in_days, owner }, _) => {
                // Derived from the run and the action, so that a resumed run finds its task.
                let task_id = ActivityId::from(derived_id(run.id, index));
                if self.activity_exists(viewer.workspace_id, task_id).await? {
                    return Ok(outcome("skipped", Some("created by an earlier attempt".into()), Some(task_id.as_uuid())));
                }
                let (links, record_owner) = match subject {
                    Subject::Deal => {
                        let deal = self.deal(viewer, DealId::from(id)).await?;
                        (ActivityLinks { deal_id: Some(deal.deal.id()), ..Default::default() }, Some(deal.deal.owner_id()))
                    }
                    Subject::Lead => {
                        let lead = self.lead(viewer, LeadId::from(id)).await?;
                        (ActivityLinks { lead_id: Some(lead.lead.id()), ..Default::default() }, lead.lead.owner_id())
                    }
                    Subject::Contact => (ActivityLinks { contact_id: Some(id.into()), ..Default::default() }, None),
                    Subject::Activity => {
                        // A follow-up of an activity is about what the activity is about.
                        let activity = self.activity(viewer, ActivityId::from(id)).await?;
                        (*activity.activity.links(), Some(activity.activity.owner_id()))
                    }
                };
                let owner_id = match owner {
                    TaskOwner::User(user) => *user,
                    TaskOwner::RecordOwner => match record_owner {
                        Some(owner) => owner,
                        None => return Ok(outcome("failed", Some("the record has no owner to give the task to".into()), None)),
                    },
                };
                let fields = ActivityFields {
                    kind: ActivityKind::Task,
                    subject: ActivitySubject::parse(title.as_str()).map_err(|e| StoreError::invalid("title", e.to_string()))?,
                    body: None,
                    links,
                    owner_id,
                    priority: Priority::Normal,
                    due_at: Some(self.now() + chrono::Duration::days(i64::from(*due_in_days))),
                    done_at: None,
                };
                let task = self.create_activity_with_id(viewer, task_id, fields).await?;
                Ok(outcome("done", None, Some(task.id.as_uuid())))
            }
            (Action::AddTag { tag }, Subject::Deal) => {
                let deal = self.deal(viewer, DealId::from(id)).await?;
                if has_tag(deal.deal.tags(), tag) {
                    return Ok(outcome("skipped", Some("already tagged".into()), Some(id)));
                }
                let tags = deal.deal.tags().with(tag).map_err(|e| StoreError::invalid("tag", e.to_string()))?;
                self.update_deal(viewer, deal.deal.id(), None, DealPatch { tags: Some(tags), ..Default::default() }).await?;
                Ok(outcome("done", None, Some(id)))
            }
            (Action::AddTag { tag }, Subject::Lead) => {
                let lead = self.lead(viewer, LeadId::from(id)).await?;
                if has_tag(&lead.lead.fields().tags, tag) {
                    return Ok(outcome("skipped", Some("already tagged".into()), Some(id)));
                }
                let tags = lead.lead.fields().tags.with(tag).map_err(|e| StoreError::invalid("tag", e.to_string()))?;
                self.update_lead(viewer, lead.lead.id(), None, LeadPatch { tags: Some(tags), ..Default::default() }).await?;
                Ok(outcome("done", None, Some(id)))
            }
            (Action::AddTag { tag }, Subject::Contact) => {
                let contact = self.contact(viewer, id.into()).await?;
                if has_tag(&contact.contact.fields().tags, tag) {
                    return Ok(outcome("skipped", Some("already tagged".into()), Some(id)));
                }
                let tags = contact.contact.fields().tags.with(tag).map_err(|e| StoreError::invalid("tag", e.to_string()))?;
                let patch = kariz_domain::ContactPatch { tags: Some(tags), ..Default::default() };
                self.update_contact(viewer, id.into(), None, patch).await?;
                Ok(outcome("done", None, Some(id)))
            }
            (Action::AssignOwner { user_ids }, Subject::Deal | Subject::Lead) => {
                let turn = u64::try_from(run.turn.unwrap_or(0)).unwrap_or(0);
                let Some(user) = round_robin(user_ids, turn) else { return Ok(outcome("failed", Some("no users to assign".into()), None)) };
                if subject == Subject::Deal {
                    let deal = self.deal(viewer, DealId::from(id)).await?;
                    if deal.deal.owner_id() == user {
                        return Ok(outcome("skipped", Some("already the owner".into()), Some(user.as_uuid())));
                    }
                    self.update_deal(viewer, deal.deal.id(), None, DealPatch { owner_id: Some(user), ..Default::default() }).await?;
                } else {
                    let lead = self.lead(viewer, LeadId::from(id)).await?;
                    if lead.lead.owner_id() == Some(user) {
                        return Ok(outcome("skipped", Some("already the owner".into()), Some(user.as_uuid())));
                    }
                    self.update_lead(viewer, lead.lead.id(), None, LeadPatch { owner_id: Some(Some(user)), ..Default::default() }).await?;
                }
                Ok(outcome("done", None, Some(user.as_uuid())))
            }
            (Action::MoveToStage { stage_id }, Subject::Deal) => {
                let deal = self.deal(viewer, DealId::from(id)).await?;
                if deal.deal.stage_id() == *stage_id {
                    return Ok(outcome("skipped", Some("already in the stage".into()), Some(id)));
                }
                let target = crate::deals::MoveDeal { stage_id: *stage_id, before_id: None, after_id: None };
                self.move_deal(viewer, deal.deal.id(), None, target, viewer.user_id).await?;
                Ok(outcome("done", None, Some(id)))
            }
            (Action::QualifyLead { pipeline_id }, Subject::Lead) => {
                let request = crate::opportunities::QualifyLead {
                    deal: Some(crate::opportunities::QualifyDeal { pipeline_id: Some(*pipeline_id), ..Default::default() }),
                    ..Default::default()
                };
                let qualified = self.qualify_lead(viewer, LeadId::from(id), None, request).await?;
                let deal = qualified.opportunity.deals.first().map(|d| d.deal.id().as_uuid());
                Ok(outcome(if qualified.first_time { "done" } else { "skipped" }, None, deal.or(Some(qualified.opportunity.id.as_uuid()))))
            }
            (Action::Notify { user_ids }, _) => {
                // The same occurrence for every attempt of this action: a resumed run adds none.
                let occurrence = (derived_id(run.id, index), run.created_at);
                let mut work = self.begin().await?;
                let mut notified = 0;
                for user in user_ids {
                    if !is_active_member(work.conn(), viewer.workspace_id, *user).await? {
                        continue;
                    }
                    let data =
                        json!({"title": rule_name, "automation_id": run.automation_id, "subject_type": subject.as_str(), "subject_id": id});
                    let mut new = NewNotification::new(*user, NotificationKind::Automation, data);
                    match subject {
                        Subject::Deal => new.deal_id = Some(id),
                        Subject::Lead => new.lead_id = Some(id),
                        Subject::Contact => new.contact_id = Some(id),
                        Subject::Activity => new.activity_id = Some(id),
                    }
                    new.occurrence = Some(occurrence);
                    if notify(&mut work, viewer.workspace_id, new).await?.is_some() {
                        notified += 1;
                    }
                }
                work.commit().await?;
                Ok(match notified {
                    0 => outcome(
                        "skipped",
                        Some("nobody to notify: notified already, not members, or in-app notifications off".into()),
                        None,
                    ),
                    n => outcome("done", Some(format!("{n} notified")), None),
                })
            }
            (Action::SendEmail { to, template_id }, Subject::Deal | Subject::Contact | Subject::Lead) => {
                let email_id = derived_id(run.id, index);
                if self.email_exists(viewer.workspace_id, email_id).await? {
                    return Ok(outcome("skipped", Some("queued by an earlier attempt".into()), Some(email_id)));
                }
                let about = match subject {
                    Subject::Deal => EmailAbout::Deal(DealId::from(id)),
                    Subject::Lead => EmailAbout::Lead(LeadId::from(id)),
                    _ => EmailAbout::Contact(id.into()),
                };
                let address = match to {
                    Recipient::Contact => None,
                    Recipient::Address(address) => Some(address.clone()),
                    Recipient::Owner => {
                        let owner = match subject {
                            Subject::Deal => Some(self.deal(viewer, DealId::from(id)).await?.deal.owner_id()),
                            Subject::Lead => self.lead(viewer, LeadId::from(id)).await?.lead.owner_id(),
                            _ => self.contact(viewer, id.into()).await?.contact.fields().owner_id,
                        };
                        let Some(owner) = owner else { return Ok(outcome("failed", Some("the record has no owner".into()), None)) };
                        let row = users::Entity::find_by_id(owner.as_uuid()).one(&self.db).await?.ok_or(StoreError::NotFound("user"))?;
                        Some(Email::parse(&row.email).map_err(|_| StoreError::invalid("to", "the owner's address is not valid"))?)
                    }
                };
                let email = self.send_email_to(viewer, about, EmailContent::Template(*template_id), address, Some(email_id)).await?;
                Ok(outcome("done", Some(format!("queued to {}", email.to)), Some(email.id)))
            }
            (other, subject) => Ok(outcome("failed", Some(format!("`{}` cannot act on a {subject}", other.kind())), None)),
        }
    }
}

/// An id for what action `index` of run `run` makes, the same on every attempt: time-ordered
/// like the run's own (UUIDv7), and distinct per action.
fn derived_id(run: Uuid, index: usize) -> Uuid {
    Uuid::from_u128(run.as_u128().wrapping_add(index as u128 + 1))
}

async fn is_active_member<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, user: UserId) -> StoreResult<bool> {
    let found = users::Entity::find_by_id(user.as_uuid()).filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(conn).await?;
    Ok(found.is_some_and(|u| u.active))
}

/// Refuses a rule naming someone who is not a member of the workspace, at the action's path.
async fn check_members<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, rule: &Rule) -> StoreResult<()> {
    let mut problems = Vec::new();
    for (index, action) in rule.actions.iter().enumerate() {
        let (field, users): (&str, Vec<UserId>) = match action {
            Action::Notify { user_ids } | Action::AssignOwner { user_ids } => ("user_ids", user_ids.clone()),
            Action::CreateTask { owner: TaskOwner::User(user), .. } => ("owner_id", vec![*user]),
            _ => continue,
        };
        for user in users {
            let found =
                users::Entity::find_by_id(user.as_uuid()).filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(conn).await?;
            if found.is_none() {
                problems.push((format!("actions[{index}].{field}"), format!("{user} is not a member of this workspace")));
                break;
            }
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(StoreError::InvalidFields(problems)) }
}

fn has_tag(tags: &Tags, tag: &str) -> bool {
    tags.as_slice().iter().any(|t| t.eq_ignore_ascii_case(tag.trim()))
}

/// One firing of a rule: an outbox event, or a scheduled occurrence.
pub(crate) struct Occurrence {
    pub key: String,
    pub event_id: Option<Uuid>,
    pub subject: Subject,
    pub subject_id: Uuid,
    /// The rules whose actions caused it.
    pub chain: Vec<Uuid>,
}

/// Starts a workspace's cursor at its newest event, unless it has one: rules run on what
/// commits after they exist, not on the past.
async fn start_cursor<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<()> {
    let ws = workspace_id.as_uuid();
    let sql = "INSERT INTO automation_cursors (workspace_id, last_sequence) \
               SELECT ?, COALESCE((SELECT MAX(sequence) FROM events WHERE workspace_id = ?), 0) WHERE true \
               ON CONFLICT (workspace_id) DO NOTHING";
    conn.execute_raw(statement(conn.get_database_backend(), sql, vec![ws.into(), ws.into()])).await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_match_without_regard_to_case_or_spaces() {
        let tags = Tags::parse(&["VIP", "north"]).unwrap();
        assert!(has_tag(&tags, " vip "));
        assert!(!has_tag(&tags, "south"));
    }
}
