//! A customer's timeline: everything about a contact or an organization in one time-ordered
//! list — their deals opened, moved, won and lost, the activities and notes about them or their
//! deals, the files kept with them or their deals, and the leads they came from — and the figures
//! their page leads with, and the emails sent to them or about their deals.
//!
//! Each kind of entry is read by its own query, newest first from the cursor on and at most a page
//! long, and the pages are merged: no query reads more than a page, however long the history.
//! Entries are ordered by time, then by kind, then by id, which the cursor carries.

use chrono::{DateTime, Utc};
use kariz_domain::{ContactId, Currency, OrganizationId, Viewer};
use sea_orm::sea_query::{Expr, ExprTrait, IntoIden, Query, SelectStatement};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::activities::{ActivityRecord, activity_record};
use crate::attachments::{AttachmentRecord, attachment_record};
use crate::emails::email_response;
use crate::entities::{activities, attachments, contacts, deals, emails, leads, organizations, stage_history};
use crate::error::{StoreError, StoreResult};
use crate::pagination;
use crate::sql::{exact_sum, split_sum, statement};
use crate::store::Store;
use crate::visibility::{activities_seen, contacts_seen, deals_seen, deals_seen_sql, leads_seen};

const SORT: &str = "timeline";

/// Whose timeline.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Customer {
    Contact(ContactId),
    Organization(OrganizationId),
}

/// What happened to a deal.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DealMoment {
    Opened,
    Moved { from_stage_id: Uuid, to_stage_id: Uuid },
    Won,
    Lost,
}

/// What happened to a lead.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LeadMoment {
    Captured,
    Qualified,
}

/// One entry of a timeline.
#[derive(Clone, Debug)]
pub enum TimelineItem {
    Deal {
        deal: Box<deals::Model>,
        moment: DealMoment,
    },
    Activity(Box<ActivityRecord>),
    Attachment(AttachmentRecord),
    Lead {
        lead_id: Uuid,
        name: String,
        source: String,
        moment: LeadMoment,
    },
    /// An email to them or about one of their deals, at when it was queued.
    Email(Box<kariz_contract::EmailResponse>),
}

#[derive(Clone, Debug)]
pub struct TimelineEntry {
    /// An id of its own: the deal, history row, activity, file or lead it is about.
    pub id: Uuid,
    pub at: DateTime<Utc>,
    pub item: TimelineItem,
}

#[derive(Clone, Debug)]
pub struct Timeline {
    pub entries: Vec<TimelineEntry>,
    pub next_cursor: Option<String>,
}

/// Where a page starts: entries strictly before this (time, kind, id).
#[derive(Clone, Copy, Debug)]
struct Before {
    at: DateTime<Utc>,
    rank: u8,
    id: Uuid,
}

/// The order of kinds among entries of the same instant, cause before effect: qualifying a lead
/// opens its deal in the same transaction, so at one time the lead's entry comes first.
const CAPTURED: u8 = 0;
const QUALIFIED: u8 = 1;
const OPENED: u8 = 2;
const MOVED: u8 = 3;
const CLOSED: u8 = 4;
const ACTIVITY: u8 = 5;
const ATTACHMENT: u8 = 6;
const EMAIL: u8 = 7;

impl Before {
    /// Rows of kind `rank` before the cursor, on `at` (a column or expression) and `id`.
    fn condition(&self, rank: u8, at: Expr, id: Expr) -> Condition {
        let earlier = at.clone().lt(self.at);
        match rank.cmp(&self.rank) {
            std::cmp::Ordering::Less => Condition::all().add(at.lte(self.at)),
            std::cmp::Ordering::Greater => Condition::all().add(earlier),
            std::cmp::Ordering::Equal => Condition::any().add(earlier).add(Condition::all().add(at.eq(self.at)).add(id.lt(self.id))),
        }
    }
}

