//! Contacts: CRUD, search and segment filters, and the important dates coming up. Updates need
//! the version the client read (If-Match, or `version` in the body) and answer 412 when it is
//! stale; an explicit `If-Match: *` opts out.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, web};
use chrono::NaiveDate;
use kariz_domain::dates::AnnualDate;
use kariz_domain::{
    Address, City, ContactId, Country, DateLabel, Email, ImportantDate, ImportantDateError, ImportantDates, JobTitle, LeadName, Notes,
    OrganizationId, Phone, Tags, UserId,
};
use kariz_domain::{ContactFields, ContactPatch};
use kariz_persistence::ContactRecord;
use kariz_persistence::contacts::{AgeBand, ContactFilter};
use kariz_persistence::search::{ListOrder, SegmentFilter};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;
use validator::Validate;

use crate::auth::{AuthUser, Caller};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::dto::{CalendarDto, ContactList, ContactResponse, DateKindDto, UpcomingDateList, double_option};
use crate::error::{ApiError, FieldErrors};
use crate::extract::{IfMatch, ValidJson, created, etag};
use crate::state::AppState;

/// Oldest age an age band may name.
const MAX_AGE: u32 = 150;

#[derive(Deserialize, Serialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ImportantDateInput {
    pub kind: DateKindDto,
    /// Required for `custom`.
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100, example = "First order")]
    pub label: Option<String>,
    /// The calendar of `month`, `day` and `year`; default `gregorian`.
    #[serde(default)]
    pub calendar: CalendarDto,
    #[validate(range(min = 1, max = 12))]
    #[schema(minimum = 1, maximum = 12, example = 3)]
    pub month: u32,
    #[validate(range(min = 1, max = 31))]
    #[schema(minimum = 1, maximum = 31, example = 21)]
    pub day: u32,
    /// When known, in the date's calendar; ages and jubilees count from it.
    #[validate(range(min = 1, max = 9999))]
    #[schema(minimum = 1, maximum = 9999, example = 1990)]
    pub year: Option<i32>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateContactRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "Sara Ahmadi")]
    pub name: String,
    #[validate(length(min = 1, max = 254))]
    #[schema(min_length = 1, max_length = 254, example = "sara@pars-logistics.ir")]
    pub email: Option<String>,
    /// Any usual spelling, in Latin or Persian digits (`0912 123 4567`, `+98 912…`, `۰۹۱۲…`);
    /// stored in E.164.
    #[validate(length(min = 1, max = 40))]
    #[schema(min_length = 1, max_length = 40, example = "0912 123 4567")]
    pub phone: Option<String>,
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub job_title: Option<String>,
    /// An organization of your workspace.
    pub organization_id: Option<Uuid>,
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
    #[schema(max_items = 20, example = json!(["vip"]))]
    pub tags: Vec<String>,
    /// Values of the workspace's contact fields, by key.
    #[serde(default)]
    #[schema(value_type = Object)]
    pub custom_fields: Map<String, Value>,
    #[validate(length(min = 1, max = 10000))]
    #[schema(min_length = 1, max_length = 10000)]
    pub notes: Option<String>,
    /// A member of your workspace; you when omitted.
    pub owner_id: Option<Uuid>,
    /// At most one birthday.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub important_dates: Vec<ImportantDateInput>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateContactRequest {
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub name: Option<String>,
    #[validate(length(min = 1, max = 254))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 254)]
    pub email: Option<Option<String>>,
    #[validate(length(min = 1, max = 40))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 40)]
    pub phone: Option<Option<String>>,
    #[validate(length(min = 1, max = 200))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 200)]
    pub job_title: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub organization_id: Option<Option<Uuid>>,
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
    #[validate(length(min = 1, max = 10000))]
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 10000)]
    pub notes: Option<Option<String>>,
    #[serde(default, deserialize_with = "double_option")]
    #[schema(value_type = Option<Uuid>, nullable)]
    pub owner_id: Option<Option<Uuid>>,
    /// Replaces every date.
    #[validate(length(max = 20), nested)]
    #[schema(max_items = 20)]
    pub important_dates: Option<Vec<ImportantDateInput>>,
    /// The version you read, if you do not send If-Match.
    pub version: Option<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactListQuery {
    /// Text in the name, email, phone (any spelling) or organization name or domain; case, punctuation, Arabic and Persian letter forms and digits do not matter.
    pub q: Option<String>,
    pub organization_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    /// Case-insensitive.
    pub city: Option<String>,
    /// ISO 3166 alpha-2.
    pub country: Option<String>,
    pub tag: Option<String>,
    /// Contacts at least this old today (from their birthday with its year).
    #[param(minimum = 0, maximum = 150)]
    pub age_min: Option<u32>,
    /// Contacts at most this old today.
    #[param(minimum = 0, maximum = 150)]
    pub age_max: Option<u32>,
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

/// The parameters of the contact list that filter it (besides `cf.<key>`): what a saved view of
/// contacts may hold.
pub(crate) const CONTACT_FILTERS: [&str; 8] = ["q", "organization_id", "owner_id", "city", "country", "tag", "age_min", "age_max"];

impl ContactListQuery {
    /// The filter and order, or a 400 naming the bad parameter; `cf.<key>` filters come from the raw query.
    pub(crate) fn filter(&self, query_string: &str, today: NaiveDate) -> Result<(ContactFilter, ListOrder), ApiError> {
        let order = list_order(self.sort.as_deref())?;
        if self.age_min.into_iter().chain(self.age_max).any(|age| age > MAX_AGE) {
            return Err(ApiError::BadRequest(format!("ages are 0 to {MAX_AGE}")));
        }
        if let (Some(min), Some(max)) = (self.age_min, self.age_max)
            && min > max
        {
            return Err(ApiError::BadRequest("age_min is above age_max".to_owned()));
        }
        let age = (self.age_min.is_some() || self.age_max.is_some()).then_some(AgeBand { min: self.age_min, max: self.age_max, today });
        let filter = ContactFilter {
            text: self.q.clone(),
            organization_id: self.organization_id.map(OrganizationId::from),
            owner_id: self.owner_id.map(UserId::from),
            age,
            segment: segment(query_string, self.city.clone(), self.country.as_deref(), self.tag.clone())?,
        };
        Ok((filter, order))
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UpcomingDatesQuery {
    /// The window's length in days after `today`, 0–366; default 30.
    #[param(minimum = 0, maximum = 366)]
    pub days: Option<u32>,
    /// The window's first day; default today (UTC).
    #[serde(default, deserialize_with = "crate::dates::optional_date")]
    pub today: Option<NaiveDate>,
}

/// Parses important dates, naming a bad one by its index (`important_dates.1.day`), then
/// applies the owner's rules (`ImportantDates::for_contact` or `for_organization`).
pub(crate) fn parse_dates(
    errors: &mut FieldErrors,
    inputs: Vec<ImportantDateInput>,
    rules: fn(Vec<ImportantDate>) -> Result<ImportantDates, ImportantDateError>,
) -> Option<ImportantDates> {
    let mut dates = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.into_iter().enumerate() {
        let label = errors.check_opt(&format!("important_dates.{i}.label"), input.label.as_deref().map(DateLabel::parse));
        let date =
            errors.check(&format!("important_dates.{i}.day"), AnnualDate::new(input.calendar.into(), input.month, input.day, input.year));
        if let (Some(label), Some(date)) = (label, date) {
            dates.extend(errors.check(&format!("important_dates.{i}.label"), ImportantDate::new(input.kind.into(), label, date)));
        }
    }
    errors.check("important_dates", rules(dates))
}

/// The `cf.<key>=<value>` custom-field filters of a raw query string, as `(key, value)`.
pub(crate) fn custom_field_filters(query_string: &str) -> Result<Vec<(String, String)>, ApiError> {
    let pairs = web::Query::<Vec<(String, String)>>::from_query(query_string)
        .map_err(|err| ApiError::BadRequest(format!("invalid query parameters: {err}")))?;
    Ok(pairs.0.into_iter().filter_map(|(name, value)| name.strip_prefix("cf.").map(|key| (key.to_owned(), value))).collect())
}

/// The segment filters of a list query, with `cf.<key>=<value>` custom-field filters read from
/// the raw query string.
pub(crate) fn segment(
    query_string: &str,
    city: Option<String>,
    country: Option<&str>,
    tag: Option<String>,
) -> Result<SegmentFilter, ApiError> {
    let custom_fields = custom_field_filters(query_string)?;
    let country = country.map(Country::parse).transpose().map_err(|e| ApiError::BadRequest(format!("country: {e}")))?;
    Ok(SegmentFilter { city, country, tag, custom_fields })
}

pub(crate) fn list_order(sort: Option<&str>) -> Result<ListOrder, ApiError> {
    match sort {
        None => Ok(ListOrder::default()),
        Some(raw) => {
            ListOrder::parse(raw).ok_or_else(|| ApiError::BadRequest(format!("unknown sort `{raw}`; use -created_at, created_at or name")))
        }
    }
}

fn contact_response(status: StatusCode, record: &ContactRecord) -> HttpResponse {
    HttpResponse::build(status).insert_header(etag(record.version)).json(ContactResponse::from(record))
}

/// Add a contact. Writes `contact.created` to the outbox with the contact as returned.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), request_body = CreateContactRequest,
    responses((status = 201, description = "Created", body = ContactResponse, headers(("ETag" = String), ("Location" = String))), WriteErrors))]
#[post("/contacts")]
pub async fn create_contact(
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<CreateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let name = errors.check("name", LeadName::parse(&body.name));
    let tags = errors.check("tags", Tags::parse(&body.tags));
    let important_dates = parse_dates(&mut errors, body.important_dates, ImportantDates::for_contact);
    let email = errors.parse("email", body.email.as_deref(), Email::parse);
    let phone = errors.parse("phone", body.phone.as_deref(), Phone::parse);
    let job_title = errors.parse("job_title", body.job_title.as_deref(), JobTitle::parse);
    let address = errors.parse("address", body.address.as_deref(), Address::parse);
    let city = errors.parse("city", body.city.as_deref(), City::parse);
    let country = errors.parse("country", body.country.as_deref(), Country::parse);
    let notes = errors.parse("notes", body.notes.as_deref(), Notes::parse);
    let (Some(name), Some(tags), Some(important_dates)) = (name, tags, important_dates) else {
        return Err(errors.into_error());
    };
    errors.into_result()?;
    let fields = ContactFields {
        name,
        email,
        phone,
        job_title,
        organization_id: body.organization_id.map(OrganizationId::from),
        address,
        city,
        country,
        tags,
        custom_fields: body.custom_fields,
        notes,
        owner_id: body.owner_id.map(UserId::from),
        important_dates,
    };
    let record = state.store.create_contact(auth.workspace_id, auth.user_id, fields).await?;
    Ok(created(&format!("/api/v1/contacts/{}", record.contact.id()), record.version, ContactResponse::from(&record)))
}

/// Contacts of your workspace, searched and filtered, a page at a time. Besides the parameters
/// below, `cf.<key>=<value>` keeps contacts whose custom field `<key>` equals the value.
#[utoipa::path(tag = "contacts", security(("bearer" = [])),
    params(ContactListQuery, ("cf.<key>" = Option<String>, Query, description = "Custom field `<key>` equals this value (repeatable, one per key)")),
    responses((status = 200, description = "A page of contacts", body = ContactList), ReadErrors))]
