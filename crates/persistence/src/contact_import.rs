//! Bulk contact import, a batch of parsed rows per transaction. A row names its organization by
//! name (found by its folded name, or created); a row whose email or phone matches a contact
//! fills that contact's blanks instead of creating another.

use chrono::Utc;
use kariz_domain::custom_fields::{self, FieldDefinition};
use kariz_domain::{ContactId, UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::audit;
use crate::contacts::{at_version, contact_in, insert_contact, mutable_columns};
use crate::entities::contacts;
use crate::error::StoreResult;
use crate::import::{BatchResult, RowError, RowOutcome};
use crate::important_dates::{self, Owner};
use crate::opportunities::organization_named;
use crate::records::ContactFields;
use crate::store::Store;

/// One parsed row: the contact, the name of its organization, and its line in the file.
#[derive(Clone, Debug)]
pub struct ContactImportRow {
    pub line: u64,
    pub fields: ContactFields,
    pub organization: Option<String>,
}

impl ContactFields {
    /// Fills this contact's blanks from `other`; existing values win, tags are united.
    pub fn absorb(&mut self, other: ContactFields) {
        macro_rules! fill {
            ($($field:ident),*) => { $(if self.$field.is_none() { self.$field = other.$field; })* };
        }
        fill!(email, phone, job_title, organization_id, address, city, country, notes, owner_id);
        self.tags = self.tags.union(&other.tags);
        for (key, value) in other.custom_fields {
            self.custom_fields.entry(key).or_insert(value);
        }
        if self.important_dates.as_slice().is_empty() {
            self.important_dates = other.important_dates;
        }
    }
}

impl Store {
    pub async fn import_contact_batch(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        definitions: &[FieldDefinition],
        rows: Vec<ContactImportRow>,
    ) -> StoreResult<BatchResult> {
        let mut result = BatchResult::default();
        let now = Utc::now();
        let txn = self.write().await?;
        for mut row in rows {
            match custom_fields::validate(&row.fields.custom_fields, definitions) {
                Ok(clean) => row.fields.custom_fields = clean,
                Err(problems) => {
                    result.errors.extend(problems.into_iter().map(|p| RowError {
                        line: row.line,
                        field: format!("cf.{}", p.key),
                        message: p.message,
                    }));
                    continue;
                }
            }
            if let Some(name) = row.organization.as_deref() {
                let (id, _) = organization_named(&txn, workspace_id, name, None, actor_id, now).await?;
                row.fields.organization_id = Some(id);
            }
            row.fields.owner_id = row.fields.owner_id.or(Some(actor_id));
            let mut same_person = Condition::any();
            if let Some(email) = &row.fields.email {
                same_person = same_person.add(contacts::Column::Email.eq(email.as_str()));
            }
            if let Some(phone) = &row.fields.phone {
                same_person = same_person.add(contacts::Column::Phone.eq(phone.as_str()));
            }
            let existing = if same_person.is_empty() {
                None
            } else {
                contacts::Entity::find()
                    .filter(contacts::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                    .filter(same_person)
                    .order_by_asc(contacts::Column::Id)
                    .one(&txn)
                    .await?
            };
            let Some(existing) = existing else {
                let record = insert_contact(&txn, workspace_id, row.fields, None, now).await?;
                result.outcomes.push((row.line, RowOutcome::Created(record.id.as_uuid())));
                continue;
            };
            let current = contact_in(&txn, workspace_id, ContactId::from(existing.id)).await?;
            let mut next = current.contact.clone();
            next.absorb(row.fields);
            if next != current.contact {
                let mut columns = mutable_columns(&next);
                columns.version = Set(current.version + 1);
                columns.updated_at = Set(now);
                let swapped = contacts::Entity::update_many()
                    .set(columns)
                    .filter(at_version(workspace_id, current.id, current.version))
                    .exec(&txn)
                    .await?;
                if swapped.rows_affected != 1 {
                    return Err(crate::error::Conflict::BatchConflict { what: "contact" }.into());
                }
                if next.important_dates != current.contact.important_dates {
                    important_dates::replace(&txn, workspace_id, Owner::Contact, current.id.as_uuid(), next.important_dates.as_slice())
                        .await?;
                }
            }
            result.outcomes.push((row.line, RowOutcome::Attached(current.id.as_uuid())));
        }
        audit::record(&txn, workspace_id, "contact.imported", None, result.audit_summary()).await?;
        txn.commit().await?;
        self.signal_outbox();
        Ok(result)
    }
}
