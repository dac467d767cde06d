//! The arithmetic of reports: periods, calendar months, rates between counts, durations in
//! days and the median's position. Reports group in SQL; these turn the grouped figures into
//! what is shown.

use chrono::{DateTime, Datelike, Days, NaiveDate, Utc};
use serde::Serialize;
use thiserror::Error;

use crate::dates::{Calendar, jalali};
use crate::notification::TimeZone;
use crate::vocabulary::vocabulary;

vocabulary!(
    /// How long the periods of a report grouped by time are.
    Interval {
        Month => "month",
        Quarter => "quarter",
        Year => "year",
    }
);

/// Reports group by month unless asked otherwise.
#[allow(clippy::derivable_impls)]
impl Default for Interval {
    fn default() -> Interval {
        Interval::Month
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PeriodError {
    #[error("`from` must not be after `to`")]
    Reversed,
}

/// A range of whole days, both ends inclusive, either end open; the days are counted in a time
/// zone (UTC unless [`Period::in_zone`] says otherwise), so that "1 March" for a reader in
/// Tehran starts at 20:30 UTC the day before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Period {
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    zone: TimeZone,
}

impl Default for Period {
    fn default() -> Period {
        Period { from: None, to: None, zone: TimeZone::UTC }
    }
}

impl Period {
    pub fn new(from: Option<NaiveDate>, to: Option<NaiveDate>) -> Result<Period, PeriodError> {
        match (from, to) {
            (Some(from), Some(to)) if from > to => Err(PeriodError::Reversed),
            _ => Ok(Period { from, to, zone: TimeZone::UTC }),
        }
    }

    /// The same days, counted in `zone`.
    pub fn in_zone(self, zone: TimeZone) -> Period {
        Period { zone, ..self }
    }

    pub fn from(&self) -> Option<NaiveDate> {
        self.from
    }

    pub fn to(&self) -> Option<NaiveDate> {
        self.to
    }

    /// The first instant of the period: `from` at midnight in its time zone.
    pub fn start(&self) -> Option<DateTime<Utc>> {
        self.from.map(|d| self.zone.start_of(d))
    }

    /// The first instant after the period: the day after `to` at midnight in its time zone.
    pub fn end_exclusive(&self) -> Option<DateTime<Utc>> {
        self.to.and_then(|d| d.checked_add_days(Days::new(1))).map(|d| self.zone.start_of(d))
    }

    /// The day whose exchange rates convert the period's money: `to`, or `today` when the period
    /// is open-ended.
    pub fn rate_day(&self, today: NaiveDate) -> NaiveDate {
        self.to.unwrap_or(today)
    }
}

/// A calendar month, as reports group by it (in UTC), on the Gregorian or the Jalali calendar:
/// both have twelve months a year, so one index counts either, and `1405-10` is Dey 1405.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct YearMonth {
    /// Months since January of year 0: year × 12 + month − 1, as the SQL computes it.
    index: i32,
}

impl YearMonth {
    pub fn from_index(index: i32) -> YearMonth {
        YearMonth { index }
    }

    /// The Gregorian month of `date`.
    pub fn of(date: NaiveDate) -> YearMonth {
        YearMonth::new(date.year(), date.month())
    }

    /// The month of `date` on `calendar`: a Jalali month runs from its first day (1 Dey 1405 is
    /// 22 December 2026) to its last (30 Dey is 19 January 2027).
    pub fn on(calendar: Calendar, date: NaiveDate) -> YearMonth {
        match calendar {
            Calendar::Gregorian => YearMonth::of(date),
            Calendar::Jalali => {
                let day = jalali(date);
                YearMonth::new(day.year(), day.month())
            }
        }
    }

    /// `month` is 1–12.
    fn new(year: i32, month: u32) -> YearMonth {
        YearMonth { index: year * 12 + month as i32 - 1 }
    }

    pub fn index(&self) -> i32 {
        self.index
    }

    pub fn year(&self) -> i32 {
        self.index.div_euclid(12)
    }

    /// 1–12.
    pub fn month(&self) -> u32 {
        self.index.rem_euclid(12) as u32 + 1
    }

    /// 1–4: the quarter of its year. The Persian fiscal year is the Jalali year (from 1
    /// Farvardin), so on that calendar Farvardin–Khordad is the first quarter.
    pub fn quarter(&self) -> u32 {
        (self.month() - 1) / 3 + 1
    }

    /// The first month of the `interval` holding this month.
    pub fn start_of(&self, interval: Interval) -> YearMonth {
        match interval {
            Interval::Month => *self,
            Interval::Quarter => YearMonth::new(self.year(), (self.quarter() - 1) * 3 + 1),
            Interval::Year => YearMonth::new(self.year(), 1),
        }
    }

