//! Bulk lead import, a batch of parsed rows at a time: each batch is one transaction, rows whose
//! email or phone matches a lead (stored, or earlier in the import) attach to it like intake
//! submissions, and every row either lands whole or is reported with its line number.

use std::collections::{HashMap, HashSet};

use kariz_domain::custom_fields::{self, FieldDefinition};
use kariz_domain::{Lead, LeadEvent, LeadFields, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter};

use crate::entities::leads;
use crate::error::StoreResult;
use crate::import::{BatchResult, RowError, RowOutcome};
use crate::outbox::{self, Aggregate};
use crate::records::LeadRecord;
use crate::rows::{lead_record, lead_row};
use crate::scoring::{activity_counts, rules_in, score_lead};
use crate::store::Store;

/// Rows per INSERT statement: 24 columns × 400 rows stays far below SQLite's 32,766 parameters.
const INSERT_CHUNK: usize = 400;
/// Emails or phones per lookup statement.
const LOOKUP_CHUNK: usize = 500;

/// One parsed row and its line in the file (the header is line 1).
#[derive(Clone, Debug)]
pub struct ImportRow {
    pub line: u64,
    pub fields: LeadFields,
}

/// A lead touched by this batch: new, or stored and possibly changed.
struct Touched {
    stored: Option<LeadRecord>,
    current: LeadRecord,
}

impl Store {
    pub async fn import_lead_batch(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        definitions: &[FieldDefinition],
        rows: Vec<ImportRow>,
    ) -> StoreResult<BatchResult> {
        let mut result = BatchResult::default();
        let mut valid = Vec::with_capacity(rows.len());
        for mut row in rows {
            match custom_fields::validate(&row.fields.custom_fields, definitions) {
                Ok(clean) => {
                    row.fields.custom_fields = clean;
                    valid.push(row);
                }
                Err(problems) => result.errors.extend(problems.into_iter().map(|p| RowError {
                    line: row.line,
                    field: format!("custom_fields.{}", p.key),
                    message: p.message,
                })),
            }
        }
        if valid.is_empty() {
            return Ok(result);
        }
        let mut work = self.begin().await?;
        let now = work.now();
        let rules = rules_in(work.conn(), workspace_id).await?;
        let mut touched: Vec<Touched> = Vec::new();
        let mut by_identity: HashMap<String, usize> = HashMap::new();
        let identities = |fields: &LeadFields| -> Vec<String> {
            [fields.email.as_ref().map(|e| e.as_str().to_owned()), fields.phone.as_ref().map(|p| p.as_str().to_owned())]
                .into_iter()
                .flatten()
                .collect()
        };

        // Stored leads any row of the batch matches: one indexed IN lookup per column (an OR of
        // the two would scan the table on SQLite).
        let emails: Vec<String> = valid.iter().filter_map(|r| r.fields.email.as_ref().map(|e| e.as_str().to_owned())).collect();
        let phones: Vec<String> = valid.iter().filter_map(|r| r.fields.phone.as_ref().map(|p| p.as_str().to_owned())).collect();
        let mut seen = HashSet::new();
        for (column, values) in [(leads::Column::Email, emails), (leads::Column::Phone, phones)] {
            for chunk in values.chunks(LOOKUP_CHUNK) {
                let rows = leads::Entity::find()
                    .filter(leads::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                    .filter(column.is_in(chunk.to_vec()))
                    .all(work.conn())
                    .await?;
                for row in rows.into_iter().filter(|row| seen.insert(row.id)) {
                    let lead = lead_record(row)?;
                    let index = touched.len();
                    for identity in identities(lead.lead.fields()) {
                        by_identity.entry(identity).or_insert(index);
                    }
                    touched.push(Touched { stored: Some(lead.clone()), current: lead });
                }
            }
        }

        for row in valid {
            let keys = identities(&row.fields);
            match keys.iter().find_map(|k| by_identity.get(k).copied()) {
                Some(index) => {
                    let lead = &mut touched[index].current.lead;
                    lead.attach(row.fields);
                    for identity in identities(lead.fields()) {
                        by_identity.entry(identity).or_insert(index);
                    }
                    result.outcomes.push((row.line, RowOutcome::Attached(lead.id().as_uuid())));
                }
                None => {
                    let mut fields = row.fields;
                    fields.owner_id = fields.owner_id.or(Some(actor_id));
                    let (lead, _) = Lead::capture(workspace_id, fields);
                    let index = touched.len();
                    for key in keys {
                        by_identity.insert(key, index);
                    }
                    result.outcomes.push((row.line, RowOutcome::Created(lead.id().as_uuid())));
                    touched.push(Touched { stored: None, current: LeadRecord { lead, version: 1, created_at: now, updated_at: now } });
                }
            }
        }

        // Only stored leads can have activities: one grouped count for all of them.
        let stored_ids: Vec<uuid::Uuid> = touched.iter().filter_map(|t| t.stored.as_ref().map(|s| s.lead.id().as_uuid())).collect();
        let counts = activity_counts(work.conn(), workspace_id, &rules, &stored_ids).await?;
        let mut new_rows = Vec::new();
        let mut new_events = Vec::new();
        for Touched { stored, mut current } in touched {
            let activities = counts.get(&current.lead.id().as_uuid()).copied().unwrap_or_default();
            let score = score_lead(&rules, &current.lead, activities).total;
            current.lead.rescore(score);
            match stored {
                None => {
                    new_rows.push(leads::ActiveModel::from(lead_row(&current)).reset_all());
                    let created = LeadEvent::Created { lead_id: current.lead.id() };
                    new_events.push(outbox::row(Aggregate::lead(&current), &outbox::lead_event(&created, None, &current), now));
                }
                Some(stored) if stored.lead == current.lead => {}
                Some(stored) => {
                    // The batch is recorded once, below; each attached lead is part of it.
                    let row = work.swap(&lead_row(&stored), lead_row(&current)).await?;
                    let current = LeadRecord { version: row.version, updated_at: row.updated_at, ..current };
                    let updated = LeadEvent::Updated { lead_id: current.lead.id() };
                    work.emit(Aggregate::lead(&current), &outbox::lead_event(&updated, Some(&stored), &current)).await?;
                }
            }
        }
        let mut new_rows = new_rows.into_iter().peekable();
        while new_rows.peek().is_some() {
            let chunk: Vec<leads::ActiveModel> = new_rows.by_ref().take(INSERT_CHUNK).collect();
            leads::Entity::insert_many(chunk).exec_without_returning(work.conn()).await?;
        }
        outbox::record_rows(work.conn(), new_events, INSERT_CHUNK).await?;
        work.emitted();
        work.audit(workspace_id, "lead.imported", None, result.audit_summary()).await?;
        work.commit().await?;
        Ok(result)
    }
}
