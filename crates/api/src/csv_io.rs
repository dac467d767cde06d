//! CSV in and out, streaming: uploads are parsed on a blocking thread as their bytes arrive, and
//! exports are written a page at a time. Shared by every list that imports or exports CSV.

use std::collections::HashMap;
use std::future::Future;
use std::io::Read;

use actix_web::HttpRequest;
use actix_web::http::header;
use actix_web::web::{self, Bytes};
use futures_util::StreamExt;
use kariz_domain::custom_fields::{FieldDefinition, FieldKind};
use kariz_persistence::import::{BatchResult, RowError, RowOutcome};
use serde::Serialize;
use serde_json::{Map, Value};
use tokio::sync::mpsc;
use utoipa::ToSchema;

use crate::csv_calendar::CsvCalendar;
use crate::error::{ApiError, FieldCode, FieldErrors};
use crate::state::AppState;

/// Rows per transaction.
const BATCH_ROWS: usize = 1000;
/// A report lists at most this many row errors (the counts are always complete).
const MAX_REPORTED_ERRORS: usize = 10_000;

pub use crate::state::DEFAULT_MAX_UPLOAD_BYTES;
/// A field longer than this stops an import: no field of any record comes near it (the longest,
/// notes, is 10,000 characters), and refusing it as it is read keeps a single huge field from
/// being buffered whole.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// A row longer than this stops an import, for the same reason.
pub const MAX_ROW_BYTES: usize = 1024 * 1024;
/// A batch is written once its rows hold this many bytes, even before [`BATCH_ROWS`] rows, so
/// that the batches in flight (being parsed, queued and written) stay small.
const BATCH_BYTES: usize = 4 * 1024 * 1024;

/// A field or row beyond its bound, found while reading: where it is.
#[derive(Debug, thiserror::Error)]
#[error("line {line}: {what} is longer than the {limit} bytes allowed")]
pub struct TooLong {
    /// The line the row starts on (the header is line 1).
    pub line: u64,
    /// The field's position in its row.
    pub column: usize,
    pub what: &'static str,
    pub limit: usize,
}

/// Reads an upload and follows its CSV structure with a second, output-less parser, failing as
/// soon as a field or a row grows beyond its bound. The CSV reader above buffers a whole row
/// before it hands it over, so without this one enormous field would be held in memory whole.
pub struct BoundedRows<R> {
    inner: R,
    shadow: csv_core::Reader,
    scratch: Box<[u8]>,
    field_bytes: usize,
    row_bytes: usize,
    column: usize,
    row_line: u64,
}

impl<R: Read> BoundedRows<R> {
    pub fn new(inner: R) -> BoundedRows<R> {
        BoundedRows {
            inner,
            shadow: csv_core::Reader::new(),
            scratch: vec![0; 8 * 1024].into_boxed_slice(),
            field_bytes: 0,
            row_bytes: 0,
            column: 0,
            row_line: 1,
        }
    }

    fn inspect(&mut self, mut input: &[u8]) -> Result<(), TooLong> {
        while !input.is_empty() {
            let (result, read, written) = self.shadow.read_field(input, &mut self.scratch);
            input = &input[read..];
            self.field_bytes += written;
            self.row_bytes += written;
            let too_long = |what, limit| TooLong { line: self.row_line, column: self.column, what, limit };
            if self.field_bytes > MAX_FIELD_BYTES {
                return Err(too_long("a field", MAX_FIELD_BYTES));
            }
            if self.row_bytes > MAX_ROW_BYTES {
                return Err(too_long("a row", MAX_ROW_BYTES));
            }
            match result {
                csv_core::ReadFieldResult::Field { record_end } => {
                    self.field_bytes = 0;
                    self.column += 1;
                    if record_end {
                        self.row_bytes = 0;
                        self.column = 0;
                        self.row_line = self.shadow.line();
                    }
                }
                csv_core::ReadFieldResult::InputEmpty | csv_core::ReadFieldResult::OutputFull | csv_core::ReadFieldResult::End => {}
            }
        }
        Ok(())
    }
}

impl<R: Read> Read for BoundedRows<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.inspect(&buf[..n]).map_err(|too_long| std::io::Error::new(std::io::ErrorKind::InvalidData, too_long))?;
        Ok(n)
    }
}

