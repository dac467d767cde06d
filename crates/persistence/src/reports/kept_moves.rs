//! Stage conversion's finished visits for a period, from the moves kept per UTC day and month
//! (`crate::stage_moves`): whole UTC months from the months, the whole UTC days around them from
//! the days (and the changes not yet folded), and the hours left at either end — a period's days
//! are the viewer's, whose midnight need not be UTC's — from the history rows themselves, which
//! the `left` index serves as a short range.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use kariz_domain::Viewer;
use kariz_domain::reporting::Period;
use sea_orm::{DatabaseBackend, Value};
use uuid::Uuid;

use super::Conditions;
use crate::sql::millis_between;

/// The visits of a pipeline that ended with a move, grouped by stage pair, for a report: one
/// statement summing the kept months and days and the history rows at the period's ends.
pub(crate) struct MovesQuery {
    pub sql: String,
    pub values: Vec<Value>,
}

/// A range of kept buckets (days or months since the epoch's), either end open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Buckets {
    from: Option<i64>,
    until: Option<i64>,
}

impl Buckets {
    fn is_empty(&self) -> bool {
        matches!((self.from, self.until), (Some(from), Some(until)) if from >= until)
    }
}

/// Where each part of a period is read from.
#[derive(Debug, PartialEq, Eq)]
struct Plan {
    months: Option<Buckets>,
    /// Whole days outside the whole months (before them, after them).
    days: Vec<Buckets>,
    /// Every whole day of the period: the unfolded changes are read by day.
    deltas: Option<Buckets>,
    /// Instants at the ends, read from the history rows.
    raw: Vec<Span>,
}

/// `[start, end)`, either end open.
type Span = (Option<DateTime<Utc>>, Option<DateTime<Utc>>);

const DAY: i64 = 86_400;

fn day_of(instant: DateTime<Utc>) -> i64 {
    instant.timestamp().div_euclid(DAY)
}

fn date_of_day(day: i64) -> NaiveDate {
    DateTime::from_timestamp(day * DAY, 0).expect("a day within chrono's range").date_naive()
}

fn month_of_day(day: i64) -> i64 {
    let date = date_of_day(day);
    i64::from(date.year()) * 12 + i64::from(date.month0())
}

fn first_day_of_month(month: i64) -> i64 {
    let date = NaiveDate::from_ymd_opt(month.div_euclid(12) as i32, month.rem_euclid(12) as u32 + 1, 1).expect("a valid month");
    day_of(date.and_hms_opt(0, 0, 0).expect("midnight").and_utc())
}

fn midnight(day: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(day * DAY, 0).expect("a day within chrono's range")
}

/// Splits `[start, end)` into whole UTC months, whole UTC days and the instants left over.
fn plan(start: Option<DateTime<Utc>>, end: Option<DateTime<Utc>>) -> Plan {
    // Whole days: from the first midnight at or after the start, until the last one at or before the end.
    let whole =
        Buckets { from: start.map(|s| if s.timestamp().rem_euclid(DAY) == 0 { day_of(s) } else { day_of(s) + 1 }), until: end.map(day_of) };
    if whole.is_empty() {
        return Plan { months: None, days: vec![], deltas: None, raw: vec![(start, end)] };
    }
    let mut raw = Vec::new();
    if let (Some(s), Some(from)) = (start, whole.from)
        && s < midnight(from)
    {
        raw.push((Some(s), Some(midnight(from))));
    }
    if let (Some(e), Some(until)) = (end, whole.until)
        && midnight(until) < e
    {
        raw.push((Some(midnight(until)), Some(e)));
    }
    let months = Buckets {
        from: whole.from.map(|d| if first_day_of_month(month_of_day(d)) == d { month_of_day(d) } else { month_of_day(d) + 1 }),
        until: whole.until.map(month_of_day),
    };
    if months.is_empty() {
        return Plan { months: None, days: vec![whole], deltas: Some(whole), raw };
    }
    let mut days = Vec::new();
    if let (Some(from), Some(month)) = (whole.from, months.from)
        && from < first_day_of_month(month)
    {
        days.push(Buckets { from: Some(from), until: Some(first_day_of_month(month)) });
    }
    if let (Some(until), Some(month)) = (whole.until, months.until)
        && first_day_of_month(month) < until
    {
        days.push(Buckets { from: Some(first_day_of_month(month)), until: Some(until) });
    }
    Plan { months: Some(months), days, deltas: Some(whole), raw }
}

