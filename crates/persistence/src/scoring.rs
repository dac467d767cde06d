//! Scoring rules per workspace, the score of one lead, and the bulk re-score when rules change:
//! a `rescore_leads` bulk operation (`bulk.rs`) of bounded batches, each its own transaction.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use kariz_domain::scoring::{self, Condition, LeadFacts, RuleName, Score, ScoringRule};
use kariz_domain::{ActivityCounts, ActivityKind, Lead, LeadId, Viewer, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit;
use crate::bulk::{self, Batch};
use crate::entities::{activities, leads, scoring_rules};
use crate::error::{StoreError, StoreResult};
use crate::rows::{lead_in, lead_record, visible_lead};
use crate::store::Store;

/// Leads re-scored per transaction: small enough that a batch holds the write lock for
/// milliseconds, so other writers interleave with a re-score of any size.
pub const RESCORE_BATCH: u64 = 500;
/// The kind of bulk operation that re-scores a workspace's leads.
const RESCORE: &str = "rescore_leads";
/// Leads whose activities one grouped statement counts.
const COUNT_CHUNK: usize = 500;

#[derive(Clone, Debug)]
pub struct ScoringRuleRecord {
    pub id: Uuid,
    pub rule: ScoringRule,
    pub created_at: DateTime<Utc>,
}

/// What a draft rule set would do to a workspace's leads, before it is saved.
#[derive(Clone, Debug, Default)]
pub struct ScoringPreview {
    /// For each draft rule, in order: how many leads it fires on.
    pub matches: Vec<u64>,
    /// How many leads the workspace has.
    pub leads: u64,
    /// How many of them would get another score.
    pub changed: u64,
    /// The best-scored leads under the draft rules (ties: higher current score, then name).
    pub top: Vec<PreviewedLead>,
}

/// One lead's score now and under the draft rules.
#[derive(Clone, Debug)]
pub struct PreviewedLead {
    pub lead_id: LeadId,
    pub name: String,
    pub current: i32,
    pub proposed: i32,
}

/// A lead's score with the rules that fired, in rule order.
#[derive(Clone, Debug)]
pub struct ScoreExplanation {
    pub lead_id: LeadId,
    pub total: i32,
    pub fired: Vec<(ScoringRuleRecord, i32)>,
}

pub(crate) async fn rules_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<Vec<ScoringRuleRecord>> {
    let rows = scoring_rules::Entity::find()
        .filter(scoring_rules::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .order_by_asc(scoring_rules::Column::Position)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("scoring_rules", e);
            let condition: Condition = serde_json::from_str(&row.condition).map_err(|e| corrupt(&e))?;
            let name = RuleName::parse(&row.name).map_err(|e| corrupt(&e))?;
            let rule = ScoringRule::new(name, condition, row.points).map_err(|e| corrupt(&e))?;
            Ok(ScoringRuleRecord { id: row.id, rule, created_at: row.created_at })
        })
        .collect()
}

pub(crate) fn score_lead(rules: &[ScoringRuleRecord], lead: &Lead, activities: ActivityCounts) -> Score {
    let rules: Vec<ScoringRule> = rules.iter().map(|r| r.rule.clone()).collect();
    scoring::score(&rules, &LeadFacts::of(lead, activities))
}

/// Whether any rule counts activities: only then are they counted.
fn counts_activities(rules: &[ScoringRuleRecord]) -> bool {
    rules.iter().any(|r| matches!(r.rule.condition, Condition::ActivitiesAtLeast { .. }))
}

/// Whether a draft rule set counts activities.
fn drafts_count_activities(rules: &[ScoringRule]) -> bool {
    rules.iter().any(|r| matches!(r.condition, Condition::ActivitiesAtLeast { .. }))
}

/// The activities of each of `lead_ids` by kind, one grouped statement per chunk of leads; empty
/// when no rule counts them. A lead without activities is absent from the map.
pub(crate) async fn activity_counts<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    rules: &[ScoringRuleRecord],
    lead_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, ActivityCounts>> {
    if !counts_activities(rules) {
        return Ok(HashMap::new());
    }
    count_activities(conn, workspace_id, lead_ids).await
}