/// Spreadsheet programs read a CSV as UTF-8 only when it starts with a byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A piece of an upload, or the news that it was cut off (too large, too slow, broken), so that
/// the parser never mistakes a cut for the end of the file.
pub type Chunk = Result<Bytes, std::io::Error>;

/// A blocking reader over the chunks of an upload as they arrive.
pub struct ChannelReader {
    chunks: mpsc::Receiver<Chunk>,
    current: Bytes,
}

impl ChannelReader {
    pub fn new(chunks: mpsc::Receiver<Chunk>) -> Self {
        ChannelReader { chunks, current: Bytes::new() }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk?,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Forwards the request body to `chunks` until it ends, the reader hangs up, or it grows beyond
/// `max_bytes` (or arrives too slowly, see `body_deadline.rs`); then the reader is told it was cut.
pub async fn feed(mut payload: web::Payload, chunks: mpsc::Sender<Chunk>, max_bytes: usize) -> Result<(), ApiError> {
    let mut total = 0usize;
    while let Some(chunk) = payload.next().await {
        let cut = match chunk {
            Err(err) => Some(crate::body_deadline::body_error(&err, max_bytes)),
            Ok(chunk) => {
                total += chunk.len();
                if total > max_bytes {
                    Some(ApiError::PayloadTooLarge { limit: max_bytes })
                } else if chunks.send(Ok(chunk)).await.is_err() {
                    break;
                } else {
                    None
                }
            }
        };
        if let Some(err) = cut {
            let _ = chunks.send(Err(std::io::Error::other("the upload was cut off"))).await;
            return Err(err);
        }
    }
    Ok(())
}

/// Which target field each CSV column fills. A column maps through the explicit mapping
/// (header → field), else to the field named like its header, ignoring case, spaces, dashes and
/// underscores (`E-mail` → `email`, `Job title` → `job_title`).
#[derive(Debug)]
pub struct ColumnMap {
    /// Per column: the target field, if any.
    targets: Vec<Option<String>>,
    pub ignored: Vec<String>,
}

/// The form headers and field names are compared in: `E-mail Address` → `emailaddress`.
fn fold(raw: &str) -> String {
    raw.trim().trim_start_matches('\u{feff}').to_lowercase().chars().filter(|c| c.is_alphanumeric() || *c == '.').collect()
}

impl ColumnMap {
    /// `fields` are the names a column may fill.
    pub fn new(headers: &csv::StringRecord, mapping: &HashMap<String, String>, fields: &[String]) -> Result<ColumnMap, ApiError> {
        for field in mapping.values() {
            if !fields.contains(field) {
                return Err(ApiError::validation("mapping", FieldCode::Invalid, format!("`{field}` is not a field you can import")));
            }
        }
        let explicit: HashMap<String, &String> = mapping.iter().map(|(header, field)| (fold(header), field)).collect();
        let mut targets = Vec::with_capacity(headers.len());
        let mut ignored = Vec::new();
        for header in headers {
            let key = fold(header);
            let target = explicit.get(&key).map(|f| (*f).clone()).or_else(|| fields.iter().find(|f| fold(f) == key).cloned());
            if target.is_none() {
                ignored.push(header.trim_start_matches('\u{feff}').to_owned());
            }
            targets.push(target);
        }
        Ok(ColumnMap { targets, ignored })
    }

    /// Whether some column fills `field`.
    pub fn fills(&self, field: &str) -> bool {
        self.targets.iter().any(|t| t.as_deref() == Some(field))
    }

    /// The non-blank values of a record by target field, an export's formula marker removed.
    pub fn values<'r>(&self, record: &'r csv::StringRecord) -> HashMap<&str, &'r str> {
        self.targets
            .iter()
            .zip(record.iter())
            .filter_map(|(target, value)| Some((target.as_deref()?, imported_cell(value.trim()).trim())))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }
}

/// What makes a spreadsheet program read a cell as a formula (OWASP, "CSV Injection"): `=`, `+`,
/// `-`, `@`, a tab or a carriage return at its start.
const FORMULA_STARTS: [u8; 6] = [b'=', b'+', b'-', b'@', b'\t', b'\r'];

