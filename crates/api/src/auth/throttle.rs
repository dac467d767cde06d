//! Sign-in throttling: after a few wrong passwords for one email, further attempts are refused
//! until the window that began with the first failure has passed, so a password cannot be
//! guessed at the speed of the server. Counted in this process (each replica counts its own).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Entries beyond this many are pruned of expired windows, so a flood of made-up emails cannot
/// grow the table without bound.
const PRUNE_ABOVE: usize = 10_000;

#[derive(Debug)]
struct Failures {
    count: u32,
    since: Instant,
}

#[derive(Debug)]
pub struct SignInThrottle {
    max_failures: u32,
    window: Duration,
    failures: Mutex<HashMap<String, Failures>>,
}

impl SignInThrottle {
    pub fn new(max_failures: u32, window: Duration) -> SignInThrottle {
        SignInThrottle { max_failures, window, failures: Mutex::new(HashMap::new()) }
    }

    fn key(email: &str) -> String {
        email.trim().to_lowercase()
    }

    /// `Err(wait)` when this email has failed too often in the current window.
    pub fn check(&self, email: &str, now: Instant) -> Result<(), Duration> {
        let failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        match failures.get(&Self::key(email)) {
            Some(f) if f.count >= self.max_failures && now < f.since + self.window => Err(f.since + self.window - now),
            _ => Ok(()),
        }
    }

    pub fn failed(&self, email: &str, now: Instant) {
        let mut failures = self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if failures.len() > PRUNE_ABOVE {
            let window = self.window;
            failures.retain(|_, f| now < f.since + window);
        }
        let entry = failures.entry(Self::key(email)).or_insert(Failures { count: 0, since: now });
        if now >= entry.since + self.window {
            *entry = Failures { count: 0, since: now };
        }
        entry.count += 1;
    }

    pub fn succeeded(&self, email: &str) {
        self.failures.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).remove(&Self::key(email));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_after_the_limit_until_the_window_ends() {
        let throttle = SignInThrottle::new(3, Duration::from_secs(60));
        let start = Instant::now();
        for i in 0..3 {
            assert!(throttle.check("A@x.test", start).is_ok(), "attempt {i}");
            throttle.failed("a@x.test ", start + Duration::from_secs(i));
        }
        assert_eq!(throttle.check("a@x.test", start + Duration::from_secs(10)), Err(Duration::from_secs(50)));
        assert!(throttle.check("other@x.test", start).is_ok(), "per email");
        assert!(throttle.check("a@x.test", start + Duration::from_secs(60)).is_ok(), "the window ended");
    }

    #[test]
    fn a_success_clears_the_count() {
        let throttle = SignInThrottle::new(2, Duration::from_secs(60));
        let now = Instant::now();
        throttle.failed("a@x.test", now);
        throttle.succeeded("a@x.test");
        throttle.failed("a@x.test", now);
        assert!(throttle.check("a@x.test", now).is_ok());
    }
}
