//! Where "now" comes from. The store, the HTTP layer and the dispatcher read the time from one
//! [`Clock`], so that tests can move it instead of sleeping or back-dating rows.
//!
//! This is the only place that reads the system's wall clock.

use std::fmt;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, Utc};

/// A source of the current time.
pub trait Clock: Send + Sync + fmt::Debug {
    fn now(&self) -> DateTime<Utc>;
}

/// A clock shared by every part of one application.
pub type SharedClock = Arc<dyn Clock>;

/// The system's wall clock: production's clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that stands still until it is moved: tests' clock. Clones share one time.
#[derive(Clone, Debug)]
pub struct ManualClock {
    now: Arc<Mutex<DateTime<Utc>>>,
}

impl ManualClock {
    /// A clock stopped at the current wall-clock time (truncated to whole microseconds, which is
    /// what both databases store, so that a time read back equals the time written).
    pub fn starting_now() -> ManualClock {
        let now = Utc::now();
        ManualClock::at(now - Duration::nanoseconds(i64::from(now.timestamp_subsec_nanos() % 1000)))
    }

    pub fn at(now: DateTime<Utc>) -> ManualClock {
        ManualClock { now: Arc::new(Mutex::new(now)) }
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += by;
    }

    pub fn set(&self, now: DateTime<Utc>) {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = now;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_manual_clock_moves_only_when_told_and_its_clones_follow() {
        let clock = ManualClock::starting_now();
        let copy = clock.clone();
        let start = clock.now();
        assert_eq!(clock.now(), start);
        clock.advance(Duration::hours(2));
        assert_eq!(copy.now(), start + Duration::hours(2));
        assert_eq!(start.timestamp_subsec_nanos() % 1000, 0);
    }
}
