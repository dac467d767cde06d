//! Likely duplicates of a lead among leads and contacts, and merging two leads into one.

use kariz_domain::search::{FIELD_SEPARATOR, normalize};
use kariz_domain::{ActivityCounts, ContactId, Email, LeadId, Phone, Viewer};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use crate::entities::{activities, contacts, lead_submissions, leads, opportunities};
use crate::error::StoreResult;
use crate::outbox::{self, Aggregate};
use crate::records::LeadRecord;
use crate::rows::{lead_record, lead_row, visible_lead};
use crate::scoring::{activity_counts, rules_in, score_lead};
use crate::search::like_contains;
use crate::store::Store;
use crate::unit_of_work::check_version;
use crate::visibility::{contacts_seen, leads_seen};
use kariz_contract::Event;
use kariz_contract::LeadResponse;
use kariz_contract::events::{LeadDeletedData, LeadUpdatedData};

/// At most this many candidates of each kind are listed.
const MAX_CANDIDATES: u64 = 50;

/// A record that looks like the same person, and what matched.
#[derive(Clone, Debug)]
pub struct Candidate<T> {
    pub record: T,
    /// `email`, `phone` and/or `name_and_company`.
    pub matched_on: Vec<&'static str>,
}

#[derive(Clone, Debug)]
pub struct ContactMatch {
    pub id: ContactId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
}

#[derive(Clone, Debug)]
pub struct Duplicates {
    pub leads: Vec<Candidate<LeadRecord>>,
    pub contacts: Vec<Candidate<ContactMatch>>,
}

/// The result of merging `removed` into `lead`.
#[derive(Clone, Debug)]
pub struct Merge {
    pub lead: LeadRecord,
    pub removed: LeadId,
    pub dry_run: bool,
}

/// Names and companies compare in their searchable form, so that "علي" typed on an Arabic
/// keyboard meets "علی", and "شرکت ۱۲" meets "شركت 12".
fn same_name_and_company(a: &LeadRecord, name: &str, company: Option<&str>) -> bool {
    let company_key = |c: Option<&str>| c.map(normalize).filter(|c| !c.is_empty());
    normalize(a.lead.fields().name.as_str()) == normalize(name)
        && company_key(a.lead.fields().company.as_deref()).is_some()
        && company_key(a.lead.fields().company.as_deref()) == company_key(company)
}

/// Who a lead is, as far as finding its duplicates goes: a stored lead's fields, or those of a
/// lead about to be created (checked before it is saved).
#[derive(Clone, Debug)]
pub struct DuplicateProbe {
    pub name: String,
    pub email: Option<Email>,
    pub phone: Option<Phone>,
    pub company: Option<String>,
}

impl Store {
    /// Likely duplicates of a stored lead. The contacts that are the lead itself — the one its
    /// qualification made or linked — are not among them.
    pub async fn lead_duplicates(&self, viewer: &Viewer, lead_id: LeadId) -> StoreResult<Duplicates> {
        let lead = visible_lead(&self.db, viewer, lead_id).await?;
        let fields = lead.lead.fields();
        let probe = DuplicateProbe {
            name: fields.name.as_str().to_owned(),
            email: fields.email.clone(),
            phone: fields.phone.clone(),
            company: fields.company.clone(),
        };
        let own_contacts = self.lead_own_contacts(lead_id).await?;
        self.find_duplicates(viewer, &probe, Some(lead_id), own_contacts).await
    }

    /// Likely duplicates of a lead not yet created, so that the person entering it is warned.
    pub async fn probe_duplicates(&self, viewer: &Viewer, probe: &DuplicateProbe) -> StoreResult<Duplicates> {
        self.find_duplicates(viewer, probe, None, Vec::new()).await
    }

    async fn find_duplicates(
        &self,
        viewer: &Viewer,
        probe: &DuplicateProbe,
        except: Option<LeadId>,
        own_contacts: Vec<uuid::Uuid>,
    ) -> StoreResult<Duplicates> {
        let workspace_id = viewer.workspace_id;
        let email = probe.email.as_ref().map(|e| e.as_str());
        let phone = probe.phone.as_ref().map(|p| p.as_str());
        // Names are found here as a whole field of the search key (normalized on write, so the
        // key's trigram index serves it) and checked with the company below.
        let name = normalize(&probe.name);
        let mut lead_match = Condition::any()
            .add(like_contains(Expr::col(leads::Column::SearchText), &format!("{FIELD_SEPARATOR} {name} {FIELD_SEPARATOR}")));
        let mut contact_match = Condition::any();
        if let Some(email) = email {
            lead_match = lead_match.add(leads::Column::Email.eq(email));
            contact_match = contact_match.add(contacts::Column::Email.eq(email));
        }
        if let Some(phone) = phone {
            lead_match = lead_match.add(leads::Column::Phone.eq(phone));
            contact_match = contact_match.add(contacts::Column::Phone.eq(phone));
        }
        let rows = leads::Entity::find()
            .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(Condition::all().add_option(except.map(|id| leads::Column::Id.ne(id.as_uuid()))))
            .filter(leads_seen(viewer))
            .filter(lead_match)
            .order_by_asc(leads::Column::Id)
            .limit(MAX_CANDIDATES)
            .all(&self.db)
            .await?;
        let mut lead_candidates = Vec::new();
        for row in rows {
            let other = lead_record(row)?;
            let mut matched_on = Vec::new();
            if email.is_some() && other.lead.fields().email.as_ref().map(|e| e.as_str()) == email {
                matched_on.push("email");
            }
            if phone.is_some() && other.lead.fields().phone.as_ref().map(|p| p.as_str()) == phone {
                matched_on.push("phone");
            }
            if same_name_and_company(&other, &probe.name, probe.company.as_deref()) {
                matched_on.push("name_and_company");
            }
            if !matched_on.is_empty() {
                lead_candidates.push(Candidate { record: other, matched_on });
            }
        }
        let mut contact_candidates = Vec::new();
        if !contact_match.is_empty() {
            let rows = contacts::Entity::find()
                .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(contacts_seen(viewer))
                .filter(contacts::Column::Id.is_not_in(own_contacts))
                .filter(contact_match)
                .order_by_asc(contacts::Column::Id)
                .limit(MAX_CANDIDATES)
                .all(&self.db)
                .await?;
            for row in rows {
                let mut matched_on = Vec::new();
                if email.is_some() && row.email.as_deref() == email {
                    matched_on.push("email");
                }
                if phone.is_some() && row.phone.as_deref() == phone {
                    matched_on.push("phone");
                }
                let record = ContactMatch { id: row.id.into(), name: row.name, email: row.email, phone: row.phone };
                contact_candidates.push(Candidate { record, matched_on });
            }
        }
        Ok(Duplicates { leads: lead_candidates, contacts: contact_candidates })
    }

