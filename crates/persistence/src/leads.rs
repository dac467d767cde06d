//! Leads: create, read, list, update, delete, disqualify and reopen. Every write re-scores the
//! lead against the workspace's rules and records its outbox event in the same transaction.

use chrono::{DateTime, Utc};
use kariz_contract::events::{LeadDeletedData, LeadDisqualifiedData};
use kariz_contract::{Event, LeadResponse};
use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::scoring::LeadFacts;
use kariz_domain::{
    ActivityCounts, DisqualifyNote, DisqualifyReason, Email, LeadId, LeadName, LeadSource, LeadStatus, OpportunityId, Phone, Tags, UserId,
    Viewer, WorkspaceId,
};
use sea_orm::ActiveValue::{NotSet, Set};
use sea_orm::sea_query::{Expr, SimpleExpr};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde_json::{Map, Value};

use crate::audit;
use crate::custom_fields::{checked_values, stored_values};
use crate::entities::leads;
use crate::error::{StoreError, StoreResult, check_version};
use crate::outbox::{self};
use crate::pagination::{self, Page};
use crate::scoring::{ScoringRuleRecord, lead_activity_counts, rules_in, score_lead};
use crate::search::{contains, like_contains, merged_fields, phone_needles, tagged};
use crate::store::Store;
use crate::visibility::leads_seen;

/// A lead as stored, parsed into domain types.
#[derive(Clone, Debug)]
pub struct LeadRecord {
    pub id: LeadId,
    pub workspace_id: WorkspaceId,
    pub fields: LeadFields,
    pub status: LeadStatus,
    pub score: i32,
    /// How many times the lead was submitted (intake or import); 1 for a lead typed in by hand.
    pub submissions: i32,
    pub opportunity_id: Option<OpportunityId>,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// The fields people edit.
#[derive(Clone, Debug)]
pub struct LeadFields {
    pub name: LeadName,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub company: Option<String>,
    pub job_title: Option<String>,
    pub source: LeadSource,
    pub campaign: Option<String>,
    pub medium: Option<String>,
    pub owner_id: Option<UserId>,
    pub tags: Tags,
    pub notes: Option<String>,
    pub custom_fields: Map<String, Value>,
}

impl LeadFields {
    pub(crate) fn facts(&self, submissions: i32, activities: ActivityCounts) -> LeadFacts<'_> {
        LeadFacts {
            name: self.name.as_str(),
            email: self.email.as_ref().map(Email::as_str),
            phone: self.phone.as_ref().map(Phone::as_str),
            company: self.company.as_deref(),
            job_title: self.job_title.as_deref(),
            campaign: self.campaign.as_deref(),
            medium: self.medium.as_deref(),
            notes: self.notes.as_deref(),
            source: Some(self.source),
            tags: self.tags.as_slice(),
            custom_fields: Some(&self.custom_fields),
            submissions: u32::try_from(submissions).unwrap_or(0),
            activities,
        }
    }
}

