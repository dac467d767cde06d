//! Sign-in throttling that slows guessing down without handing attackers a lockout.
//!
//! Wrong passwords are counted per (email, client address). The first few from an address cost
//! nothing (typos happen); after them, each further failure makes that address wait before its
//! next attempt at that email, twice as long each time (1 s, 2 s, 4 s, … up to the window), so
//! one address guesses a handful of passwords per window instead of thousands.
//!
//! Failures are also counted per email across all addresses, with a looser bound. Past it the
//! account is under a distributed attack: every address that has failed for this email in the
//! window is refused until the window ends, and an address that fails from then on is refused
//! after that one failure. An address that has not been failing is never refused, so the user,
//! signing in from their usual address with the right password, always gets in; a botnet gets
//! at most one guess per address per window.
//!
//! A refusal comes before the password is checked: a throttled guess costs no hashing and
//! learns nothing, even when it is right. Counted in this process, or — when limits are shared
//! (`shared_limits.rs`) — in the store every replica counts in, under keys that name the email
//! only by its SHA-256.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, TimeDelta, Utc};

use kariz_domain::Email;
use kariz_persistence::shared_limits::WindowFrom;

use crate::shared_limits::SharedCounters;

/// Entries beyond this many are pruned of expired ones, so a flood of made-up emails or
/// addresses cannot grow the tables without bound.
const PRUNE_ABOVE: usize = 10_000;
/// The first delay after the free failures; it doubles with each failure after.
const FIRST_DELAY: Duration = Duration::from_secs(1);

/// How sign-in failures are throttled.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ThrottleSettings {
    /// Wrong passwords from one address for one email that cost no wait.
    pub free_failures: u32,
    /// Wrong passwords for one email from all addresses together before every failing address
    /// is refused for the rest of the window.
    pub email_max_failures: u32,
    /// How long failures are remembered, and the longest wait.
    pub window: Duration,
}

impl Default for ThrottleSettings {
    fn default() -> ThrottleSettings {
        ThrottleSettings { free_failures: 3, email_max_failures: 50, window: Duration::from_secs(15 * 60) }
    }
}

/// Failures of one address at one email.
#[derive(Debug)]
struct AddressFailures {
    count: u32,
    last: DateTime<Utc>,
    /// No attempt before this.
    wait_until: DateTime<Utc>,
}

/// Failures at one email from every address, in a window that began with the first.
#[derive(Debug)]
struct EmailFailures {
    count: u32,
    since: DateTime<Utc>,
}

#[derive(Debug, Default)]
struct Tables {
    by_address: HashMap<(Email, IpAddr), AddressFailures>,
    by_email: HashMap<Email, EmailFailures>,
}

pub struct SignInThrottle {
    settings: ThrottleSettings,
    tables: Mutex<Tables>,
    /// The counters every replica shares; this process's tables count when they fail.
    shared: Option<SharedCounters>,
}

impl SignInThrottle {
    pub fn new(settings: ThrottleSettings, shared: Option<SharedCounters>) -> SignInThrottle {
        SignInThrottle { settings, tables: Mutex::new(Tables::default()), shared }
    }

    fn tables(&self) -> std::sync::MutexGuard<'_, Tables> {
        self.tables.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// `Err(wait)` when `address` may not try `email` now.
    pub async fn check(&self, email: &Email, address: IpAddr, now: DateTime<Utc>) -> Result<(), Duration> {
        if let Some(shared) = &self.shared {
            let keys = SharedKeys::new(email, address);
            match shared.failures(&[&keys.address, &keys.email]).await {
                Ok(found) => {
                    let at = |us: i64| DateTime::from_timestamp_micros(us).unwrap_or(now);
                    let mine = found.get(&keys.address).map(|f| AddressFailures {
                        count: 0,
                        last: at(f.last_us),
                        wait_until: at(f.wait_until_us),
                    });
                    let all = found
                        .get(&keys.email)
                        .map(|f| EmailFailures { count: u32::try_from(f.count).unwrap_or(u32::MAX), since: at(f.since_us) });
                    return decide(self.settings, mine.as_ref(), all.as_ref(), now);
                }
                Err(err) => tracing::warn!(error = %err, "shared sign-in throttle unavailable; counting in this process"),
            }
        }
        let tables = self.tables();
        decide(self.settings, tables.by_address.get(&(email.clone(), address)), tables.by_email.get(email), now)
    }

