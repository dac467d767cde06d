//! Leads from and to CSV. Imports stream: rows are parsed as the upload arrives and written a
//! batch per transaction; each row lands whole or is reported with its line number. Exports
//! stream a page at a time, UTF-8 with a byte-order mark.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use kariz_domain::custom_fields::{FieldDefinition, FieldEntity};
use kariz_domain::{LeadSource, LeadStatus, Viewer};
use kariz_persistence::LeadRecord;
use kariz_persistence::import::RowError;
use kariz_persistence::lead_import::ImportRow;
use serde::Deserialize;
use utoipa::IntoParams;

use crate::auth::Caller;
use crate::csv_calendar::{CsvCalendar, CsvCalendarQuery};
use crate::csv_io::{self, ImportReport, RowParser};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::routes::leads::{LeadInput, LeadListQuery, lead_fields};
use crate::state::AppState;

/// The lead fields a column can fill, besides `cf.<key>` custom fields.
const FIELDS: [&str; 10] = ["name", "email", "phone", "company", "job_title", "source", "campaign", "medium", "tags", "notes"];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadImportQuery {
    /// A JSON object from CSV header to lead field (`name`, `email`, `phone`, `company`,
    /// `job_title`, `source`, `campaign`, `medium`, `tags`, `notes`, or `cf.<key>` for a custom
    /// field), e.g. `{"Full name":"name","Mobile":"phone"}`. Headers named like a field (case,
    /// spaces, dashes and underscores aside) map to it without one.
    pub mapping: Option<String>,
    /// The source of rows without a `source` column (default `other`).
    #[param(schema_with = crate::vocabulary::lead_source)]
    pub source: Option<String>,
}

/// One record to a lead, or its errors.
fn parse_row(
    values: &HashMap<&str, &str>,
    line: u64,
    default_source: LeadSource,
    definitions: &[FieldDefinition],
    calendar: &CsvCalendar,
) -> Result<ImportRow, Vec<RowError>> {
    let mut errors = Vec::new();
    let custom_fields = csv_io::custom_values(values, definitions, line, &mut errors, calendar);
    let source = match values.get("source").map(|raw| LeadSource::parse(&raw.to_lowercase())) {
        None => Some(default_source),
        Some(Ok(source)) => Some(source),
        Some(Err(e)) => {
            errors.push(RowError { line, field: "source".to_owned(), message: e.to_string() });
            None
        }
    };
    let text = |field: &str| values.get(field).map(|v| (*v).to_owned());
    let input = LeadInput {
        name: text("name").unwrap_or_default(),
        email: text("email"),
        phone: text("phone"),
        company: text("company"),
        job_title: text("job_title"),
        source,
        campaign: text("campaign"),
        medium: text("medium"),
        owner_id: None,
        tags: csv_io::tags_cell(values),
        notes: text("notes"),
        custom_fields: Some(custom_fields),
    };
    let mut field_errors = FieldErrors::default();
    let fields = lead_fields(input, default_source, &mut field_errors);
    csv_io::row_errors(field_errors, line, &mut errors);
    match fields {
        Some(fields) if errors.is_empty() => Ok(ImportRow { line, fields }),
        _ => Err(errors),
    }
}

/// Import leads from CSV (`Content-Type: text/csv`, UTF-8, a header row). Rows are parsed as the
/// upload arrives and written a thousand per transaction; a row whose email or phone matches a
/// lead attaches to it. Every row lands whole or is listed with its line and the reason. Date
/// custom fields are read on the workspace's calendar, or `calendar`'s, as the export writes them.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadImportQuery, CsvCalendarQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
    responses((status = 200, description = "The import report", body = ImportReport), WriteErrors))]
