//! Saved views and segments: a named filter and sort of the deal, lead, contact or organization
//! list. A view's `filters` are that list's own query parameters, checked by the list's own
//! parsing when the view is saved, so a view never holds a filter its list refuses. A personal
//! view is seen by its creator alone; a shared one by every member, and changed or deleted by its
//! creator or an admin. A contacts view is a segment, exported as CSV by
//! `GET /views/{id}/contacts/export`.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use kariz_domain::{ViewEntity, ViewName};
use kariz_persistence::StoreError;
use kariz_persistence::saved_views::{NewView, SavedViewRecord, ViewPatch};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::Caller;
use crate::csv_calendar::{CsvCalendar, CsvCalendarQuery};
use crate::dto::double_option;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldCode, FieldError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::routes::contact_csv::contacts_csv;
use crate::routes::contacts::{CONTACT_FILTERS, ContactListQuery};
use crate::routes::deals::{DEAL_FILTERS, DealListQuery};
use crate::routes::leads::{LEAD_FILTERS, LeadListQuery};
use crate::routes::organizations::{ORGANIZATION_FILTERS, OrganizationListQuery};
use crate::state::AppState;
use crate::vocabulary as vocab;

/// The most filters a view holds.
const MAX_FILTERS: usize = 30;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateViewRequest {
    #[schema(schema_with = vocab::view_entity)]
    pub entity: ViewEntity,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Hot leads in Tehran")]
    pub name: String,
    /// The list's query parameters, by name, each a string (numbers and booleans are taken as
    /// their text): deals take `pipeline_id`, `stage_id`, `owner_id`, `status`, `q`,
    /// `expected_close_from`, `expected_close_to`, `contact_id`, `organization_id`; leads
    /// `status`, `source`, `owner_id`, `score_min`, `score_max`, `tag`, `disqualify_reason`, `q`;
    /// contacts `q`, `organization_id`, `owner_id`, `city`, `country`, `tag`, `age_min`,
    /// `age_max` and `cf.<key>`; organizations `q`, `industry`, `owner_id`, `city`, `country`,
    /// `tag` and `cf.<key>`. At most 30.
    #[serde(default)]
    #[schema(value_type = Object, example = json!({"city": "Tehran", "tag": "vip"}))]
    pub filters: Map<String, Value>,
    /// One of the list's sorts (as its `sort` parameter); the list's default when omitted.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, example = "name")]
    pub sort: Option<String>,
    /// Seen by every member of the workspace; otherwise by you alone. Default `false`.
    #[serde(default)]
    pub shared: bool,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateViewRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    pub name: Option<String>,
    /// Replaces the filters (see `CreateViewRequest.filters`).
    #[schema(value_type = Option<Object>)]
    pub filters: Option<Map<String, Value>>,
    /// `null` goes back to the list's default sort.
    #[validate(length(min = 1, max = 40))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 40)]
    pub sort: Option<Option<String>>,
    pub shared: Option<bool>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

/// A saved view.
#[derive(Serialize, ToSchema)]
pub struct SavedViewResponse {
    pub id: Uuid,
    #[schema(schema_with = vocab::view_entity)]
    pub entity: &'static str,
    pub name: String,
    /// The list's query parameters, each a string.
    #[schema(value_type = Object)]
    pub filters: Map<String, Value>,
    pub sort: Option<String>,
    pub shared: bool,
    /// Who made it: the only one who sees a personal view.
    pub owner_id: Uuid,
    pub version: i64,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<&SavedViewRecord> for SavedViewResponse {
    fn from(record: &SavedViewRecord) -> Self {
        SavedViewResponse {
            id: record.id,
            entity: record.entity.as_str(),
            name: record.name.clone(),
            filters: record.filters.clone(),
            sort: record.sort.clone(),
            shared: record.shared,
            owner_id: record.owner_id.as_uuid(),
            version: record.version,
            created_at: record.created_at,
            updated_at: record.updated_at,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct SavedViewList {
    /// By name; at most 500.
    pub data: Vec<SavedViewResponse>,
    /// Always `null`: the views you see are one page.
    pub next_cursor: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ViewListQuery {
    /// Only the views of this list.
    #[param(schema_with = vocab::view_entity)]
    pub entity: Option<String>,
}

/// Whether `key` is a filter of `entity`'s list.
fn is_filter_of(entity: ViewEntity, key: &str) -> bool {
    let custom_field = || key.strip_prefix("cf.").is_some_and(|k| !k.is_empty());
    match entity {
        ViewEntity::Deals => DEAL_FILTERS.contains(&key) || custom_field(),
        ViewEntity::Leads => LEAD_FILTERS.contains(&key),
        ViewEntity::Contacts => CONTACT_FILTERS.contains(&key) || custom_field(),
        ViewEntity::Organizations => ORGANIZATION_FILTERS.contains(&key) || custom_field(),
    }
}

fn filter_names(entity: ViewEntity) -> String {
    let names: &[&str] = match entity {
        ViewEntity::Deals => &DEAL_FILTERS,
        ViewEntity::Leads => &LEAD_FILTERS,
        ViewEntity::Contacts => &CONTACT_FILTERS,
        ViewEntity::Organizations => &ORGANIZATION_FILTERS,
    };
    let custom = matches!(entity, ViewEntity::Contacts | ViewEntity::Organizations | ViewEntity::Deals).then_some("cf.<key>");
    names.iter().copied().chain(custom).collect::<Vec<_>>().join(", ")
}

fn parsed<Q: DeserializeOwned>(query_string: &str) -> Result<Q, ApiError> {
    web::Query::<Q>::from_query(query_string).map(web::Query::into_inner).map_err(|err| ApiError::BadRequest(err.to_string()))
}

/// Parses `query_string` as `entity`'s list does, with its own query type and parser.
fn parse_as_list(entity: ViewEntity, query_string: &str, today: NaiveDate) -> Result<(), ApiError> {
    match entity {
        ViewEntity::Deals => parsed::<DealListQuery>(query_string)?.parse().map(drop),
        ViewEntity::Leads => parsed::<LeadListQuery>(query_string)?.parse().map(drop),
        ViewEntity::Contacts => parsed::<ContactListQuery>(query_string)?.filter(query_string, today).map(drop),
        ViewEntity::Organizations => parsed::<OrganizationListQuery>(query_string)?.filter(query_string).map(drop),
    }
}

/// The query string of a view: its filters, then its sort.
pub(crate) fn query_string(filters: &Map<String, Value>, sort: Option<&str>) -> String {
    let pairs: Vec<(&str, &str)> = filters
        .iter()
        .filter_map(|(key, value)| value.as_str().map(|v| (key.as_str(), v)))
        .chain(sort.map(|sort| ("sort", sort)))
        .collect();
    serde_urlencoded::to_string(pairs).unwrap_or_default()
}

fn message_of(err: &ApiError) -> String {
    err.to_string()
}

/// Checks `filters` and `sort` against `entity`'s list: each filter must be one the list takes,
/// with a value its parser accepts (errors at `filters.<key>`), the sort one of its sorts
/// (`sort`), and the whole a query it accepts (`filters`). Returns the filters with every value
/// as a string.
fn checked(entity: ViewEntity, filters: Map<String, Value>, sort: Option<&str>, today: NaiveDate) -> Result<Map<String, Value>, ApiError> {
    let mut errors = FieldErrors::default();
    if filters.len() > MAX_FILTERS {
        errors.push(FieldError::new("filters", FieldCode::Length, format!("at most {MAX_FILTERS} filters")));
    }
    let mut strings = Map::new();
    for (key, value) in filters {
        let field = format!("filters.{key}");
        if !is_filter_of(entity, &key) {
            let message = format!("the {entity} list has no filter `{key}`; use one of: {}", filter_names(entity));
            errors.push(FieldError::new(field, FieldCode::Unknown, message));
            continue;
        }
        let text = match value {
            Value::String(text) => text,
            Value::Number(number) => number.to_string(),
            Value::Bool(flag) => flag.to_string(),
            _ => {
                errors.push(FieldError::new(field, FieldCode::Invalid, "must be a string, a number or a boolean"));
                continue;
            }
        };
        let mut one = Map::new();
        one.insert(key.clone(), Value::String(text.clone()));
        if let Err(err) = parse_as_list(entity, &query_string(&one, None), today) {
            errors.push(FieldError::new(field, FieldCode::Invalid, message_of(&err)));
        }
        strings.insert(key, Value::String(text));
    }
    if let Some(sort) = sort
        && let Err(err) = parse_as_list(entity, &query_string(&Map::new(), Some(sort)), today)
    {
        errors.push(FieldError::new("sort", FieldCode::Invalid, message_of(&err)));
    }
    if errors.is_empty()
        && let Err(err) = parse_as_list(entity, &query_string(&strings, sort), today)
    {
        errors.push(FieldError::new("filters", FieldCode::Invalid, message_of(&err)));
    }
    errors.into_result()?;
    Ok(strings)
}

/// Custom-field filters name fields the workspace defines, with values of their kind: the list
/// is asked for one row, as an export does before its first byte, and its refusal is reported
/// per filter.
async fn check_custom_fields(state: &AppState, caller: &Caller, entity: ViewEntity, filters: &Map<String, Value>) -> Result<(), ApiError> {
    if !filters.keys().any(|key| key.starts_with("cf.")) {
        return Ok(());
    }
    let qs = query_string(filters, None);
    let today = state.store.now().date_naive();
    let result = match entity {
        ViewEntity::Contacts => {
            let (filter, order) = parsed::<ContactListQuery>(&qs)?.filter(&qs, today)?;
            state.store.contacts(caller, filter, order, Some(1), None).await.map(drop)
        }
        ViewEntity::Organizations => {
            let (filter, order) = parsed::<OrganizationListQuery>(&qs)?.filter(&qs)?;
            state.store.organizations(caller.workspace_id, filter, order, Some(1), None).await.map(drop)
        }
        ViewEntity::Deals => {
            let (filter, sort) = parsed::<DealListQuery>(&qs)?.parse_with(&qs)?;
            state.store.deals(caller, filter, sort, Some(1), None).await.map(drop)
        }
        ViewEntity::Leads => Ok(()),
    };
    match result {
        Ok(()) => Ok(()),
        Err(StoreError::InvalidFields(problems)) => Err(ApiError::Validation(
            problems.into_iter().map(|(field, message)| FieldError::new(format!("filters.{field}"), FieldCode::Invalid, message)).collect(),
        )),
        Err(err) => Err(err.into()),
    }
}

fn view_response(status: StatusCode, record: &SavedViewRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(SavedViewResponse::from(record))
}

/// The views you see: your own and the shared ones of your workspace, by name.
#[utoipa::path(tag = "views", security(("bearer" = [])), params(ViewListQuery),
    responses((status = 200, description = "The views", body = SavedViewList), ReadErrors))]
#[get("/views")]
pub async fn list_views(state: web::Data<AppState>, auth: Caller, query: web::Query<ViewListQuery>) -> Result<HttpResponse, ApiError> {
    let entity = match query.entity.as_deref() {
        None => None,
        Some(raw) => Some(ViewEntity::parse(raw).map_err(|e| ApiError::BadRequest(format!("entity {e}")))?),
    };
    let views = state.store.saved_views(&auth, entity).await?;
    Ok(HttpResponse::Ok().json(SavedViewList { data: views.iter().map(Into::into).collect(), next_cursor: None }))
}

/// Save a view of a list. Its filters and sort are checked as the list checks its query: a
/// filter the list does not take, or a value it refuses, is a 422 naming `filters.<key>`.
#[utoipa::path(tag = "views", security(("bearer" = [])), request_body = CreateViewRequest,
    responses((status = 201, description = "Created", body = SavedViewResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/views")]
pub async fn create_view(state: web::Data<AppState>, auth: Caller, body: ValidJson<CreateViewRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let name = ViewName::parse(&body.name).map_err(|e| ApiError::validation("name", FieldCode::Invalid, e.to_string()));
    let filters = checked(body.entity, body.filters, body.sort.as_deref(), state.store.now().date_naive());
    let (name, filters) = match (name, filters) {
        (Ok(name), Ok(filters)) => (name, filters),
        (Err(ApiError::Validation(mut a)), Err(ApiError::Validation(b))) => {
            a.extend(b);
            return Err(ApiError::Validation(a));
        }
        (Err(err), _) | (_, Err(err)) => return Err(err),
    };
    check_custom_fields(&state, &auth, body.entity, &filters).await?;
    let new = NewView { entity: body.entity, name, filters, sort: body.sort, shared: body.shared };
    let record = state.store.create_saved_view(&auth, new).await?;
    Ok(created(&format!("/api/v1/views/{}", record.id), record.version, SavedViewResponse::from(&record)))
}

/// One view you see; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "views", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The view", body = SavedViewResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/views/{id}")]
pub async fn get_view(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.saved_view(&auth, *id).await?;
    Ok(view_response(StatusCode::OK, &record))
}

/// Change a view: yours, or as an admin a shared one (403 otherwise). Filters, when sent,
/// replace them all and are checked like a new view's.
#[utoipa::path(tag = "views", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateViewRequest,
    responses((status = 200, description = "Updated", body = SavedViewResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/views/{id}")]
pub async fn update_view(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateViewRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let current = state.store.saved_view(&auth, *id).await?;
    kariz_domain::check_may_change_view(&auth, current.owner_id).map_err(StoreError::from)?;
    let name = body
        .name
        .as_deref()
        .map(ViewName::parse)
        .transpose()
        .map_err(|e| ApiError::validation("name", FieldCode::Invalid, e.to_string()))?;
    // New filters or a new sort are checked together with what the change keeps, as the list
    // would read them after it; a rename or a change of `shared` leaves them as they are.
    let filters = if body.filters.is_some() || body.sort.is_some() {
        let sort = body.sort.clone().unwrap_or_else(|| current.sort.clone());
        let filters = body.filters.clone().unwrap_or_else(|| current.filters.clone());
        let filters = checked(current.entity, filters, sort.as_deref(), state.store.now().date_naive())?;
        check_custom_fields(&state, &auth, current.entity, &filters).await?;
        body.filters.map(|_| filters)
    } else {
        None
    };
    let patch = ViewPatch { name, filters, sort: body.sort, shared: body.shared };
    let record = state.store.update_saved_view(&auth, *id, version, patch).await?;
    Ok(view_response(StatusCode::OK, &record))
}

/// Delete a view: yours, or as an admin a shared one. If-Match is honoured when sent.
#[utoipa::path(tag = "views", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/views/{id}")]
pub async fn delete_view(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_saved_view(&auth, *id, if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}

/// Export a segment: the contacts a contacts view selects, in its sort, as CSV (the columns of
/// `GET /contacts/export`, dates on the workspace's calendar or `calendar`'s). A view of another
/// list is not found here.
#[utoipa::path(tag = "views", security(("bearer" = [])), params(("id" = Uuid, Path), CsvCalendarQuery),
    responses((status = 200, description = "The segment's contacts as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/views/{id}/contacts/export")]
pub async fn export_view_contacts(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    calendar: web::Query<CsvCalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let view = state.store.saved_view(&auth, *id).await?;
    if view.entity != ViewEntity::Contacts {
        return Err(ApiError::not_found("contacts view"));
    }
    let qs = query_string(&view.filters, view.sort.as_deref());
    let (filter, order) = parsed::<ContactListQuery>(&qs)?.filter(&qs, state.store.now().date_naive())?;
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    contacts_csv(&state, &auth, filter, order, calendar).await
}
