//! The audit log: who changed what, when, and from what to what.
//!
//! Every change of business data writes its entry in the transaction of the change (through
//! the unit of work, from the rows it holds), so an entry exists exactly when its change committed. Who acted and in which request
//! come from a request-scoped context ([`in_request`], [`identify`]) rather than from every
//! function's arguments: they describe the request, as the request id does, not the change.
//! What changed is computed generically from the stored rows, serialized before and after.

use std::cell::RefCell;
use std::future::Future;

use chrono::{DateTime, Utc};
use kariz_domain::{ApiKeyId, UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::entities::audit_entries;
use crate::error::{StoreError, StoreResult};
use crate::pagination::{self, Page};
use crate::store::Store;

/// Stored values never copied into the log: secrets and their hashes. A change of one is
/// recorded, with both sides redacted.
const SECRET_FIELDS: &[&str] = &["password_hash", "key_hash", "secret", "previous_secret", "token_hash"];
const REDACTED: &str = "[redacted]";
/// Columns every write touches or that never differ; an update's entry lists what the caller changed.
const BOOKKEEPING_FIELDS: &[&str] = &["workspace_id", "version", "updated_at", DERIVED_SEARCH_KEY];

/// A column derived from others for search, shown neither in changes nor in created rows.
const DERIVED_SEARCH_KEY: &str = "search_text";

#[derive(Clone, Debug, Default)]
struct Context {
    request_id: Option<String>,
    user_id: Option<UserId>,
    api_key_id: Option<ApiKeyId>,
}

tokio::task_local! {
    static CONTEXT: RefCell<Context>;
}

/// Runs `work` (one HTTP request) in an audit context: entries written inside it carry
/// `request_id` and the caller that [`identify`] names.
pub async fn in_request<F: Future>(request_id: String, work: F) -> F::Output {
    CONTEXT.scope(RefCell::new(Context { request_id: Some(request_id), ..Context::default() }), work).await
}

/// Names the caller of the current request; authentication calls it once it has succeeded. A
/// call with an API key names the key and the user who made it. Outside a request (command
/// line, seeding) it does nothing and entries name no actor.
pub fn identify(user_id: Option<UserId>, api_key_id: Option<ApiKeyId>) {
    let _ = CONTEXT.try_with(|context| {
        let mut context = context.borrow_mut();
        context.user_id = user_id;
        context.api_key_id = api_key_id;
    });
}

fn context() -> Context {
    CONTEXT.try_with(|context| context.borrow().clone()).unwrap_or_default()
}

/// A stored row as the log sees it: its serialized fields, secrets included (they are redacted
/// when an entry is written, after the comparison, so that a rotated secret still shows).
pub(crate) type Snapshot = Map<String, Value>;

/// The fields of `model`, for a snapshot of a row already at hand.
pub(crate) fn serialized(model: &impl Serialize) -> Snapshot {
    match serde_json::to_value(model) {
        Ok(Value::Object(fields)) => fields,
        _ => Snapshot::new(),
    }
}

/// Writes one entry; `action` is `<entity type>.<verb>` and names the entity type.
pub(crate) async fn record<C: ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    action: &'static str,
    entity_id: Option<Uuid>,
    changes: Value,
    at: DateTime<Utc>,
) -> StoreResult<()> {
    let context = context();
    let entity_type = action.split_once('.').map_or(action, |(entity, _)| entity);
    let row = audit_entries::ActiveModel {
        id: Set(Uuid::now_v7()),
        workspace_id: Set(workspace_id.as_uuid()),
        occurred_at: Set(at),
        actor_user_id: Set(context.user_id.map(|id| id.as_uuid())),
        actor_api_key_id: Set(context.api_key_id.map(|id| id.as_uuid())),
        request_id: Set(context.request_id),
        action: Set(action.to_owned()),
        entity_type: Set(entity_type.to_owned()),
        entity_id: Set(entity_id),
        changes: Set(changes.to_string()),
    };
    audit_entries::Entity::insert(row).exec_without_returning(conn).await?;
    Ok(())
}

/// `{field: {"before", "after"}}` for every field that differs, bookkeeping aside.
pub(crate) fn difference(before: &Snapshot, after: &Snapshot) -> Map<String, Value> {
    let fields = before.keys().chain(after.keys().filter(|key| !before.contains_key(*key)));
    fields
        .filter(|field| !BOOKKEEPING_FIELDS.contains(&field.as_str()))
        .filter_map(|field| {
            let (old, new) = (before.get(field).unwrap_or(&Value::Null), after.get(field).unwrap_or(&Value::Null));
            (old != new).then(|| (field.clone(), json!({ "before": redact(field, old), "after": redact(field, new) })))
        })
        .collect()
}

/// The entry of a created or deleted row: its fields, secrets redacted.
pub(crate) fn created_entry(row: &impl Serialize) -> Value {
    Value::Object(redacted(serialized(row)))
}

/// The entry of a row changed from `before` to `after`, or `None` when nothing changed.
pub(crate) fn changed_entry(before: &impl Serialize, after: &impl Serialize) -> Option<Value> {
    let changes = difference(&serialized(before), &serialized(after));
    (!changes.is_empty()).then_some(Value::Object(changes))
}

