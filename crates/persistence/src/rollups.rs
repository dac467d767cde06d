//! The board's column figures, kept instead of recomputed: `deal_rollups` holds per workspace,
//! pipeline, stage, owner and currency the count of open deals, their amount and their weighted
//! amount (a deal's own probability, else its stage's, rounded half up per deal: `WEIGHTED_AMOUNT`).
//!
//! The unit of work keeps them: every deal row it inserts, swaps or deletes adds its share (an
//! open deal's contribution) before and after to [`Pending`], which it appends at commit to
//! `deal_rollup_deltas`, a row per figure that changed. Appending, not updating the figure's row,
//! is what lets concurrent moves of one owner's deals between the same stages commit without
//! queueing on a few hot rows. A background pass ([`Store::fold_rollups`], every half second)
//! folds the changes into `deal_rollups`; the board sums the rows of both. A stage whose
//! probability changes is counted again. No write path can forget them, since none writes a deal
//! or a stage around the unit of work.
//!
//! Sums are kept in two parts as `sql::split_sum` splits them (the sum of `amount / 10^9` and the
//! sum of the remainders), so a figure of any number of deals stays exact in 64-bit columns and a
//! recount gives exactly the parts the changes added up to.
//!
//! On PostgreSQL a deal's weight depends on a stage row another transaction may be changing: the
//! changes of a stage's figures take a shared advisory lock on the stage, a recount an exclusive
//! one, so that a change weighed with a probability just replaced waits for the recount and is
//! then weighed with the new one. (Row locks on the stage would deadlock with moves' locks on
//! their deals.) On SQLite writers take turns anyway.

use std::collections::BTreeSet;

use sea_orm::{ConnectionTrait, DatabaseBackend, Value};
use uuid::Uuid;

use crate::entities::{deals, stages};
use crate::error::StoreResult;
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

/// The shares a unit of work removed and added, applied at its commit.
#[derive(Debug, Default)]
pub(crate) struct Pending {
    changes: Vec<(i64, Share)>,
}

/// Shares written by one statement: 8 values each, well under both engines' limits.
const SHARES_PER_STATEMENT: usize = 500;

/// The figures' columns, after the key's.
const FIGURES: &str = "deal_count, amount_high, amount_low, weighted_high, weighted_low";
const KEY: &str = "workspace_id, pipeline_id, stage_id, owner_id, currency";

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

    /// Appends the changes noted so far to `deal_rollup_deltas`, a row per figure that changed:
    /// one statement on SQLite, two on PostgreSQL (the stages' shared locks first, so that the
    /// insert's own snapshot reads each stage's probability after any recount that held them).
    /// Nothing is updated in place, so concurrent changes of the same figures never wait on
    /// each other.
    pub(crate) async fn apply<C: ConnectionTrait>(&mut self, conn: &C) -> StoreResult<()> {
        if self.changes.is_empty() {
            return Ok(());
        }
        let changes = std::mem::take(&mut self.changes);
        let stage_ids: BTreeSet<Uuid> = changes.iter().map(|(_, share)| share.key.stage_id).collect();
        lock_stages(conn, &stage_ids, "pg_advisory_xact_lock_shared").await?;
        for chunk in changes.chunks(SHARES_PER_STATEMENT) {
            append(conn, chunk).await?;
        }
        Ok(())
    }
}

/// Takes `function` (a transaction-scoped advisory lock, shared or exclusive) on the figures of
/// each of `stage_ids`, in one statement, on PostgreSQL.
async fn lock_stages<C: ConnectionTrait>(conn: &C, stage_ids: &BTreeSet<Uuid>, function: &str) -> StoreResult<()> {
    if conn.get_database_backend() != DatabaseBackend::Postgres || stage_ids.is_empty() {
        return Ok(());
    }
    let calls: Vec<String> = stage_ids.iter().map(|_| format!("{function}(hashtextextended(?, 0))")).collect();
    let sql = format!("SELECT {}", calls.join(", "));
    let keys = stage_ids.iter().map(|stage_id| format!("deal-rollups:{stage_id}").into()).collect();
    conn.execute_raw(statement(DatabaseBackend::Postgres, &sql, keys)).await?;
    Ok(())
}