/// Whether a cell, after any leading apostrophes, begins like a formula. Counting the apostrophes
/// makes the export's marker reversible: a value that itself begins with `'=` is exported as `''=`.
fn reads_as_formula(cell: &[u8]) -> bool {
    let rest = &cell[cell.iter().take_while(|b| **b == b'\'').count()..];
    rest.first().is_some_and(|first| FORMULA_STARTS.contains(first))
}

/// A cell as exported: one a spreadsheet would evaluate gets a leading apostrophe, which makes it
/// text there (`=HYPERLINK(…)` → `'=HYPERLINK(…)`, `+98912…` → `'+98912…`). What is stored does
/// not change; the import removes the apostrophe again (see [`imported_cell`]).
fn exported_cell(cell: &[u8]) -> std::borrow::Cow<'_, [u8]> {
    if reads_as_formula(cell) {
        let mut marked = Vec::with_capacity(cell.len() + 1);
        marked.push(b'\'');
        marked.extend_from_slice(cell);
        std::borrow::Cow::Owned(marked)
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// A cell as imported: the apostrophe an export put before a formula-like value is removed, so
/// that an exported file imports back to the same values.
fn imported_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if reads_as_formula(cell.as_bytes()) => rest,
        _ => cell,
    }
}

/// One CSV line for a spreadsheet: formula-like cells neutralised (see [`exported_cell`]), quoted
/// where needed, ending in CRLF (RFC 4180). Every export writes its lines, header included, here.
pub fn line<I, S>(fields: I) -> Bytes
where
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::with_capacity(256));
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(fields.into_iter().map(|field| exported_cell(field.as_ref()).into_owned()));
    Bytes::from(writer.into_inner().unwrap_or_default())
}

