//! Contacts and organizations from and to CSV, on the same streaming machinery as leads.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kariz_domain::ContactFields;
use kariz_domain::custom_fields::{FieldDefinition, FieldEntity};
use kariz_domain::dates::{AnnualDate, Calendar, DateKind};
use kariz_domain::{
    Address, City, Country, Email, ImportantDate, ImportantDates, Industry, JobTitle, LeadName, Notes, OrganizationFields, OrganizationId,
    OrganizationName, Phone, Tags, WebDomain,
};
use kariz_persistence::contact_import::ContactImportRow;
use kariz_persistence::contacts::ContactFilter;
use kariz_persistence::import::RowError;
use kariz_persistence::organization_import::OrganizationImportRow;
use kariz_persistence::search::ListOrder;
use kariz_persistence::{ContactRecord, OrganizationRecord};
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::{AuthUser, Caller};
use crate::csv_calendar::{CsvCalendar, CsvCalendarQuery};
use crate::csv_io::{self, ImportReport, RowParser};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::routes::contacts::ContactListQuery;
use crate::routes::organizations::OrganizationListQuery;
use crate::state::AppState;

/// The contact fields a column can fill, besides `cf.<key>` custom fields.
const FIELDS: [&str; 11] =
    ["name", "email", "phone", "job_title", "organization", "address", "city", "country", "tags", "notes", "birthday"];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContactImportQuery {
    /// A JSON object from CSV header to contact field (`name`, `email`, `phone`, `job_title`,
    /// `organization` (a name: found, or created), `address`, `city`, `country`, `tags`, `notes`,
    /// `birthday` (YYYY-MM-DD, or --MM-DD without a year, on the file's calendar; a trailing
    /// `jalali` or `gregorian` names another), or `cf.<key>`). Headers named like a field map to it
    /// without one.
    pub mapping: Option<String>,
}

/// One record to a contact, or its errors.
fn parse_row(
    values: &HashMap<&str, &str>,
    line: u64,
    definitions: &[FieldDefinition],
    calendar: &CsvCalendar,
) -> Result<ContactImportRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let custom_fields = csv_io::custom_values(values, definitions, line, &mut errors, calendar);
    let mut e = FieldErrors::default();
    let get = |field: &str| values.get(field).copied();
    let name = e.check("name", LeadName::parse(get("name").unwrap_or_default()));
    let tags = e.check("tags", Tags::parse(&csv_io::tags_cell(values).unwrap_or_default()));
    let email = e.parse("email", get("email"), Email::parse);
    let phone = e.parse("phone", get("phone"), Phone::parse);
    let job_title = e.parse("job_title", get("job_title"), JobTitle::parse);
    let address = e.parse("address", get("address"), Address::parse);
    let city = e.parse("city", get("city"), City::parse);
    let country = e.parse("country", get("country"), Country::parse);
    let notes = e.parse("notes", get("notes"), Notes::parse);
    let birthday = e.parse("birthday", get("birthday"), |raw| {
        let cell = calendar.parse_yearly(raw)?;
        if cell.calendar == Calendar::Gregorian
            && let Some(year) = cell.year
        {
            calendar.parse_date(&format!("{year:04}-{:02}-{:02} gregorian", cell.month, cell.day))?;
        }
        let date = AnnualDate::new(cell.calendar, cell.month, cell.day, cell.year).map_err(|e| e.to_string())?;
        ImportantDate::new(DateKind::Birthday, None, date).map_err(|e| e.to_string())
    });
    let important_dates = e.check("birthday", ImportantDates::for_contact(birthday.into_iter().collect()));
    csv_io::row_errors(e, line, &mut errors);
    let (Some(name), Some(tags), Some(important_dates)) = (name, tags, important_dates) else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }
    let fields = ContactFields {
        name,
        email,
        phone,
        job_title,
        organization_id: None,
        address,
        city,
        country,
        tags,
        custom_fields,
        notes,
        owner_id: None,
        important_dates,
    };
    Ok(ContactImportRow { line, fields, organization: get("organization").map(str::to_owned) })
}

