//! One person's data: everything Kariz holds about a contact or a lead, read out at once (an
//! export), or erased at once (a right-to-erasure request).
//!
//! An erasure is one unit of work. It deletes the person's rows (the lead or contact, their
//! submissions, important dates, activities and files), unlinks what stays (deals, opportunities,
//! contacts made from the lead), and replaces every copy of their data that the log and the
//! outbox kept: the audit entries about them, their activities and files, and the opportunities
//! qualified from them (which stay, without their decision maker) read `{"erased": true}`, so do
//! the outbox events about them, and the webhook deliveries of those
//! events (with their attempt logs, which may quote a receiver's echo) are removed. Every lookup
//! is by an indexed id, so an erasure reads and writes that person's rows and no others; the one
//! exception is the stored answers of idempotency keys, matched by the person's id in their text
//! among the workspace's (kept 24 hours). The erasure itself is recorded without the data:
//! `contact.erased` / `lead.erased` naming the id, and announced with only the id.

use chrono::{DateTime, Utc};
use kariz_contract::Event;
use kariz_contract::events::{ContactErasedData, LeadErasedData};
use kariz_domain::{ContactId, LeadId, Viewer, WorkspaceId};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::activities::{ActivityRecord, activity_record};
use crate::attachments::{AttachmentRecord, READY, attachment_record};
use crate::audit::{AuditEntryRecord, entry_record};
use crate::contacts::visible_contact;
use crate::entities::{
    activities, attachment_chunks, attachments, audit_entries, contacts, deals, emails, events, idempotency_keys, important_dates,
    lead_submissions, leads, notifications, opportunities, webhook_attempts, webhook_deliveries,
};
use crate::error::{StoreError, StoreResult};
use crate::outbox::Aggregate;
use crate::records::{ContactRecord, DealRecord, LeadRecord};
use crate::rows::{joined_record, visible_lead, with_stage};
use crate::store::Store;
use crate::unit_of_work::UnitOfWork;
use crate::visibility::{activities_seen, deals_seen};

/// What replaces an audit entry's or an event's copy of erased data.
fn erased_marker() -> Value {
    json!({"erased": true})
}

/// An outbox event as stored: its type, time and data.
#[derive(Clone, Debug)]
pub struct StoredEvent {
    pub id: Uuid,
    pub event_type: String,
    pub occurred_at: DateTime<Utc>,
    pub data: Value,
}

/// One submission of a lead's intake: the fields it carried, as received.
#[derive(Clone, Debug)]
pub struct SubmissionRecord {
    pub id: Uuid,
    pub received_at: DateTime<Utc>,
    pub created_lead: bool,
    pub payload: Value,
}

/// Everything held about one person that the viewer may see.
#[derive(Clone, Debug)]
pub struct PersonalData {
    pub contact: Option<ContactRecord>,
    pub lead: Option<LeadRecord>,
    pub submissions: Vec<SubmissionRecord>,
    pub activities: Vec<ActivityRecord>,
    pub deals: Vec<DealRecord>,
    pub attachments: Vec<AttachmentRecord>,
    pub audit_entries: Vec<AuditEntryRecord>,
    pub events: Vec<StoredEvent>,
    pub exported_at: DateTime<Utc>,
}

/// The rows of one person an erasure goes through.
#[derive(Default)]
struct Person {
    leads: Vec<Uuid>,
    /// Leads merged into one of `leads` earlier: gone as rows, still named by the log and outbox.
    merged_leads: Vec<Uuid>,
    contacts: Vec<Uuid>,
    activities: Vec<Uuid>,
    attachments: Vec<Uuid>,
    /// Opportunities qualified from them: they stay, but their log and events name the person.
    opportunities: Vec<Uuid>,
    /// Emails to them: deleted, with their copies in the log and the outbox.
    emails: Vec<Uuid>,
}

impl Person {
    fn every_id(&self) -> Vec<Uuid> {
        [&self.leads, &self.merged_leads, &self.contacts, &self.activities, &self.attachments, &self.opportunities, &self.emails]
            .into_iter()
            .flatten()
            .copied()
            .collect()
    }
}

