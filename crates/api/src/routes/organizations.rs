//! Organizations: CRUD with search and segment filters. Names are unique per workspace,
//! ignoring case and spacing (409 otherwise). Updates need the version the client read, like
//! contacts and deals.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use kariz_domain::{Address, City, Country, ImportantDates, Industry, OrganizationId, OrganizationName, Phone, Tags, UserId, WebDomain};
use kariz_domain::{OrganizationFields, OrganizationPatch};
use kariz_persistence::OrganizationRecord;
use kariz_persistence::organizations::OrganizationFilter;
use kariz_persistence::search::ListOrder;
use serde::Deserialize;
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::AuthUser;
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::{OrganizationList, OrganizationResponse, double_option};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::routes::contacts::{ImportantDateInput, list_order, parse_dates, segment};
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrganizationRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Pars Logistics")]
    pub name: String,
    /// The web domain, without scheme or path.
    #[validate(length(min = 1, max = 253))]
    #[schema(min_length = 1, max_length = 253, example = "pars-logistics.ir")]
    pub domain: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Logistics")]
    pub industry: Option<String>,
    /// Any usual spelling; stored in E.164.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, example = "021 8888 1234")]
    pub phone: Option<String>,
    #[validate(length(min = 1, max = 500))]
    #[schema(min_length = 1, max_length = 500)]
    pub address: Option<String>,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "Tehran")]
    pub city: Option<String>,
    /// ISO 3166 alpha-2.
    #[schema(min_length = 2, max_length = 2, example = "IR")]
    pub country: Option<String>,
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Vec<String>,
    /// Values of the workspace's organization fields, by key.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    /// A member of your workspace; you when omitted.
    pub owner_id: Option<Uuid>,
    /// Its founding anniversaries appear among the upcoming dates.
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub founded_on: Option<NaiveDate>,
    /// Anniversaries and custom dates (the founding date is `founded_on`).
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub important_dates: Vec<ImportantDateInput>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrganizationRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 253))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 253)]
    pub domain: Option<Option<String>>,
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 100)]
    pub industry: Option<Option<String>>,
    #[validate(length(min = 1, max = 40))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 40)]
    pub phone: Option<Option<String>>,
    #[validate(length(min = 1, max = 500))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 500)]
    pub address: Option<Option<String>>,
    #[validate(length(min = 1, max = 100))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 100)]
    pub city: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 2, max_length = 2)]
    pub country: Option<Option<String>>,
    /// Replaces the tags.
    #[validate(length(max = 20))]
    #[schema(max_items = 20)]
    pub tags: Option<Vec<String>>,
    /// Merged into the stored values: a key set to `null` is removed, others are kept.
    #[schema(value_type = Option<Object>)]
    pub custom_fields: Option<Map<String, Value>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub owner_id: Option<Option<Uuid>>,
    #[serde(default, deserialize_with = "crate::dates::nullable_date")]
    #[schema(value_type = Option<NaiveDate>, nullable)]
    pub founded_on: Option<Option<NaiveDate>>,
    /// Replaces every anniversary and custom date.
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub important_dates: Option<Vec<ImportantDateInput>>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationListQuery {
    /// Text in the name or domain, or digits of the phone; case, spacing, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    /// Case-insensitive.
    pub industry: Option<String>,
    pub owner_id: Option<Uuid>,
    /// Case-insensitive.
    pub city: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub tag: Option<String>,
    /// `-created_at` (default), `created_at` or `name`.
    #[param(schema_with = crate::vocabulary::list_order)]
    pub sort: Option<String>,
    /// 1–200, default 50.
    #[serde(default, deserialize_with = "crate::extract::page_limit")]
    #[param(minimum = 1, maximum = 200)]
    pub limit: Option<u64>,
    /// The `next_cursor` of the previous page.
    pub cursor: Option<String>,
}

fn organization_response(status: StatusCode, record: &OrganizationRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(OrganizationResponse::from(record))
}