/// Import contacts from CSV (`Content-Type: text/csv`, UTF-8, a header row), parsed as the
/// upload arrives and written a thousand per transaction. An `organization` column links each
/// contact to the organization of that name (created when missing); a row whose email or phone
/// matches a contact fills its blanks. Every row lands whole or is listed with its line. Dates
/// are read on the workspace's calendar, or `calendar`'s, as the export writes them.
#[utoipa::path(tag = "contacts", security(("bearer" = [])), params(ContactImportQuery, CsvCalendarQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
    responses((status = 200, description = "The import report", body = ImportReport), WriteErrors))]
#[post("/contacts/import")]
pub async fn import_contacts(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<ContactImportQuery>,
    calendar: web::Query<CsvCalendarQuery>,
    payload: web::Payload,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    let mapping = csv_io::parse_mapping(query.mapping.as_deref())?;
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Contact).await?;
    let parser = RowParser {
        fields: FIELDS.iter().map(|f| (*f).to_owned()).chain(csv_io::custom_field_columns(&definitions)).collect(),
        required: "name",
        parse: Box::new({
            let definitions = definitions.clone();
            move |values, line| parse_row(values, line, &definitions, &calendar)
        }),
    };
    let store = &state.store;
    let report =
        csv_io::import(&req, payload, mapping, parser, |rows| async { Ok(store.import_contact_batch(&auth, &definitions, rows).await?) })
            .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The organization fields a column can fill, besides `cf.<key>` custom fields: the columns of
/// the organization export, so that an export imports back.
const ORGANIZATION_FIELDS: [&str; 9] = ["name", "domain", "industry", "phone", "address", "city", "country", "tags", "founded_on"];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrganizationImportQuery {
    /// A JSON object from CSV header to organization field (`name`, `domain`, `industry`,
    /// `phone`, `address`, `city`, `country`, `tags`, `founded_on` (YYYY-MM-DD on the file's
    /// calendar), or `cf.<key>`).
    /// Headers named like a field map to it without one.
    pub mapping: Option<String>,
}

/// One record to an organization, or its errors.
fn parse_organization_row(
    values: &HashMap<&str, &str>,
    line: u64,
    definitions: &[FieldDefinition],
    calendar: &CsvCalendar,
) -> Result<OrganizationImportRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let custom_fields = csv_io::custom_values(values, definitions, line, &mut errors, calendar);
    let mut e = FieldErrors::default();
    let get = |field: &str| values.get(field).copied();
    let name = e.check("name", OrganizationName::parse(get("name").unwrap_or_default()));
    let tags = e.check("tags", Tags::parse(&csv_io::tags_cell(values).unwrap_or_default()));
    let domain = e.parse("domain", get("domain"), WebDomain::parse);
    let industry = e.parse("industry", get("industry"), Industry::parse);
    let phone = e.parse("phone", get("phone"), Phone::parse);
    let address = e.parse("address", get("address"), Address::parse);
    let city = e.parse("city", get("city"), City::parse);
    let country = e.parse("country", get("country"), Country::parse);
    let founded_on = e.parse("founded_on", get("founded_on"), |raw| calendar.parse_date(raw));
    csv_io::row_errors(e, line, &mut errors);
    let (Some(name), Some(tags)) = (name, tags) else { return Err(errors) };
    if !errors.is_empty() {
        return Err(errors);
    }
    let fields = OrganizationFields {
        name,
        domain,
        industry,
        phone,
        address,
        city,
        country,
        tags,
        custom_fields,
        owner_id: None,
        founded_on,
        important_dates: ImportantDates::default(),
    };
    Ok(OrganizationImportRow { line, fields })
}

/// Import organizations from CSV (`Content-Type: text/csv`, UTF-8, a header row), parsed as the
/// upload arrives and written a thousand per transaction, as contacts are. Names are unique per
/// workspace (ignoring case and spacing): a row naming an organization that exists fills its
/// blanks instead (`attached`). You own what you create. Every row lands whole or is listed
/// with its line. Dates are read on the workspace's calendar, or `calendar`'s.
#[utoipa::path(tag = "organizations", security(("bearer" = [])), params(OrganizationImportQuery, CsvCalendarQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
    responses((status = 200, description = "The import report", body = ImportReport), WriteErrors))]
