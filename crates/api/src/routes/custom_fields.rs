//! Custom-field definitions of leads, contacts, organizations and deals (admins and managers
//! change them).

use actix_web::{HttpResponse, delete, get, patch, post, web};
use kariz_domain::custom_fields::{DefinitionEdit, DefinitionError, FieldDefinition, FieldEntity, FieldKind};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::leads::{FieldDefinitionList, FieldDefinitionResponse};
use crate::error::{ApiError, FieldCode};
use crate::extract::ValidJson;
use crate::state::AppState;
use crate::vocabulary as vocab;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateFieldDefinitionRequest {
    #[schema(schema_with = vocab::field_entity)]
    pub entity: FieldEntity,
    /// Lower-case letters, digits and underscores, starting with a letter.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, pattern = "^[a-z][a-z0-9_]*$", example = "fleet_size")]
    pub key: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Fleet size")]
    pub label: String,
    #[schema(schema_with = vocab::field_kind)]
    pub kind: FieldKind,
    /// The choices of a `select` field (1–100, distinct).
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub options: Option<Vec<String>>,
    /// Every record of this kind must then have a value.
    pub required: Option<bool>,
}

/// An edit of a custom field: absent fields stay as they are. The key and the record kind never
/// change; `kind` may be sent only as the field's own (another is refused with
/// `field_kind_unchangeable`).
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateFieldDefinitionRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Fleet size")]
    pub label: Option<String>,
    /// The field's own kind, or `null`: either leaves it as it is.
    #[schema(schema_with = vocab::field_kind_or_null)]
    pub kind: Option<FieldKind>,
    /// The choices of a `select` field (1–100, distinct), replacing the old ones. Values stored
    /// under an option taken away stay until their record is next saved.
    #[validate(length(max = 100))]
    #[schema(max_items = 100)]
    pub options: Option<Vec<String>>,
    /// Every record of this kind must then have a value (checked when a record is saved).
    pub required: Option<bool>,
}

/// A label trimmed and non-blank.
fn parsed_label(raw: &str) -> Result<String, ApiError> {
    let label = raw.trim().to_owned();
    if label.is_empty() {
        return Err(ApiError::validation("label", FieldCode::Length, "must not be blank"));
    }
    Ok(label)
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct FieldDefinitionQuery {
    /// Only the fields of `lead`, `contact`, `organization` or `deal`.
    #[param(schema_with = vocab::field_entity)]
    pub entity: Option<String>,
}

#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(FieldDefinitionQuery),
    responses((status = 200, description = "The definitions", body = FieldDefinitionList), ReadErrors))]
#[get("/custom-fields")]
pub async fn list_custom_fields(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<FieldDefinitionQuery>,
) -> Result<HttpResponse, ApiError> {
    let entity = match query.entity.as_deref() {
        None => None,
        Some(raw) => Some(FieldEntity::parse(raw).map_err(|e| ApiError::BadRequest(format!("entity {e}")))?),
    };
    let definitions = state.store.field_definitions(auth.workspace_id, entity).await?;
    Ok(HttpResponse::Ok().json(FieldDefinitionList { data: definitions.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Define a custom field.
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), request_body = CreateFieldDefinitionRequest,
    responses((status = 201, description = "Created", body = FieldDefinitionResponse), WriteErrors))]
#[post("/custom-fields")]
pub async fn create_custom_field(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateFieldDefinitionRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let label = parsed_label(&body.label)?;
    let definition =
        FieldDefinition::new(&body.key, body.kind, body.options.unwrap_or_default(), body.required.unwrap_or(false)).map_err(|e| {
            let (field, code) = if e == DefinitionError::BadKey { ("key", FieldCode::Key) } else { ("options", FieldCode::Options) };
            ApiError::validation(field, code, e.to_string())
        })?;
    let record = state.store.create_field_definition(auth.workspace_id, body.entity, label, definition).await?;
    Ok(HttpResponse::Created().json(FieldDefinitionResponse::from(&record)))
}

/// Change a custom field's label, options or required flag. Its key and kind stay (a field
/// holding numbers cannot start holding dates): naming another kind is refused with
/// `field_kind_unchangeable`. The last write wins.
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(("id" = Uuid, Path)), request_body = UpdateFieldDefinitionRequest,
    responses((status = 200, description = "Updated", body = FieldDefinitionResponse), WriteErrors))]
#[patch("/custom-fields/{id}")]
pub async fn update_custom_field(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    body: ValidJson<UpdateFieldDefinitionRequest>,
) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    let body = body.0;
    let label = body.label.as_deref().map(parsed_label).transpose()?;
    let edit = DefinitionEdit { kind: body.kind, options: body.options, required: body.required };
    let record = state.store.update_field_definition(auth.workspace_id, *id, label, edit).await?;
    Ok(HttpResponse::Ok().json(FieldDefinitionResponse::from(&record)))
}

/// Remove a custom field; stored values under its key are dropped when each record is next saved,
/// and a deal field leaves the required fields of the stages that listed it.
#[utoipa::path(tag = "custom-fields", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/custom-fields/{id}")]
pub async fn delete_custom_field(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    auth.require_settings_manager()?;
    state.store.delete_field_definition(auth.workspace_id, *id).await?;
    Ok(HttpResponse::NoContent().finish())
}
