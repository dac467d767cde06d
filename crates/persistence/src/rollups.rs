//! The board's column figures, kept instead of recomputed: `deal_rollups` holds per workspace,
//! pipeline, stage, owner and currency the count of open deals, their amount and their weighted
//! amount (a deal's own probability, else its stage's, rounded half up per deal: `WEIGHTED_AMOUNT`).
//!
//! The unit of work keeps them: every deal row it inserts, swaps or deletes adds its share (an
//! open deal's contribution) before and after to [`Pending`], which it applies at commit, one
//! upsert per figure that changed, in key order so that two transactions never wait on each other
//! in a cycle; a stage whose probability changes is counted again. No write path can forget them,
//! since none writes a deal or a stage around the unit of work.
//!
//! Sums are kept in two parts as `sql::split_sum` splits them (the sum of `amount / 10^9` and the
//! sum of the remainders), so a figure of any number of deals stays exact in 64-bit columns and a
//! recount gives exactly the parts the changes added up to.
//!
//! On PostgreSQL a deal's weight depends on a stage row another transaction may be changing: the
//! changes of a stage's figures take a shared advisory lock on the stage, a recount an exclusive
//! one, so that a change weighed with a probability just replaced waits for the recount and is
//! then weighed with the new one. (Row locks on the stage would deadlock with the column holds of
//! moves.) On SQLite writers take turns anyway.

use std::collections::{BTreeMap, BTreeSet};

use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use uuid::Uuid;

use crate::entities::{deals, stages};
use crate::error::{StoreError, StoreResult};
use crate::sql::{WEIGHTED_AMOUNT, split_sum, statement};
use crate::store::Store;

const SPLIT: i64 = 1_000_000_000;

/// What one open deal adds to its figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Share {
    key: Key,
    amount_minor: i64,
    /// `None` weighs the deal by its stage's probability.
    own_probability: Option<i16>,
}

impl Share {
    /// The share of a stored deal: open deals count, won and lost ones do not.
    pub(crate) fn of(deal: &deals::Model) -> Option<Share> {
        (deal.status == "open").then(|| Share {
            key: Key {
                workspace_id: deal.workspace_id,
                pipeline_id: deal.pipeline_id,
                stage_id: deal.stage_id,
                owner_id: deal.owner_id,
                currency: deal.currency.clone(),
            },
            amount_minor: deal.amount_minor,
            own_probability: deal.probability,
        })
    }
}

/// A stage, as far as the weight of its deals goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct StageWeight {
    pub workspace_id: Uuid,
    pub stage_id: Uuid,
    pub probability: i16,
}

impl StageWeight {
    pub(crate) fn of(stage: &stages::Model) -> StageWeight {
        StageWeight { workspace_id: stage.workspace_id, stage_id: stage.id, probability: stage.probability }
    }
}

/// One row of `deal_rollups`: the figures are kept per this key.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Key {
    workspace_id: Uuid,
    pipeline_id: Uuid,
    stage_id: Uuid,
    owner_id: Uuid,
    currency: String,
}

/// A change of one row's figures, the sums in their two parts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
struct Delta {
    count: i64,
    amount_high: i64,
    amount_low: i64,
    weighted_high: i64,
    weighted_low: i64,
}

impl Delta {
    fn add(&mut self, sign: i64, amount_minor: i64, weighted: i64) {
        self.count += sign;
        self.amount_high += sign * (amount_minor / SPLIT);
        self.amount_low += sign * (amount_minor % SPLIT);
        self.weighted_high += sign * (weighted / SPLIT);
        self.weighted_low += sign * (weighted % SPLIT);
    }
}

/// A deal's weighted amount as `WEIGHTED_AMOUNT` computes it in SQL: integer division truncates
/// toward zero in Rust as on both engines. Amounts are at most 10^15, so the product fits.
fn weighted(amount_minor: i64, probability: i16) -> i64 {
    (amount_minor * i64::from(probability) + 50) / 100
}

/// The shares a unit of work removed and added, applied at its commit.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    changes: Vec<(i64, Share)>,
}

