//! Win probability as a whole percentage.

use serde::Serialize;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("probability must be between 0 and 100")]
pub struct ProbabilityError;

/// A percentage from 0 to 100 inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(transparent)]
pub struct Probability(u8);

impl Probability {
    pub const ZERO: Probability = Probability(0);
    pub const CERTAIN: Probability = Probability(100);

    pub fn new(percent: i64) -> Result<Self, ProbabilityError> {
        u8::try_from(percent).ok().filter(|p| *p <= 100).map(Probability).ok_or(ProbabilityError)
    }

    pub fn percent(self) -> u8 {
        self.0
    }

    /// `amount × probability`, rounded half away from zero, in the amount's minor units.
    pub fn weigh(self, amount_minor: i64) -> i64 {
        let product = i128::from(amount_minor) * i128::from(self.0);
        let rounded = if product >= 0 { (product + 50) / 100 } else { (product - 50) / 100 };
        // |amount × p / 100| ≤ |amount|, so this always fits back into i64.
        rounded as i64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_only_whole_percentages() {
        for ok in [0, 1, 50, 100] {
            assert_eq!(Probability::new(ok).unwrap().percent() as i64, ok);
        }
        for bad in [-1, 101, 256, i64::MAX, i64::MIN] {
            assert_eq!(Probability::new(bad), Err(ProbabilityError));
        }
    }

    #[test]
    fn weighs_amounts_with_rounding() {
        let p = |n| Probability::new(n).unwrap();
        assert_eq!(p(50).weigh(1_000), 500);
        assert_eq!(p(33).weigh(100), 33);
        assert_eq!(p(25).weigh(10), 3); // 2.5 rounds half away from zero
        assert_eq!(p(0).weigh(i64::MAX), 0);
        assert_eq!(p(100).weigh(i64::MAX), i64::MAX);
    }
}