    /// Records a wrong password from `address` for `email`.
    pub async fn failed(&self, email: &Email, address: IpAddr, now: DateTime<Utc>) {
        if let Some(shared) = &self.shared {
            match self.failed_shared(shared, email, address, now).await {
                Ok(()) => return,
                Err(err) => tracing::warn!(error = %err, "shared sign-in throttle unavailable; counting in this process"),
            }
        }
        self.failed_local(email, address, now);
    }

    async fn failed_shared(&self, shared: &SharedCounters, email: &Email, address: IpAddr, now: DateTime<Utc>) -> anyhow::Result<()> {
        let keys = SharedKeys::new(email, address);
        let (now_us, window_us) = (now.timestamp_micros(), i64::try_from(self.settings.window.as_micros()).unwrap_or(i64::MAX));
        let mine = shared.count_failure(&keys.address, now_us, window_us, WindowFrom::Last).await?;
        let delay = delay_after(u32::try_from(mine.count).unwrap_or(u32::MAX), self.settings);
        let wait_until = now_us.saturating_add(i64::try_from(delay.as_micros()).unwrap_or(i64::MAX));
        shared.set_failure_wait(&keys.address, mine.count, wait_until).await?;
        shared.count_failure(&keys.email, now_us, window_us, WindowFrom::First).await?;
        Ok(())
    }

    fn failed_local(&self, email: &Email, address: IpAddr, now: DateTime<Utc>) {
        let settings = self.settings;
        let window = span(settings.window);
        let mut tables = self.tables();
        if tables.by_address.len() > PRUNE_ABOVE {
            tables.by_address.retain(|_, f| now < f.last + window);
        }
        if tables.by_email.len() > PRUNE_ABOVE {
            tables.by_email.retain(|_, f| now < f.since + window);
        }
        let mine = tables.by_address.entry((email.clone(), address)).or_insert(AddressFailures { count: 0, last: now, wait_until: now });
        if now >= mine.last + window {
            *mine = AddressFailures { count: 0, last: now, wait_until: now };
        }
        mine.count += 1;
        mine.last = now;
        mine.wait_until = now + span(delay_after(mine.count, settings));
        let all = tables.by_email.entry(email.clone()).or_insert(EmailFailures { count: 0, since: now });
        if now >= all.since + window {
            *all = EmailFailures { count: 0, since: now };
        }
        all.count += 1;
    }

    /// Forgets the failures of `address` at `email` once it signed in. The email's count stays:
    /// an attack from elsewhere goes on whether or not the user signed in meanwhile.
    #[cfg(test)]
    fn check_local(&self, email: &Email, address: IpAddr, now: DateTime<Utc>) -> Result<(), Duration> {
        let tables = self.tables();
        decide(self.settings, tables.by_address.get(&(email.clone(), address)), tables.by_email.get(email), now)
    }

    #[cfg(test)]
    fn succeeded_local(&self, email: &Email, address: IpAddr) {
        self.tables().by_address.remove(&(email.clone(), address));
    }

    pub async fn succeeded(&self, email: &Email, address: IpAddr) {
        if let Some(shared) = &self.shared
            && let Err(err) = shared.forget_failures(&SharedKeys::new(email, address).address).await
        {
            tracing::warn!(error = %err, "shared sign-in throttle unavailable");
        }
        self.tables().by_address.remove(&(email.clone(), address));
    }
}

/// Whether `address`, with its failures `mine` at an email that has `all` from every address,
/// may try now.
fn decide(
    settings: ThrottleSettings,
    mine: Option<&AddressFailures>,
    all: Option<&EmailFailures>,
    now: DateTime<Utc>,
) -> Result<(), Duration> {
    let window = span(settings.window);
    let Some(mine) = mine.filter(|f| now < f.last + window) else {
        // An address that has not been failing is never refused.
        return Ok(());
    };
    if now < mine.wait_until {
        return Err((mine.wait_until - now).to_std().unwrap_or_default());
    }
    match all {
        Some(all) if all.count >= settings.email_max_failures && now < all.since + window => {
            Err((all.since + window - now).to_std().unwrap_or_default())
        }
        _ => Ok(()),
    }
}