impl Pending {
    /// Notes that a deal's share went from `before` to `after` (either absent: not open, or no
    /// row). The same share on both sides changes nothing (a move within its column, a new title).
    pub(crate) fn replace(&mut self, before: Option<Share>, after: Option<Share>) {
        if before == after {
            return;
        }
        self.changes.extend(before.map(|share| (-1, share)));
        self.changes.extend(after.map(|share| (1, share)));
    }

    /// Applies the changes noted so far to `deal_rollups`.
    pub(crate) async fn apply<C: ConnectionTrait>(&mut self, conn: &C) -> StoreResult<()> {
        if self.changes.is_empty() {
            return Ok(());
        }
        let changes = std::mem::take(&mut self.changes);
        let backend = conn.get_database_backend();
        let stage_ids: BTreeSet<Uuid> = changes.iter().map(|(_, share)| share.key.stage_id).collect();
        for stage_id in &stage_ids {
            lock_stage(conn, *stage_id, "pg_advisory_xact_lock_shared").await?;
        }
        let weighed_by_stage: BTreeSet<Uuid> =
            changes.iter().filter(|(_, share)| share.own_probability.is_none()).map(|(_, share)| share.key.stage_id).collect();
        let stage_probabilities = probabilities(conn, &weighed_by_stage).await?;
        let mut deltas: BTreeMap<Key, Delta> = BTreeMap::new();
        for (sign, share) in changes {
            let probability = match share.own_probability {
                Some(own) => own,
                None => *stage_probabilities.get(&share.key.stage_id).ok_or(StoreError::NotFound("stage"))?,
            };
            deltas.entry(share.key).or_default().add(sign, share.amount_minor, weighted(share.amount_minor, probability));
        }
        for (key, delta) in deltas.into_iter().filter(|(_, delta)| *delta != Delta::default()) {
            upsert(conn, backend, &key, delta).await?;
        }
        Ok(())
    }
}

/// Takes `function` (a transaction-scoped advisory lock, shared or exclusive) on a stage's
/// figures, on PostgreSQL.
async fn lock_stage<C: ConnectionTrait>(conn: &C, stage_id: Uuid, function: &str) -> StoreResult<()> {
    if conn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let sql = format!("SELECT {function}(hashtextextended(?, 0))");
    conn.execute_raw(statement(DatabaseBackend::Postgres, &sql, vec![format!("deal-rollups:{stage_id}").into()])).await?;
    Ok(())
}

async fn probabilities<C: ConnectionTrait>(conn: &C, stage_ids: &BTreeSet<Uuid>) -> StoreResult<BTreeMap<Uuid, i16>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
    if stage_ids.is_empty() {
        return Ok(BTreeMap::new());
    }
    let rows: Vec<(Uuid, i16)> = stages::Entity::find()
        .select_only()
        .columns([stages::Column::Id, stages::Column::Probability])
        .filter(stages::Column::Id.is_in(stage_ids.iter().copied()))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows.into_iter().collect())
}

/// Adds `delta` to a row, creating it at zero first; a row left without deals goes, so that the
/// table holds exactly what a recount finds.
async fn upsert<C: ConnectionTrait>(conn: &C, backend: DatabaseBackend, key: &Key, delta: Delta) -> StoreResult<()> {
    let sql = "INSERT INTO deal_rollups (workspace_id, pipeline_id, stage_id, owner_id, currency, deal_count, \
                 amount_high, amount_low, weighted_high, weighted_low) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
               ON CONFLICT (workspace_id, pipeline_id, stage_id, owner_id, currency) DO UPDATE SET \
                 deal_count = deal_rollups.deal_count + excluded.deal_count, \
                 amount_high = deal_rollups.amount_high + excluded.amount_high, \
                 amount_low = deal_rollups.amount_low + excluded.amount_low, \
                 weighted_high = deal_rollups.weighted_high + excluded.weighted_high, \
                 weighted_low = deal_rollups.weighted_low + excluded.weighted_low";
    let mut values = key_values(key);
    values.extend([delta.count, delta.amount_high, delta.amount_low, delta.weighted_high, delta.weighted_low].map(Value::from));
    conn.execute_raw(statement(backend, sql, values)).await?;
    if delta.count < 0 {
        let sql = "DELETE FROM deal_rollups WHERE workspace_id = ? AND pipeline_id = ? AND stage_id = ? AND owner_id = ? \
                   AND currency = ? AND deal_count = 0";
        conn.execute_raw(statement(backend, sql, key_values(key))).await?;
    }
    Ok(())
}

