//! Request extractors: JSON bodies checked by `validator`, `If-Match` versions, and the
//! error handlers that turn actix's own extractor failures into problem+json.

use std::future::Future;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::web::{Bytes, PathConfig, QueryConfig};
use actix_web::{FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, FieldCode, FieldError};

/// Bodies larger than this are refused with 413 before they are parsed.
pub const MAX_BODY_BYTES: usize = 256 * 1024;

/// A JSON body deserialized strictly (unknown fields are refused by each DTO) and validated.
pub struct ValidJson<T>(pub T);

impl<T: DeserializeOwned + Validate + 'static> FromRequest for ValidJson<T> {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let content_type_ok = match req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            None => true,
            Some(value) => {
                let essence = value.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json")
            }
        };
        let body = Bytes::from_request(req, payload);
        Box::pin(async move {
            if !content_type_ok {
                return Err(ApiError::UnsupportedMediaType);
            }
            let bytes = body.await.map_err(|err| crate::body_deadline::extractor_body_error(&err, MAX_BODY_BYTES))?;
            // Every request body is an object: serde would also read a struct from an array of
            // its fields in order, a shape the document does not describe.
            if bytes.iter().find(|b| !b.is_ascii_whitespace()) == Some(&b'[') {
                return Err(ApiError::validation("body", FieldCode::Type, "the body must be a JSON object"));
            }
            let value = parse_json::<T>(&bytes)?;
            value.validate().map_err(|errors| ApiError::Validation(field_errors(&errors)))?;
            Ok(ValidJson(value))
        })
    }
}

/// A raw body of at most [`MAX_BODY_BYTES`], for handlers that parse it themselves; a body that
/// is too large, too slow or broken is a problem like any other.
pub struct RawBody(pub Bytes);

impl FromRequest for RawBody {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let body = Bytes::from_request(req, payload);
        Box::pin(async move { body.await.map(RawBody).map_err(|err| crate::body_deadline::extractor_body_error(&err, MAX_BODY_BYTES)) })
    }
}

/// Parses JSON, telling a syntax error (400) from a body of the wrong shape (422, with the field).
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ApiError::MalformedBody("the request needs a JSON body".to_owned()));
    }
    if has_escaped_nul(bytes) {
        return Err(nul_in_body(bytes));
    }
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|err| {
        let path = dotted(err.path());
        let inner = err.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let message = strip_position(&inner.to_string());
                let (field, code) = field_of(&path, &message);
                ApiError::validation(field, code, message)
            }
            _ => ApiError::MalformedBody(format!("the body is not valid JSON: {inner}")),
        }
    })?;
    deserializer.end().map_err(|err| ApiError::MalformedBody(format!("the body is not valid JSON: {err}")))?;
    Ok(value)
}

/// A serde path in the form validation errors use: `stages.0.name`, not `stages[0].name`;
/// `.` for the body itself.
fn dotted(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let segments: Vec<String> = path
        .iter()
        .map(|segment| match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_owned(),
        })
        .collect();
    if segments.is_empty() { ".".to_owned() } else { segments.join(".") }
}

/// Whether a JSON text holds `\u0000` in a string: no text column can store it (PostgreSQL
/// refuses it outright), so it is refused at the edge. Outside strings valid JSON has no `\`.
fn has_escaped_nul(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'u') && bytes.get(i + 2..i + 6) == Some(b"0000".as_slice()) {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// The 422 naming the first field whose text (or key) holds a NUL character.
fn nul_in_body(bytes: &[u8]) -> ApiError {
    fn find(value: &serde_json::Value, path: &str) -> Option<String> {
        let at = |key: &str| if path.is_empty() { key.to_owned() } else { format!("{path}.{key}") };
        match value {
            serde_json::Value::String(s) if s.contains('\0') => Some(if path.is_empty() { "body".to_owned() } else { path.to_owned() }),
            serde_json::Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| find(item, &at(&i.to_string()))),
            serde_json::Value::Object(fields) => fields
                .iter()
                .find_map(|(key, item)| if key.contains('\0') { Some(at(&key.replace('\0', ""))) } else { find(item, &at(key)) }),
            _ => None,
        }
    }
    let field = serde_json::from_slice(bytes).ok().and_then(|value| find(&value, "")).unwrap_or_else(|| "body".to_owned());
    ApiError::validation(field, FieldCode::Invalid, "must not contain the NUL character (\\u0000)")
}

/// Refuses a query string holding an encoded NUL character (`%00`) with 400: no text column can
/// store it, and no filter can match it.
pub async fn refuse_nul_in_query(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    if req.query_string().to_ascii_lowercase().contains("%00") {
        let err = ApiError::BadRequest("query parameters must not contain the NUL character (%00)".to_owned());
        return Ok(req.error_response(err));
    }
    next.call(req).await.map(actix_web::dev::ServiceResponse::map_into_boxed_body)
}

