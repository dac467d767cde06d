//! Leads from and to CSV. Imports stream: rows are parsed as the upload arrives and written a
//! batch per transaction; each row lands whole or is reported with its line number. Exports
//! stream a page at a time, UTF-8 with a byte-order mark.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpResponse, get, post, web};
use futures_util::{StreamExt, stream};
use kariz_domain::custom_fields::{FieldDefinition, FieldKind};
use kariz_domain::{LeadSource, WorkspaceId};
use kariz_persistence::Store;
use kariz_persistence::lead_import::{ImportRow, RowError, RowOutcome};
use kariz_persistence::leads::{LeadFilter, LeadRecord, LeadSort};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use utoipa::{IntoParams, ToSchema};

use crate::auth::AuthUser;
use crate::csv_io::{self, ChannelReader, ColumnMap, UTF8_BOM};
use crate::dto::errors::{ReadErrors, WriteErrors};
use crate::error::{ApiError, FieldErrors};
use crate::routes::leads::{LeadInput, LeadListQuery, lead_fields};
use crate::state::AppState;

/// Rows per transaction.
const BATCH_ROWS: usize = 1000;
/// The report lists at most this many row errors (the counts are always complete).
const MAX_REPORTED_ERRORS: usize = 10_000;
/// The lead fields a column can fill, besides `cf.<key>` custom fields.
const FIELDS: [&str; 10] = ["name", "email", "phone", "company", "job_title", "source", "campaign", "medium", "tags", "notes"];

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ImportQuery {
    /// A JSON object from CSV header to lead field (`name`, `email`, `phone`, `company`,
    /// `job_title`, `source`, `campaign`, `medium`, `tags`, `notes`, or `cf.<key>` for a custom
    /// field), e.g. `{"Full name":"name","Mobile":"phone"}`. Headers named like a field map to it
    /// without one.
    pub mapping: Option<String>,
    /// The source of rows without a `source` column (default `other`).
    #[param(schema_with = crate::vocabulary::lead_source)]
    pub source: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct ImportRowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What an import did, row by row.
#[derive(Serialize, ToSchema)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Rows that created a lead.
    pub created: u64,
    /// Rows whose email or phone matched a lead (stored or earlier in the file) and were merged into it.
    pub attached: u64,
    /// Rows not imported; each is listed in `errors`.
    pub failed: u64,
    pub errors: Vec<ImportRowError>,
    /// True when more errors happened than are listed.
    pub errors_truncated: bool,
    /// Columns that map to no field and were skipped.
    pub ignored_columns: Vec<String>,
}

/// What the parsing thread hands to the writer.
enum Parsed {
    Columns(Vec<String>),
    Batch(Vec<ImportRow>, Vec<RowError>),
    Failed(ApiError),
}

/// A custom-field value typed by its definition (numbers and booleans are not text in JSON).
fn typed_value(definition: &FieldDefinition, raw: &str) -> Result<Value, String> {
    match definition.kind {
        FieldKind::Number => match raw.parse::<i64>() {
            Ok(whole) => Ok(Value::from(whole)),
            Err(_) => raw
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map(Value::Number)
                .ok_or_else(|| "must be a number".to_owned()),
        },
        FieldKind::Boolean => match raw.to_lowercase().as_str() {
            "true" | "yes" | "1" | "y" | "بله" => Ok(Value::Bool(true)),
            "false" | "no" | "0" | "n" | "خیر" => Ok(Value::Bool(false)),
            _ => Err("must be true or false".to_owned()),
        },
        _ => Ok(Value::String(raw.to_owned())),
    }
}

/// One record to a lead, or its errors.
fn parse_row(
    values: &HashMap<&str, &str>,
    line: u64,
    default_source: LeadSource,
    definitions: &[FieldDefinition],
) -> Result<ImportRow, Vec<RowError>> {
    let error = |field: &str, message: String| RowError { line, field: field.to_owned(), message };
    let mut errors = Vec::new();
    let mut custom_fields = Map::new();
    for (field, raw) in values.iter().filter(|(f, _)| f.starts_with("cf.")) {
        let key = &field[3..];
        match definitions.iter().find(|d| d.key == key) {
            Some(definition) => match typed_value(definition, raw) {
                Ok(value) => {
                    custom_fields.insert(key.to_owned(), value);
                }
                Err(message) => errors.push(error(field, message)),
            },
            None => errors.push(error(field, "no custom field with this key is defined".to_owned())),
        }
    }
    let source = match values.get("source") {
        None => Some(default_source),
        Some(raw) => match LeadSource::parse(&raw.to_lowercase()) {
            Ok(source) => Some(source),
            Err(e) => {
                errors.push(error("source", e.to_string()));
                None
            }
        },
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
        tags: values.get("tags").map(|t| t.split([',', ';', '|', '،']).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect()),
        notes: text("notes"),
        custom_fields: Some(custom_fields),
    };
    let mut field_errors = FieldErrors::default();
    let fields = lead_fields(input, default_source, &mut field_errors);
    if let ApiError::Validation(problems) = field_errors.into_error() {
        errors.extend(problems.into_iter().map(|p| error(&p.field, p.message)));
    }
    match fields {
        Some(fields) if errors.is_empty() => Ok(ImportRow { line, fields }),
        _ => Err(errors),
    }
}

