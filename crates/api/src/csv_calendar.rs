//! The calendar of a CSV file's dates. An export writes dates on the workspace's calendar (or the
//! request's `calendar`): ISO days and RFC 3339 timestamps on the Gregorian one; `1405-10-20` and
//! `1405-10-20 14:30` (in the workspace's time zone) on the Jalali one. An import reads dates on
//! the same calendar, so that an exported file imports back to the same values.

use actix_web::web;
use chrono::{DateTime, NaiveDate, Timelike, Utc};
use kariz_domain::TimeZone;
use kariz_domain::WorkspaceId;
use kariz_domain::dates::{Calendar, from_jalali, jalali, supported_day};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::dto::CalendarDto;
use crate::error::ApiError;
use crate::state::AppState;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CsvCalendarQuery {
    /// The calendar of the file's dates: `gregorian` (ISO `2027-01-10`, timestamps in RFC 3339)
    /// or `jalali` (`1405-10-20`, timestamps `1405-10-20 14:30` in the workspace's time zone);
    /// the workspace's calendar when omitted.
    pub calendar: Option<CalendarDto>,
}

/// A date of a yearly date as a cell reads it: its calendar, and its year when given.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct YearlyCell {
    pub calendar: Calendar,
    pub year: Option<i32>,
    pub month: u32,
    pub day: u32,
}

/// How one file writes and reads its dates.
#[derive(Clone, Copy, Debug)]
pub struct CsvCalendar {
    calendar: Calendar,
    zone: TimeZone,
}

impl CsvCalendar {
    pub fn new(calendar: Calendar, zone: TimeZone) -> CsvCalendar {
        CsvCalendar { calendar, zone }
    }

    /// The request's calendar, else the workspace's, with the workspace's time zone.
    pub async fn of(state: &AppState, workspace_id: WorkspaceId, query: &web::Query<CsvCalendarQuery>) -> Result<CsvCalendar, ApiError> {
        let workspace = state.store.workspace(workspace_id).await?;
        Ok(CsvCalendar::new(query.calendar.map_or(workspace.calendar, Into::into), workspace.time_zone))
    }

    pub fn calendar(&self) -> Calendar {
        self.calendar
    }

    /// A day as a cell: `2027-01-10`, or `1405-10-20` on the Jalali calendar.
    pub fn date(&self, day: NaiveDate) -> String {
        match self.calendar {
            Calendar::Gregorian => day.format("%Y-%m-%d").to_string(),
            Calendar::Jalali => {
                let day = jalali(day);
                format!("{:04}-{:02}-{:02}", day.year(), day.month(), day.day())
            }
        }
    }

    /// An instant as a cell: RFC 3339 in UTC, or on the Jalali calendar the minute in the
    /// workspace's time zone (`1405-10-20 14:30`).
    pub fn timestamp(&self, instant: DateTime<Utc>) -> String {
        match self.calendar {
            Calendar::Gregorian => instant.to_rfc3339(),
            Calendar::Jalali => {
                let local = self.zone.local_at(instant);
                format!("{} {:02}:{:02}", self.date(local.date()), local.hour(), local.minute())
            }
        }
    }

    /// A yearly date (a birthday) as a cell: on its own calendar, marked with that calendar's
    /// name when it is not the file's (`1990-03-05 gregorian` in a Jalali file), and `--MM-DD`
    /// without its year.
    pub fn yearly(&self, calendar: Calendar, year: Option<i32>, month: u32, day: u32) -> String {
        let date = match year {
            Some(year) => format!("{year:04}-{month:02}-{day:02}"),
            None => format!("--{month:02}-{day:02}"),
        };
        if calendar == self.calendar { date } else { format!("{date} {}", calendar.as_str()) }
    }

    /// A day cell: `YYYY-MM-DD` (or with slashes, in Latin, Persian or Arabic digits) on the
    /// file's calendar, as a Gregorian day.
    pub fn parse_date(&self, raw: &str) -> Result<NaiveDate, String> {
        let (calendar, rest) = marked(raw, self.calendar);
        let problem = || self.date_problem();
        let (year, month, day) = numbers(rest).ok_or_else(problem)?;
        let year = year.ok_or_else(problem)?;
        let day = match calendar {
            Calendar::Gregorian => NaiveDate::from_ymd_opt(year, month, day),
            Calendar::Jalali => from_jalali(year, month, day),
        }
        .ok_or_else(problem)?;
        supported_day(day).map_err(|_| format!("{} between 0001 and 9999", problem()))
    }

    /// A yearly-date cell as [`CsvCalendar::yearly`] writes it (or a plain day).
    pub fn parse_yearly(&self, raw: &str) -> Result<YearlyCell, String> {
        let (calendar, rest) = marked(raw, self.calendar);
        let (year, month, day) = numbers(rest).ok_or_else(|| self.date_problem())?;
        Ok(YearlyCell { calendar, year, month, day })
    }

