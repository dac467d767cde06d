//! Where "now" comes from. The store, the HTTP layer and the dispatcher read the time from one
//! [`Clock`], so that tests can move it forward instead of sleeping or back-dating rows.
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

/// The system clock moved by an offset that tests set: time passes as usual, and a test that
/// needs a day to pass moves the clock a day instead of waiting. Clones share one offset.
#[derive(Clone, Debug, Default)]
pub struct ShiftedClock {
    offset: Arc<Mutex<Duration>>,
}

impl ShiftedClock {
    pub fn new() -> ShiftedClock {
        ShiftedClock::default()
    }

    /// Moves the clock forward (or back, with a negative duration).
    pub fn advance(&self, by: Duration) {
        *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) += by;
    }
}

impl Clock for ShiftedClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now() + *self.offset.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shifted_clock_moves_when_told_and_its_clones_follow() {
        let clock = ShiftedClock::new();
        let copy = clock.clone();
        let before = Utc::now();
        clock.advance(Duration::days(2));
        let shifted = copy.now();
        assert!(shifted >= before + Duration::days(2) && shifted < Utc::now() + Duration::days(2) + Duration::seconds(1));
    }
}