/// The fields of a created or deleted row as an entry shows them.
pub(crate) fn redacted(fields: Snapshot) -> Map<String, Value> {
    fields
        .into_iter()
        .filter(|(field, _)| field != "workspace_id" && field != DERIVED_SEARCH_KEY)
        .map(|(field, value)| {
            let value = redact(&field, &value);
            (field, value)
        })
        .collect()
}

fn redact(field: &str, value: &Value) -> Value {
    if SECRET_FIELDS.contains(&field) && !value.is_null() { Value::from(REDACTED) } else { value.clone() }
}

#[derive(Clone, Debug)]
pub struct AuditEntryRecord {
    pub id: Uuid,
    pub occurred_at: DateTime<Utc>,
    pub actor_user_id: Option<UserId>,
    pub actor_api_key_id: Option<ApiKeyId>,
    pub request_id: Option<String>,
    pub action: String,
    pub entity_type: String,
    pub entity_id: Option<Uuid>,
    pub changes: Value,
}

/// Which entries to list; every filter is optional.
#[derive(Clone, Debug, Default)]
pub struct AuditFilter {
    pub entity_type: Option<String>,
    pub entity_id: Option<Uuid>,
    pub actor_user_id: Option<UserId>,
    pub action: Option<String>,
    /// Inclusive.
    pub since: Option<DateTime<Utc>>,
    /// Exclusive.
    pub until: Option<DateTime<Utc>>,
}

const CURSOR_SORT: &str = "-occurred";

impl Store {
    /// The workspace's entries, newest first.
    pub async fn audit_entries(
        &self,
        workspace_id: WorkspaceId,
        filter: AuditFilter,
        cursor: Option<&str>,
        limit: u64,
    ) -> StoreResult<Page<AuditEntryRecord>> {
        use audit_entries::Column;
        let mut query = audit_entries::Entity::find().filter(Column::WorkspaceId.eq(workspace_id.as_uuid()));
        if let Some(entity_type) = filter.entity_type {
            query = query.filter(Column::EntityType.eq(entity_type));
        }
        if let Some(entity_id) = filter.entity_id {
            query = query.filter(Column::EntityId.eq(entity_id));
        }
        if let Some(actor) = filter.actor_user_id {
            query = query.filter(Column::ActorUserId.eq(actor.as_uuid()));
        }
        if let Some(action) = filter.action {
            query = query.filter(Column::Action.eq(action));
        }
        if let Some(since) = filter.since {
            query = query.filter(Column::OccurredAt.gte(since));
        }
        if let Some(until) = filter.until {
            query = query.filter(Column::OccurredAt.lt(until));
        }
        if let Some(cursor) = cursor {
            let (_, last_id) = pagination::decode(cursor, CURSOR_SORT)?;
            query = query.filter(Column::Id.lt(last_id));
        }
        let rows = query.order_by_desc(Column::Id).limit(limit + 1).all(&self.db).await?;
        let entries = rows.into_iter().map(entry_record).collect::<StoreResult<Vec<_>>>()?;
        Ok(Page::of(entries, limit, |last| pagination::encode(CURSOR_SORT, Value::Null, last.id)))
    }
}

pub(crate) fn entry_record(row: audit_entries::Model) -> StoreResult<AuditEntryRecord> {
    let changes = serde_json::from_str(&row.changes).map_err(|err| StoreError::corrupt("audit_entries", err))?;
    Ok(AuditEntryRecord {
        id: row.id,
        occurred_at: row.occurred_at,
        actor_user_id: row.actor_user_id.map(Into::into),
        actor_api_key_id: row.actor_api_key_id.map(Into::into),
        request_id: row.request_id,
        action: row.action,
        entity_type: row.entity_type,
        entity_id: row.entity_id,
        changes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(value: Value) -> Snapshot {
        match value {
            Value::Object(fields) => fields,
            _ => unreachable!(),
        }
    }

    #[test]
    fn an_update_lists_only_the_fields_it_changed() {
        let before = fields(json!({"title": "A", "amount_minor": 5, "version": 1, "updated_at": "x"}));
        let after = fields(json!({"title": "B", "amount_minor": 5, "version": 2, "updated_at": "y"}));
        assert_eq!(Value::Object(difference(&before, &after)), json!({"title": {"before": "A", "after": "B"}}));
    }

    #[test]
    fn secrets_are_redacted_but_their_change_shows() {
        let before = fields(json!({"secret": "whsec_old", "previous_secret": null}));
        let after = fields(json!({"secret": "whsec_new", "previous_secret": "whsec_old"}));
        assert_eq!(
            Value::Object(difference(&before, &after)),
            json!({
                "secret": {"before": REDACTED, "after": REDACTED},
                "previous_secret": {"before": null, "after": REDACTED},
            })
        );
        let shown = redacted(fields(json!({"workspace_id": "w", "key_hash": "abc", "name": "form"})));
        assert_eq!(Value::Object(shown), json!({"key_hash": REDACTED, "name": "form"}));
    }
}