    /// What a bad date cell is told.
    fn date_problem(&self) -> String {
        match self.calendar {
            Calendar::Gregorian => "must be a date (YYYY-MM-DD)".to_owned(),
            Calendar::Jalali => "must be a Jalali date (YYYY-MM-DD, e.g. 1405-10-20)".to_owned(),
        }
    }
}

/// The calendar a cell names after its date (`1990-03-05 gregorian`), else `default`.
fn marked(raw: &str, default: Calendar) -> (Calendar, &str) {
    let raw = raw.trim();
    match raw.rsplit_once(' ') {
        Some((date, mark)) => match Calendar::parse(&mark.to_lowercase()) {
            Ok(calendar) => (calendar, date.trim()),
            Err(_) => (default, raw),
        },
        None => (default, raw),
    }
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `--MM-DD` (no year), in any decimal digits.
fn numbers(raw: &str) -> Option<(Option<i32>, u32, u32)> {
    let latin: String = raw.chars().map(|c| c.to_digit(10).or_else(|| eastern_digit(c)).map_or(c, |d| (b'0' + d as u8) as char)).collect();
    let latin = latin.replace('/', "-");
    let (year, rest) = match latin.strip_prefix("--") {
        Some(rest) => (None, rest),
        None => {
            let (year, rest) = latin.split_once('-')?;
            (Some(year), rest)
        }
    };
    let (month, day) = rest.split_once('-')?;
    let year = match year {
        Some(year) if year.len() == 4 => Some(year.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    let two = |part: &str| (1..=2).contains(&part.len()).then(|| part.parse().ok()).flatten();
    Some((year, two(month)?, two(day)?))
}

/// The value of a Persian (۰–۹) or Arabic-Indic (٠–٩) digit.
fn eastern_digit(c: char) -> Option<u32> {
    match c {
        '\u{06F0}'..='\u{06F9}' => Some(c as u32 - 0x06F0),
        '\u{0660}'..='\u{0669}' => Some(c as u32 - 0x0660),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tehran(calendar: Calendar) -> CsvCalendar {
        CsvCalendar::new(calendar, TimeZone::parse("Asia/Tehran").unwrap())
    }

    #[test]
    fn a_jalali_file_writes_and_reads_jalali_days_and_local_minutes() {
        let file = tehran(Calendar::Jalali);
        let day = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert_eq!(file.date(day), "1405-10-20");
        assert_eq!(file.parse_date("1405-10-20"), Ok(day));
        assert_eq!(file.parse_date("۱۴۰۵/۱۰/۲۰"), Ok(day));
        assert_eq!(file.parse_date("2027-01-10 gregorian"), Ok(day));
        // 11:00 UTC is 14:30 in Tehran.
        let noon = day.and_hms_opt(11, 0, 0).unwrap().and_utc();
        assert_eq!(file.timestamp(noon), "1405-10-20 14:30");
        assert!(file.parse_date("1405-12-30").is_err(), "1405 is not a leap year");
        assert!(file.parse_date("20-10-1405").is_err());
    }

    #[test]
    fn a_gregorian_file_writes_iso() {
        let file = tehran(Calendar::Gregorian);
        let day = NaiveDate::from_ymd_opt(2027, 1, 10).unwrap();
        assert_eq!(file.date(day), "2027-01-10");
        assert_eq!(file.timestamp(day.and_hms_opt(11, 0, 0).unwrap().and_utc()), "2027-01-10T11:00:00+00:00");
        assert_eq!(file.parse_date("1405-10-20 jalali"), Ok(day));
        assert!(file.parse_date("2027-02-30").is_err());
    }

    #[test]
    fn yearly_dates_keep_their_calendar() {
        let file = tehran(Calendar::Jalali);
        assert_eq!(file.yearly(Calendar::Jalali, Some(1370), 7, 1), "1370-07-01");
        assert_eq!(file.yearly(Calendar::Gregorian, None, 3, 5), "--03-05 gregorian");
        for (calendar, year) in [(Calendar::Jalali, Some(1370)), (Calendar::Gregorian, None), (Calendar::Gregorian, Some(1990))] {
            let cell = file.yearly(calendar, year, 3, 5);
            assert_eq!(file.parse_yearly(&cell), Ok(YearlyCell { calendar, year, month: 3, day: 5 }), "{cell}");
            assert_eq!(
                tehran(Calendar::Gregorian).parse_yearly(&tehran(Calendar::Gregorian).yearly(calendar, year, 3, 5)).map(|c| c.calendar),
                Ok(calendar)
            );
        }
    }
}