/// Parses the upload on a blocking thread, sending batches of rows to the writer.
fn parse_upload(
    reader: ChannelReader,
    mapping: HashMap<String, String>,
    default_source: LeadSource,
    definitions: Vec<FieldDefinition>,
    out: mpsc::Sender<Parsed>,
) {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(reader);
    let fields: Vec<String> = FIELDS.iter().map(|f| (*f).to_owned()).chain(definitions.iter().map(|d| format!("cf.{}", d.key))).collect();
    let columns =
        match csv.headers().map_err(|e| ApiError::BadRequest(format!("the CSV header could not be read: {e}"))).and_then(|headers| {
            let map = ColumnMap::new(headers, &mapping, &fields)?;
            if !map.fills("name") {
                return Err(ApiError::validation("mapping", "required", "no column maps to `name`"));
            }
            Ok(map)
        }) {
            Ok(columns) => columns,
            Err(err) => {
                let _ = out.blocking_send(Parsed::Failed(err));
                return;
            }
        };
    let _ = out.blocking_send(Parsed::Columns(columns.ignored.clone()));
    let (mut rows, mut errors) = (Vec::with_capacity(BATCH_ROWS), Vec::new());
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                match parse_row(&columns.values(&record), line, default_source, &definitions) {
                    Ok(row) => rows.push(row),
                    Err(row_errors) => errors.extend(row_errors),
                }
            }
            Err(e) => {
                errors.push(RowError { line: e.position().map_or(line, |p| p.line()), field: "row".to_owned(), message: e.to_string() })
            }
        }
        if rows.len() + errors.len() >= BATCH_ROWS {
            let batch = Parsed::Batch(std::mem::take(&mut rows), std::mem::take(&mut errors));
            if out.blocking_send(batch).is_err() {
                return;
            }
        }
    }
    let _ = out.blocking_send(Parsed::Batch(rows, errors));
}

/// Import leads from CSV (`Content-Type: text/csv`, UTF-8, a header row). Rows are parsed as the
/// upload arrives and written a thousand per transaction; a row whose email or phone matches a
/// lead attaches to it. Every row lands whole or is listed with its line and the reason.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(ImportQuery),
    request_body(content = String, content_type = "text/csv", description = "UTF-8 CSV with a header row"),
    responses((status = 200, description = "The import report", body = ImportReport), WriteErrors))]
#[post("/leads/import")]
pub async fn import_leads(
    state: web::Data<AppState>,
    auth: AuthUser,
    query: web::Query<ImportQuery>,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    let mapping = csv_io::parse_mapping(query.mapping.as_deref())?;
    let default_source = match query.source.as_deref() {
        None => LeadSource::Other,
        Some(raw) => LeadSource::parse(raw).map_err(|e| ApiError::BadRequest(format!("source {e}")))?,
    };
    let definitions = state.store.lead_field_definitions(auth.workspace_id).await?;
    let (chunk_tx, chunk_rx) = mpsc::channel(16);
    let (parsed_tx, mut parsed_rx) = mpsc::channel(2);
    let parser = tokio::task::spawn_blocking({
        let definitions = definitions.clone();
        move || parse_upload(ChannelReader::new(chunk_rx), mapping, default_source, definitions, parsed_tx)
    });
    let write = async {
        let mut report = ImportReport {
            rows: 0,
            created: 0,
            attached: 0,
            failed: 0,
            errors: Vec::new(),
            errors_truncated: false,
            ignored_columns: Vec::new(),
        };
        let mut failed_lines = std::collections::BTreeSet::new();
        while let Some(parsed) = parsed_rx.recv().await {
            let (rows, mut errors) = match parsed {
                Parsed::Failed(err) => return Err(err),
                Parsed::Columns(ignored) => {
                    report.ignored_columns = ignored;
                    continue;
                }
                Parsed::Batch(rows, errors) => (rows, errors),
            };
            let result = state.store.import_lead_batch(auth.workspace_id, auth.user_id, &definitions, rows).await?;
            errors.extend(result.errors);
            for (_, outcome) in result.outcomes {
                report.rows += 1;
                match outcome {
                    RowOutcome::Created(_) => report.created += 1,
                    RowOutcome::Attached(_) => report.attached += 1,
                }
            }
            for error in errors {
                if failed_lines.insert(error.line) {
                    report.rows += 1;
                    report.failed += 1;
                }
                if report.errors.len() < MAX_REPORTED_ERRORS {
                    report.errors.push(ImportRowError { line: error.line, field: error.field, message: error.message });
                } else {
                    report.errors_truncated = true;
                }
            }
        }
        report.errors.sort_by_key(|e| e.line);
        Ok(report)
    };
    let (fed, report) = tokio::join!(csv_io::feed(payload, chunk_tx), write);
    fed?;
    let report = report?;
    parser.await.map_err(|e| ApiError::Internal(anyhow::anyhow!("the CSV parser failed: {e}")))?;
    Ok(HttpResponse::Ok().json(report))
}