#[post("/leads/import")]
pub async fn import_leads(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<LeadImportQuery>,
    calendar: web::Query<CsvCalendarQuery>,
    payload: web::Payload,
    req: HttpRequest,
) -> Result<HttpResponse, ApiError> {
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    let mapping = csv_io::parse_mapping(query.mapping.as_deref())?;
    let default_source = match query.source.as_deref() {
        None => LeadSource::Other,
        Some(raw) => LeadSource::parse(raw).map_err(|e| ApiError::BadRequest(format!("source {e}")))?,
    };
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Lead).await?;
    let parser = RowParser {
        fields: FIELDS.iter().map(|f| (*f).to_owned()).chain(csv_io::custom_field_columns(&definitions)).collect(),
        required: "name",
        parse: Box::new({
            let definitions = definitions.clone();
            move |values, line| parse_row(values, line, default_source, &definitions, &calendar)
        }),
    };
    let store = &state.store;
    let report = csv_io::import(&req, payload, mapping, parser, |rows| async {
        Ok(store.import_lead_batch(auth.workspace_id, auth.user_id, &definitions, rows).await?)
    })
    .await?;
    Ok(HttpResponse::Ok().json(report))
}

/// The export's header: the importable fields, then the rest, then custom fields.
fn export_header(definitions: &[FieldDefinition]) -> Vec<String> {
    let names = ["id", "name", "email", "phone", "company", "job_title", "source", "campaign", "medium", "tags", "notes"];
    let rest = ["status", "disqualify_reason", "score", "owner_id", "created_at"];
    names.iter().chain(rest.iter()).map(|s| (*s).to_owned()).chain(csv_io::custom_field_columns(definitions)).collect()
}

fn export_line(lead: &LeadRecord, definitions: &[FieldDefinition], calendar: &CsvCalendar) -> web::Bytes {
    let (record, lead) = (lead, &lead.lead);
    let f = lead.fields();
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let reason = match lead.status() {
        LeadStatus::Disqualified { reason, .. } => reason.as_str().to_owned(),
        _ => String::new(),
    };
    let mut line = vec![
        lead.id().to_string(),
        f.name.as_str().to_owned(),
        f.email.as_ref().map(|e| e.as_str().to_owned()).unwrap_or_default(),
        f.phone.as_ref().map(|p| p.as_str().to_owned()).unwrap_or_default(),
        text(&f.company),
        text(&f.job_title),
        f.source.as_str().to_owned(),
        text(&f.campaign),
        text(&f.medium),
        f.tags.as_slice().join(", "),
        text(&f.notes),
        lead.status().as_str().to_owned(),
        reason,
        lead.score().to_string(),
        f.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        calendar.timestamp(record.created_at),
    ];
    line.extend(definitions.iter().map(|d| csv_io::custom_cell(d, f.custom_fields.get(&d.key), calendar)));
    csv_io::line(line)
}

/// Export the leads a list query selects (same filters and sort as `GET /leads`) as CSV, UTF-8
/// with a byte-order mark so spreadsheet programs show Persian text correctly. The header names
/// are the ones the import accepts; dates are written on the workspace's calendar, or `calendar`'s.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadListQuery, CsvCalendarQuery),
    responses((status = 200, description = "The leads as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/leads/export")]
pub async fn export_leads(
    state: web::Data<AppState>,
    auth: Caller,
    query: web::Query<LeadListQuery>,
    calendar: web::Query<CsvCalendarQuery>,
) -> Result<HttpResponse, ApiError> {
    let (filter, sort) = query.parse()?;
    let calendar = CsvCalendar::of(&state, auth.workspace_id, &calendar).await?;
    let definitions = state.store.definitions_of(auth.workspace_id, FieldEntity::Lead).await?;
    let header = export_header(&definitions);
    let store = state.store.clone();
    let viewer: Viewer = *auth;
    Ok(csv_io::export("leads.csv", header, move |cursor| {
        let (store, filter, definitions) = (store.clone(), filter.clone(), definitions.clone());
        async move {
            let page = store.leads(&viewer, &filter, sort, Some(200), cursor.as_deref()).await?;
            Ok((page.items.iter().flat_map(|lead| export_line(lead, &definitions, &calendar)).collect(), page.next_cursor))
        }
    }))
}