fn key_values(key: &Key) -> Vec<Value> {
    vec![key.workspace_id.into(), key.pipeline_id.into(), key.stage_id.into(), key.owner_id.into(), key.currency.clone().into()]
}

/// Counts a stage's figures again from its deals, replacing what was kept: after its
/// probability changed, and by `kariz repair --rollups`.
pub(crate) async fn recount_stage<C: ConnectionTrait>(conn: &C, workspace_id: Uuid, stage_id: Uuid) -> StoreResult<()> {
    lock_stage(conn, stage_id, "pg_advisory_xact_lock").await?;
    let backend = conn.get_database_backend();
    let delete = "DELETE FROM deal_rollups WHERE workspace_id = ? AND stage_id = ?";
    conn.execute_raw(statement(backend, delete, vec![workspace_id.into(), stage_id.into()])).await?;
    let insert = format!(
        "INSERT INTO deal_rollups (workspace_id, pipeline_id, stage_id, owner_id, currency, deal_count, \
           amount_high, amount_low, weighted_high, weighted_low) \
         SELECT d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency, COUNT(*), {}, {} \
         FROM deals d JOIN stages s ON s.id = d.stage_id \
         WHERE d.workspace_id = ? AND d.stage_id = ? AND d.status = 'open' \
         GROUP BY d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency",
        split_sum("d.amount_minor", "amount"),
        split_sum(WEIGHTED_AMOUNT, "weighted"),
    );
    conn.execute_raw(statement(backend, &insert, vec![workspace_id.into(), stage_id.into()])).await?;
    Ok(())
}

impl Store {
    /// Counts every stage's figures again from its deals (`kariz repair --rollups`), a stage per
    /// transaction, telling `progress` how many of how many stages are done. Returns the number
    /// of stages counted.
    pub async fn rebuild_rollups(&self, mut progress: impl FnMut(u64, u64)) -> StoreResult<u64> {
        use sea_orm::{EntityTrait, QueryOrder, QuerySelect};
        let stages: Vec<(Uuid, Uuid)> = stages::Entity::find()
            .select_only()
            .columns([stages::Column::WorkspaceId, stages::Column::Id])
            .order_by_asc(stages::Column::WorkspaceId)
            .order_by_asc(stages::Column::Id)
            .into_tuple()
            .all(&self.db)
            .await?;
        let total = stages.len() as u64;
        for (done, (workspace_id, stage_id)) in stages.into_iter().enumerate() {
            let work = self.begin().await?;
            recount_stage(work.conn(), workspace_id, stage_id).await?;
            work.commit_bookkeeping().await?;
            progress(done as u64 + 1, total);
        }
        Ok(total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_weight_rounds_half_up_per_deal_as_the_sql_does() {
        assert_eq!(weighted(1_005, 50), 503);
        assert_eq!(weighted(1, 49), 0);
        assert_eq!(weighted(1, 50), 1);
        assert_eq!(weighted(1_000_000_000_000_000, 100), 1_000_000_000_000_000);
    }

    #[test]
    fn a_share_removed_and_added_back_changes_nothing() {
        let mut delta = Delta::default();
        delta.add(1, 1_234_567_890_123, weighted(1_234_567_890_123, 35));
        delta.add(-1, 1_234_567_890_123, weighted(1_234_567_890_123, 35));
        assert_eq!(delta, Delta::default());
        delta.add(1, 2_000_000_001, 3);
        assert_eq!(delta, Delta { count: 1, amount_high: 2, amount_low: 1, weighted_high: 0, weighted_low: 3 });
    }
}