#[get("/contacts")]
pub async fn list_contacts(
    state: web::Data<AppState>,
    auth: Caller,
    req: HttpRequest,
    query: web::Query<ContactListQuery>,
) -> Result<HttpResponse, ApiError> {
    let query = query.into_inner();
    let (filter, order) = query.filter(req.query_string(), state.store.now().date_naive())?;
    let page = state.store.contacts(&auth, filter, order, query.limit, query.cursor.as_deref()).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(ContactList { data: page.items.iter().map(Into::into).collect(), next_cursor: page.next_cursor }))
}

/// Birthdays, anniversaries, founding dates and custom dates of your contacts and
/// organizations whose next occurrence is between `today` and `today + days`, soonest first.
/// Each date recurs in its own calendar (a Jalali birthday on its Jalali day). The window wraps
/// into the next year; 29 February falls on 28 February in common years, and 30 Esfand on
/// 29 Esfand.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(UpcomingDatesQuery),
    responses((status = 200, description = "The dates in the window", body = UpcomingDateList), ReadErrors))]
#[get("/contacts/upcoming-dates")]
pub async fn upcoming_dates(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<UpcomingDatesQuery>,
) -> Result<HttpResponse, ApiError> {
    let days = query.days.unwrap_or(30);
    if days > 366 {
        return Err(ApiError::BadRequest("days is 0 to 366".to_owned()));
    }
    let today = query.today.unwrap_or_else(|| state.store.now().date_naive());
    let dates = state.store.upcoming_dates(&auth, today, days).await.map_err(ApiError::in_query)?;
    Ok(HttpResponse::Ok().json(UpcomingDateList { data: dates.iter().map(Into::into).collect(), next_cursor: None }))
}