    /// The name of the `interval` holding this month: `1405-10`, `1405-Q4`, `1405`.
    pub fn label(&self, interval: Interval) -> String {
        match interval {
            Interval::Month => self.to_string(),
            Interval::Quarter => format!("{:04}-Q{}", self.year(), self.quarter()),
            Interval::Year => format!("{:04}", self.year()),
        }
    }

    /// Whole calendar months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(&self, later: YearMonth) -> i32 {
        later.index - self.index
    }
}

impl std::fmt::Display for YearMonth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{:04}-{:02}", self.year(), self.month())
    }
}

impl Serialize for YearMonth {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// `part / whole` as a percentage with two decimals (rounded half up), `None` when `whole` is 0.
pub fn percent(part: impl Into<i128>, whole: impl Into<i128>) -> Option<f64> {
    let (part, whole) = (part.into(), whole.into());
    if whole <= 0 {
        return None;
    }
    // Hundredths of a percent, in integers: part × 10,000 / whole (in halves, to round). Money
    // totals are far below 2^113, where the product would overflow; past it, scale both down.
    let scaled = match part.checked_mul(20_000).zip(whole.checked_mul(2)) {
        Some((part, double_whole)) => (part + whole) / double_whole,
        None => return percent(part / 1_000_000, whole / 1_000_000),
    };
    Some(scaled as f64 / 100.0)
}

const SECONDS_PER_DAY: i128 = 86_400;

/// The mean of `count` durations summing to `total_seconds`, in days with two decimals
/// (rounded half up); `None` when there are none.
pub fn average_days(total_seconds: i64, count: i64) -> Option<f64> {
    if count <= 0 {
        return None;
    }
    let hundredths = (i128::from(total_seconds) * 200 + SECONDS_PER_DAY * i128::from(count)) / (2 * SECONDS_PER_DAY * i128::from(count));
    Some(hundredths as f64 / 100.0)
}

/// Whole days in `seconds`, rounded down (a deal idle 2.9 days has been idle 2 whole days).
pub fn whole_days(seconds: i64) -> i64 {
    seconds.div_euclid(SECONDS_PER_DAY as i64)
}

/// Where the median sits among `count` sorted values: skip `offset` rows and read `take` (1 or
/// 2; the median of two is their mean). `None` for no values. It lets the database return the
/// one or two middle rows instead of every row.
pub fn median_window(count: i64) -> Option<(i64, i64)> {
    match count {
        n if n <= 0 => None,
        n if n % 2 == 1 => Some((n / 2, 1)),
        n => Some((n / 2 - 1, 2)),
    }
}

/// The median in days of the one or two middle values (in seconds) that `median_window` chose.
pub fn median_days(middle_seconds: &[i64]) -> Option<f64> {
    let total: i64 = middle_seconds.iter().sum();
    average_days(total, middle_seconds.len() as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn periods_cover_whole_utc_days() {
        let period = Period::new(Some(day(2026, 1, 1)), Some(day(2026, 1, 31))).unwrap();
        assert_eq!(period.start().unwrap().to_rfc3339(), "2026-01-01T00:00:00+00:00");
        assert_eq!(period.end_exclusive().unwrap().to_rfc3339(), "2026-02-01T00:00:00+00:00");
        assert_eq!(period.rate_day(day(2026, 11, 26)), day(2026, 1, 31));
        assert_eq!(Period::default().rate_day(day(2026, 11, 26)), day(2026, 11, 26));
        assert_eq!(Period::new(Some(day(2026, 2, 1)), Some(day(2026, 1, 1))), Err(PeriodError::Reversed));
        assert!(Period::new(Some(day(2026, 1, 1)), Some(day(2026, 1, 1))).is_ok(), "one day");
    }

    #[test]
    fn a_period_counts_its_days_in_its_time_zone() {
        let period = Period::new(Some(day(2026, 3, 1)), Some(day(2026, 3, 31))).unwrap();
        let utc = |raw: &str| raw.parse::<DateTime<Utc>>().unwrap();
        assert_eq!((period.start(), period.end_exclusive()), (Some(utc("2026-03-01T00:00:00Z")), Some(utc("2026-04-01T00:00:00Z"))));
        // Tehran is UTC+3:30: 1 March begins at 20:30 UTC on 28 February.
        let tehran = period.in_zone(TimeZone::parse("Asia/Tehran").unwrap());
        assert_eq!((tehran.start(), tehran.end_exclusive()), (Some(utc("2026-02-28T20:30:00Z")), Some(utc("2026-03-31T20:30:00Z"))));
        assert_eq!((tehran.from(), tehran.to()), (period.from(), period.to()));
    }

    #[test]
    fn months_count_across_years() {
        let november = YearMonth::of(day(2026, 11, 26));
        assert_eq!(november.to_string(), "2026-11");
        assert_eq!(november.index(), 2026 * 12 + 10);
        let february = YearMonth::of(day(2027, 2, 1));
        assert_eq!(november.months_until(february), 3);
        assert_eq!(february.months_until(november), -3);
        assert_eq!(YearMonth::from_index(february.index()).to_string(), "2027-02");
        assert_eq!(YearMonth::from_index(2026 * 12).to_string(), "2026-01");
        assert_eq!(serde_json::to_value(february).unwrap(), "2027-02");
    }

    #[test]
    fn jalali_months_quarters_and_years() {
        let on = |y, m, d| YearMonth::on(Calendar::Jalali, day(y, m, d));
        assert_eq!(on(2027, 1, 10).to_string(), "1405-10", "Dey 1405");
        assert_eq!(on(2026, 12, 21).to_string(), "1405-09", "the last day of Azar");
        assert_eq!(on(2026, 12, 22).to_string(), "1405-10", "1 Dey");
        assert_eq!(on(2027, 1, 20).to_string(), "1405-10", "30 Dey");
        assert_eq!(on(2027, 1, 21).to_string(), "1405-11", "1 Bahman");
        assert_eq!(on(2026, 3, 20).to_string(), "1404-12", "the last day of 1404");
        assert_eq!(on(2026, 3, 21).to_string(), "1405-01", "Nowruz 1405");
        assert_eq!((on(2026, 3, 21).quarter(), on(2026, 6, 21).quarter(), on(2026, 6, 22).quarter()), (1, 1, 2));
        assert_eq!((on(2027, 1, 10).quarter(), on(2027, 1, 10).year()), (4, 1405));
        assert_eq!(on(2026, 3, 21).months_until(on(2027, 1, 10)), 9);
        assert_eq!(YearMonth::on(Calendar::Gregorian, day(2027, 1, 10)).to_string(), "2027-01");
        assert_eq!(YearMonth::of(day(2027, 1, 10)).quarter(), 1);
    }

    #[test]
    fn quarters_and_years_start_and_are_named() {
        let dey = YearMonth::on(Calendar::Jalali, day(2027, 1, 10));
        assert_eq!(
            (dey.label(Interval::Month), dey.label(Interval::Quarter), dey.label(Interval::Year)),
            ("1405-10".into(), "1405-Q4".into(), "1405".into())
        );
        assert_eq!(dey.start_of(Interval::Quarter).to_string(), "1405-10");
        assert_eq!(dey.start_of(Interval::Year).to_string(), "1405-01", "1 Farvardin");
        let august = YearMonth::of(day(2026, 8, 31));
        assert_eq!((august.start_of(Interval::Quarter).to_string(), august.label(Interval::Quarter)), ("2026-07".into(), "2026-Q3".into()));
        assert_eq!(august.start_of(Interval::Month), august);
    }

    #[test]
    fn percentages_have_two_decimals() {
        assert_eq!(percent(3, 5), Some(60.0));
        assert_eq!(percent(2, 3), Some(66.67));
        assert_eq!(percent(1, 3), Some(33.33));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 4), Some(0.0));
        assert_eq!(percent(1, 0), None);
        assert_eq!(percent(i64::MAX, i64::MAX), Some(100.0), "no overflow");
    }

    #[test]
    fn durations_in_days() {
        assert_eq!(average_days(3 * 86_400, 1), Some(3.0));
        // 10 days and 5 days: 15 / 2 = 7.5.
        assert_eq!(average_days(15 * 86_400, 2), Some(7.5));
        // 1 day and 1 hour: 90,000 s = 1.0417 days → 1.04.
        assert_eq!(average_days(90_000, 1), Some(1.04));
        assert_eq!(average_days(0, 0), None);
        assert_eq!(whole_days(86_399), 0);
        assert_eq!(whole_days(2 * 86_400 + 5), 2);
    }

    #[test]
    fn the_median_reads_one_or_two_middle_rows() {
        assert_eq!(median_window(0), None);
        assert_eq!(median_window(1), Some((0, 1)));
        assert_eq!(median_window(5), Some((2, 1)));
        assert_eq!(median_window(4), Some((1, 2)));
        // Sorted 1, 3, 8, 20 days: the middle two are 3 and 8, median 5.5.
        assert_eq!(median_days(&[3 * 86_400, 8 * 86_400]), Some(5.5));
        assert_eq!(median_days(&[]), None);
    }
}