/// Parses the query's `mapping` (a JSON object of CSV header → field), if any.
pub fn parse_mapping(raw: Option<&str>) -> Result<HashMap<String, String>, ApiError> {
    match raw {
        None => Ok(HashMap::new()),
        Some(raw) => serde_json::from_str(raw).map_err(|_| {
            ApiError::BadRequest("`mapping` must be a JSON object of CSV header → field, e.g. {\"E-mail\":\"email\"}".to_owned())
        }),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ImportRowError {
    /// The line in the file (the header is line 1).
    pub line: u64,
    pub field: String,
    pub message: String,
}

/// What an import did, row by row.
#[derive(Serialize, ToSchema, Default)]
pub struct ImportReport {
    /// Data rows read.
    pub rows: u64,
    /// Rows that created a record.
    pub created: u64,
    /// Rows whose email or phone matched a record (stored, or earlier in the file) and were merged into it.
    pub attached: u64,
    /// Rows not imported; each is listed in `errors`.
    pub failed: u64,
    pub errors: Vec<ImportRowError>,
    /// True when more errors happened than are listed.
    pub errors_truncated: bool,
    /// Columns that map to no field and were skipped.
    pub ignored_columns: Vec<String>,
}

impl ImportReport {
    fn record(&mut self, result: BatchResult, mut errors: Vec<RowError>, failed_lines: &mut std::collections::BTreeSet<u64>) {
        errors.extend(result.errors);
        for (_, outcome) in result.outcomes {
            self.rows += 1;
            match outcome {
                RowOutcome::Created(_) => self.created += 1,
                RowOutcome::Attached(_) => self.attached += 1,
            }
        }
        for error in errors {
            if failed_lines.insert(error.line) {
                self.rows += 1;
                self.failed += 1;
            }
            if self.errors.len() < MAX_REPORTED_ERRORS {
                self.errors.push(ImportRowError { line: error.line, field: error.field, message: error.message });
            } else {
                self.errors_truncated = true;
            }
        }
    }
}

/// Turns one row's values (by field) on a line into a record, or that line's errors.
pub type ParseRow<R> = Box<dyn Fn(&HashMap<&str, &str>, u64) -> Result<R, Vec<RowError>> + Send>;

/// What an import reads: the fields a column can fill (one of which every file must fill) and
/// how a row of values becomes a record or its errors.
pub struct RowParser<R> {
    pub fields: Vec<String>,
    pub required: &'static str,
    pub parse: ParseRow<R>,
}

enum Parsed<R> {
    Columns(Vec<String>),
    Batch(Vec<R>, Vec<RowError>),
    Failed(ApiError),
}

/// Imports a CSV upload: the body is parsed on a blocking thread as it arrives, and every batch
/// of parsed rows is handed to `write` (one transaction each) while the next is parsed.
pub async fn import<R, W, F>(
    req: &HttpRequest,
    payload: web::Payload,
    mapping: HashMap<String, String>,
    parser: RowParser<R>,
    mut write: W,
) -> Result<ImportReport, ApiError>
where
    R: Send + 'static,
    W: FnMut(Vec<R>) -> F,
    F: Future<Output = Result<BatchResult, ApiError>>,
{
    let max_bytes = req.app_data::<web::Data<AppState>>().map_or(DEFAULT_MAX_UPLOAD_BYTES, |state| state.settings.max_upload_bytes);
    // A body announced beyond the limit is refused before a byte of it is read.
    let announced = req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    if announced.is_some_and(|length| length > max_bytes as u64) {
        return Err(ApiError::PayloadTooLarge { limit: max_bytes });
    }
    let (chunk_tx, chunk_rx) = mpsc::channel(16);
    let (parsed_tx, mut parsed_rx) = mpsc::channel(2);
    let parse = tokio::task::spawn_blocking(move || parse_upload(ChannelReader::new(chunk_rx), mapping, parser, parsed_tx));
    let write_all = async {
        let mut report = ImportReport::default();
        let mut failed_lines = std::collections::BTreeSet::new();
        while let Some(parsed) = parsed_rx.recv().await {
            match parsed {
                Parsed::Failed(err) => return Err(err),
                Parsed::Columns(ignored) => report.ignored_columns = ignored,
                Parsed::Batch(rows, errors) => {
                    let result = if rows.is_empty() { BatchResult::default() } else { write(rows).await? };
                    report.record(result, errors, &mut failed_lines);
                }
            }
        }
        report.errors.sort_by_key(|e| e.line);
        Ok(report)
    };
    let (fed, report) = tokio::join!(feed(payload, chunk_tx, max_bytes), write_all);
    fed?;
    let report = report?;
    parse.await.map_err(|e| ApiError::Internal(anyhow::anyhow!("the CSV parser failed: {e}")))?;
    Ok(report)
}

/// The error that stops an import at a field or row beyond its bound, naming its column.
fn too_long_error(too_long: &TooLong, headers: Option<&csv::StringRecord>) -> ApiError {
    let column = headers.and_then(|h| h.get(too_long.column)).map(|h| h.trim_start_matches('\u{feff}').to_owned());
    let field = column.unwrap_or_else(|| format!("column {}", too_long.column + 1));
    ApiError::validation(
        field,
        FieldCode::TooLong,
        format!("{too_long}; the import stopped there (the rows before it were imported, none after)"),
    )
}

/// What stops an import while it is read: a field or row beyond its bound, or a cut upload.
fn read_error(err: &csv::Error, headers: Option<&csv::StringRecord>) -> Option<ApiError> {
    let csv::ErrorKind::Io(io) = err.kind() else { return None };
    Some(match io.get_ref().and_then(|inner| inner.downcast_ref::<TooLong>()) {
        Some(too_long) => too_long_error(too_long, headers),
        // The feeder says why the upload was cut; this only ends the parse.
        None => ApiError::MalformedBody("the upload was cut off".to_owned()),
    })
}

/// Turns each CRLF into LF before the parser sees it. The parser counts lines at `\n` and dates a
/// row from before that byte, so with CRLF endings (spreadsheets', and Kariz's own exports) every
/// row would be reported one line too early.
struct LfLines<R> {
    inner: R,
    /// A `\r` that ended the last chunk read: whether to keep it depends on the next byte.
    held_cr: bool,
    out: Vec<u8>,
    taken: usize,
}

impl<R> LfLines<R> {
    fn new(inner: R) -> Self {
        LfLines { inner, held_cr: false, out: Vec::with_capacity(8 * 1024), taken: 0 }
    }
}

impl<R: Read> Read for LfLines<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.taken == self.out.len() {
            let mut chunk = [0u8; 8 * 1024];
            let n = self.inner.read(&mut chunk)?;
            self.out.clear();
            self.taken = 0;
            if n == 0 {
                if std::mem::take(&mut self.held_cr) {
                    self.out.push(b'\r');
                    break;
                }
                return Ok(0);
            }
            for &byte in &chunk[..n] {
                if std::mem::take(&mut self.held_cr) && byte != b'\n' {
                    self.out.push(b'\r');
                }
                if byte == b'\r' {
                    self.held_cr = true;
                } else {
                    self.out.push(byte);
                }
            }
        }
        let n = buf.len().min(self.out.len() - self.taken);
        buf[..n].copy_from_slice(&self.out[self.taken..self.taken + n]);
        self.taken += n;
        Ok(n)
    }
}

