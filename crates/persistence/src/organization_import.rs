//! Bulk organization import, a batch of parsed rows per transaction. Names are unique per
//! workspace (folded: case, spacing, Arabic and Persian letter forms), so a row naming an
//! organization that exists fills that organization's blanks instead of creating another, and
//! two rows of one file naming the same company make one organization.

use kariz_domain::custom_fields::{self, FieldDefinition};
use kariz_domain::text::fold_key;
use kariz_domain::{Organization, OrganizationFields, OrganizationId, UserId, WorkspaceId};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::organizations;
use crate::error::{Conflict, StoreError, StoreResult};
use crate::import::{BatchResult, RowError, RowOutcome};
use crate::important_dates::{self, Owner};
use crate::organizations::{organization_in, organization_row};
use crate::records::OrganizationRecord;
use crate::store::Store;

/// One parsed row: the organization and its line in the file.
#[derive(Clone, Debug)]
pub struct OrganizationImportRow {
    pub line: u64,
    pub fields: OrganizationFields,
}

impl Store {
    /// Writes one batch of rows in one unit of work, recorded as one `organization.imported`
    /// audit entry listing what it created and what it filled in.
    pub async fn import_organization_batch(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        definitions: &[FieldDefinition],
        rows: Vec<OrganizationImportRow>,
    ) -> StoreResult<BatchResult> {
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
            row.fields.owner_id = row.fields.owner_id.or(Some(actor_id));
            let existing = organizations::Entity::find()
                .filter(organizations::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(organizations::Column::NameKey.eq(fold_key(row.fields.name.as_str())))
                .order_by_asc(organizations::Column::Id)
                .one(work.conn())
                .await?;
            let Some(existing) = existing else {
                let now = work.now();
                let record = OrganizationRecord {
                    organization: Organization::create(workspace_id, row.fields),
                    contacts_count: 0,
                    version: 1,
                    created_at: now,
                    updated_at: now,
                };
                let id = record.organization.id().as_uuid();
                organizations::Entity::insert(organizations::ActiveModel::from(organization_row(&record)).reset_all())
                    .exec_without_returning(work.conn())
                    .await?;
                important_dates::replace(work.conn(), workspace_id, Owner::Organization, id, &record.organization.fields().all_dates())
                    .await?;
                result.outcomes.push((row.line, RowOutcome::Created(id)));
                continue;
            };
            let current = organization_in(work.conn(), workspace_id, OrganizationId::from(existing.id)).await?;
            let mut organization = current.organization.clone();
            if organization.attach(row.fields) {
                // The batch is recorded once, below; each organization filled in is part of it.
                let after = OrganizationRecord { organization, ..current.clone() };
                work.swap(&organization_row(&current), organization_row(&after)).await.map_err(|err| match err {
                    StoreError::StaleVersion { .. } | StoreError::NotFound(_) => Conflict::BatchConflict { what: "organization" }.into(),
                    other => other,
                })?;
                let dates = after.organization.fields().all_dates();
                if dates != current.organization.fields().all_dates() {
                    important_dates::replace(work.conn(), workspace_id, Owner::Organization, existing.id, &dates).await?;
                }
            }
            result.outcomes.push((row.line, RowOutcome::Attached(existing.id)));
        }
        work.audit(workspace_id, "organization.imported", None, result.audit_summary()).await?;
        work.commit().await?;
        Ok(result)
    }
}