/// A change to a lead: `None` leaves a field alone; `Some(None)` clears a clearable one.
/// Custom fields are merged key by key (`null` removes a key).
#[derive(Clone, Debug, Default)]
pub struct LeadPatch {
    pub name: Option<LeadName>,
    pub email: Option<Option<Email>>,
    pub phone: Option<Option<Phone>>,
    pub company: Option<Option<String>>,
    pub job_title: Option<Option<String>>,
    pub source: Option<LeadSource>,
    pub campaign: Option<Option<String>>,
    pub medium: Option<Option<String>>,
    pub owner_id: Option<Option<UserId>>,
    pub tags: Option<Tags>,
    pub notes: Option<Option<String>>,
    pub custom_fields: Option<Map<String, Value>>,
    /// `new` or `working`.
    pub status: Option<LeadStatus>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LeadSort {
    /// Best first: the inbox order.
    #[default]
    ScoreDescending,
    Score,
    Newest,
    Oldest,
}

impl LeadSort {
    pub const NAMES: [&'static str; 4] = ["-score", "score", "-created_at", "created_at"];

    pub fn parse(raw: &str) -> Option<LeadSort> {
        match raw {
            "-score" => Some(LeadSort::ScoreDescending),
            "score" => Some(LeadSort::Score),
            "-created_at" => Some(LeadSort::Newest),
            "created_at" => Some(LeadSort::Oldest),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LeadSort::ScoreDescending => "-score",
            LeadSort::Score => "score",
            LeadSort::Newest => "-created_at",
            LeadSort::Oldest => "created_at",
        }
    }
}

#[derive(Clone, Debug, Default)]
pub struct LeadFilter {
    /// Leads in any of these statuses (`new`, `working`, `qualified`, `disqualified`).
    pub statuses: Vec<&'static str>,
    pub source: Option<LeadSource>,
    pub owner_id: Option<UserId>,
    pub score_min: Option<i32>,
    pub score_max: Option<i32>,
    pub tag: Option<String>,
    /// Case-insensitive text in the name, email, company or phone.
    pub text: Option<String>,
    pub disqualify_reason: Option<DisqualifyReason>,
}

pub(crate) fn lead_record(row: leads::Model) -> StoreResult<LeadRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("leads", e);
    let tags: Vec<String> = serde_json::from_str(&row.tags).map_err(|e| corrupt(&e))?;
    let status = match (row.status.as_str(), row.closed_at) {
        ("new", _) => LeadStatus::New,
        ("working", _) => LeadStatus::Working,
        ("qualified", Some(at)) => LeadStatus::Qualified { at },
        ("disqualified", Some(at)) => LeadStatus::Disqualified {
            reason: DisqualifyReason::parse(row.disqualify_reason.as_deref().unwrap_or("")).map_err(|e| corrupt(&e))?,
            note: row.disqualify_note.as_deref().map(DisqualifyNote::parse).transpose().map_err(|e| corrupt(&e))?,
            at,
        },
        (other, _) => return Err(corrupt(&format!("status {other}"))),
    };
    let fields = LeadFields {
        name: LeadName::parse(&row.name).map_err(|e| corrupt(&e))?,
        email: row.email.as_deref().map(Email::parse).transpose().map_err(|e| corrupt(&e))?,
        phone: row.phone.as_deref().map(Phone::parse).transpose().map_err(|e| corrupt(&e))?,
        company: row.company,
        job_title: row.job_title,
        source: LeadSource::parse(&row.source).map_err(|e| corrupt(&e))?,
        campaign: row.campaign,
        medium: row.medium,
        owner_id: row.owner_id.map(Into::into),
        tags: Tags::parse(&tags).map_err(|e| corrupt(&e))?,
        notes: row.notes,
        custom_fields: stored_values("leads", &row.custom_fields)?,
    };
    Ok(LeadRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        fields,
        status,
        score: row.score,
        submissions: row.submissions,
        opportunity_id: row.opportunity_id.map(Into::into),
        version: row.version,
        created_at: row.created_at,
        updated_at: row.updated_at,
    })
}

impl LeadRecord {
    /// A new lead (status `new`, one submission, no activities yet), scored against `rules`.
    pub(crate) fn new(workspace_id: WorkspaceId, fields: LeadFields, rules: &[ScoringRuleRecord], now: DateTime<Utc>) -> LeadRecord {
        let mut lead = LeadRecord {
            id: LeadId::new(),
            workspace_id,
            fields,
            status: LeadStatus::New,
            score: 0,
            submissions: 1,
            opportunity_id: None,
            version: 1,
            created_at: now,
            updated_at: now,
        };
        lead.score = score_lead(rules, &lead, ActivityCounts::default()).total;
        lead
    }
}

/// Inserts a new lead with its `lead.created` event on `conn` (a transaction).
pub(crate) async fn insert_lead<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    fields: LeadFields,
    rules: &[ScoringRuleRecord],
    now: DateTime<Utc>,
) -> StoreResult<LeadRecord> {
    let lead = LeadRecord::new(workspace_id, fields, rules, now);
    leads::Entity::insert(new_lead_row(&lead)).exec_without_returning(conn).await?;
    outbox::record_lead(conn, &lead, &outbox::lead_created(&lead), now).await?;
    Ok(lead)
}

/// Every column but the id, workspace, version and timestamps.
pub(crate) fn lead_columns(record: &LeadRecord) -> leads::ActiveModel {
    let f = &record.fields;
    let (reason, note, closed_at) = match &record.status {
        LeadStatus::Disqualified { reason, note, at } => {
            (Some(reason.as_str().to_owned()), note.as_ref().map(|n| n.as_str().to_owned()), Some(*at))
        }
        LeadStatus::Qualified { at } => (None, None, Some(*at)),
        _ => (None, None, None),
    };
    leads::ActiveModel {
        id: NotSet,
        workspace_id: NotSet,
        name: Set(f.name.as_str().to_owned()),
        email: Set(f.email.as_ref().map(|e| e.as_str().to_owned())),
        phone: Set(f.phone.as_ref().map(|p| p.as_str().to_owned())),
        company: Set(f.company.clone()),
        job_title: Set(f.job_title.clone()),
        source: Set(f.source.as_str().to_owned()),
        campaign: Set(f.campaign.clone()),
        medium: Set(f.medium.clone()),
        owner_id: Set(f.owner_id.map(|o| o.as_uuid())),
        status: Set(record.status.as_str().to_owned()),
        disqualify_reason: Set(reason),
        disqualify_note: Set(note),
        closed_at: Set(closed_at),
        score: Set(record.score),
        tags: Set(f.tags.to_json()),
        notes: Set(f.notes.clone()),
        custom_fields: Set(Value::Object(f.custom_fields.clone()).to_string()),
        submissions: Set(record.submissions),
        opportunity_id: Set(record.opportunity_id.map(|o| o.as_uuid())),
        version: NotSet,
        created_at: NotSet,
        updated_at: NotSet,
    }
}