/// Follows the quoting of the bytes the CSV parser reads, as the parser does (RFC 4180, with
/// its leniency for quotes inside unquoted fields), to tell whether the file ends inside a quoted
/// field: the parser accepts that silently, reading the rest of the file into that one field.
struct QuoteWatch<R> {
    inner: R,
    state: Quoting,
    /// The current line (1-based, as the parser counts), and the line where the open quote began.
    line: u64,
    opened_on: u64,
    /// Bytes read so far, and whether they are all there is.
    read: u64,
    at_end: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Quoting {
    FieldStart,
    Unquoted,
    Quoted,
    /// A quote inside a quoted field: it closes the field, unless another quote follows.
    QuoteInQuoted,
}

impl<R> QuoteWatch<R> {
    fn new(inner: R) -> Self {
        QuoteWatch { inner, state: Quoting::FieldStart, line: 1, opened_on: 0, read: 0, at_end: false }
    }

    /// The line of the quote still open at the end of what was read.
    fn open_quote(&self) -> Option<u64> {
        (self.state == Quoting::Quoted).then_some(self.opened_on)
    }

    /// The line of the quote left open at the end of the file, when the parser has consumed the
    /// whole file (`parsed` bytes): the record just read is then the one that swallowed the rest.
    fn unclosed_at_end(&self, parsed: u64) -> Option<u64> {
        self.open_quote().filter(|_| self.at_end && parsed == self.read)
    }

    fn follow(&mut self, byte: u8) {
        let ends_field = matches!(byte, b',' | b'\n' | b'\r');
        self.state = match (self.state, byte) {
            (Quoting::Quoted, b'"') => Quoting::QuoteInQuoted,
            (Quoting::Quoted, _) => Quoting::Quoted,
            (Quoting::QuoteInQuoted, b'"') => Quoting::Quoted,
            (Quoting::FieldStart, b'"') => {
                self.opened_on = self.line;
                Quoting::Quoted
            }
            (_, _) if ends_field => Quoting::FieldStart,
            (_, _) => Quoting::Unquoted,
        };
        if byte == b'\n' {
            self.line += 1;
        }
    }
}

impl<R: Read> Read for QuoteWatch<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        for byte in &buf[..n] {
            self.follow(*byte);
        }
        self.read += n as u64;
        self.at_end |= n == 0 && !buf.is_empty();
        Ok(n)
    }
}