/// One contact; its `ETag` is the version to send back as `If-Match`.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path)),
    responses((status = 200, description = "The contact", body = ContactResponse, headers(("ETag" = String))), ReadErrors))]
#[get("/contacts/{id}")]
pub async fn get_contact(state: web::Data<AppState>, auth: Caller, id: web::Path<Uuid>) -> Result<HttpResponse, ApiError> {
    let record = state.store.contact(&auth, ContactId::from(*id)).await?;
    Ok(contact_response(StatusCode::OK, &record))
}

/// Change a contact's fields; `null` clears an optional one. Custom fields are merged, and
/// `important_dates`, when sent, replaces them all.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)), request_body = UpdateContactRequest,
    responses((status = 200, description = "Updated", body = ContactResponse, headers(("ETag" = String))), WriteErrors))]
#[patch("/contacts/{id}")]
pub async fn update_contact(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
    body: ValidJson<UpdateContactRequest>,
) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let version = if_match.require(body.version)?;
    let mut errors = FieldErrors::default();
    let patch = ContactPatch {
        name: errors.parse("name", body.name.as_deref(), LeadName::parse),
        email: errors.parse_nullable("email", body.email, Email::parse),
        phone: errors.parse_nullable("phone", body.phone, Phone::parse),
        job_title: errors.parse_nullable("job_title", body.job_title, JobTitle::parse),
        organization_id: body.organization_id.map(|o| o.map(OrganizationId::from)),
        address: errors.parse_nullable("address", body.address, Address::parse),
        city: errors.parse_nullable("city", body.city, City::parse),
        country: errors.parse_nullable("country", body.country, Country::parse),
        tags: body.tags.and_then(|tags| errors.check("tags", Tags::parse(&tags))),
        custom_fields: body.custom_fields,
        notes: errors.parse_nullable("notes", body.notes, Notes::parse),
        owner_id: body.owner_id.map(|o| o.map(UserId::from)),
        important_dates: body.important_dates.and_then(|dates| parse_dates(&mut errors, dates, ImportantDates::for_contact)),
    };
    errors.into_result()?;
    let record = state.store.update_contact(&auth, ContactId::from(*id), version, patch).await?;
    Ok(contact_response(StatusCode::OK, &record))
}

/// Delete a contact and its important dates. If-Match is honoured when sent.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(("id" = Uuid, Path), ("If-Match" = Option<String>, Header)),
    responses((status = 204, description = "Deleted"), WriteErrors))]
#[delete("/contacts/{id}")]
pub async fn delete_contact(
    state: web::Data<AppState>,
    auth: Caller,
    id: web::Path<Uuid>,
    if_match: IfMatch,
) -> Result<HttpResponse, ApiError> {
    state.store.delete_contact(&auth, ContactId::from(*id), if_match.optional(None)).await?;
    Ok(HttpResponse::NoContent().finish())
}