fn rank_of(entry: &TimelineEntry) -> u8 {
    match &entry.item {
        TimelineItem::Deal { moment: DealMoment::Opened, .. } => OPENED,
        TimelineItem::Deal { moment: DealMoment::Moved { .. }, .. } => MOVED,
        TimelineItem::Deal { .. } => CLOSED,
        TimelineItem::Activity(_) => ACTIVITY,
        TimelineItem::Attachment(_) => ATTACHMENT,
        TimelineItem::Lead { moment: LeadMoment::Captured, .. } => CAPTURED,
        TimelineItem::Lead { .. } => QUALIFIED,
        TimelineItem::Email(_) => EMAIL,
    }
}

/// The ids of the customer's deals the viewer sees.
fn customer_deals(viewer: &Viewer, customer: Customer) -> SelectStatement {
    let mut query = Query::select();
    query.column(deals::Column::Id).from(deals::Entity).and_where(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()));
    match customer {
        Customer::Contact(id) => query.and_where(deals::Column::ContactId.eq(id.as_uuid())),
        Customer::Organization(id) => query.and_where(deals::Column::OrganizationId.eq(id.as_uuid())),
    };
    query.cond_where(deals_seen(viewer));
    query.to_owned()
}

/// The ids of the organization's contacts the viewer sees.
fn people_of(viewer: &Viewer, organization: OrganizationId) -> SelectStatement {
    Query::select()
        .column(contacts::Column::Id)
        .from(contacts::Entity)
        .and_where(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .and_where(contacts::Column::OrganizationId.eq(organization.as_uuid()))
        .cond_where(contacts_seen(viewer))
        .to_owned()
}

/// The leads the customer came from: the contact's, or those of the organization's contacts.
fn source_leads(viewer: &Viewer, customer: Customer) -> SelectStatement {
    let mut query = Query::select();
    query
        .column(contacts::Column::SourceLeadId)
        .from(contacts::Entity)
        .and_where(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .and_where(contacts::Column::SourceLeadId.is_not_null());
    match customer {
        Customer::Contact(id) => query.and_where(contacts::Column::Id.eq(id.as_uuid())),
        Customer::Organization(id) => query.and_where(contacts::Column::OrganizationId.eq(id.as_uuid())),
    };
    query.to_owned()
}

/// The ids of the customer's deals and (for an organization) people the viewer sees, read once
/// so that each lookup below is an `IN` list its indexes serve (an `OR` with a subquery is not).
struct Links {
    deals: Vec<Uuid>,
    people: Vec<Uuid>,
}

impl Links {
    async fn of<C: ConnectionTrait>(conn: &C, viewer: &Viewer, customer: Customer) -> StoreResult<Links> {
        let ids = |statement: SelectStatement| async move {
            let rows = conn.query_all(&statement).await?;
            rows.iter().map(|row| row.try_get::<Uuid>("", "id").map_err(StoreError::from)).collect::<StoreResult<Vec<Uuid>>>()
        };
        let deals = ids(customer_deals(viewer, customer)).await?;
        let people = match customer {
            Customer::Contact(_) => Vec::new(),
            Customer::Organization(id) => ids(people_of(viewer, id)).await?,
        };
        Ok(Links { deals, people })
    }

    /// Rows linked to the customer directly, through one of its deals, or (for an organization)
    /// through one of its people, on a table with the four link columns.
    fn condition<C: ColumnTrait>(&self, customer: Customer, contact: C, organization: C, deal: C) -> Condition {
        let by_deal = deal.is_in(self.deals.iter().copied());
        match customer {
            Customer::Contact(id) => Condition::any().add(contact.eq(id.as_uuid())).add(by_deal),
            Customer::Organization(id) => {
                Condition::any().add(organization.eq(id.as_uuid())).add(contact.is_in(self.people.iter().copied())).add(by_deal)
            }
        }
    }
}

impl Links {
    /// Emails to the contact (or, for an organization, to its people) or about one of the
    /// customer's deals: emails have no organization link of their own.
    fn email_condition(&self, customer: Customer) -> Condition {
        let by_deal = emails::Column::DealId.is_in(self.deals.iter().copied());
        match customer {
            Customer::Contact(id) => Condition::any().add(emails::Column::ContactId.eq(id.as_uuid())).add(by_deal),
            Customer::Organization(_) => Condition::any().add(emails::Column::ContactId.is_in(self.people.iter().copied())).add(by_deal),
        }
    }
}

fn column(table: impl IntoIden, column: impl IntoIden) -> Expr {
    Expr::col((table, column))
}

impl Store {
    /// The customer's timeline, newest first, a page at a time. A customer missing from the
    /// workspace is not found; what the viewer may not see of theirs is left out.
    pub async fn timeline(&self, viewer: &Viewer, customer: Customer, limit: Option<u64>, cursor: Option<&str>) -> StoreResult<Timeline> {
        ensure_customer(&self.db, viewer, customer).await?;
        let limit = pagination::clamp_limit(limit);
        let before = cursor.map(decode).transpose()?;
        let take = limit + 1;
        let mut entries = Vec::new();
        let keyset = |rank: u8, at: Expr, id: Expr| before.map_or_else(Condition::all, |b| b.condition(rank, at, id));
        let links = Links::of(&self.db, viewer, customer).await?;

        // Deals opened, and deals won or lost (their current status).
        let mine = match customer {
            Customer::Contact(id) => deals::Column::ContactId.eq(id.as_uuid()),
            Customer::Organization(id) => deals::Column::OrganizationId.eq(id.as_uuid()),
        };
        let base = deals::Entity::find()
            .filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(mine)
            .filter(deals_seen(viewer));
        let (created, closed, id) = (
            column(deals::Entity, deals::Column::CreatedAt),
            column(deals::Entity, deals::Column::ClosedAt),
            column(deals::Entity, deals::Column::Id),
        );
        let opened = base
            .clone()
            .filter(keyset(OPENED, created, id.clone()))
            .order_by_desc(deals::Column::CreatedAt)
            .order_by_desc(deals::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        entries.extend(opened.into_iter().map(|deal| TimelineEntry {
            id: deal.id,
            at: deal.created_at,
            item: TimelineItem::Deal { deal: Box::new(deal), moment: DealMoment::Opened },
        }));
        let ended = base
            .filter(deals::Column::ClosedAt.is_not_null())
            .filter(keyset(CLOSED, closed, id))
            .order_by_desc(deals::Column::ClosedAt)
            .order_by_desc(deals::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        for deal in ended {
            let Some(at) = deal.closed_at else { continue };
            let moment = if deal.status == "won" { DealMoment::Won } else { DealMoment::Lost };
            entries.push(TimelineEntry { id: deal.id, at, item: TimelineItem::Deal { deal: Box::new(deal), moment } });
        }

        // Stage moves (not a deal's first entry, which is its opening), with their deals.
        let moves = stage_history::Entity::find()
            .filter(stage_history::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(stage_history::Column::DealId.is_in(links.deals.iter().copied()))
            .filter(stage_history::Column::FromStageId.is_not_null())
            .filter(keyset(
                MOVED,
                column(stage_history::Entity, stage_history::Column::EnteredAt),
                column(stage_history::Entity, stage_history::Column::Id),
            ))
            .order_by_desc(stage_history::Column::EnteredAt)
            .order_by_desc(stage_history::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        let moved_ids: Vec<Uuid> = moves.iter().map(|m| m.deal_id).collect();
        let moved_deals: std::collections::HashMap<Uuid, deals::Model> = if moved_ids.is_empty() {
            std::collections::HashMap::new()
        } else {
            deals::Entity::find().filter(deals::Column::Id.is_in(moved_ids)).all(&self.db).await?.into_iter().map(|d| (d.id, d)).collect()
        };
        for visit in moves {
            let (Some(deal), Some(from)) = (moved_deals.get(&visit.deal_id), visit.from_stage_id) else { continue };
            let moment = DealMoment::Moved { from_stage_id: from, to_stage_id: visit.to_stage_id };
            entries.push(TimelineEntry {
                id: visit.id,
                at: visit.entered_at,
                item: TimelineItem::Deal { deal: Box::new(deal.clone()), moment },
            });
        }

        // Activities and notes: when done, else when logged.
        let when = Expr::cust("COALESCE(activities.done_at, activities.created_at)");
        let activities = activities::Entity::find()
            .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(activities_seen(viewer))
            .filter(links.condition(
                customer,
                activities::Column::ContactId,
                activities::Column::OrganizationId,
                activities::Column::DealId,
            ))
            .filter(keyset(ACTIVITY, when.clone(), column(activities::Entity, activities::Column::Id)))
            .order_by_desc(when)
            .order_by_desc(activities::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        for row in activities {
            let at = row.done_at.unwrap_or(row.created_at);
            let id = row.id;
            entries.push(TimelineEntry { id, at, item: TimelineItem::Activity(Box::new(activity_record(row)?)) });
        }

        // Files kept with the customer or their deals (or, for a company, its people).
        let files = attachments::Entity::find()
            .filter(attachments::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(attachments::Column::Status.eq("ready"))
            .filter(links.condition(
                customer,
                attachments::Column::ContactId,
                attachments::Column::OrganizationId,
                attachments::Column::DealId,
            ))
            .filter(keyset(
                ATTACHMENT,
                column(attachments::Entity, attachments::Column::CreatedAt),
                column(attachments::Entity, attachments::Column::Id),
            ))
            .order_by_desc(attachments::Column::CreatedAt)
            .order_by_desc(attachments::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        for row in files {
            let (id, at) = (row.id, row.created_at);
            entries.push(TimelineEntry { id, at, item: TimelineItem::Attachment(attachment_record(row)?) });
        }

        // Emails to them or about their deals (or, for a company, to its people).
        let sent = emails::Entity::find()
            .filter(emails::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(links.email_condition(customer))
            .filter(keyset(EMAIL, column(emails::Entity, emails::Column::CreatedAt), column(emails::Entity, emails::Column::Id)))
            .order_by_desc(emails::Column::CreatedAt)
            .order_by_desc(emails::Column::Id)
            .limit(take)
            .all(&self.db)
            .await?;
        for row in sent {
            let (id, at) = (row.id, row.created_at);
            entries.push(TimelineEntry { id, at, item: TimelineItem::Email(Box::new(email_response(&row))) });
        }

        // The leads they came from: captured, and qualified.
        let sources = leads::Entity::find()
            .filter(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(leads::Column::Id.in_subquery(source_leads(viewer, customer)))
            .filter(leads_seen(viewer))
            .limit(take)
            .all(&self.db)
            .await?;
        for lead in sources {
            let captured = TimelineEntry {
                id: lead.id,
                at: lead.created_at,
                item: TimelineItem::Lead {
                    lead_id: lead.id,
                    name: lead.name.clone(),
                    source: lead.source.clone(),
                    moment: LeadMoment::Captured,
                },
            };
            entries.push(captured);
            if let (Some(at), "qualified") = (lead.closed_at, lead.status.as_str()) {
                let item = TimelineItem::Lead { lead_id: lead.id, name: lead.name, source: lead.source, moment: LeadMoment::Qualified };
                entries.push(TimelineEntry { id: lead.id, at, item });
            }
        }

        // Merge: newest first, then the kind order, then the id; keep what is before the cursor.
        entries.retain(|e| before.is_none_or(|b| (e.at, rank_of(e), e.id) < (b.at, b.rank, b.id)));
        entries.sort_by_key(|e| std::cmp::Reverse((e.at, rank_of(e), e.id)));
        let next_cursor = if entries.len() as u64 > limit {
            entries.truncate(limit as usize);
            entries.last().map(|last| pagination::encode(SORT, json!([last.at, rank_of(last)]), last.id))
        } else {
            None
        };
        Ok(Timeline { entries, next_cursor })
    }

    /// The figures a customer's page leads with.
    pub async fn customer_summary(&self, viewer: &Viewer, customer: Customer) -> StoreResult<CustomerSummary> {
        ensure_customer(&self.db, viewer, customer).await?;
        let backend = self.backend();
        let (link, id) = match customer {
            Customer::Contact(id) => ("d.contact_id", id.as_uuid()),
            Customer::Organization(id) => ("d.organization_id", id.as_uuid()),
        };
        let mut sql = format!(
            "SELECT d.status AS status, d.currency AS currency, COUNT(*) AS deal_count, {} FROM deals d \
             WHERE d.workspace_id = ? AND {link} = ? AND d.status IN ('open', 'won')",
            split_sum("d.amount_minor", "amount")
        );
        let mut values: Vec<sea_orm::Value> = vec![viewer.workspace_id.as_uuid().into(), id.into()];
        if let Some((seen, owner)) = deals_seen_sql(viewer, "d.owner_id") {
            sql.push_str(&format!(" AND {seen}"));
            values.push(owner);
        }
        sql.push_str(" GROUP BY d.status, d.currency ORDER BY d.currency");
        let mut summary = CustomerSummary::default();
        for row in self.db.query_all_raw(statement(backend, &sql, values)).await? {
            let status: String = row.try_get("", "status")?;
            let currency = Currency::from_stored(&row.try_get::<String>("", "currency")?).map_err(|e| StoreError::corrupt("deals", e))?;
            let (count, amount) = (row.try_get::<i64>("", "deal_count")?, exact_sum(&row, "amount")?);
            match status.as_str() {
                "open" => {
                    summary.open_deals += count;
                    summary.open_value.push((currency, amount));
                }
                _ => {
                    summary.won_deals += count;
                    summary.won_value.push((currency, amount));
                }
            }
        }

        self.purchases_of(viewer, link, id, &mut summary).await?;

        let links = Links::of(&self.db, viewer, customer).await?;
        let about = activities::Entity::find()
            .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(activities_seen(viewer))
            .filter(links.condition(
                customer,
                activities::Column::ContactId,
                activities::Column::OrganizationId,
                activities::Column::DealId,
            ));
        let done = about.clone().filter(activities::Column::DoneAt.is_not_null()).order_by_desc(activities::Column::DoneAt);
        summary.last_activity_at = done.clone().one(&self.db).await?.and_then(|a| a.done_at);
        let contacted = done.filter(activities::Column::Kind.is_in(["call", "meeting", "email"]));
        summary.last_contacted_at = contacted.one(&self.db).await?.and_then(|a| a.done_at);
        let next = about
            .filter(activities::Column::DoneAt.is_null())
            .filter(activities::Column::DueAt.is_not_null())
            .order_by_asc(activities::Column::DueAt);
        summary.next_activity_at = next.one(&self.db).await?.and_then(|a| a.due_at);
        Ok(summary)
    }
}

impl Store {
    /// What the customer (`link` = `id` on their deals) paid over their lifetime, and how they buy:
    /// their invoices paid in full as purchases, the usual interval between them and whether
    /// they have been silent past it (the domain's `PurchaseHistory`).
    async fn purchases_of(&self, viewer: &Viewer, link: &str, id: uuid::Uuid, summary: &mut CustomerSummary) -> StoreResult<()> {
        let backend = self.backend();
        let mut condition = format!("d.workspace_id = ? AND {link} = ? AND i.workspace_id = d.workspace_id");
        let mut values: Vec<sea_orm::Value> = vec![viewer.workspace_id.as_uuid().into(), id.into()];
        if let Some((seen, owner)) = deals_seen_sql(viewer, "d.owner_id") {
            condition.push_str(&format!(" AND {seen}"));
            values.push(owner);
        }
        let paid = format!(
            "SELECT i.currency AS currency, {} FROM payments p JOIN invoices i ON i.id = p.invoice_id JOIN deals d ON d.id = i.deal_id \
             WHERE {condition} GROUP BY i.currency ORDER BY i.currency",
            split_sum("p.amount_minor", "amount")
        );
        for row in self.db.query_all_raw(statement(backend, &paid, values.clone())).await? {
            let currency =
                Currency::from_stored(&row.try_get::<String>("", "currency")?).map_err(|e| StoreError::corrupt("invoices", e))?;
            summary.lifetime_value.push((currency, exact_sum(&row, "amount")?));
        }
        let day = crate::sql::day_of_date(backend, "i.issued_on");
        let history = format!(
            "SELECT MIN({day}) AS first_day, MAX({day}) AS last_day, COUNT(*) AS purchases \
             FROM invoices i JOIN deals d ON d.id = i.deal_id WHERE {condition} AND i.status = 'paid'"
        );
        if let Some(row) = self.db.query_one_raw(statement(backend, &history, values)).await? {
            let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
            let day_of = |column: &str| -> StoreResult<Option<chrono::NaiveDate>> {
                Ok(row.try_get::<Option<i64>>("", column)?.and_then(|days| epoch.checked_add_signed(chrono::Duration::days(days))))
            };
            if let (Some(first), Some(last)) = (day_of("first_day")?, day_of("last_day")?) {
                let history = kariz_domain::customer_value::PurchaseHistory {
                    first,
                    last,
                    count: row.try_get::<i64>("", "purchases")?,
                    monetary_minor: 0,
                };
                let today = self.now().date_naive();
                summary.purchases = history.count;
                summary.last_purchase_on = Some(last);
                summary.usual_interval_days = history.usual_interval_days();
                summary.churn_risk = history.churn_risk(today);
            }
        }
        Ok(())
    }
}

/// A customer's headline figures: open and won value per currency (never added across
/// currencies), how many deals, and the last and next activity.
#[derive(Clone, Debug, Default)]
pub struct CustomerSummary {
    /// What they paid on their invoices, per currency: their lifetime value.
    pub lifetime_value: Vec<(Currency, i128)>,
    /// Invoices paid in full: their purchases.
    pub purchases: i64,
    pub last_purchase_on: Option<chrono::NaiveDate>,
    /// The average days between purchases, with two or more.
    pub usual_interval_days: Option<i64>,
    /// Silent for longer than one and a half usual intervals (at least a week).
    pub churn_risk: bool,
    pub open_deals: i64,
    pub open_value: Vec<(Currency, i128)>,
    pub won_deals: i64,
    pub won_value: Vec<(Currency, i128)>,
    /// The last activity done about them.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last call, meeting or email done with them.
    pub last_contacted_at: Option<DateTime<Utc>>,
    /// The soonest open task about them.
    pub next_activity_at: Option<DateTime<Utc>>,
}

/// Refuses a customer missing from the viewer's workspace.
async fn ensure_customer<C: ConnectionTrait>(conn: &C, viewer: &Viewer, customer: Customer) -> StoreResult<()> {
    let found = match customer {
        Customer::Contact(id) => contacts::Entity::find_by_id(id.as_uuid())
            .filter(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(contacts_seen(viewer))
            .one(conn)
            .await?
            .is_some(),
        Customer::Organization(id) => organizations::Entity::find_by_id(id.as_uuid())
            .filter(organizations::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .one(conn)
            .await?
            .is_some(),
    };
    if found {
        Ok(())
    } else {
        Err(StoreError::NotFound(match customer {
            Customer::Contact(_) => "contact",
            Customer::Organization(_) => "organization",
        }))
    }
}

fn decode(cursor: &str) -> StoreResult<Before> {
    let (value, id) = pagination::decode(cursor, SORT)?;
    let invalid = || StoreError::invalid("cursor", "not a cursor from this list; start again without it");
    let at = value.get(0).and_then(Value::as_str).and_then(|s| DateTime::parse_from_rfc3339(s).ok()).ok_or_else(invalid)?;
    let rank = value.get(1).and_then(Value::as_u64).and_then(|r| u8::try_from(r).ok()).filter(|r| *r <= ATTACHMENT).ok_or_else(invalid)?;
    Ok(Before { at: at.with_timezone(&Utc), rank, id })
}