fn parse_upload<R>(reader: ChannelReader, mapping: HashMap<String, String>, parser: RowParser<R>, out: mpsc::Sender<Parsed<R>>) {
    let mut csv = csv::ReaderBuilder::new().flexible(true).from_reader(QuoteWatch::new(BoundedRows::new(LfLines::new(reader))));
    let columns = match csv.headers() {
        Err(err) => Err(read_error(&err, None).unwrap_or_else(|| ApiError::BadRequest(format!("the CSV header could not be read: {err}")))),
        Ok(headers) => ColumnMap::new(headers, &mapping, &parser.fields).and_then(|map| {
            if !map.fills(parser.required) {
                return Err(ApiError::validation("mapping", FieldCode::Required, format!("no column maps to `{}`", parser.required)));
            }
            Ok((map, headers.clone()))
        }),
    };
    let (columns, headers) = match columns {
        Ok(columns) => columns,
        Err(err) => {
            let _ = out.blocking_send(Parsed::Failed(err));
            return;
        }
    };
    let _ = out.blocking_send(Parsed::Columns(columns.ignored.clone()));
    let (mut rows, mut errors, mut batch_bytes) = (Vec::with_capacity(BATCH_ROWS), Vec::new(), 0usize);
    let mut record = csv::StringRecord::new();
    loop {
        let line = csv.position().line();
        match csv.read_record(&mut record) {
            Ok(false) => break,
            // The last record, if the file ended inside its quoted field: that field holds every
            // line after the quote, which are not rows any more. Report it rather than import it.
            Ok(true) if csv.get_ref().unclosed_at_end(csv.position().byte()).is_some() => {
                let line = record.position().map_or(line, |p| p.line());
                let opened_on = csv.get_ref().unclosed_at_end(csv.position().byte()).unwrap_or(line);
                let message = format!(
                    "a quote opened on line {opened_on} is never closed, so every line from there to the end of the file was read as \
                     one field and nothing from line {line} on was imported; close the quote and import those lines again"
                );
                errors.push(RowError { line, field: "row".to_owned(), message });
            }
            Ok(true) if record.iter().any(|field| field.contains('\0')) => {
                let line = record.position().map_or(line, |p| p.line());
                errors.push(RowError { line, field: "row".to_owned(), message: "must not contain the NUL character".to_owned() });
            }
            Ok(true) => {
                let line = record.position().map_or(line, |p| p.line());
                batch_bytes += record.as_slice().len();
                match (parser.parse)(&columns.values(&record), line) {
                    Ok(row) => rows.push(row),
                    Err(row_errors) => errors.extend(row_errors),
                }
            }
            Err(e) => {
                if let Some(stop) = read_error(&e, Some(&headers)) {
                    // What was read before the stop is written; nothing after it.
                    let _ = out.blocking_send(Parsed::Batch(rows, errors));
                    let _ = out.blocking_send(Parsed::Failed(stop));
                    return;
                }
                errors.push(RowError { line: e.position().map_or(line, |p| p.line()), field: "row".to_owned(), message: e.to_string() })
            }
        }
        if rows.len() + errors.len() >= BATCH_ROWS || batch_bytes >= BATCH_BYTES {
            let batch = Parsed::Batch(std::mem::take(&mut rows), std::mem::take(&mut errors));
            batch_bytes = 0;
            if out.blocking_send(batch).is_err() {
                return;
            }
        }
    }
    let _ = out.blocking_send(Parsed::Batch(rows, errors));
}

/// The importable names of custom fields: `cf.<key>`.
pub fn custom_field_columns(definitions: &[FieldDefinition]) -> impl Iterator<Item = String> + '_ {
    definitions.iter().map(|d| format!("cf.{}", d.key))
}

/// A cell typed by its field's kind (numbers and booleans are not text in JSON; dates are read on
/// the file's calendar and stored as ISO days).
fn typed_value(definition: &FieldDefinition, raw: &str, calendar: &CsvCalendar) -> Result<Value, String> {
    match definition.kind {
        FieldKind::Date => calendar.parse_date(raw).map(|day| Value::String(day.format("%Y-%m-%d").to_string())),
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

/// The `cf.<key>` cells of a row as custom-field values; problems go to `errors`.
pub fn custom_values(
    values: &HashMap<&str, &str>,
    definitions: &[FieldDefinition],
    line: u64,
    errors: &mut Vec<RowError>,
    calendar: &CsvCalendar,
) -> Map<String, Value> {
    let mut custom_fields = Map::new();
    for (field, raw) in values.iter().filter(|(f, _)| f.starts_with("cf.")) {
        let key = &field[3..];
        let problem = match definitions.iter().find(|d| d.key == key) {
            Some(definition) => match typed_value(definition, raw, calendar) {
                Ok(value) => {
                    custom_fields.insert(key.to_owned(), value);
                    continue;
                }
                Err(message) => message,
            },
            None => "no custom field with this key is defined".to_owned(),
        };
        errors.push(RowError { line, field: (*field).to_owned(), message: problem });
    }
    custom_fields
}

/// A custom-field value as a cell: a date on the file's calendar, text as it is, anything else as JSON.
pub fn custom_cell(definition: &FieldDefinition, value: Option<&Value>, calendar: &CsvCalendar) -> String {
    match value {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) if definition.kind == FieldKind::Date => {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").map_or_else(|_| s.clone(), |day| calendar.date(day))
        }
        Some(Value::String(s)) => s.clone(),
        Some(other) => other.to_string(),
    }
}

/// A tags cell: tags separated by commas, semicolons or bars (Latin or Persian).
pub fn tags_cell(values: &HashMap<&str, &str>) -> Option<Vec<String>> {
    values.get("tags").map(|t| t.split([',', ';', '|', '،', '؛']).map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()).collect())
}