/// The shared store's keys of an address's failures at an email and of the email's from all.
struct SharedKeys {
    address: String,
    email: String,
}

impl SharedKeys {
    fn new(email: &Email, address: IpAddr) -> SharedKeys {
        let digest = crate::credentials::tokens::refresh_token_hash(email.as_str());
        SharedKeys { address: format!("a:{digest}:{address}"), email: format!("e:{digest}") }
    }
}

/// `duration` as a span of the clock's time.
fn span(duration: Duration) -> TimeDelta {
    TimeDelta::from_std(duration).unwrap_or(TimeDelta::MAX)
}

/// The wait after an address's `failures`-th wrong password: none for the free ones, then 1 s,
/// 2 s, 4 s, … up to the window.
fn delay_after(failures: u32, settings: ThrottleSettings) -> Duration {
    let Some(beyond) = failures.checked_sub(settings.free_failures + 1) else { return Duration::ZERO };
    FIRST_DELAY.saturating_mul(1u32.checked_shl(beyond).unwrap_or(u32::MAX)).min(settings.window)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn email(raw: &str) -> Email {
        Email::parse(raw).unwrap()
    }

    const A: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(203, 0, 113, 1));
    const B: IpAddr = IpAddr::V4(std::net::Ipv4Addr::new(198, 51, 100, 2));

    fn settings() -> ThrottleSettings {
        ThrottleSettings { free_failures: 2, email_max_failures: 5, window: Duration::from_secs(60) }
    }

    #[test]
    fn delays_grow_after_the_free_failures_up_to_the_window() {
        let waits: Vec<u64> = (1..=10).map(|n| delay_after(n, settings()).as_secs()).collect();
        assert_eq!(waits, [0, 0, 1, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(delay_after(u32::MAX, settings()), Duration::from_secs(60));
    }

    #[test]
    fn a_failing_address_waits_and_others_do_not() {
        let throttle = SignInThrottle::new(settings(), None);
        let (sara, start) = (email("sara@x.test"), DateTime::from_timestamp(1_800_000_000, 0).unwrap());
        for _ in 0..3 {
            assert!(throttle.check_local(&sara, A, start).is_ok());
            throttle.failed_local(&sara, A, start);
        }
        assert_eq!(throttle.check_local(&sara, A, start), Err(Duration::from_secs(1)));
        assert!(throttle.check_local(&sara, B, start).is_ok(), "another address");
        assert!(throttle.check_local(&email("omid@x.test"), A, start).is_ok(), "another email");
        assert!(throttle.check_local(&sara, A, start + TimeDelta::seconds(1)).is_ok(), "the wait is over");
        throttle.succeeded_local(&sara, A);
        throttle.failed_local(&sara, A, start);
        assert!(throttle.check_local(&sara, A, start).is_ok(), "a success starts the count again");
    }

    #[test]
    fn past_the_email_bound_failing_addresses_are_refused_and_fresh_ones_are_not() {
        let throttle = SignInThrottle::new(settings(), None);
        let (sara, start) = (email("sara@x.test"), DateTime::from_timestamp(1_800_000_000, 0).unwrap());
        let address = |n: u8| IpAddr::V4(std::net::Ipv4Addr::new(192, 0, 2, n));
        for n in 1..=5 {
            throttle.failed_local(&sara, address(n), start);
        }
        assert!(throttle.check_local(&sara, address(1), start).is_err(), "an address that failed, within its free failures");
        assert!(throttle.check_local(&sara, B, start).is_ok(), "the user's own address");
        throttle.failed_local(&sara, address(9), start);
        assert!(throttle.check_local(&sara, address(9), start).is_err(), "a new address gets one guess");
        assert!(throttle.check_local(&sara, address(1), start + TimeDelta::seconds(60)).is_ok(), "the window ended");
    }
}
