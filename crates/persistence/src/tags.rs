//! The tags in use: each tag of deals, leads, contacts or organizations with how many of the
//! records the caller sees carry it, counted in SQL over the JSON `tags` arrays (SQLite's
//! `json_each`, PostgreSQL's `jsonb_array_elements_text`), so that no record is loaded.

use kariz_domain::Viewer;
use kariz_domain::custom_fields::FieldEntity;
use sea_orm::{ConnectionTrait, DatabaseBackend, Value};

use crate::error::StoreResult;
use crate::sql::statement;
use crate::store::Store;
use crate::visibility::{contacts_seen_sql, deals_seen_sql, leads_seen_sql};

/// A tag and the number of records carrying it. Tags that differ only in case are one tag,
/// spelled as the first spelling in byte order, since filters ignore case too.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TagCount {
    pub tag: String,
    pub count: i64,
}

/// At most this many tags are answered, the most used first: a picker's list, not an export.
pub const MAX_TAGS_LISTED: usize = 500;

/// The table of a kind of tagged record and the caller's visibility on it (`None`: all of it).
fn tagged_table(viewer: &Viewer, entity: FieldEntity) -> (&'static str, Option<(String, Value)>) {
    match entity {
        FieldEntity::Deal => ("deals", deals_seen_sql(viewer, "t.owner_id")),
        FieldEntity::Lead => ("leads", leads_seen_sql(viewer, "t.owner_id")),
        FieldEntity::Contact => ("contacts", contacts_seen_sql(viewer, "t.owner_id")),
        FieldEntity::Organization => ("organizations", None),
    }
}

/// The tags of one table's visible rows, one row per record and tag, as `value`.
fn tags_of(backend: DatabaseBackend, viewer: &Viewer, entity: FieldEntity, values: &mut Vec<Value>) -> String {
    let (table, seen) = tagged_table(viewer, entity);
    let elements = match backend {
        DatabaseBackend::Postgres => "CROSS JOIN LATERAL jsonb_array_elements_text(t.tags::jsonb) AS j(value)",
        _ => "CROSS JOIN json_each(t.tags) AS j",
    };
    let mut sql = format!("SELECT j.value AS value FROM {table} t {elements} WHERE t.workspace_id = ? AND t.tags <> '[]'");
    values.push(viewer.workspace_id.as_uuid().into());
    if let Some((condition, owner)) = seen {
        sql.push_str(&format!(" AND {condition}"));
        values.push(owner);
    }
    sql
}

impl Store {
    /// The tags on the records of `entity` (every tagged kind when `None`) that `viewer` sees,
    /// each with how many of them carry it: the most used first, then by name.
    pub async fn tags_in_use(&self, viewer: &Viewer, entity: Option<FieldEntity>) -> StoreResult<Vec<TagCount>> {
        let backend = self.backend();
        let entities = match entity {
            Some(entity) => vec![entity],
            None => FieldEntity::ALL.to_vec(),
        };
        let mut values = Vec::new();
        let parts: Vec<String> = entities.into_iter().map(|entity| tags_of(backend, viewer, entity, &mut values)).collect();
        // Byte order on both engines (PostgreSQL's default collation would put "vip" before "VIP").
        let bytewise = if backend == DatabaseBackend::Postgres { " COLLATE \"C\"" } else { "" };
        let sql = format!(
            "SELECT tag, uses FROM (SELECT MIN(value{bytewise}) AS tag, COUNT(*) AS uses FROM ({}) tagged GROUP BY LOWER(value)) counted \
             ORDER BY uses DESC, tag{bytewise} LIMIT {MAX_TAGS_LISTED}",
            parts.join(" UNION ALL ")
        );
        let rows = self.db.query_all_raw(statement(backend, &sql, values)).await?;
        rows.iter().map(|row| Ok(TagCount { tag: row.try_get("", "tag")?, count: row.try_get("", "uses")? })).collect()
    }
}
