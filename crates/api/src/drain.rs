//! Draining before a stop. actix stops its workers independently, and a worker with nothing to do
//! stops at once, taking down its runtime — and with it the database connections it opened, which
//! the pool shares with every worker. A request in flight on another worker would then fail. So
//! on SIGTERM the server first stops accepting, waits here until no request is in flight, and
//! only then stops the workers.

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::Notify;

#[derive(Debug, Default)]
pub struct Drain {
    in_flight: AtomicUsize,
    draining: AtomicBool,
    idle: Notify,
}

/// Counts one request in flight until dropped.
pub struct InFlight<'a>(&'a Drain);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        if self.0.in_flight.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.idle.notify_waiters();
        }
    }
}

impl Drain {
    pub fn enter(&self) -> InFlight<'_> {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
        InFlight(self)
    }

    /// From now on responses ask clients to close their connections.
    pub fn begin(&self) {
        self.draining.store(true, Ordering::Release);
    }

    pub fn is_draining(&self) -> bool {
        self.draining.load(Ordering::Acquire)
    }

    /// Waits until no request is in flight, at most `timeout`; says whether it got there.
    pub async fn until_idle(&self, timeout: Duration) -> bool {
        tokio::time::timeout(timeout, async {
            loop {
                let idle = self.idle.notified();
                if self.in_flight.load(Ordering::Acquire) == 0 {
                    return;
                }
                // A short poll as well, in case the last request ended between the load and the wait.
                let _ = tokio::time::timeout(Duration::from_millis(50), idle).await;
            }
        })
        .await
        .is_ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn waits_for_requests_in_flight() {
        let drain = std::sync::Arc::new(Drain::default());
        assert!(drain.until_idle(Duration::from_millis(10)).await, "idle when nothing runs");
        let running = drain.clone();
        let request = tokio::spawn(async move {
            let _guard = running.enter();
            tokio::time::sleep(Duration::from_millis(100)).await;
        });
        tokio::time::sleep(Duration::from_millis(20)).await;
        assert!(!drain.until_idle(Duration::from_millis(10)).await, "a request is still running");
        assert!(drain.until_idle(Duration::from_secs(2)).await);
        request.await.unwrap();
    }
}