impl MovesQuery {
    /// The moves of `pipeline_id` in `period` seen by `viewer`, of `owner` alone if given: rows of
    /// `from_stage_id`, `to_stage_id`, `moves` and `millis`.
    pub(crate) fn new(backend: DatabaseBackend, viewer: &Viewer, pipeline_id: Uuid, owner: Option<Uuid>, period: &Period) -> MovesQuery {
        let plan = plan(period.start(), period.end_exclusive());
        let mut parts: Vec<String> = Vec::new();
        let mut values: Vec<Value> = Vec::new();
        let kept = |table: &str, bucket: &str, range: Buckets, parts: &mut Vec<String>, values: &mut Vec<Value>| {
            let mut conditions = Conditions::new("r.workspace_id", viewer.workspace_id);
            conditions.eq("r.pipeline_id", pipeline_id).eq_opt("r.owner_id", owner).seen_deals(viewer, "r.owner_id");
            if let Some(from) = range.from {
                conditions.push(format!("r.{bucket} >= ?"), [from.into()]);
            }
            if let Some(until) = range.until {
                conditions.push(format!("r.{bucket} < ?"), [until.into()]);
            }
            parts.push(format!("SELECT r.from_stage_id, r.to_stage_id, r.moves, r.millis FROM {table} r WHERE {}", conditions.sql()));
            values.extend(conditions.values());
        };
        if let Some(months) = plan.months {
            kept("stage_moves_by_month", "month", months, &mut parts, &mut values);
        }
        for days in plan.days {
            kept("stage_moves_by_day", "day", days, &mut parts, &mut values);
        }
        if let Some(days) = plan.deltas {
            kept("stage_move_deltas", "day", days, &mut parts, &mut values);
        }
        for (start, end) in plan.raw {
            let mut conditions = Conditions::new("h.workspace_id", viewer.workspace_id);
            conditions
                .eq("h.pipeline_id", pipeline_id)
                .push("h.from_stage_id IS NOT NULL", [])
                .eq_opt("d.owner_id", owner)
                .seen_deals(viewer, "d.owner_id");
            if let Some(start) = start {
                conditions.push("h.from_entered_at >= ?", [start.into()]);
            }
            if let Some(end) = end {
                conditions.push("h.from_entered_at < ?", [end.into()]);
            }
            let join = if owner.is_some() || viewer.deals_owned_by().is_some() { "JOIN deals d ON d.id = h.deal_id" } else { "" };
            parts.push(format!(
                "SELECT h.from_stage_id, h.to_stage_id, 1 AS moves, {} AS millis FROM stage_history h {join} WHERE {}",
                millis_between(backend, "h.entered_at", "h.from_entered_at"),
                conditions.sql()
            ));
            values.extend(conditions.values());
        }
        let sql = format!(
            "SELECT from_stage_id, to_stage_id, CAST(SUM(moves) AS BIGINT) AS moves, CAST(SUM(millis) AS BIGINT) AS millis \
             FROM ({}) m GROUP BY from_stage_id, to_stage_id",
            parts.join(" UNION ALL ")
        );
        MovesQuery { sql, values }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(text: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(text).unwrap().with_timezone(&Utc)
    }

    fn day(text: &str) -> i64 {
        day_of(at(&format!("{text}T00:00:00Z")))
    }

    fn month(year: i64, month: i64) -> i64 {
        year * 12 + month - 1
    }

    #[test]
    fn all_time_reads_the_months_alone() {
        let all = Buckets { from: None, until: None };
        assert_eq!(plan(None, None), Plan { months: Some(all), days: vec![], deltas: Some(all), raw: vec![] });
    }

    #[test]
    fn a_quarter_in_tehran_reads_months_days_and_the_hours_at_either_end() {
        // 1405/01/01–1405/03/31 in Tehran (UTC+3:30): 2026-03-21 … 2026-06-21, midnight at 20:30 UTC.
        let (start, end) = (at("2026-03-20T20:30:00Z"), at("2026-06-21T20:30:00Z"));
        let planned = plan(Some(start), Some(end));
        assert_eq!(planned.months, Some(Buckets { from: Some(month(2026, 4)), until: Some(month(2026, 6)) }));
        assert_eq!(
            planned.days,
            vec![
                Buckets { from: Some(day("2026-03-21")), until: Some(day("2026-04-01")) },
                Buckets { from: Some(day("2026-06-01")), until: Some(day("2026-06-21")) },
            ]
        );
        assert_eq!(planned.deltas, Some(Buckets { from: Some(day("2026-03-21")), until: Some(day("2026-06-21")) }));
        assert_eq!(planned.raw, vec![(Some(start), Some(at("2026-03-21T00:00:00Z"))), (Some(at("2026-06-21T00:00:00Z")), Some(end)),]);
    }

    #[test]
    fn a_period_of_whole_utc_months_reads_no_days_and_no_rows() {
        let planned = plan(Some(at("2026-01-01T00:00:00Z")), Some(at("2026-04-01T00:00:00Z")));
        assert_eq!(planned.months, Some(Buckets { from: Some(month(2026, 1)), until: Some(month(2026, 4)) }));
        assert!(planned.days.is_empty());
        assert!(planned.raw.is_empty());
    }

    #[test]
    fn a_period_within_one_month_reads_days_and_a_period_within_one_day_rows() {
        let planned = plan(Some(at("2026-05-03T00:00:00Z")), Some(at("2026-05-10T12:00:00Z")));
        assert_eq!(planned.months, None);
        assert_eq!(planned.days, vec![Buckets { from: Some(day("2026-05-03")), until: Some(day("2026-05-10")) }]);
        assert_eq!(planned.raw, vec![(Some(at("2026-05-10T00:00:00Z")), Some(at("2026-05-10T12:00:00Z")))]);
        let (start, end) = (at("2026-05-03T01:00:00Z"), at("2026-05-03T23:00:00Z"));
        assert_eq!(plan(Some(start), Some(end)), Plan { months: None, days: vec![], deltas: None, raw: vec![(Some(start), Some(end))] });
    }

    #[test]
    fn an_open_start_reads_every_month_before_the_end() {
        let planned = plan(None, Some(at("2026-05-10T00:00:00Z")));
        assert_eq!(planned.months, Some(Buckets { from: None, until: Some(month(2026, 5)) }));
        assert_eq!(planned.days, vec![Buckets { from: Some(day("2026-05-01")), until: Some(day("2026-05-10")) }]);
        assert!(planned.raw.is_empty());
    }
}
