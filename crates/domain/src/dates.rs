//! Important dates (birthdays, anniversaries, founding dates, any labelled date) and when they
//! next come round, in the calendar they are kept in: a Jalali birthday recurs on its Jalali day
//! (1 Mehr is 22 or 23 September, depending on the year).

use chrono::{Datelike, Days, NaiveDate};
pub use parsidate::ParsiDate;
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

vocabulary!(
    /// The calendar a yearly date recurs in.
    Calendar {
        Gregorian => "gregorian",
        Jalali => "jalali",
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
    #[error("a Jalali year must be between 1 and 9377 (Gregorian 622 to 9999)")]
    YearOutOfRange,
}

/// A yearly date: month and day in its calendar, with the year when it is known (for ages and
/// jubilees).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AnnualDate {
    calendar: Calendar,
    month: u32,
    day: u32,
    year: Option<i32>,
}

/// The Jalali years whose every day falls within the supported Gregorian days (up to 9999).
const JALALI_YEARS: std::ops::RangeInclusive<i32> = 1..=9377;

impl AnnualDate {
    pub fn new(calendar: Calendar, month: u32, day: u32, year: Option<i32>) -> Result<AnnualDate, DateError> {
        if calendar == Calendar::Jalali && year.is_some_and(|y| !JALALI_YEARS.contains(&y)) {
            return Err(DateError::YearOutOfRange);
        }
        // 2000 and 1403 are leap years, so 29 February and 30 Esfand are accepted unless the
        // given year refutes them.
        let exists = match calendar {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(year.unwrap_or(2000), month, day).is_some(),
            Calendar::Jalali => ParsiDate::new(year.unwrap_or(1403), month, day).is_ok(),
        };
        if !exists {
            return Err(DateError::NoSuchDay);
        }
        Ok(AnnualDate { calendar, month, day, year })
    }

    /// A Gregorian date, with its year.
    pub fn from_date(date: NaiveDate) -> AnnualDate {
        AnnualDate { calendar: Calendar::Gregorian, month: date.month(), day: date.day(), year: Some(date.year()) }
    }

    pub fn calendar(&self) -> Calendar {
        self.calendar
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

    /// The date itself on the Gregorian calendar, when its year is known.
    pub fn full_date(&self) -> Option<NaiveDate> {
        let year = self.year?;
        match self.calendar {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(year, self.month, self.day),
            Calendar::Jalali => ParsiDate::new(year, self.month, self.day).ok()?.to_gregorian().ok(),
        }
    }

    /// The year of `on` in this date's calendar.
    fn year_of(&self, on: NaiveDate) -> i32 {
        match self.calendar {
            Calendar::Gregorian => on.year(),
            Calendar::Jalali => jalali(on).year(),
        }
    }

    /// This date in `year` of its calendar, as a Gregorian day; 29 February falls on 28 February
    /// in common years, and 30 Esfand on 29 Esfand.
    pub fn in_year(&self, year: i32) -> NaiveDate {
        match self.calendar {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(year, self.month, self.day)
                .or_else(|| NaiveDate::from_ymd_opt(year, self.month, self.day - 1))
                .expect("a valid month and day, or 29 February"),
            Calendar::Jalali => ParsiDate::new(year, self.month, self.day)
                .or_else(|_| ParsiDate::new(year, self.month, self.day - 1))
                .and_then(|d| d.to_gregorian())
                .expect("a valid month and day, or 30 Esfand, in a supported year"),
        }
    }

    /// The first occurrence on or after `from`.
    pub fn next_on_or_after(&self, from: NaiveDate) -> NaiveDate {
        let year = self.year_of(from);
        let this_year = self.in_year(year);
        if this_year >= from { this_year } else { self.in_year(year + 1) }
    }

    /// Whole years since the known year at `on` (an age, or years married or in business),
    /// counted in the date's calendar.
    pub fn years_at(&self, on: NaiveDate) -> Option<i32> {
        let year = self.year?;
        let current = self.year_of(on);
        let passed = on >= self.in_year(current);
        Some(current - year - if passed { 0 } else { 1 })
    }
}

/// The first day the Jalali calendar converts (1 Farvardin 1 is 622-03-22 here).
const JALALI_FIRST_DAY: NaiveDate = NaiveDate::from_ymd_opt(622, 3, 22).expect("a valid day");

/// `day` on the Jalali calendar. A supported day before the calendar's first (a query's `today`
/// of year 1, say) reads as that first day rather than failing: no record is dated so early.
pub fn jalali(day: NaiveDate) -> ParsiDate {
    ParsiDate::from_gregorian(day.max(JALALI_FIRST_DAY))
        .or_else(|_| ParsiDate::from_gregorian(JALALI_FIRST_DAY + chrono::Days::new(1)))
        .expect("the Jalali calendar's first days convert")
}

/// The Gregorian day of a Jalali date, if there is one.
pub fn from_jalali(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    ParsiDate::new(year, month, day).ok()?.to_gregorian().ok()
}

/// The occurrence of `date` within the `days` days starting at `today` (inclusive), if any.
pub fn upcoming_within(date: &AnnualDate, today: NaiveDate, days: u32) -> Option<NaiveDate> {
    let next = date.next_on_or_after(today);
    let last = today.checked_add_days(Days::new(days.into()))?;
    (next <= last).then_some(next)
}

#[cfg(test)]
mod tests {
    #[test]
    fn days_before_the_jalali_calendar_read_as_its_first_day() {
        let early = super::jalali(NaiveDate::from_ymd_opt(1, 1, 1).unwrap());
        assert!(early.year() <= 1, "{early:?}");
        assert_eq!(super::jalali(NaiveDate::from_ymd_opt(622, 1, 1).unwrap()), super::jalali(super::JALALI_FIRST_DAY));
    }

    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn the_window_wraps_into_next_year() {
        let new_year = AnnualDate::new(Calendar::Gregorian, 1, 3, Some(1990)).unwrap();
        assert_eq!(upcoming_within(&new_year, day(2026, 12, 28), 7), Some(day(2027, 1, 3)));
        assert_eq!(upcoming_within(&new_year, day(2026, 12, 28), 5), None);
        assert_eq!(new_year.years_at(day(2027, 1, 3)), Some(37));
        assert_eq!(new_year.years_at(day(2027, 1, 2)), Some(36));
    }

