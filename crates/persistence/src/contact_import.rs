//! Bulk contact import, a batch of parsed rows per transaction. A row names its organization by
//! name (found by its folded name, or created); a row whose email or phone matches a contact
//! fills that contact's blanks instead of creating another — among the contacts the importer
//! sees: one hidden from them is neither revealed nor changed, and the row becomes their own.

use kariz_domain::custom_fields::{self, FieldDefinition};
use kariz_domain::{ContactFields, ContactId, Viewer};
use sea_orm::{ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder};

use crate::contacts::{contact_in, contact_row, insert_contact};
use crate::entities::contacts;
use crate::error::{Conflict, StoreError, StoreResult};
use crate::import::{BatchResult, RowError, RowOutcome};
use crate::important_dates::{self, Owner};
use crate::opportunities::organization_named;
use crate::records::ContactRecord;
use crate::store::Store;
use crate::visibility::contacts_seen;

/// One parsed row: the contact, the name of its organization, and its line in the file.
#[derive(Clone, Debug)]
pub struct ContactImportRow {
    pub line: u64,
    pub fields: ContactFields,
    pub organization: Option<String>,
}

impl Store {
    pub async fn import_contact_batch(
        &self,
        viewer: &Viewer,
        definitions: &[FieldDefinition],
        rows: Vec<ContactImportRow>,
    ) -> StoreResult<BatchResult> {
        let (workspace_id, actor_id) = (viewer.workspace_id, viewer.user_id);
        let mut result = BatchResult::default();
        let mut work = self.begin().await?;
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
                let (id, _) = organization_named(&mut work, workspace_id, name, None, actor_id).await?;
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
                    .filter(contacts_seen(viewer))
                    .filter(same_person)
                    .order_by_asc(contacts::Column::Id)
                    .one(work.conn())
                    .await?
            };
            let Some(existing) = existing else {
                let record = insert_contact(&mut work, workspace_id, row.fields, None).await?;
                result.outcomes.push((row.line, RowOutcome::Created(record.contact.id().as_uuid())));
                continue;
            };
            let current = contact_in(work.conn(), workspace_id, ContactId::from(existing.id)).await?;
            let mut contact = current.contact.clone();
            if contact.attach(row.fields) {
                // The batch is recorded once, below; each attached contact is part of it.
                let after = ContactRecord { contact, ..current.clone() };
                work.swap(&contact_row(&current), contact_row(&after)).await.map_err(|err| match err {
                    StoreError::StaleVersion { .. } | StoreError::NotFound(_) => Conflict::BatchConflict { what: "contact" }.into(),
                    other => other,
                })?;
                let dates = after.contact.fields().important_dates.as_slice();
                if dates != current.contact.fields().important_dates.as_slice() {
                    important_dates::replace(work.conn(), workspace_id, Owner::Contact, existing.id, dates).await?;
                }
            }
            result.outcomes.push((row.line, RowOutcome::Attached(existing.id)));
        }
        work.audit(workspace_id, "contact.imported", None, result.audit_summary()).await?;
        work.commit().await?;
        Ok(result)
    }
}