/// The activities of each of `lead_ids` by kind; a lead without activities is absent.
async fn count_activities<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    lead_ids: &[Uuid],
) -> StoreResult<HashMap<Uuid, ActivityCounts>> {
    let mut counts: HashMap<Uuid, ActivityCounts> = HashMap::new();
    for chunk in lead_ids.chunks(COUNT_CHUNK) {
        let rows: Vec<(Option<Uuid>, String, i64)> = activities::Entity::find()
            .select_only()
            .column(activities::Column::LeadId)
            .column(activities::Column::Kind)
            .column_as(activities::Column::Id.count(), "activities")
            .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(activities::Column::LeadId.is_in(chunk.iter().copied()))
            .group_by(activities::Column::LeadId)
            .group_by(activities::Column::Kind)
            .into_tuple()
            .all(conn)
            .await?;
        for (lead_id, kind, count) in rows {
            let kind = ActivityKind::parse(&kind).map_err(|e| StoreError::corrupt("activities", e))?;
            if let Some(lead_id) = lead_id {
                counts.entry(lead_id).or_default().add(kind, u32::try_from(count).unwrap_or(u32::MAX));
            }
        }
    }
    Ok(counts)
}

/// One lead's activities by kind (nothing when no rule counts them).
pub(crate) async fn lead_activity_counts<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    rules: &[ScoringRuleRecord],
    lead_id: LeadId,
) -> StoreResult<ActivityCounts> {
    let mut counts = activity_counts(conn, workspace_id, rules, &[lead_id.as_uuid()]).await?;
    Ok(counts.remove(&lead_id.as_uuid()).unwrap_or_default())
}

/// Re-scores a lead whose activities changed, on `conn` (the transaction of the change). The
/// score is derived, as after a change of rules: it moves without a new version or an event.
pub(crate) async fn rescore_lead<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, lead_id: LeadId) -> StoreResult<()> {
    let rules = rules_in(conn, workspace_id).await?;
    if !counts_activities(&rules) {
        return Ok(());
    }
    let lead = lead_in(conn, workspace_id, lead_id).await?.lead;
    let score = score_lead(&rules, &lead, lead_activity_counts(conn, workspace_id, &rules, lead_id).await?).total;
    if score != lead.score() {
        leads::Entity::update_many()
            .col_expr(leads::Column::Score, Expr::value(score))
            .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(leads::Column::Id.eq(lead_id.as_uuid()))
            .exec(conn)
            .await?;
    }
    Ok(())
}

