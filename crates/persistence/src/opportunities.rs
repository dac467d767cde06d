//! Qualification (a lead becomes a contact, an organization, an opportunity and a deal, in one
//! transaction) and opportunities with their deals.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kariz_domain::text::fold_key;
use kariz_domain::{
    ContactFields, ContactId, ContactLink, Currency, DealTitle, JobTitle, Lead, LeadError, LeadEvent, LeadId, LeadStatus, Money, Notes,
    OpportunityId, OpportunityStatus, OpportunityTitle, OrganizationId, PipelineId, StageId, UserId, Viewer, WorkspaceId,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::Value;

use crate::audit;
use crate::contacts::insert_contact;
use crate::deals::{CreateDeal, PreparedDeal, insert_deal, prepare_deal};
use crate::entities::{contacts, deals, opportunities, organizations, pipelines};
use crate::error::{StoreError, StoreResult};
use crate::leads::save_lead;
use crate::outbox::Aggregate;
use crate::pagination::{self, Page};
use crate::records::DealRecord;
use crate::records::LeadRecord;
use crate::rows::{ensure_member, visible_lead};
use crate::store::Store;
use crate::unit_of_work::{UnitOfWork, check_version};
use crate::visibility::{contacts_seen, deals_seen, opportunities_seen};
use kariz_contract::events::OpportunityEventData;
use kariz_contract::{Event, OpportunityResponse};

#[derive(Clone, Debug)]
pub struct OpportunityRecord {
    pub id: OpportunityId,
    pub workspace_id: WorkspaceId,
    pub lead_id: Option<LeadId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    pub title: String,
    pub need: Option<String>,
    pub budget: Option<Money>,
    pub timeline: Option<String>,
    pub decision_maker: Option<String>,
    pub owner_id: UserId,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Oldest first.
    pub deals: Vec<DealRecord>,
}

impl OpportunityRecord {
    pub fn status(&self) -> OpportunityStatus {
        OpportunityStatus::derive(self.deals.iter().map(|d| d.deal.status()))
    }
}

/// What qualifying a lead should create or link.
#[derive(Clone, Debug, Default)]
pub struct QualifyLead {
    /// Link this contact instead of finding or creating one.
    pub contact_id: Option<ContactId>,
    /// Link this organization instead of finding or creating one from the lead's company.
    pub organization_id: Option<OrganizationId>,
    /// The lead's company or name when omitted.
    pub title: Option<OpportunityTitle>,
    pub need: Option<String>,
    pub budget: Option<Money>,
    pub timeline: Option<String>,
    pub decision_maker: Option<String>,
    /// The lead's owner, or the actor, when omitted.
    pub owner_id: Option<UserId>,
    /// The deal to open; `None` opens none.
    pub deal: Option<QualifyDeal>,
}

#[derive(Clone, Debug, Default)]
pub struct QualifyDeal {
    /// The workspace's first active pipeline when omitted.
    pub pipeline_id: Option<PipelineId>,
    /// The pipeline's first stage when omitted.
    pub stage_id: Option<StageId>,
    /// The opportunity's title when omitted.
    pub title: Option<DealTitle>,
    /// The budget estimate (or 0) when omitted.
    pub amount_minor: Option<i64>,
    pub currency: Option<Currency>,
}

/// The outcome of qualifying a lead; the same ids however often it is asked for.
#[derive(Clone, Debug)]
pub struct Qualification {
    pub lead: LeadRecord,
    pub opportunity: OpportunityRecord,
    pub contact_created: bool,
    pub organization_created: bool,
    /// False when the lead had already been qualified and this is the first result again.
    pub first_time: bool,
}

fn opportunity_record(row: opportunities::Model, deals: Vec<DealRecord>) -> StoreResult<OpportunityRecord> {
    let budget = match (row.budget_minor, row.budget_currency.as_deref()) {
        (Some(amount), Some(currency)) => {
            let currency = Currency::from_stored(currency).map_err(|e| StoreError::corrupt("opportunities", e))?;
            Some(Money::new(amount, currency).map_err(|e| StoreError::corrupt("opportunities", e))?)
        }
        _ => None,
    };
    Ok(OpportunityRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        lead_id: row.lead_id.map(Into::into),
        contact_id: row.contact_id.map(Into::into),
        organization_id: row.organization_id.map(Into::into),
        title: row.title,
        need: row.need,
        budget,
        timeline: row.timeline,
        decision_maker: row.decision_maker,
        owner_id: row.owner_id.into(),
        created_at: row.created_at,
        updated_at: row.updated_at,
        deals,
    })
}