/// Add an organization.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), request_body = CreateOrganizationRequest,
    responses((status = 201, description = "Created", body = OrganizationResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/organizations")]
pub async fn create_organization(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", OrganizationName::parse(&body.name));
    let tags = errors.check("tags", Tags::parse(&body.tags));
    let important_dates = parse_dates(&mut errors, body.important_dates, ImportantDates::for_organization);
    let domain = errors.parse("domain", body.domain.as_deref(), WebDomain::parse);
    let industry = errors.parse("industry", body.industry.as_deref(), Industry::parse);
    let phone = errors.parse("phone", body.phone.as_deref(), Phone::parse);
    let address = errors.parse("address", body.address.as_deref(), Address::parse);
    let city = errors.parse("city", body.city.as_deref(), City::parse);
    let country = errors.parse("country", body.country.as_deref(), Country::parse);
    let (Some(name), Some(tags), Some(important_dates)) = (name, tags, important_dates) else {
        return Err(errors.into_error());
    };
    errors.into_result()?;
    let fields = OrganizationFields {
        name,
        domain,
        industry,
        phone,
        address,
        city,
        country,
        tags,
        custom_fields: body.custom_fields,
        owner_id: body.owner_id.map(UserId::from),
        founded_on: body.founded_on,
        important_dates,
    };
    let record = state.store.create_organization(auth.workspace_id, auth.user_id, fields).await?;
    Ok(created(&format!("/api/v1/organizations/{}", record.organization.id()), record.version, OrganizationResponse::from(&record)))
}

/// The parameters of the organization list that filter it (besides `cf.<key>`).
pub(crate) const ORGANIZATION_FILTERS: [&str; 6] = ["q", "industry", "owner_id", "city", "country", "tag"];

impl OrganizationListQuery {
    /// The filter and order, or a 400 naming the bad parameter; `cf.<key>` filters come from the raw query.
    pub(crate) fn filter(&self, query_string: &str) -> Result<(OrganizationFilter, ListOrder), ApiError> {
        let order = list_order(self.sort.as_deref())?;
        let filter = OrganizationFilter {
            text: self.q.clone(),
            industry: self.industry.clone(),
            owner_id: self.owner_id.map(UserId::from),
            segment: segment(query_string, self.city.clone(), self.country.as_deref(), self.tag.clone())?,
        };
        Ok((filter, order))
    }
}

/// Organizations of your workspace, searched and filtered, a page at a time. Besides the
/// parameters below, `cf.<key>=<value>` keeps organizations whose custom field `<key>` equals the value.
#[utoipa::path(tag = "organizations", security(("bearer" = [])),
    params(OrganizationListQuery, ("cf.<key>" = Option<String>, Query, description = "Custom field `<key>` equals this value (repeatable, one per key)")),
    responses((status = 200, description = "A page of organizations", body = OrganizationList), ReadErrors))]
#[get("/organizations")]
pub async fn list_organizations(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<OrganizationListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let (filter, order) = query.filter(req.query_string())?;
    let page = state
        .store
        .organizations(auth.workspace_id, filter, order, query.limit, query.cursor.as_deref())
        .await
        .map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(OrganizationList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// One organization with its contact count; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The organization", body = OrganizationResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/organizations/{id}")]
pub async fn get_organization(state: web::Data<AppState>, auth: AuthUser, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.organization(auth.workspace_id, OrganizationId::from(*id)).await?;
    Ok(organization_response(StatusCode::OK, &record))
}

/// Change an organization's fields; `null` clears an optional one. Custom fields are merged,
/// and `important_dates`, when sent, replaces them all.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateOrganizationRequest,
    responses((status = 200, description = "Updated", body = OrganizationResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/organizations/{id}")]
pub async fn update_organization(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateOrganizationRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let patch = OrganizationPatch {
        name: errors.parse("name", body.name.as_deref(), OrganizationName::parse),
        domain: errors.parse_nullable("domain", body.domain, WebDomain::parse),
        industry: errors.parse_nullable("industry", body.industry, Industry::parse),
        phone: errors.parse_nullable("phone", body.phone, Phone::parse),
        address: errors.parse_nullable("address", body.address, Address::parse),
        city: errors.parse_nullable("city", body.city, City::parse),
        country: errors.parse_nullable("country", body.country, Country::parse),
        tags: body.tags.and_then(|tags| errors.check("tags", Tags::parse(&tags))),
        custom_fields: body.custom_fields,
        owner_id: body.owner_id.map(|o| o.map(UserId::from)),
        founded_on: body.founded_on,
        important_dates: body.important_dates.and_then(|dates| parse_dates(&mut errors, dates, ImportantDates::for_organization)),
    };
    errors.into_result()?;
    let record = state.store.update_organization(auth.workspace_id, OrganizationId::from(*id), version, patch).await?;
    Ok(organization_response(StatusCode::OK, &record))
}

/// Delete an organization; its contacts stay, without an organization. If-Match is honoured when sent.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/organizations/{id}")]
pub async fn delete_organization(
    state: web::Data<AppState>,
    auth: AuthUser,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_organization(auth.workspace_id, OrganizationId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}
