//! Building blocks shared by the contact and organization lists: text search, segment filters
//! on tags and custom fields, and the list orders with their keyset cursors.

use kariz_domain::custom_fields::{FieldEntity, FieldKind};
use kariz_domain::phone::ascii_digits;
use kariz_domain::search::normalize;
use kariz_domain::{Country, WorkspaceId};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, JoinType, LikeExpr, Query, SimpleExpr};
use sea_orm::{Condition, ConnectionTrait, DatabaseBackend, EntityTrait, QueryFilter, QueryTrait, Select};
use serde_json::{Map, Value};
use uuid::Uuid;

use crate::custom_fields::{checked_values, definitions_in};
use crate::error::{StoreError, StoreResult};
use crate::pagination;

/// The segment filters both lists share; every one narrows the list (they are AND-ed).
#[derive(Clone, Debug, Default)]
pub struct SegmentFilter {
    /// Case-insensitive equality.
    pub city: Option<String>,
    pub country: Option<Country>,
    /// One tag, case-insensitive.
    pub tag: Option<String>,
    /// `(key, value)`: the custom field equals the value (compared as the field's kind).
    pub custom_fields: Vec<(String, String)>,
}

impl SegmentFilter {
    /// The filter left to [`segment_conditions`], and the tag the list reads its records through
    /// ([`through_tag_rows`]: the tag is their join, not a condition).
    pub(crate) fn split_tag(&self) -> (SegmentFilter, Option<&str>) {
        (SegmentFilter { tag: None, ..self.clone() }, self.tag.as_deref().map(str::trim).filter(|t| !t.is_empty()))
    }
}

