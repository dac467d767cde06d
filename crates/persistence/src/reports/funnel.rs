//! The funnel: of the leads created in the period (by `leads.created_at`), how many were
//! qualified, became opportunities, got a deal, and got a won deal.

use kariz_domain::Viewer;

use super::{Conditions, ReportFilter, count_of};
use crate::error::StoreResult;
use crate::store::Store;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FunnelReport {
    pub leads: i64,
    /// Leads whose status is `qualified`.
    pub qualified: i64,
    /// Leads linked to an opportunity.
    pub opportunities: i64,
    /// Leads whose opportunity has at least one deal (in the pipeline, when filtered).
    pub deals: i64,
    /// Leads whose opportunity has at least one won deal.
    pub won: i64,
}

impl Store {
    pub async fn funnel_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<FunnelReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        // Each opportunity's deals, reduced to "has one" and "has a won one" before the join.
        let mut deals = Conditions::deals_seen_by(viewer);
        deals.push("d.opportunity_id IS NOT NULL", []).eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()));
        let mut leads = Conditions::leads_seen_by(viewer);
        leads.eq_opt("l.owner_id", filter.owner_id.map(|o| o.as_uuid())).during("l.created_at", &filter.period);
        let sql = format!(
            "SELECT COUNT(*) AS leads, \
             CAST(SUM(CASE WHEN l.status = 'qualified' THEN 1 ELSE 0 END) AS BIGINT) AS qualified, \
             CAST(SUM(CASE WHEN l.opportunity_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS opportunities, \
             CAST(SUM(CASE WHEN o.opportunity_id IS NOT NULL THEN 1 ELSE 0 END) AS BIGINT) AS with_deal, \
             CAST(SUM(COALESCE(o.won, 0)) AS BIGINT) AS won \
             FROM leads l LEFT JOIN (SELECT d.opportunity_id AS opportunity_id, MAX(CASE WHEN d.status = 'won' THEN 1 ELSE 0 END) AS won \
             FROM deals d WHERE {} GROUP BY d.opportunity_id) o ON o.opportunity_id = l.opportunity_id \
             WHERE {}",
            deals.sql(),
            leads.sql()
        );
        let mut values = deals.values();
        values.extend(leads.values());
        let rows = self.report_rows(&sql, values).await?;
        let Some(row) = rows.first() else { return Ok(FunnelReport::default()) };
        Ok(FunnelReport {
            leads: count_of(row, "leads")?,
            qualified: count_of(row, "qualified")?,
            opportunities: count_of(row, "opportunities")?,
            deals: count_of(row, "with_deal")?,
            won: count_of(row, "won")?,
        })
    }
}