impl Store {
    pub async fn scoring_rules(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<ScoringRuleRecord>> {
        rules_in(&self.db, workspace_id).await
    }

    /// Replaces the workspace's rules, then re-scores every lead in batches of
    /// [`RESCORE_BATCH`], each its own transaction, so that other writers interleave. The
    /// replacement records a `rescore_leads` operation in its own transaction; should this call
    /// stop before the last batch, the maintenance pass finishes it. Until then readers may see
    /// some scores of the old rules; a lead written meanwhile is scored by the new ones in its own
    /// transaction, as always. Returns the rules and how many leads' scores changed.
    pub async fn replace_scoring_rules(
        &self,
        workspace_id: WorkspaceId,
        rules: Vec<ScoringRule>,
    ) -> StoreResult<(Vec<ScoringRuleRecord>, u64)> {
        let mut work = self.begin().await?;
        let now = work.now();
        let txn = work.conn();
        let before = stored_rules(txn, workspace_id).await?;
        scoring_rules::Entity::delete_many().filter(scoring_rules::Column::WorkspaceId.eq(workspace_id.as_uuid())).exec(txn).await?;
        let records: Vec<ScoringRuleRecord> =
            rules.into_iter().map(|rule| ScoringRuleRecord { id: Uuid::now_v7(), rule, created_at: now }).collect();
        if !records.is_empty() {
            let rows = records.iter().enumerate().map(|(position, record)| scoring_rules::ActiveModel {
                id: Set(record.id),
                workspace_id: Set(workspace_id.as_uuid()),
                position: Set(position as i32),
                name: Set(record.rule.name.as_str().to_owned()),
                condition: Set(serde_json::to_string(&record.rule.condition).unwrap_or_default()),
                points: Set(record.rule.points),
                created_at: Set(now),
            });
            scoring_rules::Entity::insert_many(rows).exec_without_returning(txn).await?;
        }
        // One entry for the set; the re-scored leads are its consequence, counted by the entry
        // the operation writes when it is done (`scoring_rules.rescored`), rather than listed.
        let after = stored_rules(txn, workspace_id).await?;
        let operation = bulk::start(&work, workspace_id, RESCORE).await?;
        let changes = json!({ "rules": { "before": before, "after": after }, "rescore_operation": operation });
        work.audit(workspace_id, "scoring_rules.replaced", None, changes).await?;
        work.commit().await?;
        let changed = self.run_rescore(operation).await?;
        Ok((records, changed))
    }

    /// Runs a re-score operation's batches to its end; returns how many scores it changed (all
    /// batches, whoever ran them). A superseded operation stops: its successor redoes the work.
    async fn run_rescore(&self, operation: Uuid) -> StoreResult<u64> {
        while self.rescore_batch(operation).await? {}
        let finished = bulk::by_id(&self.db, operation).await?;
        Ok(finished.map_or(0, |op| u64::try_from(op.changed).unwrap_or(0)))
    }

    /// One batch of a re-score, in one unit of work: the leads after the operation's cursor, scored
    /// by the rules as they are now (a score is derived: redoing a batch writes the same), the
    /// changed ones written, the cursor moved on. The last batch writes the operation's audit
    /// entry. Returns whether batches remain.
    async fn rescore_batch(&self, operation: Uuid) -> StoreResult<bool> {
        let mut work = self.begin().await?;
        let Some(held) = bulk::hold(&work, operation).await? else { return Ok(false) };
        let workspace_id = WorkspaceId::from(held.workspace_id);
        let after = held.cursor.as_deref().map(Uuid::parse_str).transpose().map_err(|e| StoreError::corrupt("bulk_operations", e))?;
        let rules = rules_in(work.conn(), workspace_id).await?;
        let (last, processed, changed) = rescore_after(work.conn(), workspace_id, &rules, after).await?;
        let batch = Batch { cursor: last.map(|id| id.to_string()), processed, changed, last: processed < RESCORE_BATCH };
        let recorded = bulk::record(&work, &held, batch).await?;
        if recorded.finished_at.is_some() {
            let changes = json!({ "operation": operation, "leads_rescored": recorded.changed, "batches": recorded.batches });
            work.audit(workspace_id, "scoring_rules.rescored", None, changes).await?;
        }
        work.commit().await?;
        Ok(recorded.finished_at.is_none())
    }

    /// Finishes re-scores whose runner stopped (a crash, a dropped request) once their lease ran
    /// out; the maintenance pass calls it. Returns how many it finished.
    pub async fn resume_rescores(&self) -> StoreResult<usize> {
        let stalled = bulk::stalled(&self.db, RESCORE, self.now()).await?;
        for operation in &stalled {
            self.run_rescore(*operation).await?;
        }
        Ok(stalled.len())
    }

    /// A bulk operation of the workspace as it stands (how far it got), if there is one by this id.
    pub async fn bulk_operation(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<Option<bulk::BulkOperation>> {
        bulk::find(&self.db, workspace_id, id).await
    }

    /// Scores every lead of the workspace by `rules` without writing anything: the domain's own
    /// scoring, read in keyset batches like a re-score. Keeps the `sample` best-scored leads.
    pub async fn preview_scoring(&self, workspace_id: WorkspaceId, rules: &[ScoringRule], sample: usize) -> StoreResult<ScoringPreview> {
        let mut preview = ScoringPreview { matches: vec![0; rules.len()], ..ScoringPreview::default() };
        let mut after: Option<Uuid> = None;
        loop {
            let mut query = leads::Entity::find().filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()));
            if let Some(after) = after {
                query = query.filter(leads::Column::Id.gt(after));
            }
            let rows = query.order_by_asc(leads::Column::Id).limit(RESCORE_BATCH).all(&self.db).await?;
            let Some(last) = rows.last().map(|r| r.id) else { break };
            after = Some(last);
            let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
            let counts =
                if drafts_count_activities(rules) { count_activities(&self.db, workspace_id, &ids).await? } else { HashMap::new() };
            for row in rows {
                let current = row.score;
                let lead = lead_record(row)?.lead;
                let activities = counts.get(&lead.id().as_uuid()).copied().unwrap_or_default();
                let score = scoring::score(rules, &LeadFacts::of(&lead, activities));
                for fired in &score.fired {
                    preview.matches[fired.index] += 1;
                }
                preview.leads += 1;
                preview.changed += u64::from(score.total != current);
                let name = lead.fields().name.as_str().to_owned();
                preview.top.push(PreviewedLead { lead_id: lead.id(), name, current, proposed: score.total });
                if preview.top.len() > sample.saturating_mul(2).max(64) {
                    keep_best(&mut preview.top, sample);
                }
            }
        }
        keep_best(&mut preview.top, sample);
        Ok(preview)
    }