/// Escapes LIKE's wildcards (with `\` as the escape character).
fn escape_like(text: &str) -> String {
    text.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// `column LIKE %text%`, with `text` taken literally.
pub(crate) fn like_contains(column: SimpleExpr, text: &str) -> SimpleExpr {
    column.like(LikeExpr::new(format!("%{}%", escape_like(text))).escape('\\'))
}

/// `lower(column) = lower(value)`.
pub(crate) fn equals_ignoring_case(column: SimpleExpr, value: &str) -> SimpleExpr {
    Func::lower(column).eq(value.trim().to_lowercase())
}

/// The record (`id`, a column of the table of `kind`) carries `tag`, ignoring case: its id is
/// among the `record_tags` rows of the tag (migration 000049; triggers keep them in step with
/// every write of the record's `tags`). The rows hold each tag lower-cased by the engine's
/// `lower()`, as the lists compared the JSON column before. A condition, for an order the tag
/// rows do not carry (the deals by position); the lists read [`through_tag_rows`].
pub(crate) fn tagged(workspace_id: WorkspaceId, kind: FieldEntity, id: SimpleExpr, tag: &str) -> SimpleExpr {
    let column = |name: &'static str| Expr::col((Alias::new("record_tags"), Alias::new(name)));
    let carrying = Query::select()
        .column((Alias::new("record_tags"), Alias::new("record_id")))
        .from(Alias::new("record_tags"))
        .and_where(column("workspace_id").eq(workspace_id.as_uuid()))
        .and_where(column("kind").eq(kind.as_str()))
        .and_where(column("tag").eq(tag.trim().to_lowercase()))
        .to_owned();
    id.in_subquery(carrying)
}

/// Which sort key of `record_tags` a list orders by (migration 000051).
#[derive(Clone, Copy)]
pub(crate) enum TagKey {
    /// A deal's amount, a lead's score.
    Number,
    /// A contact's `lower(name)`, an organization's `name_key`.
    Text,
}

/// A list filtered by `tag` reads its records through their tag rows, which carry the list's
/// sort key (migration 000051) and are indexed by tag and id (the primary key) and by tag, key
/// and id: the tag rows are joined to `select` on the record's `id`, and the key and the id to
/// order and page by are theirs, so that a cursor starts the index where the last page ended.
pub(crate) fn through_tag_rows<E: EntityTrait>(
    mut select: Select<E>,
    workspace_id: WorkspaceId,
    kind: FieldEntity,
    id: SimpleExpr,
    tag: &str,
    key: TagKey,
) -> (Select<E>, SimpleExpr, SimpleExpr) {
    let column = |name: &'static str| Expr::col((Alias::new("record_tags"), Alias::new(name)));
    QueryTrait::query(&mut select).join(JoinType::InnerJoin, Alias::new("record_tags"), column("record_id").eq(id));
    let select = select
        .filter(column("workspace_id").eq(workspace_id.as_uuid()))
        .filter(column("kind").eq(kind.as_str()))
        .filter(column("tag").eq(tag.trim().to_lowercase()));
    let key = column(match key {
        TagKey::Number => "sort_number",
        TagKey::Text => "sort_text",
    });
    (select, key, column("record_id"))
}

/// The records whose search key (`column`, a `search_text` the row builders write with
/// `kariz_domain::search::search_key`) holds `text` as [`normalize`] folds it — Arabic and
/// Persian letter forms (ي/ی, ك/ک, …), Persian, Arabic-Indic and Latin digits, joiners,
/// tatweel, diacritics, case and punctuation — or the digits of a phone number as typed.
///
/// The folding happens on write, in Rust, into a stored column, not in SQL at query time: the
/// engines fold differently (SQLite's `lower()` knows only ASCII) and an expression over the
/// column would keep the trigram indexes on `search_text` from serving the `LIKE` (PostgreSQL's
/// `pg_trgm`, migration 000021). Text without a letter or digit matches nothing.
pub(crate) fn key_holds(column: SimpleExpr, text: &str) -> Condition {
    let normalized = normalize(text);
    let mut any = Condition::any();
    if !normalized.is_empty() {
        any = any.add(like_contains(column.clone(), &normalized));
    }
    for digits in phone_needles(text) {
        any = any.add(like_contains(column.clone(), &digits));
    }
    if any.is_empty() { Condition::all().add(Expr::cust("1 = 0")) } else { any }
}

/// The digit strings a phone search looks for in stored E.164 numbers: the digits typed (any
/// script), and for a national number (`0912…`) the same without its trunk zero, which E.164
/// drops. Nothing for text that is not a phone number.
pub(crate) fn phone_needles(text: &str) -> Vec<String> {
    let ascii = ascii_digits(text);
    let phone_like = ascii.chars().all(|c| c.is_ascii_digit() || " +-().".contains(c));
    let digits: String = ascii.chars().filter(char::is_ascii_digit).collect();
    if !phone_like || digits.len() < 3 {
        return Vec::new();
    }
    let mut needles = vec![digits.clone()];
    if let Some(national) = digits.strip_prefix("00").or_else(|| digits.strip_prefix('0')) {
        needles.push(national.to_owned());
    }
    needles
}

/// `column` (a JSON object of custom fields, as stored: compact) holds `key` with one of the
/// encodings of `value`. A plain substring test, case-sensitive on both engines (`instr` on
/// SQLite, `strpos` on PostgreSQL): keys are `[a-z0-9_]` and every quote inside a stored string
/// is escaped, so `"key":<value>` followed by `,` or `}` only matches that key's whole value.
pub(crate) fn field_equals(backend: DatabaseBackend, column: SimpleExpr, key: &str, encodings: &[String]) -> Condition {
    let position = if backend == DatabaseBackend::Postgres { "strpos" } else { "instr" };
    let mut any = Condition::any();
    for encoded in encodings {
        for end in [',', '}'] {
            let needle = format!("\"{key}\":{encoded}{end}");
            any = any.add(Func::cust(position).arg(column.clone()).arg(needle).gt(0));
        }
    }
    any
}

/// The JSON texts a stored value equal to `raw` can have, by the field's kind. serde_json writes
/// an integer as digits and any other number in its shortest round-trip form, so both spellings
/// of a whole number are tried.
fn encodings(kind: FieldKind, raw: &str) -> Result<Vec<String>, String> {
    match kind {
        FieldKind::Text | FieldKind::Select | FieldKind::Date => Ok(vec![Value::String(raw.to_owned()).to_string()]),
        FieldKind::Boolean => match raw {
            "true" | "false" => Ok(vec![raw.to_owned()]),
            _ => Err("must be true or false".to_owned()),
        },
        FieldKind::Number => {
            let number: f64 = raw.trim().parse().ok().filter(|n: &f64| n.is_finite()).ok_or_else(|| "must be a number".to_owned())?;
            let mut spellings = vec![Value::from(number).to_string()];
            if number.fract() == 0.0 && number.abs() < 9.0e15 {
                spellings.push((number as i64).to_string());
            }
            Ok(spellings)
        }
    }
}

/// The conditions of a segment filter on a table with `city`, `country`, `id` (whose tags the
/// filter looks up) and `custom_fields` columns; unknown custom-field keys and values of the wrong
/// kind are refused.
pub(crate) async fn segment_conditions<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity: FieldEntity,
    columns: [SimpleExpr; 4],
    filter: &SegmentFilter,
) -> StoreResult<Condition> {
    let [city, country, id, custom_fields] = columns;
    let mut conditions = Condition::all();
    if let Some(value) = filter.city.as_deref().filter(|c| !c.trim().is_empty()) {
        conditions = conditions.add(equals_ignoring_case(city, value));
    }
    if let Some(value) = filter.country {
        conditions = conditions.add(country.eq(value.as_str()));
    }
    if let Some(tag) = filter.tag.as_deref().filter(|t| !t.trim().is_empty()) {
        conditions = conditions.add(tagged(workspace_id, entity, id, tag));
    }
    if filter.custom_fields.is_empty() {
        return Ok(conditions);
    }
    Ok(conditions.add(custom_field_conditions(conn, workspace_id, entity, custom_fields, &filter.custom_fields).await?))
}

