//! A customer's timeline and headline figures, as the customer page reads them.

use chrono::{DateTime, Utc};
use kariz_persistence::timeline::{CustomerSummary, DealMoment, LeadMoment, Timeline, TimelineEntry, TimelineItem};
use serde::Serialize;
use utoipa::ToSchema;
use uuid::Uuid;

use super::reports::MoneyAmount;
use kariz_contract::{ActivityResponse, AttachmentResponse, EmailResponse};

/// What happened to a deal: opened, moved to another stage, won or lost.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum TimelineDealAction {
    Opened,
    Moved,
    Won,
    Lost,
}

/// What happened to a lead: it came in, or it was qualified.
#[derive(Serialize, ToSchema, Clone, Copy, PartialEq, Eq, Debug)]
#[serde(rename_all = "snake_case")]
pub enum TimelineLeadAction {
    Captured,
    Qualified,
}

/// The deal an entry is about, as it is now.
#[derive(Serialize, ToSchema)]
pub struct TimelineDeal {
    pub id: Uuid,
    pub title: String,
    pub pipeline_id: Uuid,
    pub stage_id: Uuid,
    pub amount_minor: i64,
    pub currency: String,
    /// `open`, `won` or `lost`.
    pub status: String,
    pub lost_reason: Option<String>,
}

/// One entry of a customer's timeline; `kind` says which.
#[derive(Serialize, ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TimelineEntryResponse {
    /// A deal with them was opened, moved (`from_stage_id` → `to_stage_id`), won or lost.
    Deal {
        id: Uuid,
        at: DateTime<Utc>,
        action: TimelineDealAction,
        deal: TimelineDeal,
        from_stage_id: Option<Uuid>,
        to_stage_id: Option<Uuid>,
    },
    /// A call, meeting, email or task about them or one of their deals: at when it was done,
    /// else when it was logged.
    Activity { id: Uuid, at: DateTime<Utc>, activity: ActivityResponse },
    /// A note about them or one of their deals.
    Note { id: Uuid, at: DateTime<Utc>, activity: ActivityResponse },
    /// A file kept with them or one of their deals.
    Attachment { id: Uuid, at: DateTime<Utc>, attachment: AttachmentResponse },
    /// The lead they came from came in, or was qualified.
    Lead { id: Uuid, at: DateTime<Utc>, action: TimelineLeadAction, lead_id: Uuid, name: String, source: String },
    /// An email to them or about one of their deals, at when it was queued; its `status` says
    /// whether it went out.
    Email { id: Uuid, at: DateTime<Utc>, email: EmailResponse },
}

#[derive(Serialize, ToSchema)]
pub struct TimelineResponse {
    /// Newest first.
    pub data: Vec<TimelineEntryResponse>,
    /// Pass as `cursor` to get the next page; `null` on the last page.
    pub next_cursor: Option<String>,
}

impl From<TimelineEntry> for TimelineEntryResponse {
    fn from(entry: TimelineEntry) -> Self {
        let (id, at) = (entry.id, entry.at);
        match entry.item {
            TimelineItem::Deal { deal, moment } => {
                let (action, from_stage_id, to_stage_id) = match moment {
                    DealMoment::Opened => (TimelineDealAction::Opened, None, None),
                    DealMoment::Moved { from_stage_id, to_stage_id } => (TimelineDealAction::Moved, Some(from_stage_id), Some(to_stage_id)),
                    DealMoment::Won => (TimelineDealAction::Won, None, None),
                    DealMoment::Lost => (TimelineDealAction::Lost, None, None),
                };
                let deal = *deal;
                let deal = TimelineDeal {
                    id: deal.id,
                    title: deal.title,
                    pipeline_id: deal.pipeline_id,
                    stage_id: deal.stage_id,
                    amount_minor: deal.amount_minor,
                    currency: deal.currency,
                    status: deal.status,
                    lost_reason: deal.lost_reason,
                };
                TimelineEntryResponse::Deal { id, at, action, deal, from_stage_id, to_stage_id }
            }
            TimelineItem::Activity(record) => {
                let activity = ActivityResponse::from(record.as_ref());
                if record.activity.kind() == kariz_domain::ActivityKind::Note {
                    TimelineEntryResponse::Note { id, at, activity }
                } else {
                    TimelineEntryResponse::Activity { id, at, activity }
                }
            }
            TimelineItem::Attachment(record) => TimelineEntryResponse::Attachment { id, at, attachment: (&record).into() },
            TimelineItem::Lead { lead_id, name, source, moment } => {
                let action = match moment {
                    LeadMoment::Captured => TimelineLeadAction::Captured,
                    LeadMoment::Qualified => TimelineLeadAction::Qualified,
                };
                TimelineEntryResponse::Lead { id, at, action, lead_id, name, source }
            }
            TimelineItem::Email(email) => TimelineEntryResponse::Email { id, at, email: *email },
        }
    }
}

impl From<Timeline> for TimelineResponse {
    fn from(timeline: Timeline) -> Self {
        TimelineResponse { data: timeline.entries.into_iter().map(Into::into).collect(), next_cursor: timeline.next_cursor }
    }
}

/// The figures a customer's page leads with. Money is per currency, never added across them.
#[derive(Serialize, ToSchema)]
pub struct CustomerSummaryResponse {
    pub open_deals: i64,
    /// The open deals' amounts, per currency.
    pub open_value: Vec<MoneyAmount>,
    pub won_deals: i64,
    pub won_value: Vec<MoneyAmount>,
    /// The last activity done about them or their deals.
    pub last_activity_at: Option<DateTime<Utc>>,
    /// The last call, meeting or email done with them.
    pub last_contacted_at: Option<DateTime<Utc>>,
    /// The soonest open task about them.
    pub next_activity_at: Option<DateTime<Utc>>,
    /// What they paid on their invoices (of deals you see), per currency: their lifetime value.
    pub lifetime_value: Vec<MoneyAmount>,
    /// Their invoices paid in full.
    pub purchases: i64,
    /// The issue date of their last invoice paid in full.
    pub last_purchase_on: Option<chrono::NaiveDate>,
    /// The average days between their purchases; `null` with fewer than two.
    pub usual_interval_days: Option<i64>,
    /// No purchase for longer than one and a half usual intervals (and at least a week).
    pub churn_risk: bool,
}

impl From<CustomerSummary> for CustomerSummaryResponse {
    fn from(s: CustomerSummary) -> Self {
        let amounts = |values: Vec<(kariz_domain::Currency, i128)>| {
            values.into_iter().map(|(currency, amount_minor)| MoneyAmount { currency: currency.to_string(), amount_minor }).collect()
        };
        CustomerSummaryResponse {
            open_deals: s.open_deals,
            open_value: amounts(s.open_value),
            won_deals: s.won_deals,
            won_value: amounts(s.won_value),
            last_activity_at: s.last_activity_at,
            last_contacted_at: s.last_contacted_at,
            next_activity_at: s.next_activity_at,
            lifetime_value: amounts(s.lifetime_value),
            purchases: s.purchases,
            last_purchase_on: s.last_purchase_on,
            usual_interval_days: s.usual_interval_days,
            churn_risk: s.churn_risk,
        }
    }
}