    /// The contacts that are this lead itself rather than its duplicates: the one its
    /// qualification created (`source_lead_id`) and the one its opportunity is linked to.
    async fn lead_own_contacts(&self, lead_id: LeadId) -> StoreResult<Vec<uuid::Uuid>> {
        let mut own: Vec<uuid::Uuid> = contacts::Entity::find()
            .select_only()
            .column(contacts::Column::Id)
            .filter(contacts::Column::SourceLeadId.eq(lead_id.as_uuid()))
            .into_tuple()
            .all(&self.db)
            .await?;
        let linked: Vec<Option<uuid::Uuid>> = opportunities::Entity::find()
            .select_only()
            .column(opportunities::Column::ContactId)
            .filter(opportunities::Column::LeadId.eq(lead_id.as_uuid()))
            .into_tuple()
            .all(&self.db)
            .await?;
        own.extend(linked.into_iter().flatten());
        Ok(own)
    }

    /// Merges `other_id` into `lead_id`: the kept lead's values win, its blanks are filled from
    /// the other, tags and custom fields are united, submissions are summed and moved over, and
    /// the other lead is deleted. With `dry_run`, nothing is written and the merged lead is
    /// returned as it would be.
    pub async fn merge_leads(
        &self,
        viewer: &Viewer,
        lead_id: LeadId,
        other_id: LeadId,
        expected_version: Option<i64>,
        dry_run: bool,
    ) -> StoreResult<Merge> {
        if lead_id == other_id {
            return Err(crate::StoreError::invalid("other_id", "a lead cannot be merged with itself"));
        }
        let workspace_id = viewer.workspace_id;
        let kept = visible_lead(&self.db, viewer, lead_id).await?;
        let other = match visible_lead(&self.db, viewer, other_id).await {
            Err(crate::StoreError::NotFound(_)) => return Err(crate::StoreError::invalid("other_id", "no such lead")),
            other => other?,
        };
        if !dry_run {
            check_version("lead", expected_version, kept.version)?;
        }
        let mut merged = kept.lead.clone();
        merged.merge(&other.lead)?;
        let rules = rules_in(&self.db, workspace_id).await?;
        // The other lead's activities move over with its submissions.
        let counts = activity_counts(&self.db, workspace_id, &rules, &[lead_id.as_uuid(), other_id.as_uuid()]).await?;
        let mut activities = ActivityCounts::default();
        counts.into_values().for_each(|counted| activities.absorb(counted));
        merged.rescore(score_lead(&rules, &merged, activities).total);
        if dry_run {
            return Ok(Merge { lead: LeadRecord { lead: merged, ..kept }, removed: other_id, dry_run });
        }
        let mut work = self.begin().await?;
        let txn = work.conn();
        lead_submissions::Entity::update_many()
            .col_expr(lead_submissions::Column::LeadId, Expr::value(lead_id.as_uuid()))
            .filter(lead_submissions::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(lead_submissions::Column::LeadId.eq(other_id.as_uuid()))
            .exec(txn)
            .await?;
        activities::Entity::update_many()
            .col_expr(activities::Column::LeadId, Expr::value(lead_id.as_uuid()))
            .filter(activities::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(activities::Column::LeadId.eq(other_id.as_uuid()))
            .exec(txn)
            .await?;
        work.delete("lead.deleted", &lead_row(&other)).await?;
        let deleted = Event::LeadDeleted(LeadDeletedData { lead: (&other).into(), merged_into: Some(lead_id.as_uuid()) });
        work.emit(Aggregate::lead(&other), &deleted).await?;
        let after = LeadRecord { lead: merged, ..kept.clone() };
        let row = work.update("lead.merged", &lead_row(&kept), lead_row(&after)).await?;
        let merged = LeadRecord { version: row.version, updated_at: row.updated_at, ..after };
        // A merge is an update that also names the lead merged in.
        let (before, lead) = (LeadResponse::from(&kept), LeadResponse::from(&merged));
        let changes = outbox::changed_fields(&before, &lead);
        let updated = Event::LeadUpdated(LeadUpdatedData { lead, changes, merged_from: Some(other_id.as_uuid()) });
        work.emit(Aggregate::lead(&merged), &updated).await?;
        work.commit().await?;
        Ok(Merge { lead: merged, removed: other_id, dry_run })
    }
}