/// The audit entries about `ids` of one entity type, oldest first.
async fn audit_of<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity_type: &str,
    ids: &[Uuid],
) -> StoreResult<Vec<AuditEntryRecord>> {
    let rows = audit_entries::Entity::find()
        .filter(audit_entries::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(audit_entries::Column::EntityType.eq(entity_type))
        .filter(audit_entries::Column::EntityId.is_in(ids.iter().copied()))
        .order_by_asc(audit_entries::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter().map(entry_record).collect()
}

/// The outbox events about `ids`, oldest first.
async fn events_of<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, ids: &[Uuid]) -> StoreResult<Vec<StoredEvent>> {
    let rows = events::Entity::find()
        .filter(events::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(events::Column::AggregateId.is_in(ids.iter().copied()))
        .order_by_asc(events::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|row| {
            let data = serde_json::from_str(&row.payload).map_err(|e| StoreError::corrupt("events", e))?;
            Ok(StoredEvent { id: row.id, event_type: row.event_type, occurred_at: row.occurred_at, data })
        })
        .collect()
}

/// The activities the viewer sees among those matching `about`.
async fn activities_about<C: ConnectionTrait>(conn: &C, viewer: &Viewer, about: Condition) -> StoreResult<Vec<ActivityRecord>> {
    let rows = activities::Entity::find()
        .filter(activities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(about)
        .filter(activities_seen(viewer))
        .order_by_asc(activities::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter().map(activity_record).collect()
}

/// The deals the viewer sees among those matching `about`.
async fn deals_about<C: ConnectionTrait>(conn: &C, viewer: &Viewer, about: Condition) -> StoreResult<Vec<DealRecord>> {
    let query = deals::Entity::find()
        .filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(about)
        .filter(deals_seen(viewer))
        .order_by_asc(deals::Column::Id);
    with_stage(query).all(conn).await?.into_iter().map(joined_record).collect()
}

/// The kept files matching `about`.
async fn files_about<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, about: Condition) -> StoreResult<Vec<AttachmentRecord>> {
    let rows = attachments::Entity::find()
        .filter(attachments::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(attachments::Column::Status.eq(READY))
        .filter(about)
        .order_by_asc(attachments::Column::Id)
        .all(conn)
        .await?;
    rows.into_iter().map(attachment_record).collect()
}

impl Store {
    /// Everything held about a contact the viewer sees, recorded as `contact.exported` (without
    /// the data).
    pub async fn export_contact(&self, viewer: &Viewer, id: ContactId) -> StoreResult<PersonalData> {
        let mut work = self.begin().await?;
        let contact = visible_contact(work.conn(), viewer, id).await?;
        let (workspace_id, ids) = (viewer.workspace_id, [id.as_uuid()]);
        let conn = work.conn();
        let data = PersonalData {
            activities: activities_about(conn, viewer, Condition::all().add(activities::Column::ContactId.eq(id.as_uuid()))).await?,
            deals: deals_about(conn, viewer, Condition::all().add(deals::Column::ContactId.eq(id.as_uuid()))).await?,
            attachments: files_about(conn, workspace_id, Condition::all().add(attachments::Column::ContactId.eq(id.as_uuid()))).await?,
            audit_entries: audit_of(conn, workspace_id, "contact", &ids).await?,
            events: events_of(conn, workspace_id, &ids).await?,
            contact: Some(contact),
            lead: None,
            submissions: Vec::new(),
            exported_at: work.now(),
        };
        work.audit(workspace_id, "contact.exported", Some(id.as_uuid()), json!({})).await?;
        work.commit().await?;
        Ok(data)
    }

    /// Everything held about a lead the viewer sees (its submissions, and the deals of its
    /// opportunity), recorded as `lead.exported` (without the data).
    pub async fn export_lead(&self, viewer: &Viewer, id: LeadId) -> StoreResult<PersonalData> {
        let mut work = self.begin().await?;
        let lead = visible_lead(work.conn(), viewer, id).await?;
        let (workspace_id, ids) = (viewer.workspace_id, [id.as_uuid()]);
        let conn = work.conn();
        let submissions = lead_submissions::Entity::find()
            .filter(lead_submissions::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(lead_submissions::Column::LeadId.eq(id.as_uuid()))
            .order_by_asc(lead_submissions::Column::Id)
            .all(conn)
            .await?
            .into_iter()
            .map(|row| {
                let payload = serde_json::from_str(&row.payload).map_err(|e| StoreError::corrupt("lead_submissions", e))?;
                Ok(SubmissionRecord { id: row.id, received_at: row.received_at, created_lead: row.created_lead, payload })
            })
            .collect::<StoreResult<Vec<_>>>()?;
        let deals = match lead.lead.opportunity_id() {
            Some(opportunity) => {
                deals_about(conn, viewer, Condition::all().add(deals::Column::OpportunityId.eq(opportunity.as_uuid()))).await?
            }
            None => Vec::new(),
        };
        let data = PersonalData {
            submissions,
            activities: activities_about(conn, viewer, Condition::all().add(activities::Column::LeadId.eq(id.as_uuid()))).await?,
            deals,
            attachments: files_about(conn, workspace_id, Condition::all().add(attachments::Column::LeadId.eq(id.as_uuid()))).await?,
            audit_entries: audit_of(conn, workspace_id, "lead", &ids).await?,
            events: events_of(conn, workspace_id, &ids).await?,
            contact: None,
            lead: Some(lead),
            exported_at: work.now(),
        };
        work.audit(workspace_id, "lead.exported", Some(id.as_uuid()), json!({})).await?;
        work.commit().await?;
        Ok(data)
    }

    /// Erases a contact, and the lead it was made from, everywhere (see the module documentation).
    pub async fn erase_contact(&self, viewer: &Viewer, id: ContactId) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let contact = visible_contact(work.conn(), viewer, id).await?;
        let mut person = Person { contacts: vec![id.as_uuid()], ..Person::default() };
        if let Some(lead) = contact.contact.source_lead_id() {
            let still_kept = leads::Entity::find_by_id(lead.as_uuid())
                .filter(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
                .one(work.conn())
                .await?;
            if still_kept.is_some() {
                person.leads.push(lead.as_uuid());
            }
        }
        erase(&mut work, viewer.workspace_id, person).await?;
        work.commit().await
    }

    /// Erases a lead, the leads merged into it, and the contacts made from it, everywhere (see the
    /// module documentation).
    pub async fn erase_lead(&self, viewer: &Viewer, id: LeadId) -> StoreResult<()> {
        let mut work = self.begin().await?;
        visible_lead(work.conn(), viewer, id).await?;
        let made_from = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .filter(contacts::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(contacts::Column::SourceLeadId.eq(id.as_uuid()))
            .into_tuple::<Uuid>()
            .all(work.conn())
            .await?;
        let person = Person { leads: vec![id.as_uuid()], contacts: made_from, ..Person::default() };
        erase(&mut work, viewer.workspace_id, person).await?;
        work.commit().await
    }
}

/// The leads merged into `leads`, and into those, as their `lead.updated` events name them.
async fn merged_into<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, leads: &[Uuid]) -> StoreResult<Vec<Uuid>> {
    let mut found: Vec<Uuid> = Vec::new();
    let mut next: Vec<Uuid> = leads.to_vec();
    while !next.is_empty() {
        let payloads = events::Entity::find()
            .select_only()
            .column(events::Column::Payload)
            .filter(events::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(events::Column::AggregateId.is_in(next.iter().copied()))
            .filter(events::Column::EventType.eq("lead.updated"))
            .into_tuple::<String>()
            .all(conn)
            .await?;
        next = payloads
            .iter()
            .filter_map(|payload| serde_json::from_str::<Value>(payload).ok())
            .filter_map(|data| data.get("merged_from").and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok()))
            .filter(|id| !found.contains(id) && !leads.contains(id))
            .collect();
        next.dedup();
        found.extend(&next);
    }
    Ok(found)
}

/// Ids of the rows of `entity` in the workspace matching `about`.
async fn ids_of<E, C>(conn: &C, id: E::Column, workspace: E::Column, workspace_id: WorkspaceId, about: Condition) -> StoreResult<Vec<Uuid>>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    Ok(E::find().select_only().column(id).filter(workspace.eq(workspace_id.as_uuid())).filter(about).into_tuple::<Uuid>().all(conn).await?)
}

async fn erase(work: &mut UnitOfWork, workspace_id: WorkspaceId, mut person: Person) -> StoreResult<()> {
    let now = work.now();
    let ws = workspace_id.as_uuid();
    let conn = work.conn();
    person.merged_leads = merged_into(conn, workspace_id, &person.leads).await?;
    let (lead_ids, contact_ids) = (person.leads.clone(), person.contacts.clone());
    let about_person = |lead: activities::Column, contact: activities::Column| {
        Condition::any().add(lead.is_in(lead_ids.iter().copied())).add(contact.is_in(contact_ids.iter().copied()))
    };
    person.activities = ids_of::<activities::Entity, _>(
        conn,
        activities::Column::Id,
        activities::Column::WorkspaceId,
        workspace_id,
        about_person(activities::Column::LeadId, activities::Column::ContactId),
    )
    .await?;
    person.attachments = ids_of::<attachments::Entity, _>(
        conn,
        attachments::Column::Id,
        attachments::Column::WorkspaceId,
        workspace_id,
        Condition::any()
            .add(attachments::Column::LeadId.is_in(lead_ids.iter().copied()))
            .add(attachments::Column::ContactId.is_in(contact_ids.iter().copied())),
    )
    .await?;
    person.opportunities = ids_of::<opportunities::Entity, _>(
        conn,
        opportunities::Column::Id,
        opportunities::Column::WorkspaceId,
        workspace_id,
        Condition::any()
            .add(opportunities::Column::LeadId.is_in(lead_ids.iter().copied()))
            .add(opportunities::Column::ContactId.is_in(contact_ids.iter().copied())),
    )
    .await?;

    // Notifications about the person (an important date names them; a mention quotes a note
    // about them), with the outbox copies of their `notification.created`.
    let notification_ids = ids_of::<notifications::Entity, _>(
        conn,
        notifications::Column::Id,
        notifications::Column::WorkspaceId,
        workspace_id,
        Condition::any()
            .add(notifications::Column::LeadId.is_in(lead_ids.iter().copied()))
            .add(notifications::Column::ContactId.is_in(contact_ids.iter().copied()))
            .add(notifications::Column::ActivityId.is_in(person.activities.iter().copied())),
    )
    .await?;
    notifications::Entity::delete_many()
        .filter(notifications::Column::WorkspaceId.eq(ws))
        .filter(notifications::Column::Id.is_in(notification_ids.iter().copied()))
        .exec(conn)
        .await?;
    person.emails = ids_of::<emails::Entity, _>(
        conn,
        emails::Column::Id,
        emails::Column::WorkspaceId,
        workspace_id,
        Condition::any()
            .add(emails::Column::LeadId.is_in(lead_ids.iter().copied()))
            .add(emails::Column::ContactId.is_in(contact_ids.iter().copied())),
    )
    .await?;

    // The person's own rows.
    emails::Entity::delete_many().filter(emails::Column::Id.is_in(person.emails.iter().copied())).exec(conn).await?;
    attachment_chunks::Entity::delete_many()
        .filter(attachment_chunks::Column::AttachmentId.is_in(person.attachments.iter().copied()))
        .exec(conn)
        .await?;
    attachments::Entity::delete_many()
        .filter(attachments::Column::WorkspaceId.eq(ws))
        .filter(attachments::Column::Id.is_in(person.attachments.iter().copied()))
        .exec(conn)
        .await?;
    activities::Entity::delete_many()
        .filter(activities::Column::WorkspaceId.eq(ws))
        .filter(activities::Column::Id.is_in(person.activities.iter().copied()))
        .exec(conn)
        .await?;
    lead_submissions::Entity::delete_many()
        .filter(lead_submissions::Column::WorkspaceId.eq(ws))
        .filter(lead_submissions::Column::LeadId.is_in(lead_ids.iter().copied()))
        .exec(conn)
        .await?;
    important_dates::Entity::delete_many()
        .filter(important_dates::Column::WorkspaceId.eq(ws))
        .filter(important_dates::Column::ContactId.is_in(contact_ids.iter().copied()))
        .exec(conn)
        .await?;

    // What stays loses its link to them: deals (a new version each), opportunities (and the
    // decision maker they name), contacts made from an erased lead.
    deals::Entity::update_many()
        .col_expr(deals::Column::ContactId, Expr::value(Option::<Uuid>::None))
        .col_expr(deals::Column::Version, Expr::col(deals::Column::Version).add(1))
        .col_expr(deals::Column::UpdatedAt, Expr::value(now))
        .filter(deals::Column::WorkspaceId.eq(ws))
        .filter(deals::Column::ContactId.is_in(contact_ids.iter().copied()))
        .exec(conn)
        .await?;
    opportunities::Entity::update_many()
        .col_expr(opportunities::Column::ContactId, Expr::value(Option::<Uuid>::None))
        .col_expr(opportunities::Column::DecisionMaker, Expr::value(Option::<String>::None))
        .col_expr(opportunities::Column::UpdatedAt, Expr::value(now))
        .filter(opportunities::Column::WorkspaceId.eq(ws))
        .filter(opportunities::Column::ContactId.is_in(contact_ids.iter().copied()))
        .exec(conn)
        .await?;
    opportunities::Entity::update_many()
        .col_expr(opportunities::Column::LeadId, Expr::value(Option::<Uuid>::None))
        .col_expr(opportunities::Column::DecisionMaker, Expr::value(Option::<String>::None))
        .col_expr(opportunities::Column::UpdatedAt, Expr::value(now))
        .filter(opportunities::Column::WorkspaceId.eq(ws))
        .filter(opportunities::Column::LeadId.is_in(lead_ids.iter().copied()))
        .exec(conn)
        .await?;
    contacts::Entity::update_many()
        .col_expr(contacts::Column::SourceLeadId, Expr::value(Option::<Uuid>::None))
        .filter(contacts::Column::WorkspaceId.eq(ws))
        .filter(contacts::Column::SourceLeadId.is_in(lead_ids.iter().copied()))
        .exec(conn)
        .await?;
    contacts::Entity::delete_many()
        .filter(contacts::Column::WorkspaceId.eq(ws))
        .filter(contacts::Column::Id.is_in(contact_ids.iter().copied()))
        .exec(conn)
        .await?;
    leads::Entity::delete_many()
        .filter(leads::Column::WorkspaceId.eq(ws))
        .filter(leads::Column::Id.is_in(lead_ids.iter().copied()))
        .exec(conn)
        .await?;

    // The copies the log and the outbox kept.
    let leads_named: Vec<Uuid> = lead_ids.iter().chain(&person.merged_leads).copied().collect();
    for (entity_type, ids) in [
        ("lead", &leads_named),
        ("contact", &contact_ids),
        ("activity", &person.activities),
        ("attachment", &person.attachments),
        ("opportunity", &person.opportunities),
        ("email", &person.emails),
    ] {
        audit_entries::Entity::update_many()
            .col_expr(audit_entries::Column::Changes, Expr::value(erased_marker().to_string()))
            .filter(audit_entries::Column::WorkspaceId.eq(ws))
            .filter(audit_entries::Column::EntityType.eq(entity_type))
            .filter(audit_entries::Column::EntityId.is_in(ids.iter().copied()))
            .exec(conn)
            .await?;
    }
    let every_id = person.every_id();
    let event_ids = ids_of::<events::Entity, _>(
        conn,
        events::Column::Id,
        events::Column::WorkspaceId,
        workspace_id,
        Condition::any()
            .add(events::Column::AggregateId.is_in(every_id.iter().copied()))
            .add(events::Column::AggregateId.is_in(notification_ids.iter().copied())),
    )
    .await?;
    // Marked dispatched, so that no delivery of a redacted event is made.
    events::Entity::update_many()
        .col_expr(events::Column::Payload, Expr::value(erased_marker().to_string()))
        .col_expr(events::Column::DispatchedAt, Expr::col(events::Column::DispatchedAt).if_null(now))
        .filter(events::Column::Id.is_in(event_ids.iter().copied()))
        .exec(conn)
        .await?;
    let delivery_ids = ids_of::<webhook_deliveries::Entity, _>(
        conn,
        webhook_deliveries::Column::Id,
        webhook_deliveries::Column::WorkspaceId,
        workspace_id,
        Condition::all().add(webhook_deliveries::Column::EventId.is_in(event_ids.iter().copied())),
    )
    .await?;
    webhook_attempts::Entity::delete_many()
        .filter(webhook_attempts::Column::DeliveryId.is_in(delivery_ids.iter().copied()))
        .exec(conn)
        .await?;
    webhook_deliveries::Entity::delete_many().filter(webhook_deliveries::Column::Id.is_in(delivery_ids.iter().copied())).exec(conn).await?;
    // Stored answers of retried requests that showed the person.
    let mut answers = Condition::any();
    for id in &every_id {
        answers = answers.add(idempotency_keys::Column::ResponseBody.like(format!("%{id}%")));
    }
    idempotency_keys::Entity::delete_many().filter(idempotency_keys::Column::WorkspaceId.eq(ws)).filter(answers).exec(conn).await?;

    // The erasure itself, without the data.
    for id in lead_ids {
        work.audit(workspace_id, "lead.erased", Some(id), erased_marker()).await?;
        let about = Aggregate { workspace_id, kind: "lead", id };
        work.emit(about, &Event::LeadErased(LeadErasedData { lead_id: id })).await?;
    }
    for id in contact_ids {
        work.audit(workspace_id, "contact.erased", Some(id), erased_marker()).await?;
        let about = Aggregate { workspace_id, kind: "contact", id };
        work.emit(about, &Event::ContactErased(ContactErasedData { contact_id: id })).await?;
    }
    Ok(())
}
