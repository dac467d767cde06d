//! Scoring rules per workspace, the score of one lead, and the bulk re-score when rules change.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use kariz_domain::scoring::{self, Condition, RuleName, Score, ScoringRule};
use kariz_domain::{LeadId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::entities::{leads, scoring_rules};
use crate::error::{StoreError, StoreResult};
use crate::leads::{LeadRecord, lead_in, lead_record};
use crate::store::Store;

/// Leads read and written per statement while re-scoring a workspace.
const RESCORE_BATCH: u64 = 1000;

#[derive(Clone, Debug)]
pub struct ScoringRuleRecord {
    pub id: Uuid,
    pub rule: ScoringRule,
    pub created_at: DateTime<Utc>,
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

pub(crate) fn score_lead(rules: &[ScoringRuleRecord], lead: &LeadRecord) -> Score {
    let rules: Vec<ScoringRule> = rules.iter().map(|r| r.rule.clone()).collect();
    scoring::score(&rules, &lead.fields.facts(lead.submissions))
}

impl Store {
    pub async fn scoring_rules(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<ScoringRuleRecord>> {
        rules_in(&self.db, workspace_id).await
    }

    /// Replaces the workspace's rules and re-scores every lead, in one transaction: readers see
    /// either the old rules and scores or the new ones. Returns the rules and how many leads'
    /// scores changed.
    pub async fn replace_scoring_rules(
        &self,
        workspace_id: WorkspaceId,
        rules: Vec<ScoringRule>,
    ) -> StoreResult<(Vec<ScoringRuleRecord>, u64)> {
        let now = Utc::now();
        let txn = self.write().await?;
        scoring_rules::Entity::delete_many().filter(scoring_rules::Column::WorkspaceId.eq(workspace_id.as_uuid())).exec(&txn).await?;
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
            scoring_rules::Entity::insert_many(rows).exec_without_returning(&txn).await?;
        }
        let changed = rescore_all(&txn, workspace_id, &records).await?;
        txn.commit().await?;
        Ok((records, changed))
    }

    pub async fn explain_score(&self, workspace_id: WorkspaceId, lead_id: LeadId) -> StoreResult<ScoreExplanation> {
        let lead = lead_in(&self.db, workspace_id, lead_id).await?;
        let rules = rules_in(&self.db, workspace_id).await?;
        let score = score_lead(&rules, &lead);
        let fired = score.fired.iter().map(|f| (rules[f.index].clone(), f.points)).collect();
        Ok(ScoreExplanation { lead_id, total: score.total, fired })
    }
}

/// Re-scores every lead of a workspace a batch at a time (keyset on the id), then writes the
/// changed scores with one UPDATE per distinct score per batch: rules produce few distinct
/// scores, so a workspace of 100,000 leads takes a few hundred statements, not 100,000.
async fn rescore_all<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, rules: &[ScoringRuleRecord]) -> StoreResult<u64> {
    let mut changed = 0;
    let mut after: Option<Uuid> = None;
    loop {
        let mut query = leads::Entity::find().filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(after) = after {
            query = query.filter(leads::Column::Id.gt(after));
        }
        let rows = query.order_by_asc(leads::Column::Id).limit(RESCORE_BATCH).all(conn).await?;
        let Some(last) = rows.last() else { break };
        after = Some(last.id);
        let mut by_score: BTreeMap<i32, Vec<Uuid>> = BTreeMap::new();
        for row in rows {
            let previous = row.score;
            let lead = lead_record(row)?;
            let score = score_lead(rules, &lead).total;
            if score != previous {
                by_score.entry(score).or_default().push(lead.id.as_uuid());
            }
        }
        for (score, ids) in by_score {
            changed += ids.len() as u64;
            leads::Entity::update_many()
                .col_expr(leads::Column::Score, sea_orm::sea_query::Expr::value(score))
                .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(leads::Column::Id.is_in(ids))
                .exec(conn)
                .await?;
        }
    }
    Ok(changed)
}
