//! CSV in and out, streaming: uploads are parsed on a blocking thread as their bytes arrive, and
//! exports are written a page at a time. Shared by every list that imports or exports CSV.

use std::collections::HashMap;
use std::io::Read;

use actix_web::web::{self, Bytes};
use futures_util::StreamExt;
use tokio::sync::mpsc;

use crate::error::ApiError;

/// Uploads larger than this are refused (about a million typical rows).
pub const MAX_UPLOAD_BYTES: usize = 256 * 1024 * 1024;
/// Spreadsheet programs read a CSV as UTF-8 only when it starts with a byte-order mark.
pub const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// A blocking reader over the chunks of an upload as they arrive.
pub struct ChannelReader {
    chunks: mpsc::Receiver<Bytes>,
    current: Bytes,
}

impl ChannelReader {
    pub fn new(chunks: mpsc::Receiver<Bytes>) -> Self {
        ChannelReader { chunks, current: Bytes::new() }
    }
}

impl Read for ChannelReader {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        while self.current.is_empty() {
            match self.chunks.blocking_recv() {
                Some(chunk) => self.current = chunk,
                None => return Ok(0),
            }
        }
        let n = buf.len().min(self.current.len());
        buf[..n].copy_from_slice(&self.current.split_to(n));
        Ok(n)
    }
}

/// Forwards the request body to `chunks` until it ends, the reader hangs up, or it grows too large.
pub async fn feed(mut payload: web::Payload, chunks: mpsc::Sender<Bytes>) -> Result<(), ApiError> {
    let mut total = 0usize;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::MalformedBody(format!("the upload could not be read: {e}")))?;
        total += chunk.len();
        if total > MAX_UPLOAD_BYTES {
            return Err(ApiError::PayloadTooLarge { limit: MAX_UPLOAD_BYTES });
        }
        if chunks.send(chunk).await.is_err() {
            break;
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
                return Err(ApiError::validation("mapping", "invalid", format!("`{field}` is not a field you can import")));
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

    /// The non-blank values of a record by target field.
    pub fn values<'r>(&self, record: &'r csv::StringRecord) -> HashMap<&str, &'r str> {
        self.targets
            .iter()
            .zip(record.iter())
            .filter_map(|(target, value)| Some((target.as_deref()?, value.trim())))
            .filter(|(_, value)| !value.is_empty())
            .collect()
    }
}

/// One CSV line, quoted where needed, ending in CRLF (RFC 4180).
pub fn line<I, S>(fields: I) -> Bytes
where
    I: IntoIterator<Item = S>,
    S: AsRef<[u8]>,
{
    let mut writer = csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(Vec::with_capacity(256));
    // Writing to a Vec cannot fail.
    let _ = writer.write_record(fields);
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
    fn lines_are_quoted_where_needed() {
        assert_eq!(&line(["a", "b,c", "d\"e"])[..], b"a,\"b,c\",\"d\"\"e\"\r\n");
    }

    #[test]
    fn the_reader_reassembles_chunks() {
        let (tx, rx) = mpsc::channel(4);
        let handle = std::thread::spawn(move || {
            let mut text = String::new();
            ChannelReader::new(rx).read_to_string(&mut text).unwrap();
            text
        });
        tx.blocking_send(Bytes::from_static(b"name,em")).unwrap();
        tx.blocking_send(Bytes::from_static(b"ail\n")).unwrap();
        drop(tx);
        assert_eq!(handle.join().unwrap(), "name,email\n");
    }
}