/// Appends the sum of `shares` per figure's key, each weighed in SQL by its own probability or
/// its stage's as stored now, rounded half up per deal as `WEIGHTED_AMOUNT` is.
async fn append<C: ConnectionTrait>(conn: &C, shares: &[(i64, Share)]) -> StoreResult<()> {
    let backend = conn.get_database_backend();
    let row = "(?, ?, ?, ?, ?, CAST(? AS BIGINT), CAST(? AS BIGINT), CAST(? AS INTEGER))";
    let rows = vec![row; shares.len()].join(", ");
    // A VALUES list's columns are `column1`… on both engines: key, sign, amount, own probability.
    let part = |value: &str, sign: &str| {
        format!("CAST(SUM(c.column6 * (({value}) / {SPLIT})) AS BIGINT), CAST(SUM(c.column6 * (({value}) % {SPLIT})) AS BIGINT){sign}")
    };
    let sql = format!(
        "INSERT INTO deal_rollup_deltas ({KEY}, {FIGURES}) \
         SELECT c.column1, c.column2, c.column3, c.column4, c.column5, CAST(SUM(c.column6) AS BIGINT), {} {} \
         FROM (SELECT v.*, (v.column7 * COALESCE(v.column8, s.probability) + 50) / 100 AS weighted \
               FROM (VALUES {rows}) v JOIN stages s ON s.id = v.column3) c \
         GROUP BY c.column1, c.column2, c.column3, c.column4, c.column5",
        part("c.column7", ","),
        part("c.weighted", ""),
    );
    let mut values = Vec::with_capacity(shares.len() * 8);
    for (sign, share) in shares {
        values.extend(key_values(&share.key));
        values.extend([Value::from(*sign), Value::from(share.amount_minor), Value::from(share.own_probability.map(i32::from))]);
    }
    conn.execute_raw(statement(backend, &sql, values)).await?;
    Ok(())
}

fn key_values(key: &Key) -> Vec<Value> {
    vec![key.workspace_id.into(), key.pipeline_id.into(), key.stage_id.into(), key.owner_id.into(), key.currency.clone().into()]
}

/// Counts a stage's figures again from its deals, appending what makes the kept ones (folded
/// and not) equal the count: after its probability changed, and by `kariz repair --rollups`.
/// The stage's exclusive lock keeps its changes out meanwhile; a fold moves changes without
/// changing their sum, so it may run alongside.
pub(crate) async fn recount_stage<C: ConnectionTrait>(conn: &C, workspace_id: Uuid, stage_id: Uuid) -> StoreResult<()> {
    lock_stages(conn, &BTreeSet::from([stage_id]), "pg_advisory_xact_lock").await?;
    let negated = |table: &str| {
        format!(
            "SELECT {KEY}, -deal_count AS deal_count, -amount_high AS amount_high, -amount_low AS amount_low, \
               -weighted_high AS weighted_high, -weighted_low AS weighted_low FROM {table} WHERE workspace_id = ? AND stage_id = ?"
        )
    };
    let sum = |column: &str| format!("CAST(SUM({column}) AS BIGINT)");
    let sql = format!(
        "INSERT INTO deal_rollup_deltas ({KEY}, {FIGURES}) \
         SELECT {KEY}, {}, {}, {}, {}, {} FROM ( \
           SELECT d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency, COUNT(*) AS deal_count, {}, {} \
           FROM deals d JOIN stages s ON s.id = d.stage_id \
           WHERE d.workspace_id = ? AND d.stage_id = ? AND d.status = 'open' \
           GROUP BY d.workspace_id, d.pipeline_id, d.stage_id, d.owner_id, d.currency \
           UNION ALL {} UNION ALL {}) x \
         GROUP BY {KEY}",
        sum("deal_count"),
        sum("amount_high"),
        sum("amount_low"),
        sum("weighted_high"),
        sum("weighted_low"),
        split_sum("d.amount_minor", "amount"),
        split_sum(WEIGHTED_AMOUNT, "weighted"),
        negated("deal_rollups"),
        negated("deal_rollup_deltas"),
    );
    let values: Vec<Value> = [workspace_id, stage_id].repeat(3).into_iter().map(Value::from).collect();
    conn.execute_raw(statement(conn.get_database_backend(), &sql, values)).await?;
    Ok(())
}