    pub async fn explain_score(&self, viewer: &Viewer, lead_id: LeadId) -> StoreResult<ScoreExplanation> {
        let workspace_id = viewer.workspace_id;
        let lead = visible_lead(&self.db, viewer, lead_id).await?;
        let rules = rules_in(&self.db, workspace_id).await?;
        let activities = lead_activity_counts(&self.db, workspace_id, &rules, lead_id).await?;
        let score = score_lead(&rules, &lead.lead, activities);
        let fired = score.fired.iter().map(|f| (rules[f.index].clone(), f.points)).collect();
        Ok(ScoreExplanation { lead_id, total: score.total, fired })
    }
}

/// Keeps the `n` best-scored previewed leads, best first.
fn keep_best(leads: &mut Vec<PreviewedLead>, n: usize) {
    leads.sort_by(|a, b| b.proposed.cmp(&a.proposed).then(b.current.cmp(&a.current)).then_with(|| a.name.cmp(&b.name)));
    leads.truncate(n);
}

/// The stored rules in order, as the audit log shows them.
async fn stored_rules<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<Vec<Value>> {
    let rows = scoring_rules::Entity::find()
        .filter(scoring_rules::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .order_by_asc(scoring_rules::Column::Position)
        .all(conn)
        .await?;
    Ok(rows.iter().map(|row| Value::Object(audit::redacted(audit::serialized(row)))).collect())
}

/// Re-scores one batch of a workspace's leads, those after `after` in id order (keyset), with
/// their activities counted in one grouped query, and writes the changed scores with one UPDATE
/// per distinct score: rules produce few distinct scores, so a batch is a handful of statements.
/// Returns the batch's last lead, how many it read and how many scores changed.
async fn rescore_after<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    rules: &[ScoringRuleRecord],
    after: Option<Uuid>,
) -> StoreResult<(Option<Uuid>, u64, u64)> {
    let mut query = leads::Entity::find().filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()));
    if let Some(after) = after {
        query = query.filter(leads::Column::Id.gt(after));
    }
    let rows = query.order_by_asc(leads::Column::Id).limit(RESCORE_BATCH).all(conn).await?;
    let (last, processed) = (rows.last().map(|r| r.id), rows.len() as u64);
    let ids: Vec<Uuid> = rows.iter().map(|r| r.id).collect();
    let counts = activity_counts(conn, workspace_id, rules, &ids).await?;
    let mut by_score: BTreeMap<i32, Vec<Uuid>> = BTreeMap::new();
    for row in rows {
        let previous = row.score;
        let lead = lead_record(row)?.lead;
        let activities = counts.get(&lead.id().as_uuid()).copied().unwrap_or_default();
        let score = score_lead(rules, &lead, activities).total;
        if score != previous {
            by_score.entry(score).or_default().push(lead.id().as_uuid());
        }
    }
    let mut changed = 0;
    for (score, ids) in by_score {
        changed += ids.len() as u64;
        leads::Entity::update_many()
            .col_expr(leads::Column::Score, Expr::value(score))
            .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(leads::Column::Id.is_in(ids))
            .exec(conn)
            .await?;
    }
    Ok((last, processed, changed))
}