#[post("/organizations/import")]
pub async fn import_organizations(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<OrganizationImportQuery>,
    calendar: web::Query<CsvCalendarQuery>,
    payload: web::Payload,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    let mapping = csv_io::parse_mapping(query.mapping.as_deref())?;
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Organization).await?;
    let parser = RowParser {
        fields: ORGANIZATION_FIELDS.iter().map(|f| (*f).to_owned()).chain(csv_io::custom_field_columns(&definitions)).collect(),
        required: "name",
        parse: Box::new({
            let definitions = definitions.clone();
            move |values, line| parse_organization_row(values, line, &definitions, &calendar)
        }),
    };
    let store = &state.store;
    let (workspace_id, actor_id) = (auth.workspace_id, auth.user_id);
    let report = csv_io::import(&req, payload, mapping, parser, |rows| async {
        Ok(store.import_organization_batch(workspace_id, actor_id, &definitions, rows).await?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

fn text<T: AsRef<str>>(value: &Option<T>) -> String {
    value.as_ref().map(|v| v.as_ref().to_owned()).unwrap_or_default()
}

fn contact_line(
    record: &ContactRecord,
    organizations: &HashMap<OrganizationId, String>,
    definitions: &[FieldDefinition],
    calendar: &CsvCalendar,
) -> web::Bytes {
    let c = record.contact.fields();
    // A birthday recurs on its own calendar, so it is written on it (or `--MM-DD` without its
    // year), marked when that is not the file's so that nobody reads it on the wrong one.
    let birthday = c.important_dates.birthday().map(|d| calendar.yearly(d.calendar(), d.year(), d.month(), d.day()));
    let mut line = vec![
        record.contact.id().to_string(),
        c.name.as_str().to_owned(),
        text(&c.email.as_ref().map(Email::as_str)),
        text(&c.phone.as_ref().map(Phone::as_str)),
        text(&c.job_title),
        c.organization_id.and_then(|id| organizations.get(&id).cloned()).unwrap_or_default(),
        text(&c.address),
        text(&c.city),
        text(&c.country.as_ref().map(Country::as_str)),
        c.tags.as_slice().join(", "),
        text(&c.notes),
        birthday.unwrap_or_default(),
        c.organization_id.map(|o| o.to_string()).unwrap_or_default(),
        c.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        calendar.timestamp(record.created_at),
    ];
    line.extend(definitions.iter().map(|d| csv_io::custom_cell(d, c.custom_fields.get(&d.key), calendar)));
    csv_io::line(line)
}

/// Export the contacts a list query selects (same filters as `GET /contacts`) as CSV, UTF-8 with
/// a byte-order mark; the header names are the ones the import accepts. Dates are written on the
/// workspace's calendar, or `calendar`'s (see the import).
#[utoipa::path(tag = "contacts", security(("bearer" = [])),
    params(ContactListQuery, CsvCalendarQuery, ("cf.<key>" = Option<String>, Query, description = "Custom field `<key>` equals this value")),
    responses((status = 200, description = "The contacts as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/contacts/export")]
pub async fn export_contacts(
    state: web::Data<AppState>,
    auth: Caller,
    req: HttpRequest,
    query: web::Query<ContactListQuery>,
    calendar: web::Query<CsvCalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, order) = query.filter(req.query_string(), state.store.now().date_naive())?;
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    contacts_csv(&state, &auth, filter, order, calendar).await
}

/// The CSV of the contacts `filter` selects, in `order`: the export of a list query and of a
/// contacts view (a segment) alike.
pub(crate) async fn contacts_csv(
    state: &AppState,
    auth: &Caller,
    filter: ContactFilter,
    order: ListOrder,
    calendar: CsvCalendar,
) -> Result<HttpResponse, ApiError> {
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Contact).await?;
    // The importable fields, in import order, after the id; then what only an export has.
    let header = ["id"]
        .iter()
        .chain(FIELDS.iter())
        .chain(["organization_id", "owner_id", "created_at"].iter())
        .map(|s| (*s).to_owned())
        .chain(csv_io::custom_field_columns(&definitions))
        .collect();
    // A bad custom-field filter is refused before the first byte is sent.
    state.store.contacts(auth, filter.clone(), order, Some(1), None).await.map_err(ApiError::in_query)?;
    let store = state.store.clone();
    let viewer = **auth;
    let workspace_id = auth.workspace_id;
    Ok(csv_io::export("contacts.csv", header, move |cursor| {
        let (store, filter, definitions) = (store.clone(), filter.clone(), definitions.clone());
        async move {
            let page = store.contacts(&viewer, filter, order, Some(200), cursor.as_deref()).await?;
            let ids: Vec<OrganizationId> = page.items.iter().filter_map(|c| c.contact.fields().organization_id).collect();
            let names = store.organization_names(workspace_id, &ids).await?;
            Ok((page.items.iter().flat_map(|c| contact_line(c, &names, &definitions, &calendar)).collect(), page.next_cursor))
        }
    }))
}

fn organization_line(record: &OrganizationRecord, definitions: &[FieldDefinition], calendar: &CsvCalendar) -> web::Bytes {
    let o = record.organization.fields();
    let mut line = vec![
        record.organization.id().to_string(),
        o.name.as_str().to_owned(),
        text(&o.domain.as_ref().map(WebDomain::as_str)),
        text(&o.industry),
        text(&o.phone.as_ref().map(Phone::as_str)),
        text(&o.address),
        text(&o.city),
        text(&o.country.as_ref().map(Country::as_str)),
        o.tags.as_slice().join(", "),
        o.founded_on.map(|d| calendar.date(d)).unwrap_or_default(),
        record.contacts_count.to_string(),
        o.owner_id.map(|u| u.to_string()).unwrap_or_default(),
        calendar.timestamp(record.created_at),
    ];
    line.extend(definitions.iter().map(|d| csv_io::custom_cell(d, o.custom_fields.get(&d.key), calendar)));
    csv_io::line(line)
}

/// Export the organizations a list query selects (same filters as `GET /organizations`) as CSV,
/// UTF-8 with a byte-order mark. Dates are written on the workspace's calendar, or `calendar`'s.
#[utoipa::path(tag = "organizations", security(("bearer" = [])),
    params(OrganizationListQuery, CsvCalendarQuery, ("cf.<key>" = Option<String>, Query, description = "Custom field `<key>` equals this value")),
    responses((status = 200, description = "The organizations as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/organizations/export")]
pub async fn export_organizations(
    state: web::Data<AppState>,
    auth: AuthUser,
    req: HttpRequest,
    query: web::Query<OrganizationListQuery>,
    calendar: web::Query<CsvCalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, order) = query.filter(req.query_string())?;
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Organization).await?;
    let names = ["id", "name", "domain", "industry", "phone", "address", "city", "country", "tags", "founded_on", "contacts_count"];
    let header = names
        .iter()
        .chain(["owner_id", "created_at"].iter())
        .map(|s| (*s).to_owned())
        .chain(csv_io::custom_field_columns(&definitions))
        .collect();
    state.store.organizations(auth.workspace_id, filter.clone(), order, Some(1), None).await.map_err(ApiError::in_query)?;
    let store = state.store.clone();
    let workspace_id = auth.workspace_id;
    Ok(csv_io::export("organizations.csv", header, move |cursor| {
        let (store, filter, definitions) = (store.clone(), filter.clone(), definitions.clone());
        async move {
            let page = store.organizations(workspace_id, filter, order, Some(200), cursor.as_deref()).await?;
            Ok((page.items.iter().flat_map(|o| organization_line(o, &definitions, &calendar)).collect(), page.next_cursor))
        }
    }))
}
