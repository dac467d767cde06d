//! Important dates (birthdays, anniversaries, founding dates, any labelled date) and when they
//! next come round.

use chrono::{Datelike, Days, NaiveDate};
use thiserror::Error;

use crate::vocabulary::vocabulary;

vocabulary!(
    /// What an important date marks.
    DateKind {
        Birthday => "birthday",
        Anniversary => "anniversary",
        Founding => "founding",
        Custom => "custom",
    }
);

/// The days any date or timestamp may fall on: years 1 to 9999, what both databases store and
/// compare correctly (PostgreSQL refuses timestamps before 4713 BC and after 294276 AD, and SQLite
/// compares dates as text, which orders only four-digit years).
pub const EARLIEST_DAY: NaiveDate = NaiveDate::from_ymd_opt(1, 1, 1).expect("a valid day");
pub const LATEST_DAY: NaiveDate = NaiveDate::from_ymd_opt(9999, 12, 31).expect("a valid day");

#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("must be between 0001-01-01 and 9999-12-31")]
pub struct OutOfRange;

/// `day` when it lies within [`EARLIEST_DAY`]…[`LATEST_DAY`].
pub fn supported_day(day: NaiveDate) -> Result<NaiveDate, OutOfRange> {
    if (EARLIEST_DAY..=LATEST_DAY).contains(&day) { Ok(day) } else { Err(OutOfRange) }
}

/// `instant` when its UTC day lies within [`EARLIEST_DAY`]…[`LATEST_DAY`].
pub fn supported_instant(instant: chrono::DateTime<chrono::Utc>) -> Result<chrono::DateTime<chrono::Utc>, OutOfRange> {
    supported_day(instant.date_naive()).map(|_| instant)
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum DateError {
    #[error("no such day of the year")]
    NoSuchDay,
    #[error("a custom date needs a label")]
    MissingLabel,
}

/// A yearly date: month and day, with the year when it is known (for ages and jubilees).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnnualDate {
    month: u32,
    day: u32,
    year: Option<i32>,
}

impl AnnualDate {
    pub fn new(month: u32, day: u32, year: Option<i32>) -> Result<AnnualDate, DateError> {
        // 2000 is a leap year, so 29 February is accepted unless the given year refutes it.
        NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).ok_or(DateError::NoSuchDay)?;
        Ok(AnnualDate { month, day, year })
    }

    pub fn from_date(date: NaiveDate) -> AnnualDate {
        AnnualDate { month: date.month(), day: date.day(), year: Some(date.year()) }
    }

    pub fn month(&self) -> u32 {
        self.month
    }

    pub fn day(&self) -> u32 {
        self.day
    }

    pub fn year(&self) -> Option<i32> {
        self.year
    }

    /// The date itself, when its year is known.
    pub fn full_date(&self) -> Option<NaiveDate> {
        self.year.and_then(|y| NaiveDate::from_ymd_opt(y, self.month, self.day))
    }

    /// This date in `year`; 29 February falls on 28 February in common years.
    pub fn in_year(&self, year: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(year, self.month, self.day)
            .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
            .expect("a valid month and day, or 29 February")
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(&self, from: NaiveDate) -> NaiveDate {
        let this_year = self.in_year(from.year());
        if this_year >= from { this_year } else { self.in_year(from.year() + 1) }
    }

    /// Whole years since the known year at `on` (an age, or years married or in business).
    pub fn years_at(&self, on: NaiveDate) -> Option<i32> {
        let year = self.year?;
        let passed = (on.month(), on.day()) >= (self.month, self.day) || on == self.in_year(on.year());
        Some(on.year() - year - if passed { 0 } else { 1 })
    }
}

/// The occurrence of `date` within the `days` days starting at `today` (inclusive), if any.
pub fn upcoming_within(date: &AnnualDate, today: NaiveDate, days: u32) -> Option<NaiveDate> {
    let next = date.next_on_or_after(today);
    let last = today.checked_add_days(Days::new(days.into()))?;
    (next <= last).then_some(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_window_wraps_into_next_year() {
        let new_year = AnnualDate::new(1, 3, Some(1990)).unwrap();
        assert_eq!(upcoming_within(&new_year, day(2026, 12, 28), 7), Some(day(2027, 1, 3)));
        assert_eq!(upcoming_within(&new_year, day(2026, 12, 28), 5), None);
        assert_eq!(new_year.years_at(day(2027, 1, 3)), Some(37));
        assert_eq!(new_year.years_at(day(2027, 1, 2)), Some(36));
    }

    #[test]
    fn leap_day_birthdays_come_on_28_february_in_common_years() {
        let leap = AnnualDate::new(2, 29, Some(2000)).unwrap();
        assert_eq!(upcoming_within(&leap, day(2027, 2, 20), 10), Some(day(2027, 2, 28)));
        assert_eq!(upcoming_within(&leap, day(2028, 2, 20), 10), Some(day(2028, 2, 29)));
        assert_eq!(leap.years_at(day(2027, 2, 28)), Some(27));
        assert_eq!(AnnualDate::new(2, 29, Some(2001)), Err(DateError::NoSuchDay));
        assert!(AnnualDate::new(2, 29, None).is_ok());
        assert_eq!(AnnualDate::new(4, 31, None), Err(DateError::NoSuchDay));
    }

    #[test]
    fn today_counts_as_upcoming() {
        let date = AnnualDate::new(11, 26, None).unwrap();
        assert_eq!(upcoming_within(&date, day(2026, 11, 26), 0), Some(day(2026, 11, 26)));
    }
}