/// The deals of these opportunities, oldest first, grouped by opportunity.
/// The deals of these opportunities that the viewer sees.
async fn deals_of<C: ConnectionTrait>(conn: &C, viewer: &Viewer, ids: &[uuid::Uuid]) -> StoreResult<HashMap<uuid::Uuid, Vec<DealRecord>>> {
    let mut grouped: HashMap<uuid::Uuid, Vec<DealRecord>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let query = deals::Entity::find()
        .filter(deals::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(deals_seen(viewer))
        .filter(deals::Column::OpportunityId.is_in(ids.iter().copied()))
        .order_by_asc(deals::Column::Id);
    let rows = crate::rows::with_stage(query).all(conn).await?;
    for row in rows {
        let opportunity_id = row.0.opportunity_id;
        let record = crate::rows::joined_record(row)?;
        if let Some(id) = opportunity_id {
            grouped.entry(id).or_default().push(record);
        }
    }
    Ok(grouped)
}

/// An opportunity the viewer sees, with the deals of it they see.
async fn opportunity_in<C: ConnectionTrait>(conn: &C, viewer: &Viewer, id: OpportunityId) -> StoreResult<OpportunityRecord> {
    let row = opportunities::Entity::find_by_id(id.as_uuid())
        .filter(opportunities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
        .filter(opportunities_seen(viewer))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("opportunity"))?;
    let mut deals = deals_of(conn, viewer, &[row.id]).await?;
    let own = deals.remove(&row.id).unwrap_or_default();
    opportunity_record(row, own)
}

/// The organization to link: the given one (checked), else the one named like the lead's
/// company, else a new one. Returns its id and whether it was created.
async fn link_organization(
    work: &mut UnitOfWork,
    lead: &Lead,
    given: Option<OrganizationId>,
    owner_id: UserId,
) -> StoreResult<(Option<OrganizationId>, bool)> {
    if let Some(id) = given {
        let found = organizations::Entity::find_by_id(id.as_uuid())
            .filter(organizations::Column::WorkspaceId.eq(lead.workspace_id().as_uuid()))
            .one(work.conn())
            .await?;
        return found.map(|_| (Some(id), false)).ok_or_else(|| StoreError::invalid("organization_id", "no such organization"));
    }
    let Some(company) = lead.fields().company.as_deref().map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok((None, false));
    };
    let domain = lead.fields().email.as_ref().and_then(|e| e.as_str().split_once('@')).map(|(_, domain)| domain.to_owned());
    let (id, created) = organization_named(work, lead.workspace_id(), company, domain, owner_id).await?;
    Ok((Some(id), created))
}

/// The organization whose folded name matches `name`, or a new one so named. Returns its id and
/// whether it was created.
pub(crate) async fn organization_named(
    work: &mut UnitOfWork,
    workspace_id: WorkspaceId,
    name: &str,
    domain: Option<String>,
    owner_id: UserId,
) -> StoreResult<(OrganizationId, bool)> {
    let (conn, now) = (work.conn(), work.now());
    let key = fold_key(name);
    let existing = organizations::Entity::find()
        .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(organizations::Column::NameKey.eq(key.as_str()))
        .order_by_asc(organizations::Column::Id)
        .one(conn)
        .await?;
    if let Some(existing) = existing {
        return Ok((existing.id.into(), false));
    }
    let id = OrganizationId::new();
    let search_text = crate::organizations::organization_search_key(name.trim(), domain.as_deref());
    organizations::Entity::insert(organizations::ActiveModel {
        id: Set(id.as_uuid()),
        workspace_id: Set(workspace_id.as_uuid()),
        name: Set(name.trim().to_owned()),
        name_key: Set(key),
        domain: Set(domain),
        industry: Set(None),
        phone: Set(None),
        address: Set(None),
        city: Set(None),
        country: Set(None),
        tags: Set("[]".to_owned()),
        custom_fields: Set("{}".to_owned()),
        owner_id: Set(Some(owner_id.as_uuid())),
        search_text: Set(search_text),
        version: Set(1),
        created_at: Set(now),
        updated_at: Set(now),
    })
    .exec_without_returning(conn)
    .await?;
    Ok((id, true))
}

