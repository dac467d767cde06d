//! Bulk lead import, a batch of parsed rows at a time: each batch is one transaction, rows whose
//! email or phone matches a lead (stored, or earlier in the import) attach to it like intake
//! submissions, and every row either lands whole or is reported with its line number.

use std::collections::{HashMap, HashSet};

use chrono::Utc;
use kariz_domain::custom_fields::{self, FieldDefinition};
use kariz_domain::{UserId, WorkspaceId};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use crate::audit;
use crate::entities::leads;
use crate::error::StoreResult;
use crate::import::{BatchResult, RowError, RowOutcome};
use crate::leads::{LeadFields, LeadRecord, lead_record, new_lead_row, swap_lead};
use crate::outbox::{self};
use crate::scoring::{activity_counts, rules_in, score_lead};
use crate::store::Store;
use kariz_contract::LeadResponse;

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
        let now = Utc::now();
        let txn = self.write().await?;
        let rules = rules_in(&txn, workspace_id).await?;
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
                    .all(&txn)
                    .await?;
                for row in rows.into_iter().filter(|row| seen.insert(row.id)) {
                    let lead = lead_record(row)?;
                    let index = touched.len();
                    for identity in identities(&lead.fields) {
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
                    let lead = &mut touched[index].current;
                    lead.fields.absorb(row.fields);
                    lead.submissions += 1;
                    for identity in identities(&lead.fields) {
                        by_identity.entry(identity).or_insert(index);
                    }
                    result.outcomes.push((row.line, RowOutcome::Attached(lead.id.as_uuid())));
                }
                None => {
                    let mut fields = row.fields;
                    fields.owner_id = fields.owner_id.or(Some(actor_id));
                    let lead = LeadRecord::new(workspace_id, fields, &rules, now);
                    let index = touched.len();
                    for key in keys {
                        by_identity.insert(key, index);
                    }
                    result.outcomes.push((row.line, RowOutcome::Created(lead.id.as_uuid())));
                    touched.push(Touched { stored: None, current: lead });
                }
            }
        }

        // Only stored leads can have activities: one grouped count for all of them.
        let stored_ids: Vec<uuid::Uuid> = touched.iter().filter_map(|t| t.stored.as_ref().map(|s| s.id.as_uuid())).collect();
        let counts = activity_counts(&txn, workspace_id, &rules, &stored_ids).await?;
        let mut new_rows = Vec::new();
        let mut new_events = Vec::new();
        for Touched { stored, mut current } in touched {
            let activities = counts.get(&current.id.as_uuid()).copied().unwrap_or_default();
            current.score = score_lead(&rules, &current, activities).total;
            match stored {
                None => {
                    new_rows.push(new_lead_row(&current));
                    new_events.push(outbox::row(outbox::Aggregate::lead(&current), &outbox::lead_created(&current), now));
                }
                Some(stored) => {
                    if outbox::changed_fields(&LeadResponse::from(&stored), &LeadResponse::from(&current)).is_empty() {
                        continue;
                    }
                    swap_lead(&txn, &stored, &mut current, now).await?;
                    outbox::record_lead(&txn, &current, &outbox::lead_updated(&stored, &current, None), now).await?;
                }
            }
        }
        let mut new_rows = new_rows.into_iter().peekable();
        while new_rows.peek().is_some() {
            let chunk: Vec<leads::ActiveModel> = new_rows.by_ref().take(INSERT_CHUNK).collect();
            leads::Entity::insert_many(chunk).exec_without_returning(&txn).await?;
        }
        outbox::record_rows(&txn, new_events, INSERT_CHUNK).await?;
        audit::record(&txn, workspace_id, "lead.imported", None, result.audit_summary()).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(result)
    }
}