/// The conditions `custom_fields` (a column of custom-field objects of `entity`) meets each
/// `(key, value)` of `filters` with; unknown keys and values of the wrong kind are refused as
/// `cf.<key>`.
pub(crate) async fn custom_field_conditions<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity: FieldEntity,
    custom_fields: SimpleExpr,
    filters: &[(String, String)],
) -> StoreResult<Condition> {
    let mut conditions = Condition::all();
    let definitions = definitions_in(conn, workspace_id, Some(entity)).await?;
    let mut problems = Vec::new();
    for (key, raw) in filters {
        let field = format!("cf.{key}");
        match definitions.iter().find(|d| &d.definition.key == key) {
            None => problems.push((field, "no custom field with this key is defined".to_owned())),
            Some(d) => match encodings(d.definition.kind, raw) {
                Ok(encoded) => conditions = conditions.add(field_equals(conn.get_database_backend(), custom_fields.clone(), key, &encoded)),
                Err(message) => problems.push((field, message)),
            },
        }
    }
    if problems.is_empty() { Ok(conditions) } else { Err(StoreError::InvalidFields(problems)) }
}

/// The custom fields a record has after a change: the stored values whose field still exists,
/// overlaid with `patch` (where `null` removes a key), checked against the definitions. Without
/// a patch the stored values are kept as they are, less those of deleted fields.
pub(crate) async fn merged_fields<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    entity: FieldEntity,
    stored: &Map<String, Value>,
    patch: Option<&Map<String, Value>>,
) -> StoreResult<Map<String, Value>> {
    let definitions = definitions_in(conn, workspace_id, Some(entity)).await?;
    let mut merged: Map<String, Value> = stored
        .iter()
        .filter(|(key, _)| definitions.iter().any(|d| &d.definition.key == *key))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let Some(patch) = patch else { return Ok(merged) };
    merged.extend(patch.iter().map(|(k, v)| (k.clone(), v.clone())));
    checked_values(conn, workspace_id, entity, &merged).await
}

