//! Customers by recency, frequency and monetary value (RFM): each customer's purchases — paid
//! invoices by their issue date, or won deals by the day they were won — summed in the database
//! per customer and currency, converted into the workspace currency here, then scored and named
//! by the domain (`customer_value`). A customer is the deal's organization, else its contact.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use kariz_domain::customer_value::{PurchaseHistory, RfmScores, Segment, score_customers};
use kariz_domain::{CurrencyAmounts, Viewer};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use uuid::Uuid;

use super::{Conditions, ReportFilter, count_of, currency_of};
use crate::entities::{contacts, organizations};
use crate::error::StoreResult;
use crate::sql::{day_of_date, day_of_timestamp, exact_sum, split_sum};
use crate::store::Store;

/// What counts as a purchase.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum PurchaseSource {
    /// Invoices paid in full, on their issue date, for their total.
    #[default]
    PaidInvoices,
    /// Won deals, on the day they were won, for their amount.
    WonDeals,
}

/// Whom a customer row names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum CustomerRef {
    Organization(Uuid),
    Contact(Uuid),
}

#[derive(Clone, Debug)]
pub struct CustomerValue {
    pub customer: CustomerRef,
    pub name: String,
    pub history: PurchaseHistory,
    pub recency_days: i64,
    pub scores: RfmScores,
    pub segment: Segment,
    pub churn_risk: bool,
    /// Per currency, as bought.
    pub amounts: CurrencyAmounts,
}

#[derive(Clone, Debug)]
pub struct RfmReport {
    pub source: PurchaseSource,
    /// The day recency counts to.
    pub as_of: NaiveDate,
    /// How many customers were scored, in each segment.
    pub segments: Vec<(Segment, i64)>,
    /// The best customers first (by the sum of their scores, then what they spent), up to the
    /// limit asked.
    pub customers: Vec<CustomerValue>,
    pub total_customers: i64,
}

/// The day `days` after 1970-01-01, as the report's SQL counts days.
fn epoch_day(days: i64) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1970, 1, 1)?.checked_add_signed(chrono::Duration::days(days))
}

struct Group {
    first: NaiveDate,
    last: NaiveDate,
    count: i64,
    amounts: CurrencyAmounts,
}