/// Moves the field errors of a row's parse into the row's error list.
pub fn row_errors(field_errors: FieldErrors, line: u64, errors: &mut Vec<RowError>) {
    if let ApiError::Validation(problems) = field_errors.into_error() {
        errors.extend(problems.into_iter().map(|p| RowError { line, field: p.field, message: p.message }));
    }
}

/// A CSV download streamed a page at a time: a byte-order mark and the header, then the lines
/// of each page as `fetch` reads it (given the cursor of the page, it answers the page's lines
/// and the next cursor).
pub fn export<F, Fut>(filename: &str, header: Vec<String>, fetch: F) -> actix_web::HttpResponse
where
    F: FnMut(Option<String>) -> Fut + 'static,
    Fut: Future<Output = Result<(Vec<u8>, Option<String>), ApiError>> + 'static,
{
    let mut head = UTF8_BOM.to_vec();
    head.extend_from_slice(&line(header));
    let first: Result<Bytes, ApiError> = Ok(Bytes::from(head));
    // The state is the fetcher and the next page's cursor, or `None` once the last page is sent.
    let pages = futures_util::stream::unfold(Some((fetch, None::<String>)), |state| async move {
        let (mut fetch, cursor) = state?;
        match fetch(cursor).await {
            Ok((chunk, next)) => {
                let state = next.map(|next| (fetch, Some(next)));
                Some((Ok(Bytes::from(chunk)), state))
            }
            Err(err) => Some((Err(err), None)),
        }
    });
    actix_web::HttpResponse::Ok()
        .insert_header((actix_web::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"))
        .insert_header((actix_web::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")))
        .streaming(futures_util::stream::iter([first]).chain(pages))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields() -> Vec<String> {
        ["name", "email", "phone", "job_title", "cf.fleet_size"].iter().map(|f| (*f).to_owned()).collect()
    }

    #[test]
    fn columns_map_explicitly_or_by_name() {
        let headers = csv::StringRecord::from(vec!["\u{feff}Full Name", "E-mail", "Phone", "Job title", "Shoe size", "cf.fleet_size"]);
        let mapping = HashMap::from([("full name".to_owned(), "name".to_owned())]);
        let map = ColumnMap::new(&headers, &mapping, &fields()).unwrap();
        assert_eq!(map.ignored, ["Shoe size"]);
        let record = csv::StringRecord::from(vec![" Sara ", "s@x.example", "", "CEO", "42", "12"]);
        let values = map.values(&record);
        assert_eq!(values.get("name"), Some(&"Sara"));
        assert_eq!(values.get("email"), Some(&"s@x.example"));
        assert_eq!(values.get("phone"), None);
        assert_eq!(values.get("job_title"), Some(&"CEO"));
        assert_eq!(values.get("cf.fleet_size"), Some(&"12"));
    }

    #[test]
    fn a_mapping_to_an_unknown_field_is_refused() {
        let headers = csv::StringRecord::from(vec!["x"]);
        let mapping = HashMap::from([("x".to_owned(), "salary".to_owned())]);
        assert!(ColumnMap::new(&headers, &mapping, &fields()).is_err());
    }

    #[test]
    fn crlf_rows_are_dated_on_their_own_lines() {
        let text = "name,email\r\nA,a@x\r\n\"two\r\nlines\",b@x\r\nC,c@x\rD,d@x\r";
        /// Hands out at most `step` bytes a read, so a CR also arrives at the end of a read.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        for step in [1, 2, 3, 8 * 1024] {
            let mut csv = csv::Reader::from_reader(LfLines::new(Trickle(text.as_bytes(), step)));
            let rows: Vec<(u64, String)> =
                csv.records().map(|r| r.unwrap()).map(|r| (r.position().unwrap().line(), r[0].to_owned())).collect();
            assert_eq!(rows, [(2, "A".to_owned()), (3, "two\nlines".to_owned()), (5, "C".to_owned()), (5, "D".to_owned())]);
        }
    }

    #[test]
    fn lines_are_quoted_where_needed() {
        assert_eq!(&line(["a", "b,c", "d\"e"])[..], b"a,\"b,c\",\"d\"\"e\"\r\n");
    }

    #[test]
    fn fields_and_rows_beyond_their_bounds_stop_the_read_where_they_are() {
        let read = |text: String| {
            let mut out = Vec::new();
            BoundedRows::new(std::io::Cursor::new(text.into_bytes())).read_to_end(&mut out).map(|_| out.len())
        };
        let big = "x".repeat(MAX_FIELD_BYTES + 1);
        let err = read(format!("a,b\n1,2\n\"3\n\",{big}\n")).unwrap_err();
        let too_long = err.get_ref().and_then(|e| e.downcast_ref::<TooLong>()).expect("a TooLong");
        assert_eq!((too_long.line, too_long.column, too_long.what), (3, 1, "a field"));
        let fitting = "y".repeat(MAX_FIELD_BYTES / 2);
        let wide = std::iter::repeat_n(fitting.as_str(), 2 * MAX_ROW_BYTES / MAX_FIELD_BYTES + 2).collect::<Vec<_>>().join(",");
        let err = read(format!("a\n{wide}\n")).unwrap_err();
        assert_eq!(err.get_ref().and_then(|e| e.downcast_ref::<TooLong>()).map(|t| (t.line, t.what)), Some((2, "a row")));
        assert!(read(format!("a,b\n{fitting},{fitting}\n")).is_ok());
    }

    #[test]
    fn formulas_are_neutralised_on_export_and_restored_on_import() {
        let cells = ["=1+1", "+98912", "-5", "@SUM(A1)", "\tx", "\rx", "'=already", "''@twice", "plain", "it's", "'quoted", "", "a=b"];
        let exported = line(cells);
        let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(&exported[..]);
        let record = reader.records().next().unwrap().unwrap();
        let written: Vec<&str> = record.iter().collect();
        assert_eq!(
            written,
            ["'=1+1", "'+98912", "'-5", "'@SUM(A1)", "'\tx", "'\rx", "''=already", "'''@twice", "plain", "it's", "'quoted", "", "a=b"]
        );
        let restored: Vec<&str> = written.iter().map(|cell| imported_cell(cell)).collect();
        assert_eq!(restored, cells, "the round trip is lossless");
    }

    #[test]
    fn a_quote_left_open_at_the_end_is_seen_with_its_line() {
        let watch = |text: &str| {
            let mut watch = QuoteWatch::new(text.as_bytes());
            std::io::copy(&mut watch, &mut std::io::sink()).unwrap();
            watch.open_quote()
        };
        assert_eq!(watch("name\nSara\n\"Ali,x\nReza\n"), Some(3));
        assert_eq!(watch("name,notes\n\"Sara\",\"two\nlines \"\"quoted\"\"\"\nAli,x\n"), None, "closed quotes, escaped quotes");
        assert_eq!(watch("name\n5\" screen,x\nAli\n"), None, "a quote inside an unquoted field is text");
        assert_eq!(watch("name\nAli,\"\"\"\n"), Some(2), "an escaped quote does not close the field");
    }

    #[test]
    fn the_reader_reassembles_chunks() {
        let (tx, rx) = mpsc::channel(4);
        let handle = std::thread::spawn(move || {
            let mut text = String::new();
            ChannelReader::new(rx).read_to_string(&mut text).unwrap();
            text
        });
        tx.blocking_send(Ok(Bytes::from_static(b"name,em"))).unwrap();
        tx.blocking_send(Ok(Bytes::from_static(b"ail\n"))).unwrap();
        drop(tx);
        assert_eq!(handle.join().unwrap(), "name,email\n");
    }
}