/// The field a serde error is about: its path, or for a missing or unknown field (reported
/// against the enclosing object) the field named in the message.
fn field_of(path: &str, message: &str) -> (String, FieldCode) {
    let named = |prefix: &str| message.strip_prefix(prefix).and_then(|rest| rest.split('`').next()).map(str::to_owned);
    let parent = if path == "." { String::new() } else { format!("{path}.") };
    if let Some(name) = named("missing field `") {
        return (format!("{parent}{name}"), FieldCode::Required);
    }
    if message.starts_with("unknown field `") {
        // serde_path_to_error already put the unknown field on the path.
        return (path.to_owned(), FieldCode::Unknown);
    }
    (if path == "." { "body".to_owned() } else { path.to_owned() }, FieldCode::Invalid)
}

/// serde_json appends "at line 1 column 42", which means nothing once the field is named.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(index) => message[..index].to_owned(),
        None => message.to_owned(),
    }
}

/// Flattens validator's nested errors into dotted field paths.
pub fn field_errors(errors: &ValidationErrors) -> Vec<FieldError> {
    let mut out = Vec::new();
    collect(errors, "", &mut out);
    out
}

fn collect(errors: &ValidationErrors, prefix: &str, out: &mut Vec<FieldError>) {
    for (field, kind) in errors.errors() {
        let path = if prefix.is_empty() { field.to_string() } else { format!("{prefix}.{field}") };
        match kind {
            ValidationErrorsKind::Field(list) => {
                for error in list {
                    let message = error.message.as_ref().map(|m| m.to_string()).unwrap_or_else(|| default_message(error));
                    out.push(FieldError::new(path.clone(), FieldCode::of_validator(&error.code), message));
                }
            }
            ValidationErrorsKind::Struct(inner) => collect(inner, &path, out),
            ValidationErrorsKind::List(items) => {
                for (index, inner) in items {
                    collect(inner, &format!("{path}.{index}"), out);
                }
            }
        }
    }
}

fn default_message(error: &validator::ValidationError) -> String {
    let param = |name: &str| error.params.get(name).map(|v| v.to_string());
    match error.code.as_ref() {
        "length" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be {min} to {max} characters long"),
            (Some(min), None) => format!("must be at least {min} characters long"),
            (None, Some(max)) => format!("must be at most {max} characters long"),
            _ => "has the wrong length".to_owned(),
        },
        "range" => match (param("min"), param("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "is out of range".to_owned(),
        },
        "email" => "must be an email address".to_owned(),
        other => format!("is invalid ({other})"),
    }
}

/// The precondition of a write, from `If-Match`: the version the client read (`"3"`, `W/"3"` or
/// `3`), or `*` for "whatever the current version is" (RFC 9110), or nothing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IfMatch {
    Absent,
    Any,
    Version(i64),
}

impl IfMatch {
    /// For writes that must say which version they change: the header, else the body's
    /// `version`; `Ok(None)` only for an explicit `If-Match: *`.
    pub fn require(self, body_version: Option<i64>) -> Result<Option<i64>, ApiError> {
        match (self, body_version) {
            (IfMatch::Version(v), _) => Ok(Some(v)),
            (IfMatch::Any, _) => Ok(None),
            (IfMatch::Absent, Some(v)) => Ok(Some(v)),
            (IfMatch::Absent, None) => Err(ApiError::PreconditionRequired),
        }
    }

    /// For writes where the precondition is optional.
    pub fn optional(self, body_version: Option<i64>) -> Option<i64> {
        match self {
            IfMatch::Version(v) => Some(v),
            IfMatch::Any => None,
            IfMatch::Absent => body_version,
        }
    }
}

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(parse_if_match(req.headers().get(header::IF_MATCH).map(|v| v.to_str().unwrap_or("?"))))
    }
}

/// The grammar [`parse_if_match`] accepts, as documented in the OpenAPI document: `*`, or a
/// version of at most 18 digits, bare or as a (weak) entity tag.
pub const IF_MATCH_PATTERN: &str = r#"^(\*|(W/)?("[0-9]{1,18}"|[0-9]{1,18}))$"#;

fn parse_if_match(raw: Option<&str>) -> Result<IfMatch, ApiError> {
    let Some(raw) = raw.map(str::trim) else { return Ok(IfMatch::Absent) };
    if raw == "*" {
        return Ok(IfMatch::Any);
    }
    let tag = raw.strip_prefix("W/").unwrap_or(raw);
    let digits = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')).unwrap_or(tag);
    if (1..=18).contains(&digits.len()) && digits.bytes().all(|b| b.is_ascii_digit()) {
        digits.parse::<i64>().map(IfMatch::Version).map_err(|_| bad_if_match())
    } else {
        Err(bad_if_match())
    }
}

fn bad_if_match() -> ApiError {
    ApiError::BadRequest("If-Match must be an ETag this API returned, such as \"3\", or *".to_owned())
}

/// An `ETag` header value for a version.
pub fn etag(version: i64) -> (header::HeaderName, String) {
    (header::ETAG, format!("\"{version}\""))
}

