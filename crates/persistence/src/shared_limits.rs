//! Counters that replicas share in the database: each limited key's GCRA state and the sign-in
//! throttle's failure counts (migration `000029_shared_limits`). Every operation is one atomic
//! statement, so two replicas counting the same key at once both count. These are not business
//! data: they are written outside the unit of work and never audited. Times are microseconds
//! since the Unix epoch, as the limiters keep them.

use std::collections::HashMap;

use sea_orm::ConnectionTrait;

use crate::error::StoreResult;
use crate::sql::statement;
use crate::store::Store;

/// What one request against a GCRA key decided.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Gcra {
    /// Counted; the key's new theoretical arrival time.
    Allowed { tat_us: i64 },
    /// Refused; the key's theoretical arrival time, unchanged.
    Refused { tat_us: i64 },
}

/// The failures counted under one throttle key.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FailureCount {
    pub count: i64,
    /// The first failure of the current window.
    pub since_us: i64,
    pub last_us: i64,
    /// No attempt before this.
    pub wait_until_us: i64,
}

/// Which failure starts a throttle key's window again once `window` has passed since it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowFrom {
    /// The last failure (an address's failures at one email).
    Last,
    /// The first failure (an email's failures from every address).
    First,
}

impl Store {
    /// One request against `key`: allowed when, after it, the key's theoretical arrival time is
    /// at most `burst_us` ahead of `now_us`; each allowed request moves it `interval_us` on.
    pub async fn take_shared_rate_limit(&self, key: &str, interval_us: i64, burst_us: i64, now_us: i64) -> StoreResult<Gcra> {
        let backend = self.backend();
        let next = "(CASE WHEN rate_limit_states.tat_us > ? THEN rate_limit_states.tat_us ELSE ? END) + ?";
        let sql = format!(
            "INSERT INTO rate_limit_states (key, tat_us) VALUES (?, ?) \
             ON CONFLICT (key) DO UPDATE SET tat_us = {next} WHERE {next} - ? <= ? RETURNING tat_us"
        );
        let values = vec![
            key.into(),
            (now_us + interval_us).into(),
            now_us.into(),
            now_us.into(),
            interval_us.into(),
            now_us.into(),
            now_us.into(),
            interval_us.into(),
            now_us.into(),
            burst_us.into(),
        ];
        if let Some(row) = self.db.query_one_raw(statement(backend, &sql, values)).await? {
            return Ok(Gcra::Allowed { tat_us: row.try_get("", "tat_us")? });
        }
        let row = self.db.query_one_raw(statement(backend, "SELECT tat_us FROM rate_limit_states WHERE key = ?", vec![key.into()])).await?;
        let tat_us = match row {
            Some(row) => row.try_get("", "tat_us")?,
            None => now_us,
        };
        Ok(Gcra::Refused { tat_us })
    }

    /// The failures counted under `keys` (missing keys have none).
    pub async fn shared_failures(&self, keys: &[&str]) -> StoreResult<HashMap<String, FailureCount>> {
        if keys.is_empty() {
            return Ok(HashMap::new());
        }
        let marks = vec!["?"; keys.len()].join(", ");
        let sql = format!("SELECT key, count, since_us, last_us, wait_until_us FROM sign_in_failures WHERE key IN ({marks})");
        let rows = self.db.query_all_raw(statement(self.backend(), &sql, keys.iter().map(|k| (*k).into()).collect())).await?;
        rows.iter()
            .map(|row| {
                let count = FailureCount {
                    count: row.try_get("", "count")?,
                    since_us: row.try_get("", "since_us")?,
                    last_us: row.try_get("", "last_us")?,
                    wait_until_us: row.try_get("", "wait_until_us")?,
                };
                Ok((row.try_get::<String>("", "key")?, count))
            })
            .collect()
    }

    /// Counts one failure under `key`, in a new window when `window_us` has passed since the
    /// failure `from` names; answers the count after it.
    pub async fn count_shared_failure(&self, key: &str, now_us: i64, window_us: i64, from: WindowFrom) -> StoreResult<FailureCount> {
        let reference = match from {
            WindowFrom::Last => "sign_in_failures.last_us",
            WindowFrom::First => "sign_in_failures.since_us",
        };
        let expired = format!("{reference} + ? <= ?");
        let sql = format!(
            "INSERT INTO sign_in_failures (key, count, since_us, last_us, wait_until_us) VALUES (?, 1, ?, ?, ?) \
             ON CONFLICT (key) DO UPDATE SET \
               count = CASE WHEN {expired} THEN 1 ELSE sign_in_failures.count + 1 END, \
               since_us = CASE WHEN {expired} THEN ? ELSE sign_in_failures.since_us END, \
               wait_until_us = CASE WHEN {expired} THEN ? ELSE sign_in_failures.wait_until_us END, \
               last_us = ? \
             RETURNING count, since_us, last_us, wait_until_us"
        );
        let values = vec![
            key.into(),
            now_us.into(),
            now_us.into(),
            now_us.into(),
            window_us.into(),
            now_us.into(),
            window_us.into(),
            now_us.into(),
            now_us.into(),
            window_us.into(),
            now_us.into(),
            now_us.into(),
            now_us.into(),
        ];
        let row = self.db.query_one_raw(statement(self.backend(), &sql, values)).await?;
        let row = row.ok_or(crate::error::StoreError::NotFound("sign-in failure count"))?;
        Ok(FailureCount {
            count: row.try_get("", "count")?,
            since_us: row.try_get("", "since_us")?,
            last_us: row.try_get("", "last_us")?,
            wait_until_us: row.try_get("", "wait_until_us")?,
        })
    }

    /// Sets the wait after the failure counted as `count` under `key`, unless a later failure
    /// was counted meanwhile (its own wait is the one that holds).
    pub async fn set_shared_failure_wait(&self, key: &str, count: i64, wait_until_us: i64) -> StoreResult<()> {
        let sql = "UPDATE sign_in_failures SET wait_until_us = ? WHERE key = ? AND count = ?";
        self.db.execute_raw(statement(self.backend(), sql, vec![wait_until_us.into(), key.into(), count.into()])).await?;
        Ok(())
    }

    /// Forgets the failures under `key`.
    pub async fn forget_shared_failures(&self, key: &str) -> StoreResult<()> {
        self.db.execute_raw(statement(self.backend(), "DELETE FROM sign_in_failures WHERE key = ?", vec![key.into()])).await?;
        Ok(())
    }

    /// Deletes GCRA states that are full buckets again and failure counts older than
    /// `window_us` (housekeeping).
    pub async fn purge_shared_limits(&self, now_us: i64, window_us: i64) -> StoreResult<u64> {
        let backend = self.backend();
        let states = self.db.execute_raw(statement(backend, "DELETE FROM rate_limit_states WHERE tat_us < ?", vec![now_us.into()])).await?;
        let failures = self
            .db
            .execute_raw(statement(
                backend,
                "DELETE FROM sign_in_failures WHERE last_us < ? AND since_us < ?",
                vec![(now_us - window_us).into(), (now_us - window_us).into()],
            ))
            .await?;
        Ok(states.rows_affected() + failures.rows_affected())
    }
}