/// A new row for `record`, all columns set.
pub(crate) fn new_lead_row(record: &LeadRecord) -> leads::ActiveModel {
    let mut row = lead_columns(record);
    row.id = Set(record.id.as_uuid());
    row.workspace_id = Set(record.workspace_id.as_uuid());
    row.version = Set(record.version);
    row.created_at = Set(record.created_at);
    row.updated_at = Set(record.updated_at);
    row
}

pub(crate) async fn lead_in<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, lead_id: LeadId) -> StoreResult<LeadRecord> {
    let row = leads::Entity::find_by_id(lead_id.as_uuid())
        .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("lead"))?;
    lead_record(row)
}

/// Writes `after` over `before` if nobody changed it meanwhile (compare-and-swap on the version).
pub(crate) async fn swap_lead<C: ConnectionTrait>(
    conn: &C,
    before: &LeadRecord,
    after: &mut LeadRecord,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    after.version = before.version + 1;
    after.updated_at = at;
    let mut row = lead_columns(after);
    row.version = Set(after.version);
    row.updated_at = Set(at);
    let swapped = leads::Entity::update_many()
        .set(row)
        .filter(leads::Column::WorkspaceId.eq(before.workspace_id.as_uuid()))
        .filter(leads::Column::Id.eq(before.id.as_uuid()))
        .filter(leads::Column::Version.eq(before.version))
        .exec(conn)
        .await?;
    if swapped.rows_affected == 1 {
        return Ok(());
    }
    Err(match lead_in(conn, before.workspace_id, before.id).await {
        Ok(current) => StoreError::StaleVersion { entity: "lead", current: current.version },
        Err(err) => err,
    })
}

impl Store {
    pub async fn create_lead(
        &self,
        workspace_id: WorkspaceId,
        actor_id: Option<UserId>,
        mut fields: LeadFields,
    ) -> StoreResult<LeadRecord> {
        if let Some(owner_id) = fields.owner_id {
            self.ensure_member(workspace_id, owner_id).await?;
        }
        fields.owner_id = fields.owner_id.or(actor_id);
        fields.custom_fields = checked_values(&self.db, workspace_id, FieldEntity::Lead, &fields.custom_fields).await?;
        let now = Utc::now();
        let txn = self.write().await?;
        let rules = rules_in(&txn, workspace_id).await?;
        let record = insert_lead(&txn, workspace_id, fields, &rules, now).await?;
        audit::object::<leads::Entity>(&txn, workspace_id, "lead.created", record.id.as_uuid()).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(record)
    }

    /// A lead the viewer sees; one hidden from them is not found, exactly like a missing one.
    pub async fn lead(&self, viewer: &Viewer, lead_id: LeadId) -> StoreResult<LeadRecord> {
        visible_lead(&self.db, viewer, lead_id).await
    }