/// How a contact or organization list is ordered; each order ends with the id so pages are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum ListOrder {
    #[default]
    Newest,
    Oldest,
    /// By name, case-insensitively.
    Name,
}

impl ListOrder {
    pub const NAMES: [&'static str; 3] = ["-created_at", "created_at", "name"];

    pub fn parse(raw: &str) -> Option<ListOrder> {
        match raw {
            "-created_at" => Some(ListOrder::Newest),
            "created_at" => Some(ListOrder::Oldest),
            "name" => Some(ListOrder::Name),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            ListOrder::Newest => "-created_at",
            ListOrder::Oldest => "created_at",
            ListOrder::Name => "name",
        }
    }

    /// The `ORDER BY` terms: `sort_key` is the name's case-folded form (a column or `lower(name)`).
    pub(crate) fn terms(self, sort_key: SimpleExpr, id: SimpleExpr) -> Vec<(SimpleExpr, sea_orm::Order)> {
        use sea_orm::Order::{Asc, Desc};
        match self {
            ListOrder::Newest => vec![(id, Desc)],
            ListOrder::Oldest => vec![(id, Asc)],
            ListOrder::Name => vec![(sort_key, Asc), (id, Asc)],
        }
    }

    /// The rows after a cursor. For [`ListOrder::Name`] the cursor holds the name, and
    /// `fold` turns the column and the cursor's value into the same sort key.
    pub(crate) fn after(
        self,
        cursor: &str,
        sort_key: SimpleExpr,
        fold: impl Fn(SimpleExpr) -> SimpleExpr,
        id: SimpleExpr,
    ) -> StoreResult<SimpleExpr> {
        let (value, last_id) = pagination::decode(cursor, self.as_str())?;
        Ok(match self {
            ListOrder::Newest => id.lt(last_id),
            ListOrder::Oldest => id.gt(last_id),
            ListOrder::Name => {
                let name =
                    value.as_str().ok_or_else(|| StoreError::invalid("cursor", "not a cursor from this list; start again without it"))?;
                let last = fold(Expr::val(name.to_owned()));
                // A row comparison, which an index on (workspace, key, id) starts from; the
                // equivalent `key > x OR (key = x AND id > y)` makes it read from the top.
                Expr::tuple([sort_key, id]).gt(Expr::tuple([last, Expr::val(last_id)]))
            }
        })
    }

    pub(crate) fn cursor(self, name: &str, id: Uuid) -> String {
        let value = if self == ListOrder::Name { Value::from(name) } else { Value::Null };
        pagination::encode(self.as_str(), value, id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_searches_find_national_and_international_spellings() {
        assert_eq!(phone_needles("۰۹۱۲ ۱۲۳"), ["0912123", "912123"]);
        assert_eq!(phone_needles("+98 912"), ["98912"]);
        assert_eq!(phone_needles("0098912"), ["0098912", "98912"]);
        assert!(phone_needles("Sara").is_empty());
        assert!(phone_needles("12").is_empty());
    }

    #[test]
    fn custom_field_values_are_encoded_as_stored() {
        assert_eq!(encodings(FieldKind::Number, "40").unwrap(), ["40.0", "40"]);
        assert_eq!(encodings(FieldKind::Number, "2.5").unwrap(), ["2.5"]);
        assert!(encodings(FieldKind::Number, "forty").is_err());
        assert_eq!(encodings(FieldKind::Select, "say \"hi\"").unwrap(), [r#""say \"hi\"""#]);
        assert_eq!(encodings(FieldKind::Boolean, "true").unwrap(), ["true"]);
        assert!(encodings(FieldKind::Boolean, "yes").is_err());
    }
}