/// The contact to link: the given one (checked), else one with the lead's email or phone, else
/// a new one made from the lead (announced as `contact.created`). Only contacts the viewer sees
/// are given or matched: a hidden one is refused like a missing one, and is neither linked nor
/// revealed by a match.
async fn link_contact(
    work: &mut UnitOfWork,
    viewer: &Viewer,
    lead: &Lead,
    given: Option<ContactId>,
    organization_id: Option<OrganizationId>,
    owner_id: UserId,
) -> StoreResult<(ContactId, bool)> {
    let txn = work.conn();
    let scope = Condition::all().add(contacts::Column::WorkspaceId.eq(lead.workspace_id().as_uuid())).add(contacts_seen(viewer));
    if let Some(id) = given {
        let found = contacts::Entity::find_by_id(id.as_uuid()).filter(scope).one(txn).await?;
        return found.map(|_| (id, false)).ok_or_else(|| StoreError::invalid("contact_id", "no such contact"));
    }
    let mut same_person = Condition::any();
    if let Some(email) = &lead.fields().email {
        same_person = same_person.add(contacts::Column::Email.eq(email.as_str()));
    }
    if let Some(phone) = &lead.fields().phone {
        same_person = same_person.add(contacts::Column::Phone.eq(phone.as_str()));
    }
    if !same_person.is_empty() {
        let existing = contacts::Entity::find().filter(scope).filter(same_person).order_by_asc(contacts::Column::Id).one(txn).await?;
        if let Some(existing) = existing {
            return Ok((existing.id.into(), false));
        }
    }
    let f = lead.fields();
    let contact = ContactFields {
        name: f.name.clone(),
        email: f.email.clone(),
        phone: f.phone.clone(),
        job_title: f.job_title.as_deref().and_then(|t| JobTitle::parse(t).ok()),
        organization_id,
        address: None,
        city: None,
        country: None,
        tags: f.tags.clone(),
        // Lead custom fields are defined for leads; contacts have their own definitions.
        custom_fields: Default::default(),
        notes: f.notes.as_deref().and_then(|n| Notes::parse(n).ok()),
        owner_id: Some(owner_id),
        important_dates: Default::default(),
    };
    let id = insert_contact(work, lead.workspace_id(), contact, Some(lead.id())).await?.contact.id();
    Ok((id, true))
}