    pub async fn leads(
        &self,
        viewer: &Viewer,
        filter: &LeadFilter,
        sort: LeadSort,
        limit: Option<u64>,
        cursor: Option<&str>,
    ) -> StoreResult<Page<LeadRecord>> {
        let limit = pagination::clamp_limit(limit);
        let mut query = leads::Entity::find()
            .filter(leads::Column::WorkspaceId.eq(viewer.workspace_id.as_uuid()))
            .filter(leads_seen(viewer))
            .filter(lead_condition(filter));
        let id = leads::Column::Id;
        let score = leads::Column::Score;
        if let Some(cursor) = cursor {
            let (value, last_id) = pagination::decode(cursor, sort.as_str())?;
            let keyset = match sort {
                LeadSort::Newest => Condition::all().add(id.lt(last_id)),
                LeadSort::Oldest => Condition::all().add(id.gt(last_id)),
                LeadSort::Score | LeadSort::ScoreDescending => {
                    let last = value.as_i64().ok_or_else(|| StoreError::invalid("cursor", "not a cursor from this list"))?;
                    if sort == LeadSort::Score {
                        Condition::any().add(score.gt(last)).add(Condition::all().add(score.eq(last)).add(id.gt(last_id)))
                    } else {
                        Condition::any().add(score.lt(last)).add(Condition::all().add(score.eq(last)).add(id.lt(last_id)))
                    }
                }
            };
            query = query.filter(keyset);
        }
        query = match sort {
            LeadSort::ScoreDescending => query.order_by_desc(score).order_by_desc(id),
            LeadSort::Score => query.order_by_asc(score).order_by_asc(id),
            LeadSort::Newest => query.order_by_desc(id),
            LeadSort::Oldest => query.order_by_asc(id),
        };
        let rows = query.limit(limit + 1).all(&self.db).await?;
        let mut items: Vec<LeadRecord> = rows.into_iter().map(lead_record).collect::<StoreResult<_>>()?;
        let next_cursor = if items.len() as u64 > limit {
            items.truncate(limit as usize);
            items.last().map(|last| {
                let value = match sort {
                    LeadSort::Score | LeadSort::ScoreDescending => Value::from(last.score),
                    _ => Value::Null,
                };
                pagination::encode(sort.as_str(), value, last.id.as_uuid())
            })
        } else {
            None
        };
        Ok(Page { items, next_cursor })
    }

    pub async fn update_lead(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        patch: LeadPatch,
    ) -> StoreResult<LeadRecord> {
        let current = self.lead(viewer, lead_id).await?;
        let workspace_id = viewer.workspace_id;
        check_version("lead", expected_version, current.version)?;
        if let Some(Some(owner_id)) = patch.owner_id {
            self.ensure_member(workspace_id, owner_id).await?;
        }
        let mut next = current.clone();
        let f = &mut next.fields;
        // Values of deleted fields are dropped on any save.
        let custom_fields =
            merged_fields(&self.db, workspace_id, FieldEntity::Lead, &f.custom_fields, patch.custom_fields.as_ref()).await?;
        if let Some(status) = patch.status {
            next.status.set_open(status)?;
        } else if next.status == LeadStatus::New {
            // Editing a new lead means someone is working it.
            next.status = LeadStatus::Working;
        }
        let f = &mut next.fields;
        macro_rules! apply {
            ($($field:ident),*) => { $(if let Some(value) = patch.$field { f.$field = value; })* };
        }
        apply!(name, email, phone, company, job_title, source, campaign, medium, owner_id, tags, notes);
        f.custom_fields = custom_fields;
        let now = Utc::now();
        let txn = self.write().await?;
        let rules = rules_in(&txn, workspace_id).await?;
        let activities = lead_activity_counts(&txn, workspace_id, &rules, lead_id).await?;
        next.score = score_lead(&rules, &next, activities).total;
        if outbox::changed_fields(&LeadResponse::from(&current), &LeadResponse::from(&next)).is_empty() {
            txn.rollback().await?;
            return Ok(current);
        }
        let before = audit::snapshot::<leads::Entity>(&txn, lead_id.as_uuid()).await?;
        swap_lead(&txn, &current, &mut next, now).await?;
        audit::updated::<leads::Entity>(&txn, workspace_id, "lead.updated", lead_id.as_uuid(), before).await?;
        outbox::record_lead(&txn, &next, &outbox::lead_updated(&current, &next, None), now).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(next)
    }

    /// Deletes a lead that has not been qualified (a qualified lead is the history of its opportunity).
    pub async fn delete_lead(&self, viewer: &Viewer, lead_id: LeadId, expected_version: Option<i64>) -> StoreResult<()> {
        let current = self.lead(viewer, lead_id).await?;
        check_version("lead", expected_version, current.version)?;
        if matches!(current.status, LeadStatus::Qualified { .. }) {
            return Err(kariz_domain::LeadError::AlreadyQualified.into());
        }
        let txn = self.write().await?;
        audit::object::<leads::Entity>(&txn, viewer.workspace_id, "lead.deleted", lead_id.as_uuid()).await?;
        delete_lead_row(&txn, &current).await?;
        let deleted = Event::LeadDeleted(LeadDeletedData { lead: (&current).into(), merged_into: None });
        outbox::record_lead(&txn, &current, &deleted, Utc::now()).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(())
    }