/// A 201 answer for a new object: its JSON, its `ETag` and its `Location`.
pub fn created(location: &str, version: i64, body: impl serde::Serialize) -> actix_web::HttpResponse {
    actix_web::HttpResponse::Created().insert_header(etag(version)).insert_header((header::LOCATION, location)).json(body)
}

/// The largest page a list answers (and the most cards per board column).
pub const MAX_PAGE_LIMIT: u64 = 200;

/// A `limit` query parameter: 1 to [`MAX_PAGE_LIMIT`]; anything else is a bad request (400)
/// rather than quietly clamped, as the document says.
pub fn page_limit<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    use serde::Deserialize;
    match Option::<u64>::deserialize(deserializer)? {
        Some(limit) if !(1..=MAX_PAGE_LIMIT).contains(&limit) => {
            Err(serde::de::Error::custom(format!("limit must be 1 to {MAX_PAGE_LIMIT}, not {limit}")))
        }
        limit => Ok(limit),
    }
}

pub fn query_config() -> QueryConfig {
    QueryConfig::default().error_handler(|err, _| ApiError::BadRequest(format!("invalid query parameters: {err}")).into())
}

/// A path parameter that does not parse is a 400, unless the path names another resource that
/// lacks the method (`PATCH /contacts/export` is not a contact with the id `export`): a 405.
pub fn path_config() -> PathConfig {
    PathConfig::default().error_handler(|err, req| {
        let state = req.app_data::<actix_web::web::Data<crate::state::AppState>>();
        state
            .and_then(|state| crate::allowed_methods::method_not_allowed(req, &state.openapi))
            .unwrap_or_else(|| ApiError::BadRequest(format!("invalid path parameter: {err}")))
            .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_escaped_nul_is_found_only_inside_strings() {
        assert!(has_escaped_nul(br#"{"name":"a\u0000b"}"#));
        assert!(!has_escaped_nul(br#"{"name":"a\\u0000b"}"#), "an escaped backslash, then text");
        assert!(!has_escaped_nul(br#"{"name":"a\u00e9"}"#));
        let err = nul_in_body(br#"{"tags":["ok","a\u0000"]}"#);
        assert_eq!(err.problem().errors[0].field, "tags.1");
    }

    #[test]
    fn if_match_accepts_etags_this_api_returns() {
        assert_eq!(parse_if_match(Some("\"3\"")).unwrap(), IfMatch::Version(3));
        assert_eq!(parse_if_match(Some("W/\"3\"")).unwrap(), IfMatch::Version(3));
        assert_eq!(parse_if_match(Some("7")).unwrap(), IfMatch::Version(7));
        assert_eq!(parse_if_match(Some("*")).unwrap(), IfMatch::Any);
        assert_eq!(parse_if_match(None).unwrap(), IfMatch::Absent);
        assert!(parse_if_match(Some("\"abc\"")).is_err());
        for refused in ["\"3", "-3", "+3", "\"\"3\"\"", "1234567890123456789", "W/"] {
            assert!(parse_if_match(Some(refused)).is_err(), "{refused}");
        }
        assert_eq!(IfMatch::Absent.require(Some(2)).unwrap(), Some(2));
        assert_eq!(IfMatch::Version(3).require(Some(2)).unwrap(), Some(3), "the header wins");
        assert_eq!(IfMatch::Any.require(None).unwrap(), None);
        assert!(matches!(IfMatch::Absent.require(None), Err(ApiError::PreconditionRequired)));
    }

    #[derive(serde::Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Sample {
        title: String,
        amount: i64,
    }

    #[test]
    fn json_errors_name_the_field() {
        let err = parse_json::<Sample>(br#"{"title": "x", "amount": "ten"}"#).unwrap_err();
        let ApiError::Validation(errors) = err else { panic!("{err:?}") };
        assert_eq!(errors[0].field, "amount");
        assert!(!errors[0].message.contains("line"));
        assert!(matches!(parse_json::<Sample>(b"{\"title\": "), Err(ApiError::MalformedBody(_))));
        assert!(matches!(parse_json::<Sample>(b""), Err(ApiError::MalformedBody(_))));
        let ApiError::Validation(errors) = parse_json::<Sample>(br#"{"title":"x","amount":1,"owner":"me"}"#).unwrap_err() else { panic!() };
        assert!(errors[0].message.contains("unknown field"), "{errors:?}");
        assert_eq!((errors[0].field.as_str(), errors[0].code), ("owner", FieldCode::Unknown));
        let ApiError::Validation(errors) = parse_json::<Sample>(br#"{"amount":1}"#).unwrap_err() else { panic!() };
        assert_eq!((errors[0].field.as_str(), errors[0].code), ("title", FieldCode::Required));
        let ApiError::Validation(errors) =
            parse_json::<Vec<Sample>>(br#"[{"title":"x","amount":1},{"title":"y","amount":"z"}]"#).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(errors[0].field, "1.amount", "paths are dotted like validation errors'");
    }
}
