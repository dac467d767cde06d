//! Lead intake from integrations (web forms, social networks): a submission whose normalized
//! email or phone matches a lead of the workspace attaches to it instead of creating another.

use chrono::Utc;
use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::events::LEAD_UPDATED;
use kariz_domain::{ApiKeyId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::audit;
use crate::custom_fields::checked_values;
use crate::entities::{lead_submissions, leads};
use crate::error::StoreResult;
use crate::leads::{LeadFields, LeadRecord, changed_fields, insert_lead, lead_record, lead_snapshot, record_lead_event, swap_lead};
use crate::scoring::{lead_activity_counts, rules_in, score_lead};
use crate::sql::statement;
use crate::store::Store;

/// What became of a submission.
#[derive(Clone, Debug)]
pub struct IntakeOutcome {
    /// The stored submission's id: what the submitter is told, the same kind of answer whether
    /// or not the person was already known.
    pub submission_id: Uuid,
    pub lead: LeadRecord,
    /// False when the submission attached to an existing lead.
    pub created: bool,
}

impl LeadFields {
    /// Fills this lead's blanks from `other`: existing values win, tags and custom fields are
    /// united, and a different note is appended.
    pub fn absorb(&mut self, other: LeadFields) {
        macro_rules! fill {
            ($($field:ident),*) => { $(if self.$field.is_none() { self.$field = other.$field; })* };
        }
        fill!(email, phone, company, job_title, campaign, medium, owner_id);
        self.tags = self.tags.union(&other.tags);
        for (key, value) in other.custom_fields {
            self.custom_fields.entry(key).or_insert(value);
        }
        match (&mut self.notes, other.notes) {
            (Some(mine), Some(theirs)) if !mine.contains(theirs.as_str()) => {
                mine.push_str("\n\n");
                mine.push_str(&theirs);
            }
            (mine @ None, theirs) => *mine = theirs,
            _ => {}
        }
    }
}

/// The oldest lead of the workspace with this email or phone, if any.
pub(crate) async fn matching_lead<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    fields: &LeadFields,
) -> StoreResult<Option<LeadRecord>> {
    let mut any = Condition::any();
    if let Some(email) = &fields.email {
        any = any.add(leads::Column::Email.eq(email.as_str()));
    }
    if let Some(phone) = &fields.phone {
        any = any.add(leads::Column::Phone.eq(phone.as_str()));
    }
    if any.is_empty() {
        return Ok(None);
    }
    let row = leads::Entity::find()
        .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .filter(any)
        .order_by_asc(leads::Column::Id)
        .one(conn)
        .await?;
    row.map(lead_record).transpose()
}

/// On PostgreSQL, serializes submissions of one email or phone per workspace until commit, so
/// two concurrent submissions of one person cannot both create a lead. (SQLite writers are
/// already serialized by `BEGIN IMMEDIATE`.)
async fn lock_identity<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, fields: &LeadFields) -> StoreResult<()> {
    if conn.get_database_backend() != DatabaseBackend::Postgres {
        return Ok(());
    }
    let mut keys: Vec<String> = [fields.email.as_ref().map(|e| e.as_str()), fields.phone.as_ref().map(|p| p.as_str())]
        .into_iter()
        .flatten()
        .map(|k| format!("lead-identity:{workspace_id}:{k}"))
        .collect();
    keys.sort();
    for key in keys {
        let sql = "SELECT pg_advisory_xact_lock(hashtextextended(?, 0))";
        conn.execute_raw(statement(DatabaseBackend::Postgres, sql, vec![key.into()])).await?;
    }
    Ok(())
}

impl Store {
    /// Takes one submission: creates a lead, or attaches to the lead with the same email or phone.
    /// The raw submission is kept either way.
    pub async fn intake_lead(
        &self,
        workspace_id: WorkspaceId,
        api_key_id: Option<ApiKeyId>,
        mut fields: LeadFields,
        payload: &Value,
    ) -> StoreResult<IntakeOutcome> {
        fields.custom_fields = checked_values(&self.db, workspace_id, FieldEntity::Lead, &fields.custom_fields).await?;
        let now = Utc::now();
        let txn = self.write().await?;
        lock_identity(&txn, workspace_id, &fields).await?;
        let rules = rules_in(&txn, workspace_id).await?;
        let submission_id = Uuid::now_v7();
        let outcome = match matching_lead(&txn, workspace_id, &fields).await? {
            Some(existing) => {
                let mut next = existing.clone();
                next.fields.absorb(fields);
                next.submissions += 1;
                let activities = lead_activity_counts(&txn, workspace_id, &rules, existing.id).await?;
                next.score = score_lead(&rules, &next, activities).total;
                let before = audit::snapshot::<leads::Entity>(&txn, existing.id.as_uuid()).await?;
                swap_lead(&txn, &existing, &mut next, now).await?;
                audit::updated::<leads::Entity>(&txn, workspace_id, "lead.attached", existing.id.as_uuid(), before).await?;
                let changes = changed_fields(&lead_snapshot(&existing), &lead_snapshot(&next));
                record_lead_event(&txn, &next, LEAD_UPDATED, json!({ "changes": changes }), now).await?;
                IntakeOutcome { submission_id, lead: next, created: false }
            }
            None => {
                let lead = insert_lead(&txn, workspace_id, fields, &rules, now).await?;
                audit::object::<leads::Entity>(&txn, workspace_id, "lead.created", lead.id.as_uuid()).await?;
                IntakeOutcome { submission_id, lead, created: true }
            }
        };
        lead_submissions::Entity::insert(lead_submissions::ActiveModel {
            id: Set(submission_id),
            workspace_id: Set(workspace_id.as_uuid()),
            lead_id: Set(outcome.lead.id.as_uuid()),
            api_key_id: Set(api_key_id.map(|k| k.as_uuid())),
            created_lead: Set(outcome.created),
            payload: Set(payload.to_string()),
            received_at: Set(now),
        })
        .exec_without_returning(&txn)
        .await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(outcome)
    }
}
