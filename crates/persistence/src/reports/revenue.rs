//! Revenue: what was invoiced (issued invoices that are not void, by their issue date) and what
//! was paid (payments, by the day they were paid) in each month, quarter or year of the report's
//! calendar, per currency and converted into the workspace currency.

use std::collections::BTreeMap;

use kariz_domain::dates::Calendar;
use kariz_domain::{CurrencyAmounts, Interval, Viewer, YearMonth};

use super::{Conditions, MoneyFigure, ReportFilter, count_of, currency_of, figure};
use crate::error::StoreResult;
use crate::sql::{exact_sum, split_sum};
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct RevenuePeriod {
    /// The first month of the period.
    pub month: YearMonth,
    pub invoices: i64,
    pub invoiced: MoneyFigure,
    pub payments: i64,
    pub paid: MoneyFigure,
}

#[derive(Clone, Debug)]
pub struct RevenueReport {
    pub calendar: Calendar,
    pub interval: Interval,
    /// Periods with an invoice issued or a payment made, in order.
    pub periods: Vec<RevenuePeriod>,
    pub invoices: i64,
    pub invoiced: MoneyFigure,
    pub payments: i64,
    pub paid: MoneyFigure,
}

#[derive(Default)]
struct Tally {
    invoices: i64,
    invoiced: CurrencyAmounts,
    payments: i64,
    paid: CurrencyAmounts,
}

/// Invoices (alias `i`) of deals (alias `d`) the viewer sees, narrowed by the filter.
fn invoice_conditions(viewer: &Viewer, filter: &ReportFilter) -> Conditions {
    let mut conditions = Conditions::deals_seen_by(viewer);
    conditions
        .eq("i.workspace_id", viewer.workspace_id.as_uuid())
        .eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()))
        .eq_opt("d.owner_id", filter.owner_id.map(|o| o.as_uuid()));
    conditions
}

impl Store {
    pub async fn revenue_report(&self, viewer: &Viewer, filter: ReportFilter) -> StoreResult<RevenueReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let buckets = self.month_buckets(viewer.workspace_id, &filter).await?;
        let mut periods: BTreeMap<YearMonth, Tally> = BTreeMap::new();

        let mut issued = invoice_conditions(viewer, &filter);
        issued.push("i.status IN ('issued', 'partially_paid', 'paid')", []).on_days("i.issued_on", &filter.period);
        let sql = format!(
            "SELECT {} AS month, i.currency AS currency, COUNT(*) AS invoice_count, {} \
             FROM invoices i JOIN deals d ON d.id = i.deal_id WHERE {} GROUP BY 1, i.currency",
            buckets.of_date("i.issued_on"),
            split_sum("i.total_minor", "amount"),
            issued.sql()
        );
        for row in self.report_rows(&sql, issued.values()).await? {
            let Some(month) = row.try_get::<Option<i64>>("", "month")?.and_then(|b| buckets.month(b)) else { continue };
            let tally = periods.entry(month.start_of(filter.interval)).or_default();
            tally.invoices += count_of(&row, "invoice_count")?;
            tally.invoiced.add(currency_of(&row, "currency")?, exact_sum(&row, "amount")?);
        }

        let mut paid = invoice_conditions(viewer, &filter);
        paid.during("p.paid_at", &filter.period);
        let sql = format!(
            "SELECT {} AS month, i.currency AS currency, COUNT(*) AS payment_count, {} \
             FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN deals d ON d.id = i.deal_id WHERE {} GROUP BY 1, i.currency",
            buckets.of_timestamp("p.paid_at"),
            split_sum("p.amount_minor", "amount"),
            paid.sql()
        );
        for row in self.report_rows(&sql, paid.values()).await? {
            let Some(month) = row.try_get::<Option<i64>>("", "month")?.and_then(|b| buckets.month(b)) else { continue };
            let tally = periods.entry(month.start_of(filter.interval)).or_default();
            tally.payments += count_of(&row, "payment_count")?;
            tally.paid.add(currency_of(&row, "currency")?, exact_sum(&row, "amount")?);
        }

        let rates = self.rate_table(viewer.workspace_id, &filter.period).await?;
        let mut total = Tally::default();
        let periods = periods
            .into_iter()
            .map(|(month, tally)| {
                total.invoices += tally.invoices;
                total.payments += tally.payments;
                total.invoiced.merge(&tally.invoiced);
                total.paid.merge(&tally.paid);
                RevenuePeriod {
                    month,
                    invoices: tally.invoices,
                    invoiced: figure(&rates, tally.invoiced),
                    payments: tally.payments,
                    paid: figure(&rates, tally.paid),
                }
            })
            .collect();
        Ok(RevenueReport {
            calendar: buckets.calendar,
            interval: filter.interval,
            periods,
            invoices: total.invoices,
            invoiced: figure(&rates, total.invoiced),
            payments: total.payments,
            paid: figure(&rates, total.paid),
        })
    }
}