/// The export's header: the importable fields, then the rest, then custom fields.
fn export_header(definitions: &[FieldDefinition]) -> Vec<String> {
    let mut header: Vec<String> =
        ["id", "name", "email", "phone", "company", "job_title", "source", "campaign", "medium", "tags", "notes", "status"]
            .iter()
            .map(|s| (*s).to_owned())
            .collect();
    header.extend(["disqualify_reason", "score", "owner_id", "created_at"].iter().map(|s| (*s).to_owned()));
    header.extend(definitions.iter().map(|d| format!("cf.{}", d.key)));
    header
}

fn export_line(lead: &LeadRecord, definitions: &[FieldDefinition]) -> web::Bytes {
    let f = &lead.fields;
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let reason = match &lead.status {
        kariz_domain::LeadStatus::Disqualified { reason, .. } => reason.as_str().to_owned(),
        _ => String::new(),
    };
    let mut line = vec![
        lead.id.to_string(),
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
        lead.status.as_str().to_owned(),
        reason,
        lead.score.to_string(),
        f.owner_id.map(|o| o.to_string()).unwrap_or_default(),
        lead.created_at.to_rfc3339(),
    ];
    for definition in definitions {
        line.push(match f.custom_fields.get(&definition.key) {
            None | Some(Value::Null) => String::new(),
            Some(Value::String(s)) => s.clone(),
            Some(other) => other.to_string(),
        });
    }
    csv_io::line(line)
}

/// Export the leads a list query selects (same filters and sort as `GET /leads`) as CSV, UTF-8
/// with a byte-order mark so spreadsheet programs show Persian text correctly. The header names
/// are the ones the import accepts.
#[utoipa::path(tag = "leads", security(("bearer" = [])), params(LeadListQuery),
    responses((status = 200, description = "The leads as CSV", content_type = "text/csv", body = String), ReadErrors))]
#[get("/leads/export")]
pub async fn export_leads(state: web::Data<AppState>, auth: AuthUser, query: web::Query<LeadListQuery>) -> Result<HttpResponse, ApiError> {
    let (filter, sort) = query.parse()?;
    let definitions = state.store.lead_field_definitions(auth.workspace_id).await?;
    let store = state.store.clone();
    let mut head = UTF8_BOM.to_vec();
    head.extend_from_slice(&csv_io::line(export_header(&definitions)));
    let first: Result<web::Bytes, ApiError> = Ok(web::Bytes::from(head));
    let pages =
        stream::unfold(Some(ExportCursor { store, workspace_id: auth.workspace_id, filter, sort, cursor: None, definitions }), next_page);
    let body = stream::iter([first]).chain(pages);
    Ok(HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((header::CONTENT_DISPOSITION, "attachment; filename=\"leads.csv\""))
        .streaming(body))
}

struct ExportCursor {
    store: Store,
    workspace_id: WorkspaceId,
    filter: LeadFilter,
    sort: LeadSort,
    cursor: Option<String>,
    definitions: Vec<FieldDefinition>,
}

async fn next_page(state: Option<ExportCursor>) -> Option<(Result<web::Bytes, ApiError>, Option<ExportCursor>)> {
    let mut state = state?;
    let page = match state.store.leads(state.workspace_id, &state.filter, state.sort, Some(200), state.cursor.as_deref()).await {
        Ok(page) => page,
        Err(err) => return Some((Err(err.into()), None)),
    };
    let mut chunk = Vec::with_capacity(page.items.len() * 160);
    for lead in &page.items {
        chunk.extend_from_slice(&export_line(lead, &state.definitions));
    }
    let done = page.next_cursor.is_none();
    state.cursor = page.next_cursor;
    Some((Ok(web::Bytes::from(chunk)), if done { None } else { Some(state) }))
}