/// Folds the appended changes into `deal_rollups` (an upsert per figure's key), deletes a
/// figure's row that no deal is left in — so that the table holds exactly what a recount finds
/// — and returns the number of keys folded. On PostgreSQL the changes are deleted and folded
/// in one statement, so a change committed meanwhile waits for the next fold; on SQLite the
/// writers take turns.
async fn fold<C: ConnectionTrait>(conn: &C) -> StoreResult<usize> {
    let backend = conn.get_database_backend();
    let sums = format!(
        "SELECT {KEY}, CAST(SUM(deal_count) AS BIGINT), CAST(SUM(amount_high) AS BIGINT), CAST(SUM(amount_low) AS BIGINT), \
           CAST(SUM(weighted_high) AS BIGINT), CAST(SUM(weighted_low) AS BIGINT)"
    );
    let upsert = format!(
        "INSERT INTO deal_rollups ({KEY}, {FIGURES}) {{source}} \
         ON CONFLICT ({KEY}) DO UPDATE SET \
           deal_count = deal_rollups.deal_count + excluded.deal_count, \
           amount_high = deal_rollups.amount_high + excluded.amount_high, \
           amount_low = deal_rollups.amount_low + excluded.amount_low, \
           weighted_high = deal_rollups.weighted_high + excluded.weighted_high, \
           weighted_low = deal_rollups.weighted_low + excluded.weighted_low \
         RETURNING {KEY}, deal_count"
    );
    let folded = match backend {
        DatabaseBackend::Postgres => {
            let source = format!("{sums} FROM gone GROUP BY {KEY}");
            let sql =
                format!("WITH gone AS (DELETE FROM deal_rollup_deltas RETURNING {KEY}, {FIGURES}) {}", upsert.replace("{source}", &source));
            conn.query_all_raw(statement(backend, &sql, vec![])).await?
        }
        _ => {
            // `WHERE true` tells SQLite's parser that `ON CONFLICT` is the upsert's.
            let source = format!("{sums} FROM deal_rollup_deltas WHERE true GROUP BY {KEY}");
            let folded = conn.query_all_raw(statement(backend, &upsert.replace("{source}", &source), vec![])).await?;
            conn.execute_raw(statement(backend, "DELETE FROM deal_rollup_deltas", vec![])).await?;
            folded
        }
    };
    for row in &folded {
        if row.try_get::<i64>("", "deal_count")? != 0 {
            continue;
        }
        let key = Key {
            workspace_id: row.try_get("", "workspace_id")?,
            pipeline_id: row.try_get("", "pipeline_id")?,
            stage_id: row.try_get("", "stage_id")?,
            owner_id: row.try_get("", "owner_id")?,
            currency: row.try_get("", "currency")?,
        };
        let sql = "DELETE FROM deal_rollups WHERE workspace_id = ? AND pipeline_id = ? AND stage_id = ? AND owner_id = ? \
                   AND currency = ? AND deal_count = 0";
        conn.execute_raw(statement(backend, sql, key_values(&key))).await?;
    }
    Ok(folded.len())
}

/// Lifts PostgreSQL's statement timeout for the rest of a repair's transaction: a recount of
/// ten million history rows runs longer than a request may, and an operator's repair is meant
/// to finish (the server's pool sets 15 s by default).
async fn without_statement_timeout<C: ConnectionTrait>(conn: &C) -> StoreResult<()> {
    if conn.get_database_backend() == DatabaseBackend::Postgres {
        conn.execute_raw(statement(DatabaseBackend::Postgres, "SET LOCAL statement_timeout = 0", vec![])).await?;
    }
    Ok(())
}

impl Store {
    /// Counts every stage's figures again from its deals (`kariz repair --rollups`), a stage per
    /// transaction, telling `progress` how many of how many stages are done, then stage
    /// conversion's kept moves from the stage history, and folds the corrections in. Returns the
    /// number of stages counted.
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
            without_statement_timeout(work.conn()).await?;
            recount_stage(work.conn(), workspace_id, stage_id).await?;
            work.commit_bookkeeping().await?;
            progress(done as u64 + 1, total);
        }
        let work = self.begin().await?;
        without_statement_timeout(work.conn()).await?;
        crate::stage_moves::recount(work.conn()).await?;
        work.commit_bookkeeping().await?;
        self.fold_rollups().await?;
        Ok(total)
    }

    /// Folds the appended changes of the board's figures and of stage conversion's moves
    /// (`stage_moves`) into their rows, if there are any and no other replica is folding them;
    /// returns the number of keys folded.
    pub async fn fold_rollups(&self) -> StoreResult<usize> {
        let backend = self.backend();
        let any = "SELECT 1 AS one FROM deal_rollup_deltas UNION ALL SELECT 1 AS one FROM stage_move_deltas LIMIT 1";
        if self.db.query_one_raw(statement(backend, any, vec![])).await?.is_none() {
            return Ok(0);
        }
        let work = self.begin().await?;
        if backend == DatabaseBackend::Postgres {
            let sql = "SELECT pg_try_advisory_xact_lock(hashtextextended('deal-rollups:fold', 0)) AS locked";
            let row = work.conn().query_one_raw(statement(backend, sql, vec![])).await?;
            if !row.map(|row| row.try_get::<bool>("", "locked")).transpose()?.unwrap_or(false) {
                return Ok(0);
            }
        }
        let folded = fold(work.conn()).await? + crate::stage_moves::fold(work.conn()).await?;
        work.commit_bookkeeping().await?;
        Ok(folded)
    }

    /// Folds the board figures' changes every `interval` until the store is closed, so that the
    /// board sums few of them.
    pub async fn fold_rollups_forever(&self, interval: std::time::Duration) {
        while !self.is_closed() {
            if let Err(err) = self.fold_rollups().await {
                tracing::warn!(error = %err, "could not fold the board's figures; retrying");
            }
            tokio::time::sleep(interval).await;
        }
    }
}
