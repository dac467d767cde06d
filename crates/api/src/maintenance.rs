//! Housekeeping that no request does: `kariz serve` and `kariz worker` run [`run`] beside their
//! other work, one pass a minute. Each pass is idempotent and short, so replicas may all run it.

use std::time::Duration;

use kariz_persistence::Store;
use tokio::sync::watch;

/// How often a pass runs.
pub const INTERVAL: Duration = Duration::from_secs(60);

/// One pass: finishes bulk operations whose runner stopped (`Store::resume_rescores`), purges
/// expired event-stream tickets, purges idempotency keys past their 24 hours (their answers
/// are never replayed again and must not be kept), creates the time-based notifications that fell
/// due (`Store::send_reminders`: activities due and overdue, deals rotting, important dates
/// coming), the daily digests due at 08:00 in their users' time zones (`Store::send_digests`) and
/// the expiry of quotes past their validity (`Store::expire_quotes`).
/// Each is idempotent (a unique occurrence per notification, one digest per user and day), so
/// every replica may run it. A failure is logged; the next pass tries again.
pub async fn run_once(store: &Store) {
    match store.send_reminders().await {
        Ok(counts) if counts.total() == 0 => {}
        Ok(counts) => tracing::info!(
            due = counts.due,
            overdue = counts.overdue,
            rotting = counts.rotting,
            important_dates = counts.important_dates,
            "created reminders"
        ),
        Err(err) => tracing::warn!(error = %err, "could not create the reminders"),
    }
    match store.send_digests().await {
        Ok(0) => {}
        Ok(sent) => tracing::info!(sent, "composed daily digests"),
        Err(err) => tracing::warn!(error = %err, "could not compose the daily digests"),
    }
    match store.expire_quotes().await {
        Ok(0) => {}
        Ok(expired) => tracing::info!(expired, "expired quotes past their validity"),
        Err(err) => tracing::warn!(error = %err, "could not expire quotes"),
    }
    match store.resume_rescores().await {
        Ok(0) => {}
        Ok(resumed) => tracing::info!(resumed, "finished re-scores whose runner had stopped"),
        Err(err) => tracing::warn!(error = %err, "could not finish a stalled re-score"),
    }
    match store.purge_stream_tickets().await {
        Ok(0) => {}
        Ok(purged) => tracing::debug!(purged, "purged expired stream tickets"),
        Err(err) => tracing::warn!(error = %err, "could not purge expired stream tickets"),
    }
    // Full buckets and failures older than a day (every throttle window is shorter) are gone.
    let now_us = store.now().timestamp_micros();
    match store.purge_shared_limits(now_us, 86_400_000_000).await {
        Ok(0) => {}
        Ok(purged) => tracing::debug!(purged, "purged idle shared limit counters"),
        Err(err) => tracing::warn!(error = %err, "could not purge idle shared limit counters"),
    }
    match store.purge_idempotency_keys().await {
        Ok(0) => {}
        Ok(purged) => tracing::debug!(purged, "purged expired idempotency keys"),
        Err(err) => tracing::warn!(error = %err, "could not purge expired idempotency keys"),
    }
}

/// Runs a pass every [`INTERVAL`] until `stopped` turns true.
pub async fn run(store: Store, mut stopped: watch::Receiver<bool>) {
    let mut ticks = tokio::time::interval(INTERVAL);
    ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = ticks.tick() => run_once(&store).await,
            changed = stopped.changed() => {
                if changed.is_err() || *stopped.borrow() {
                    return;
                }
            }
        }
    }
}