    pub async fn disqualify_lead(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        expected_version: Option<i64>,
        reason: DisqualifyReason,
        note: Option<DisqualifyNote>,
    ) -> StoreResult<LeadRecord> {
        let current = self.lead(viewer, lead_id).await?;
        check_version("lead", expected_version, current.version)?;
        let mut next = current.clone();
        let now = Utc::now();
        next.status.disqualify(reason, note.clone(), now)?;
        let txn = self.write().await?;
        let before = audit::snapshot::<leads::Entity>(&txn, lead_id.as_uuid()).await?;
        swap_lead(&txn, &current, &mut next, now).await?;
        audit::updated::<leads::Entity>(&txn, viewer.workspace_id, "lead.disqualified", lead_id.as_uuid(), before).await?;
        let disqualified = Event::LeadDisqualified(LeadDisqualifiedData {
            lead: (&next).into(),
            reason: reason.as_str().to_owned(),
            note: note.map(|n| n.as_str().to_owned()),
        });
        outbox::record_lead(&txn, &next, &disqualified, now).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(next)
    }

    pub async fn reopen_lead(&self, viewer: &Viewer, lead_id: LeadId, expected_version: Option<i64>) -> StoreResult<LeadRecord> {
        let current = self.lead(viewer, lead_id).await?;
        check_version("lead", expected_version, current.version)?;
        let mut next = current.clone();
        next.status.reopen()?;
        let now = Utc::now();
        let txn = self.write().await?;
        let before = audit::snapshot::<leads::Entity>(&txn, lead_id.as_uuid()).await?;
        swap_lead(&txn, &current, &mut next, now).await?;
        audit::updated::<leads::Entity>(&txn, viewer.workspace_id, "lead.reopened", lead_id.as_uuid(), before).await?;
        outbox::record_lead(&txn, &next, &outbox::lead_updated(&current, &next, None), now).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(next)
    }
}

/// A lead of the viewer's workspace that they see (the one check of lead visibility by id).
pub(crate) async fn visible_lead<C: ConnectionTrait>(conn: &C, viewer: &Viewer, lead_id: LeadId) -> StoreResult<LeadRecord> {
    let lead = lead_in(conn, viewer.workspace_id, lead_id).await?;
    if !viewer.sees_lead_of(lead.fields.owner_id) {
        return Err(StoreError::NotFound("lead"));
    }
    Ok(lead)
}

pub(crate) async fn delete_lead_row<C: ConnectionTrait>(conn: &C, lead: &LeadRecord) -> StoreResult<()> {
    let deleted = leads::Entity::delete_many()
        .filter(leads::Column::WorkspaceId.eq(lead.workspace_id.as_uuid()))
        .filter(leads::Column::Id.eq(lead.id.as_uuid()))
        .filter(leads::Column::Version.eq(lead.version))
        .exec(conn)
        .await?;
    if deleted.rows_affected == 1 {
        return Ok(());
    }
    Err(match lead_in(conn, lead.workspace_id, lead.id).await {
        Ok(current) => StoreError::StaleVersion { entity: "lead", current: current.version },
        Err(err) => err,
    })
}

fn column(c: leads::Column) -> SimpleExpr {
    Expr::col((leads::Entity, c))
}

/// The SQL condition of a lead filter (shared by the list and the CSV export).
pub(crate) fn lead_condition(filter: &LeadFilter) -> Condition {
    let mut condition = Condition::all();
    if !filter.statuses.is_empty() {
        condition = condition.add(leads::Column::Status.is_in(filter.statuses.iter().copied()));
    }
    if let Some(source) = filter.source {
        condition = condition.add(leads::Column::Source.eq(source.as_str()));
    }
    if let Some(owner_id) = filter.owner_id {
        condition = condition.add(leads::Column::OwnerId.eq(owner_id.as_uuid()));
    }
    if let Some(min) = filter.score_min {
        condition = condition.add(leads::Column::Score.gte(min));
    }
    if let Some(max) = filter.score_max {
        condition = condition.add(leads::Column::Score.lte(max));
    }
    if let Some(reason) = filter.disqualify_reason {
        condition = condition.add(leads::Column::DisqualifyReason.eq(reason.as_str()));
    }
    if let Some(tag) = filter.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        condition = condition.add(tagged(column(leads::Column::Tags), tag));
    }
    if let Some(text) = filter.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let lower = text.to_lowercase();
        let mut any = Condition::any()
            .add(contains(column(leads::Column::Name), &lower))
            .add(like_contains(column(leads::Column::Email), &lower))
            .add(contains(column(leads::Column::Company), &lower));
        for needle in phone_needles(text) {
            any = any.add(like_contains(column(leads::Column::Phone), &needle));
        }
        condition = condition.add(any);
    }
    condition
}