    #[test]
    fn leap_day_birthdays_come_on_28_february_in_common_years() {
        let leap = AnnualDate::new(Calendar::Gregorian, 2, 29, Some(2000)).unwrap();
        assert_eq!(upcoming_within(&leap, day(2027, 2, 20), 10), Some(day(2027, 2, 28)));
        assert_eq!(upcoming_within(&leap, day(2028, 2, 20), 10), Some(day(2028, 2, 29)));
        assert_eq!(leap.years_at(day(2027, 2, 28)), Some(27));
        assert_eq!(AnnualDate::new(Calendar::Gregorian, 2, 29, Some(2001)), Err(DateError::NoSuchDay));
        assert!(AnnualDate::new(Calendar::Gregorian, 2, 29, None).is_ok());
        assert_eq!(AnnualDate::new(Calendar::Gregorian, 4, 31, None), Err(DateError::NoSuchDay));
    }

    #[test]
    fn today_counts_as_upcoming() {
        let date = AnnualDate::new(Calendar::Gregorian, 11, 26, None).unwrap();
        assert_eq!(upcoming_within(&date, day(2026, 11, 26), 0), Some(day(2026, 11, 26)));
    }

    #[test]
    fn a_jalali_date_recurs_on_its_jalali_day() {
        // 1 Mehr: 23 September 2023 (1402), 22 September 2024 (1403), 23 September 2025 (1404).
        let first_of_mehr = AnnualDate::new(Calendar::Jalali, 7, 1, Some(1370)).unwrap();
        assert_eq!(first_of_mehr.next_on_or_after(day(2023, 9, 1)), day(2023, 9, 23));
        assert_eq!(first_of_mehr.next_on_or_after(day(2024, 9, 1)), day(2024, 9, 22));
        assert_eq!(first_of_mehr.next_on_or_after(day(2025, 9, 1)), day(2025, 9, 23));
        assert_eq!(first_of_mehr.full_date(), Some(day(1991, 9, 23)));
        // Turning 33 on 1 Mehr 1403, and still 33 the day before 1 Mehr 1404.
        assert_eq!(first_of_mehr.years_at(day(2024, 9, 22)), Some(33));
        assert_eq!(first_of_mehr.years_at(day(2025, 9, 22)), Some(33));
        assert_eq!(first_of_mehr.years_at(day(2025, 9, 23)), Some(34));
    }

    #[test]
    fn nowruz_wraps_into_the_next_jalali_year_and_30_esfand_comes_on_29_esfand_in_common_years() {
        let nowruz = AnnualDate::new(Calendar::Jalali, 1, 1, None).unwrap();
        // 1 Farvardin 1405 is 21 March 2026.
        assert_eq!(upcoming_within(&nowruz, day(2026, 3, 15), 10), Some(day(2026, 3, 21)));
        assert_eq!(upcoming_within(&nowruz, day(2026, 3, 22), 300), None);
        let last_of_esfand = AnnualDate::new(Calendar::Jalali, 12, 30, None).unwrap();
        // 1403 is a leap year (30 Esfand 1403 = 20 March 2025); 1404 is not (29 Esfand 1404 =
        // 20 March 2026).
        assert_eq!(last_of_esfand.next_on_or_after(day(2025, 3, 1)), day(2025, 3, 20));
        assert_eq!(last_of_esfand.next_on_or_after(day(2026, 3, 1)), day(2026, 3, 20));
        assert_eq!(AnnualDate::new(Calendar::Jalali, 12, 30, Some(1404)), Err(DateError::NoSuchDay));
        assert_eq!(AnnualDate::new(Calendar::Jalali, 7, 31, None), Err(DateError::NoSuchDay));
        assert_eq!(AnnualDate::new(Calendar::Jalali, 6, 31, None).map(|d| d.day()), Ok(31));
        assert_eq!(AnnualDate::new(Calendar::Jalali, 1, 1, Some(9378)), Err(DateError::YearOutOfRange));
    }
}
