//! Custom-field definitions per workspace and record kind, and the check of a record's values.

use chrono::{DateTime, Utc};
use kariz_domain::WorkspaceId;
use kariz_domain::custom_fields::{self, DefinitionEdit, DefinitionError, FieldDefinition, FieldEntity, FieldKind};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::entities::custom_field_definitions as defs;
use crate::entities::stages;
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

#[derive(Clone, Debug)]
pub struct FieldDefinitionRecord {
    pub id: Uuid,
    pub entity: FieldEntity,
    pub label: String,
    pub definition: FieldDefinition,
    pub created_at: DateTime<Utc>,
}

fn definition_record(row: defs::Model) -> StoreResult<FieldDefinitionRecord> {
    let corrupt = |e: &dyn std::fmt::Display| StoreError::corrupt("custom_field_definitions", e);
    let entity = FieldEntity::parse(&row.entity).map_err(|e| corrupt(&e))?;
    let kind = FieldKind::parse(&row.kind).map_err(|e| corrupt(&e))?;
    let options: Vec<String> = serde_json::from_str(&row.options).map_err(|e| corrupt(&e))?;
    let definition = FieldDefinition::new(&row.key, kind, options, row.required).map_err(|e| corrupt(&e))?;
    Ok(FieldDefinitionRecord { id: row.id, entity, label: row.label, definition, created_at: row.created_at })
}

/// One definition's row in the caller's workspace (another workspace's is not found).
async fn definition_row<C: ConnectionTrait>(conn: &C, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<defs::Model> {
    defs::Entity::find_by_id(id)
        .filter(defs::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .one(conn)
        .await?
        .ok_or(StoreError::NotFound("custom field"))
}

/// The definitions of `entity` in a workspace, oldest first.
pub(crate) async fn definitions_in<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity: Option<FieldEntity>,
) -> StoreResult<Vec<FieldDefinitionRecord>> {
    let mut query = defs::Entity::find().filter(defs::Column::WorkspaceId.eq(workspace_id.as_uuid()));
    if let Some(entity) = entity {
        query = query.filter(defs::Column::Entity.eq(entity.as_str()));
    }
    query.order_by_asc(defs::Column::Id).all(conn).await?.into_iter().map(definition_record).collect()
}

/// Checks custom-field values against the workspace's definitions for `entity`; problems are
/// reported per key as `custom_fields.<key>`.
pub(crate) async fn checked_values<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity: FieldEntity,
    values: &Map<String, Value>,
) -> StoreResult<Map<String, Value>> {
    let definitions: Vec<FieldDefinition> =
        definitions_in(conn, workspace_id, Some(entity)).await?.into_iter().map(|r| r.definition).collect();
    custom_fields::validate(values, &definitions).map_err(|problems| {
        StoreError::InvalidFields(problems.into_iter().map(|p| (format!("custom_fields.{}", p.key), p.message)).collect())
    })
}

/// Parses a stored custom-field object (`{}` when empty).
pub(crate) fn stored_values(table: &'static str, raw: &str) -> StoreResult<Map<String, Value>> {
    serde_json::from_str(raw).map_err(|e| StoreError::corrupt(table, e))
}

impl Store {
    pub async fn field_definitions(
        &self,
        workspace_id: WorkspaceId,
        entity: Option<FieldEntity>,
    ) -> StoreResult<Vec<FieldDefinitionRecord>> {
        definitions_in(&self.db, workspace_id, entity).await
    }

    /// The definitions of one kind of record, without their labels (what imports and exports need).
    pub async fn definitions_of(&self, workspace_id: WorkspaceId, entity: FieldEntity) -> StoreResult<Vec<FieldDefinition>> {
        Ok(definitions_in(&self.db, workspace_id, Some(entity)).await?.into_iter().map(|d| d.definition).collect())
    }

    pub async fn create_field_definition(
        &self,
        workspace_id: WorkspaceId,
        entity: FieldEntity,
        label: String,
        definition: FieldDefinition,
    ) -> StoreResult<FieldDefinitionRecord> {
        let exists = defs::Entity::find()
            .filter(defs::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(defs::Column::Entity.eq(entity.as_str()))
            .filter(defs::Column::Key.eq(definition.key.as_str()))
            .one(&self.db)
            .await?;
        if exists.is_some() {
            return Err(crate::error::Conflict::FieldKeyTaken { entity: entity.as_str(), key: definition.key.as_str().to_owned() }.into());
        }
        let mut work = self.begin().await?;
        let row = defs::Model {
            id: Uuid::now_v7(),
            workspace_id: workspace_id.as_uuid(),
            entity: entity.as_str().to_owned(),
            key: definition.key.clone(),
            label,
            kind: definition.kind.as_str().to_owned(),
            options: serde_json::to_string(&definition.options).unwrap_or_else(|_| "[]".to_owned()),
            required: definition.required,
            created_at: work.now(),
        };
        let row = work.insert("custom_field.created", row).await?;
        work.commit().await?;
        definition_record(row)
    }

    /// Changes a definition's label, options or required flag (a row without a version: the last
    /// write wins). Its key, record kind and field kind stay: a kind other than the stored one is
    /// refused (`Conflict::FieldKindUnchangeable`). Values already stored that no longer fit (an
    /// option taken away) stay until their record is next saved, as after a deletion.
    pub async fn update_field_definition(
        &self,
        workspace_id: WorkspaceId,
        id: Uuid,
        label: Option<String>,
        edit: DefinitionEdit,
    ) -> StoreResult<FieldDefinitionRecord> {
        let mut work = self.begin().await?;
        let row = definition_row(work.conn(), workspace_id, id).await?;
        let current = definition_record(row.clone())?;
        let edited = current.definition.edit(edit).map_err(|e| match e {
            DefinitionError::KindChanged => crate::error::Conflict::FieldKindUnchangeable { kind: current.definition.kind.as_str() }.into(),
            other => StoreError::invalid("options", other.to_string()),
        })?;
        let after = defs::Model {
            label: label.unwrap_or_else(|| row.label.clone()),
            options: serde_json::to_string(&edited.options).unwrap_or_else(|_| "[]".to_owned()),
            required: edited.required,
            ..row.clone()
        };
        let after = work.replace("custom_field.updated", &row, after).await?;
        work.commit().await?;
        definition_record(after)
    }

    /// Removes a definition; values already stored under its key stay until the record is next
    /// saved. A deal field also leaves the required fields of every stage that listed it (each
    /// such stage written by compare-and-swap, as `stage.updated`), so that no stage requires a
    /// field nobody can fill in.
    pub async fn delete_field_definition(&self, workspace_id: WorkspaceId, id: Uuid) -> StoreResult<()> {
        let mut work = self.begin().await?;
        let row = definition_row(work.conn(), workspace_id, id).await?;
        work.remove("custom_field.deleted", &row).await?;
        if row.entity == FieldEntity::Deal.as_str() {
            let listing = stages::Entity::find()
                .filter(stages::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(stages::Column::RequiredFields.contains(format!("\"{}\"", row.key)))
                .all(work.conn())
                .await?;
            for stage in listing {
                let names: Vec<String> = serde_json::from_str(&stage.required_fields).map_err(|e| StoreError::corrupt("stages", e))?;
                let listed = kariz_domain::RequiredFields::parse(&names).map_err(|e| StoreError::corrupt("stages", e))?;
                let required = listed.without_custom(&row.key);
                if required == listed {
                    continue;
                }
                let after = stages::Model { required_fields: Value::from(required.names()).to_string(), ..stage.clone() };
                work.update("stage.updated", &stage, after).await?;
            }
        }
        work.commit().await
    }
}
