//! Lead intake from integrations (web forms, social networks): a submission whose normalized
//! email or phone matches a lead of the workspace attaches to it instead of creating another.

use kariz_domain::custom_fields::FieldEntity;
use kariz_domain::{ApiKeyId, LeadFields, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryOrder};
use serde_json::Value;
use uuid::Uuid;

use crate::custom_fields::checked_values;
use crate::entities::{lead_submissions, leads};
use crate::error::StoreResult;
use crate::leads::{insert_lead, rescored, save_lead};
use crate::records::LeadRecord;
use crate::rows::{lead_record, lead_row};
use crate::scoring::rules_in;
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
        let mut work = self.begin().await?;
        fields.custom_fields = checked_values(work.conn(), workspace_id, FieldEntity::Lead, &fields.custom_fields).await?;
        lock_identity(work.conn(), workspace_id, &fields).await?;
        let submission_id = Uuid::now_v7();
        let outcome = match matching_lead(work.conn(), workspace_id, &fields).await? {
            Some(existing) => {
                let mut lead = existing.lead.clone();
                let event = lead.attach(fields);
                let lead = rescored(work.conn(), lead).await?;
                let lead = save_lead(&mut work, "lead.attached", &existing, lead, &event).await?;
                IntakeOutcome { submission_id, lead, created: false }
            }
            None => {
                let rules = rules_in(work.conn(), workspace_id).await?;
                let lead = insert_lead(&mut work, workspace_id, fields, &rules).await?;
                work.audit_object("lead.created", &lead_row(&lead)).await?;
                IntakeOutcome { submission_id, lead, created: true }
            }
        };
        lead_submissions::Entity::insert(lead_submissions::ActiveModel {
            id: Set(submission_id),
            workspace_id: Set(workspace_id.as_uuid()),
            lead_id: Set(outcome.lead.lead.id().as_uuid()),
            api_key_id: Set(api_key_id.map(|k| k.as_uuid())),
            created_lead: Set(outcome.created),
            payload: Set(payload.to_string()),
            received_at: Set(work.now()),
        })
        .exec_without_returning(work.conn())
        .await?;
        work.commit().await?;
        Ok(outcome)
    }
}
