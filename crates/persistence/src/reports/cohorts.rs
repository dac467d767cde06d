//! Cohorts: leads by the month they were created, on the report's calendar (the period applies to `leads.created_at`), and
//! how many were won 0, 1, 2… calendar months later. A lead is won when a deal of its opportunity
//! is won; the month of its first such win counts.

use std::collections::BTreeMap;

use kariz_domain::dates::Calendar;
use kariz_domain::{Viewer, YearMonth};

use super::{Conditions, ReportFilter, count_of};
use crate::error::StoreResult;
use crate::store::Store;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cohort {
    pub month: YearMonth,
    pub leads: i64,
    pub won: i64,
    /// `won_after_months[n]`: leads first won n months after their creation month. A win dated
    /// before the lead (imported history) counts as month 0.
    pub won_after_months: Vec<i64>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CohortReport {
    /// The calendar of the months.
    pub calendar: Calendar,
    pub cohorts: Vec<Cohort>,
}

impl Store {
    pub async fn cohort_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<CohortReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let buckets = self.month_buckets(viewer.workspace_id, &filter).await?;
        let mut wins = Conditions::deals_seen_by(viewer);
        wins.eq("d.status", "won")
            .push("d.opportunity_id IS NOT NULL", [])
            .eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()));
        let mut leads = Conditions::leads_seen_by(viewer);
        leads.eq_opt("l.owner_id", filter.owner_id.map(|o| o.as_uuid())).during("l.created_at", &filter.period);
        let sql = format!(
            "SELECT {} AS cohort, {} AS won_month, COUNT(*) AS lead_count \
             FROM leads l LEFT JOIN (SELECT d.opportunity_id AS opportunity_id, MIN(d.closed_at) AS first_won FROM deals d \
             WHERE {} GROUP BY d.opportunity_id) w ON w.opportunity_id = l.opportunity_id \
             WHERE {} GROUP BY 1, 2",
            buckets.of_timestamp("l.created_at"),
            buckets.of_timestamp("w.first_won"),
            wins.sql(),
            leads.sql()
        );
        let mut values = wins.values();
        values.extend(leads.values());
        let mut cohorts: BTreeMap<YearMonth, Cohort> = BTreeMap::new();
        for row in self.report_rows(&sql, values).await? {
            let Some(created) = buckets.month(row.try_get("", "cohort")?) else { continue };
            let won_month = row.try_get::<Option<i64>>("", "won_month")?.and_then(|bucket| buckets.month(bucket));
            let count = count_of(&row, "lead_count")?;
            let cohort =
                cohorts.entry(created).or_insert_with(|| Cohort { month: created, leads: 0, won: 0, won_after_months: Vec::new() });
            cohort.leads += count;
            if let Some(won_month) = won_month {
                let after = usize::try_from(created.months_until(won_month)).unwrap_or(0);
                if cohort.won_after_months.len() <= after {
                    cohort.won_after_months.resize(after + 1, 0);
                }
                cohort.won_after_months[after] += count;
                cohort.won += count;
            }
        }
        Ok(CohortReport { calendar: buckets.calendar, cohorts: cohorts.into_values().collect() })
    }
}