impl Store {
    pub async fn rfm_report(&self, viewer: &Viewer, filter: ReportFilter, source: PurchaseSource, limit: usize) -> StoreResult<RfmReport> {
        let filter = self.in_viewers_zone(viewer, filter).await?;
        let mut conditions = Conditions::deals_seen_by(viewer);
        conditions
            .eq_opt("d.pipeline_id", filter.pipeline_id.map(|p| p.as_uuid()))
            .eq_opt("d.owner_id", filter.owner_id.map(|o| o.as_uuid()))
            .push("(d.organization_id IS NOT NULL OR d.contact_id IS NOT NULL)", []);
        let (from, day, amount) = match source {
            PurchaseSource::PaidInvoices => {
                conditions
                    .eq("i.workspace_id", viewer.workspace_id.as_uuid())
                    .eq("i.status", "paid")
                    .on_days("i.issued_on", &filter.period);
                ("invoices i JOIN deals d ON d.id = i.deal_id", day_of_date(self.backend(), "i.issued_on"), "i.total_minor")
            }
            PurchaseSource::WonDeals => {
                conditions.eq("d.status", "won").during("d.closed_at", &filter.period);
                ("deals d", day_of_timestamp(self.backend(), "d.closed_at"), "d.amount_minor")
            }
        };
        let currency = if source == PurchaseSource::PaidInvoices { "i.currency" } else { "d.currency" };
        let sql = format!(
            "SELECT d.organization_id AS organization_id, CASE WHEN d.organization_id IS NULL THEN d.contact_id END AS contact_id, \
             {currency} AS currency, MIN({day}) AS first_day, MAX({day}) AS last_day, COUNT(*) AS purchases, {} \
             FROM {from} WHERE {} GROUP BY 1, 2, {currency}",
            split_sum(amount, "amount"),
            conditions.sql()
        );
        let mut groups: HashMap<CustomerRef, Group> = HashMap::new();
        for row in self.report_rows(&sql, conditions.values()).await? {
            let customer = match (row.try_get::<Option<Uuid>>("", "organization_id")?, row.try_get::<Option<Uuid>>("", "contact_id")?) {
                (Some(id), _) => CustomerRef::Organization(id),
                (None, Some(id)) => CustomerRef::Contact(id),
                (None, None) => continue,
            };
            let (Some(first), Some(last)) = (epoch_day(count_of(&row, "first_day")?), epoch_day(count_of(&row, "last_day")?)) else {
                continue;
            };
            let group = groups.entry(customer).or_insert(Group { first, last, count: 0, amounts: CurrencyAmounts::default() });
            group.first = group.first.min(first);
            group.last = group.last.max(last);
            group.count += count_of(&row, "purchases")?;
            group.amounts.add(currency_of(&row, "currency")?, exact_sum(&row, "amount")?);
        }

        let rates = self.rate_table(viewer.workspace_id, &filter.period).await?;
        let workspace_currency = self.workspace(viewer.workspace_id).await?.default_currency;
        // A period that ends in the future (this month, this year) counts recency to today.
        let today = self.now().with_timezone(&Utc).date_naive();
        let as_of = filter.period.to().map_or(today, |to| to.min(today));
        let mut customers: Vec<(CustomerRef, Group)> = groups.into_iter().collect();
        customers.sort_by_key(|(customer, _)| *customer);
        let histories: Vec<PurchaseHistory> = customers
            .iter()
            .map(|(_, group)| PurchaseHistory {
                first: group.first,
                last: group.last,
                count: group.count,
                // Without rates, what was bought in the workspace currency.
                monetary_minor: rates.convert(&group.amounts).map_or(group.amounts.get(workspace_currency), |c| c.amount_minor),
            })
            .collect();
        let scores = score_customers(&histories, as_of);
        let mut valued: Vec<CustomerValue> = customers
            .into_iter()
            .zip(histories)
            .zip(scores)
            .map(|(((customer, group), history), scores)| CustomerValue {
                customer,
                name: String::new(),
                recency_days: history.recency_days(as_of),
                churn_risk: history.churn_risk(as_of),
                segment: scores.segment(),
                scores,
                history,
                amounts: group.amounts,
            })
            .collect();
        let segments =
            Segment::ALL.iter().map(|segment| (*segment, valued.iter().filter(|c| c.segment == *segment).count() as i64)).collect();
        let total_customers = valued.len() as i64;
        let rank = |c: &CustomerValue| u16::from(c.scores.recency) + u16::from(c.scores.frequency) + u16::from(c.scores.monetary);
        valued.sort_by(|a, b| {
            rank(b).cmp(&rank(a)).then(b.history.monetary_minor.cmp(&a.history.monetary_minor)).then(a.customer.cmp(&b.customer))
        });
        valued.truncate(limit);
        self.name_customers(viewer, &mut valued).await?;
        Ok(RfmReport { source, as_of, segments, customers: valued, total_customers })
    }

    /// Fills in each customer's name (an organization's, else a contact's).
    async fn name_customers(&self, viewer: &Viewer, customers: &mut [CustomerValue]) -> StoreResult<()> {
        let workspace = viewer.workspace_id.as_uuid();
        let (mut orgs, mut people) = (Vec::new(), Vec::new());
        for customer in customers.iter() {
            match customer.customer {
                CustomerRef::Organization(id) => orgs.push(id),
                CustomerRef::Contact(id) => people.push(id),
            }
        }
        let org_names: HashMap<Uuid, String> = organizations::Entity::find()
            .select_only()
            .column(organizations::Column::Id)
            .column(organizations::Column::Name)
            .filter(organizations::Column::WorkspaceId.eq(workspace))
            .filter(organizations::Column::Id.is_in(orgs))
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let people_names: HashMap<Uuid, String> = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .column(contacts::Column::Name)
            .filter(contacts::Column::WorkspaceId.eq(workspace))
            .filter(contacts::Column::Id.is_in(people))
            .into_tuple()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        for customer in customers {
            customer.name = match customer.customer {
                CustomerRef::Organization(id) => org_names.get(&id),
                CustomerRef::Contact(id) => people_names.get(&id),
            }
            .cloned()
            .unwrap_or_default();
        }
        Ok(())
    }
}