/// The workspace's first active pipeline, for a deal opened without one.
async fn default_pipeline<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId) -> StoreResult<PipelineId> {
    let row = pipelines::Entity::find()
        .filter(pipelines::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(pipelines::Column::ArchivedAt.is_null())
        .order_by_asc(pipelines::Column::Position)
        .order_by_asc(pipelines::Column::Id)
        .one(conn)
        .await?;
    row.map(|p| p.id.into()).ok_or_else(|| StoreError::invalid("pipeline_id", "the workspace has no active pipeline; create one first"))
}

/// The deal a qualification opens, checked; defaults from the opportunity's title and budget.
async fn prepare_qualified_deal<C: ConnectionTrait>(
    conn: &C,
    viewer: &Viewer,
    owner_id: UserId,
    title: &str,
    request: &QualifyLead,
    deal: &QualifyDeal,
) -> StoreResult<PreparedDeal> {
    let pipeline_id = match deal.pipeline_id {
        Some(id) => id,
        None => default_pipeline(conn, viewer.workspace_id).await?,
    };
    let title = match &deal.title {
        Some(title) => title.clone(),
        None => DealTitle::parse(title).map_err(|e| StoreError::invalid("deal_title", e.to_string()))?,
    };
    let amount_minor = deal.amount_minor.or(request.budget.map(|b| b.amount_minor())).unwrap_or(0);
    let currency = deal.currency.or(request.budget.map(|b| b.currency()));
    let new = CreateDeal {
        pipeline_id,
        stage_id: deal.stage_id,
        title,
        amount_minor,
        currency,
        probability: None,
        expected_close_date: None,
        owner_id: Some(owner_id),
        opportunity_id: None,
        contact_id: None,
        organization_id: None,
        tags: kariz_domain::Tags::default(),
        custom_fields: serde_json::Map::new(),
        amount_from_lines: false,
    };
    prepare_deal(conn, viewer, new).await
}

impl Store {
    /// Qualifies a lead: links or creates its contact and organization, creates its opportunity
    /// and (unless told not to) opens a deal, all in one transaction. A lead already qualified
    /// returns its first qualification.
    pub async fn qualify_lead(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        request: QualifyLead,
    ) -> StoreResult<Qualification> {
        let outcome = self.write_qualification(viewer, lead_id, expected_version, request).await;
        match outcome {
            // Qualified before, or by someone else meanwhile (a stale version, or the
            // one-opportunity-per-lead index): answer with that result.
            Err(StoreError::LeadRule(LeadError::AlreadyQualified) | StoreError::StaleVersion { .. } | StoreError::Database(_)) => {
                let lead = visible_lead(&self.db, viewer, lead_id).await?;
                match self.previous_qualification(viewer, &lead).await? {
                    Some(done) => Ok(done),
                    None => outcome,
                }
            }
            other => other,
        }
    }

    async fn previous_qualification(&self, viewer: &Viewer, lead: &LeadRecord) -> StoreResult<Option<Qualification>> {
        let (LeadStatus::Qualified { .. }, Some(opportunity_id)) = (lead.lead.status(), lead.lead.opportunity_id()) else {
            return Ok(None);
        };
        let opportunity = opportunity_in(&self.db, viewer, opportunity_id).await?;
        Ok(Some(Qualification { lead: lead.clone(), opportunity, contact_created: false, organization_created: false, first_time: false }))
    }

    async fn write_qualification(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        request: QualifyLead,
    ) -> StoreResult<Qualification> {
        let (workspace_id, actor_id) = (viewer.workspace_id, viewer.user_id);
        let mut work = self.begin().await?;
        let current = visible_lead(work.conn(), viewer, lead_id).await?;
        if matches!(current.lead.status(), LeadStatus::Qualified { .. }) {
            return Err(LeadError::AlreadyQualified.into());
        }
        check_version("lead", expected_version, current.version)?;
        let opportunity_id = OpportunityId::new();
        let mut qualified = current.lead.clone();
        qualified.qualify(opportunity_id, work.now())?;
        let owner_id = request.owner_id.or(current.lead.owner_id()).unwrap_or(actor_id);
        if owner_id != actor_id {
            ensure_member(work.conn(), workspace_id, owner_id).await?;
        }
        let fields = current.lead.fields();
        let title = match &request.title {
            Some(title) => title.as_str().to_owned(),
            None => fields.company.clone().filter(|c| !c.trim().is_empty()).unwrap_or_else(|| fields.name.as_str().to_owned()),
        };
        let prepared = match &request.deal {
            Some(deal) => Some(prepare_qualified_deal(work.conn(), viewer, owner_id, &title, &request, deal).await?),
            None => None,
        };
        let (organization_id, organization_created) =
            link_organization(&mut work, &current.lead, request.organization_id, owner_id).await?;
        let (contact_id, contact_created) =
            link_contact(&mut work, viewer, &current.lead, request.contact_id, organization_id, owner_id).await?;
        if let (Some(id), true) = (organization_id, organization_created) {
            let row =
                organizations::Entity::find_by_id(id.as_uuid()).one(work.conn()).await?.ok_or(StoreError::NotFound("organization"))?;
            work.audit(workspace_id, "organization.created", Some(id.as_uuid()), audit::created_entry(&row)).await?;
        }
        if contact_created {
            let row = contacts::Entity::find_by_id(contact_id.as_uuid()).one(work.conn()).await?.ok_or(StoreError::NotFound("contact"))?;
            work.audit(workspace_id, "contact.created", Some(contact_id.as_uuid()), audit::created_entry(&row)).await?;
        }
        let now = work.now();
        let row = opportunities::Model {
            id: opportunity_id.as_uuid(),
            workspace_id: workspace_id.as_uuid(),
            lead_id: Some(lead_id.as_uuid()),
            contact_id: Some(contact_id.as_uuid()),
            organization_id: organization_id.map(|o| o.as_uuid()),
            title,
            need: request.need,
            budget_minor: request.budget.map(|b| b.amount_minor()),
            budget_currency: request.budget.map(|b| b.currency().as_str().to_owned()),
            timeline: request.timeline,
            decision_maker: request.decision_maker,
            owner_id: owner_id.as_uuid(),
            created_at: now,
            updated_at: now,
        };
        opportunities::Entity::insert(opportunities::ActiveModel::from(row.clone()).reset_all())
            .exec_without_returning(work.conn())
            .await?;
        work.audit(workspace_id, "opportunity.created", Some(opportunity_id.as_uuid()), audit::created_entry(&row)).await?;
        let deal = match prepared {
            Some(prepared) => {
                let customer = ContactLink { id: contact_id, organization_id };
                Some(insert_deal(&mut work, prepared.for_opportunity(opportunity_id, customer), actor_id).await?)
            }
            None => None,
        };
        let opportunity = opportunity_in(work.conn(), viewer, opportunity_id).await?;
        let about = Aggregate { workspace_id, kind: "opportunity", id: opportunity_id.as_uuid() };
        // Its deals are announced by their own events.
        let created =
            Event::OpportunityCreated(OpportunityEventData { opportunity: OpportunityResponse { deals: None, ..(&opportunity).into() } });
        work.emit(about, &created).await?;
        let event =
            LeadEvent::Qualified { lead_id, opportunity_id, contact_id, organization_id, deal_id: deal.as_ref().map(|d| d.deal.id()) };
        let lead = save_lead(&mut work, "lead.qualified", &current, qualified, &event).await?;
        work.commit().await?;
        Ok(Qualification { lead, opportunity, contact_created, organization_created, first_time: true })
    }

    pub async fn opportunity(&self, viewer: &Viewer, id: OpportunityId) -> StoreResult<OpportunityRecord> {
        opportunity_in(&self.db, viewer, id).await
    }

    /// Opportunities newest first, each with its deals.
    pub async fn opportunities(
        &self,
        viewer: &Viewer,
        owner_id: Option<UserId>,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<OpportunityRecord>> {
        const SORT: &str = "-created_at";
        let limit = pagination::clamp_limit(limit);
        let mut query = opportunities::Entity::find()
            .filter(opportunities::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(opportunities_seen(viewer));
        if let Some(owner_id) = owner_id {
            query = query.filter(opportunities::Column::OwnerId.eq(owner_id.as_uuid()));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, SORT)?;
            query = query.filter(opportunities::Column::Id.lt(last_id));
        }
        let mut rows = query.order_by_desc(opportunities::Column::Id).limit(limit + 1).all(&self.db).await?;
        let next_cursor = if rows.len() as u64 > limit {
            rows.truncate(limit as usize);
            rows.last().map(|last| pagination::encode(SORT, Value::Null, last.id))
        } else {
            None
        };
        let ids: Vec<uuid::Uuid> = rows.iter().map(|r| r.id).collect();
        let mut deals = deals_of(&self.db, viewer, &ids).await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let own = deals.remove(&row.id).unwrap_or_default();
                opportunity_record(row, own)
            })
            .collect::<StoreResult<_>>()?;
        Ok(Page { items, next_cursor })
    }

    /// Opens another deal on an opportunity.
    pub async fn open_opportunity_deal(
        &self,
        viewer: &Viewer,
        opportunity_id: OpportunityId,
        mut new: CreateDeal,
    ) -> StoreResult<DealRecord> {
        opportunity_in(&self.db, viewer, opportunity_id).await?;
        new.opportunity_id = Some(opportunity_id);
        self.create_deal(viewer, new).await
    }
}
