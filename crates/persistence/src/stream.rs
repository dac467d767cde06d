//! The event stream's storage: tickets that open a stream, the numbering of outbox events in
//! commit order, reading them by that number, and deciding which of them a viewer may read.
//!
//! Every outbox event gets a `sequence` (1, 2, 3, … within its workspace) after it commits, from
//! a sequencer ([`Store::run_sequencer`], one per process): it locks the workspace's row of
//! `event_sequences` and numbers the events that have no number yet after the last one, in one
//! transaction. Numbers are given once (the lock), and only to committed events, so a reader that
//! resumes after number `n` neither skips an event that committed late (it gets a later number)
//! nor repeats one. Writers never wait for a number: the lock is the sequencer's alone, which
//! batches whatever committed meanwhile.
//!
//! Fan-out: after numbering, the sequencer wakes this process's streams; on PostgreSQL its
//! transaction also sends `NOTIFY kariz_events, '<workspace id> <process id>'`, delivered on
//! commit to every replica's [`Store::relay_notifications`], which wakes that replica's streams
//! (and passes over its own process's, whose streams were woken already: a second wake-up would
//! cost every stream of the workspace a second read). Streams then read the new
//! events from the outbox by their cursor; a wake-up carries no event and losing one costs
//! nothing but latency until the next.

use std::collections::{HashMap, HashSet};
use std::time::Duration;

use chrono::{DateTime, Utc};
use kariz_domain::{ApiKeyId, UserId, Viewer, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseBackend, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect,
};
use serde_json::Value;
use uuid::Uuid;

use crate::entities::{activities, api_keys, contacts, deals, events, opportunities, stream_tickets};
use crate::error::{StoreError, StoreResult};
use crate::sql::statement;
use crate::store::Store;
use crate::visibility;

/// The PostgreSQL channel committed events are announced on.
pub const CHANNEL: &str = "kariz_events";

/// Event types the stream never carries: webhook test pings are for one subscription only.
const NOT_STREAMED: [&str; 1] = ["ping"];

/// Events numbered by one statement (two values each, within both engines' limits).
const NUMBERING_BATCH: i64 = 1_000;

/// Numbers `workspace_id`'s committed events that have no number yet, after the workspace's last
/// number and in the order of their ids, and on PostgreSQL announces them. The row lock it takes
/// makes two sequencers (replicas) number one after the other. `origin` names the process in the
/// announcement.
pub(crate) async fn number_events<C: ConnectionTrait>(txn: &C, workspace_id: Uuid, origin: Uuid) -> StoreResult<()> {
    let backend = txn.get_database_backend();
    let ws = || -> sea_orm::Value { workspace_id.into() };
    let lock = match backend {
        DatabaseBackend::Postgres => "SELECT last_sequence FROM event_sequences WHERE workspace_id = ? FOR UPDATE",
        _ => "SELECT last_sequence FROM event_sequences WHERE workspace_id = ?",
    };
    // The row exists from the workspace's first numbering on, so the insert is rarely needed.
    let row = match txn.query_one_raw(statement(backend, lock, vec![ws()])).await? {
        Some(row) => row,
        None => {
            txn.execute_raw(statement(
                backend,
                "INSERT INTO event_sequences (workspace_id, last_sequence) VALUES (?, 0) ON CONFLICT (workspace_id) DO NOTHING",
                vec![ws()],
            ))
            .await?;
            txn.query_one_raw(statement(backend, lock, vec![ws()])).await?.ok_or(StoreError::NotFound("event sequence"))?
        }
    };
    let last: i64 = row.try_get("", "last_sequence")?;
    // The unnumbered events in id order from their own index, then numbered by primary key: one
    // statement joining the two let the planner hash the whole table when statistics were stale.
    let mut numbered: i64 = 0;
    loop {
        let unnumbered = "SELECT id FROM events WHERE workspace_id = ? AND sequence IS NULL ORDER BY id LIMIT ?";
        let rows = txn.query_all_raw(statement(backend, unnumbered, vec![ws(), NUMBERING_BATCH.into()])).await?;
        if rows.is_empty() {
            break;
        }
        let mut values: Vec<sea_orm::Value> = Vec::with_capacity(rows.len() * 2);
        for row in &rows {
            numbered += 1;
            values.extend([row.try_get::<Uuid>("", "id")?.into(), (last + numbered).into()]);
        }
        let pairs = vec!["(?, CAST(? AS BIGINT))"; rows.len()].join(", ");
        let sql = format!("UPDATE events SET sequence = v.column2 FROM (VALUES {pairs}) v WHERE events.id = v.column1");
        txn.execute_raw(statement(backend, &sql, values)).await?;
        if rows.len() < NUMBERING_BATCH as usize {
            break;
        }
    }
    if numbered == 0 {
        return Ok(());
    }
    // Under the lock the numbers given are exactly `last + 1 ..= last + numbered`.
    let head = last + numbered;
    txn.execute_raw(statement(backend, "UPDATE event_sequences SET last_sequence = ? WHERE workspace_id = ?", vec![head.into(), ws()]))
        .await?;
    if backend == DatabaseBackend::Postgres {
        let payload = format!("{workspace_id} {origin}");
        txn.execute_raw(statement(backend, "SELECT pg_notify(?, ?)", vec![CHANNEL.into(), payload.into()])).await?;
    }
    Ok(())
}

/// Who a stream was opened for, as the ticket recorded it: checked against the store's current
/// state before every delivery ([`Store::stream_viewer`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct StreamBinding {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    /// The access token's session generation (`None` for an API key).
    pub session_generation: Option<i64>,
    pub api_key_id: Option<ApiKeyId>,
}

/// A ticket just issued: the caller receives it once; the store keeps only its hash.
#[derive(Clone, Debug)]
pub struct IssuedTicket {
    pub expires_at: DateTime<Utc>,
}

/// One event as a stream sends it.
#[derive(Clone, Debug)]
pub struct StreamEvent {
    pub sequence: i64,
    pub event_type: String,
    pub aggregate_type: String,
    pub aggregate_id: Uuid,
    /// The webhook payload's `data`, as JSON text.
    pub payload: String,
    pub occurred_at: DateTime<Utc>,
    /// Who may read it, as far as the payload tells: read once here, not once per stream.
    pub audience: Audience,
}

/// What an event's type and payload say about who may read it ([`Store::stream_visible`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Never streamed (a webhook's test ping).
    Nobody,
    /// A notification: its recipient alone.
    Recipient(Option<UserId>),
    /// An email: whoever sees its deal, else its contact; else admins.
    Email {
        deal_id: Option<Uuid>,
        contact_id: Option<Uuid>,
    },
    /// A deal, judged by the owner the event carries (none: only viewers who see every deal).
    Deal(Option<UserId>),
    Lead(Option<UserId>),
    Contact(Option<UserId>),
    /// Judged by the current row, as its reads are.
    Activity,
    Opportunity,
    /// The workspace's catalogue (products): every member reads it.
    Everyone,
    /// Anything else: only viewers who see every deal, lead and contact.
    SeesAll,
}

impl Audience {
    pub fn of(event_type: &str, aggregate_type: &str, payload: &str) -> Audience {
        if NOT_STREAMED.contains(&event_type) {
            return Audience::Nobody;
        }
        let parsed = || serde_json::from_str::<Value>(payload).unwrap_or(Value::Null);
        let id = |value: Option<&Value>| value.and_then(Value::as_str).and_then(|id| Uuid::parse_str(id).ok());
        let owner = |payload: &Value, object: &str| id(payload.get(object).and_then(|o| o.get("owner_id"))).map(UserId::from);
        match aggregate_type {
            "notification" => {
                let payload = parsed();
                Audience::Recipient(id(payload.get("notification").and_then(|n| n.get("user_id"))).map(UserId::from))
            }
            "email" => {
                let payload = parsed();
                let email = payload.get("email");
                Audience::Email {
                    deal_id: id(email.and_then(|e| e.get("deal_id"))),
                    contact_id: id(email.and_then(|e| e.get("contact_id"))),
                }
            }
            "deal" => Audience::Deal(owner(&parsed(), "deal")),
            // A quote or invoice (and a payment, about its invoice) is seen with its deal.
            "quote" | "invoice" => Audience::Deal(owner(&parsed(), aggregate_type)),
            "lead" | "contact" => {
                let payload = parsed();
                match (aggregate_type, payload.get(aggregate_type).is_some()) {
                    ("lead", true) => Audience::Lead(owner(&payload, "lead")),
                    ("contact", true) => Audience::Contact(owner(&payload, "contact")),
                    _ => Audience::SeesAll,
                }
            }
            "activity" => Audience::Activity,
            "opportunity" => Audience::Opportunity,
            "product" => Audience::Everyone,
            _ => Audience::SeesAll,
        }
    }
}

/// Where a stream resumes after a `Last-Event-ID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Resume {
    /// After this sequence: every later event is still in the outbox.
    After(i64),
    /// The id is unknown or older than the retention: the client must reload.
    Reset,
}

impl Store {
    /// Records a ticket (by its hash) for `binding`, valid until `now + ttl`. A write of the one
    /// write path, not an audited business change.
    pub async fn issue_stream_ticket(&self, binding: StreamBinding, ticket_hash: &str, ttl: Duration) -> StoreResult<IssuedTicket> {
        let work = self.begin().await?;
        let now = work.now();
        let expires_at = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::seconds(30));
        let row = stream_tickets::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(binding.workspace_id.as_uuid()),
            user_id: Set(binding.user_id.as_uuid()),
            ticket_hash: Set(ticket_hash.to_owned()),
            session_generation: Set(binding.session_generation),
            api_key_id: Set(binding.api_key_id.map(|k| k.as_uuid())),
            created_at: Set(now),
            expires_at: Set(expires_at),
            consumed_at: Set(None),
        };
        stream_tickets::Entity::insert(row).exec_without_returning(work.conn()).await?;
        work.commit().await?;
        Ok(IssuedTicket { expires_at })
    }

    /// Consumes the ticket with this hash, if it exists, is unexpired and was never used: one
    /// conditional update, so of two concurrent redemptions exactly one succeeds.
    pub async fn redeem_stream_ticket(&self, ticket_hash: &str) -> StoreResult<Option<StreamBinding>> {
        let work = self.begin().await?;
        let now = work.now();
        let consumed = stream_tickets::Entity::update_many()
            .col_expr(stream_tickets::Column::ConsumedAt, Expr::value(Some(now)))
            .filter(stream_tickets::Column::TicketHash.eq(ticket_hash))
            .filter(stream_tickets::Column::ConsumedAt.is_null())
            .filter(stream_tickets::Column::ExpiresAt.gt(now))
            .exec(work.conn())
            .await?;
        if consumed.rows_affected != 1 {
            return Ok(None);
        }
        let row = stream_tickets::Entity::find()
            .filter(stream_tickets::Column::TicketHash.eq(ticket_hash))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("stream ticket"))?;
        work.commit().await?;
        Ok(Some(StreamBinding {
            workspace_id: row.workspace_id.into(),
            user_id: row.user_id.into(),
            session_generation: row.session_generation,
            api_key_id: row.api_key_id.map(Into::into),
        }))
    }

    /// Deletes tickets expired for a minute or more (housekeeping).
    pub async fn purge_stream_tickets(&self) -> StoreResult<u64> {
        let cutoff = self.now() - chrono::Duration::minutes(1);
        let deleted = stream_tickets::Entity::delete_many().filter(stream_tickets::Column::ExpiresAt.lt(cutoff)).exec(&self.db).await?;
        Ok(deleted.rows_affected)
    }

    /// The viewer a stream reads as now, or `None` when its holder may no longer read: the user
    /// left or was deactivated, their password changed (a new session generation), or the API key
    /// was revoked or expired. Role and visibility are the current ones.
    pub async fn stream_viewer(&self, binding: StreamBinding) -> StoreResult<Option<Viewer>> {
        let mut viewers = self.stream_viewers(binding.workspace_id, &[binding]).await?;
        Ok(viewers.remove(&binding).flatten())
    }

    /// [`Store::stream_viewer`] for every holder of a workspace's open streams at once: one read of
    /// their accounts and one of their API keys, however many streams there are.
    pub async fn stream_viewers(
        &self,
        workspace_id: WorkspaceId,
        bindings: &[StreamBinding],
    ) -> StoreResult<HashMap<StreamBinding, Option<Viewer>>> {
        let users: HashSet<Uuid> = bindings.iter().map(|b| b.user_id.as_uuid()).collect();
        let keys: HashSet<Uuid> = bindings.iter().filter_map(|b| b.api_key_id.map(|k| k.as_uuid())).collect();
        let principals = self.principals(workspace_id, users.into_iter().collect()).await?;
        let usable_keys: HashSet<Uuid> = if keys.is_empty() {
            HashSet::new()
        } else {
            let now = self.now();
            api_keys::Entity::find()
                .filter(api_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(api_keys::Column::Id.is_in(keys))
                .all(&self.db)
                .await?
                .into_iter()
                .filter(|key| key.revoked_at.is_none() && key.expires_at.is_none_or(|at| at > now))
                .map(|key| key.id)
                .collect()
        };
        Ok(bindings
            .iter()
            .filter(|binding| binding.workspace_id == workspace_id)
            .map(|binding| {
                let principal = principals.get(&binding.user_id);
                let viewer = principal
                    .filter(|p| p.membership.active)
                    .filter(|p| binding.session_generation.is_none_or(|generation| generation == p.session_generation))
                    .filter(|_| binding.api_key_id.is_none_or(|key| usable_keys.contains(&key.as_uuid())))
                    .map(|p| Viewer::new(binding.workspace_id, binding.user_id, p.membership.role, p.visibility));
                (*binding, viewer)
            })
            .collect())
    }

    /// The workspace's last event number (0 before its first event).
    pub async fn stream_head(&self, workspace_id: WorkspaceId) -> StoreResult<i64> {
        let row = self
            .db
            .query_one_raw(statement(
                self.backend(),
                "SELECT last_sequence FROM event_sequences WHERE workspace_id = ?",
                vec![workspace_id.as_uuid().into()],
            ))
            .await?;
        Ok(match row {
            Some(row) => row.try_get("", "last_sequence")?,
            None => 0,
        })
    }

    /// Where a stream that last received `last_event_id` resumes: right after it when it is a
    /// number the workspace has reached and at most `retention` events old; otherwise `Reset`.
    pub async fn stream_resume(&self, workspace_id: WorkspaceId, last_event_id: i64, retention: i64) -> StoreResult<Resume> {
        let head = self.stream_head(workspace_id).await?;
        if last_event_id < 0 || last_event_id > head || head - last_event_id > retention {
            return Ok(Resume::Reset);
        }
        Ok(Resume::After(last_event_id))
    }

    /// Up to `limit` events of the workspace numbered after `after`, in order.
    pub async fn stream_events(&self, workspace_id: WorkspaceId, after: i64, limit: u64) -> StoreResult<Vec<StreamEvent>> {
        let rows = events::Entity::find()
            .filter(events::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(events::Column::Sequence.gt(after))
            .order_by_asc(events::Column::Sequence)
            .limit(limit)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .filter_map(|row| {
                Some(StreamEvent {
                    sequence: row.sequence?,
                    audience: Audience::of(&row.event_type, &row.aggregate_type, &row.payload),
                    event_type: row.event_type,
                    aggregate_type: row.aggregate_type,
                    aggregate_id: row.aggregate_id,
                    payload: row.payload,
                    occurred_at: row.occurred_at,
                })
            })
            .collect())
    }

    /// Whether `viewer` may read `event` now: the rule of the record's own reads. Deals, leads
    /// and contacts are judged by the owner the event carries (a deleted record is still judged);
    /// activities and opportunities by their current row, as their reads do (a vanished one only
    /// for viewers who see everything); products by every member; erasures and attachments only by viewers who see every
    /// deal and lead; a notification only by its user. An email is read by whoever sees its deal,
    /// else its contact; one about neither by admins alone.
    pub async fn stream_visible(&self, viewer: &Viewer, event: &StreamEvent) -> StoreResult<bool> {
        let sees_all = viewer.deals_owned_by().is_none() && viewer.leads_owned_by().is_none() && viewer.contacts_owned_by().is_none();
        let workspace = viewer.workspace_id.as_uuid();
        Ok(match &event.audience {
            Audience::Nobody => false,
            // A notification is its user's alone, whatever the reader's role.
            Audience::Recipient(user) => *user == Some(viewer.user_id),
            Audience::Email { deal_id: Some(deal_id), .. } => {
                let seen = Condition::all()
                    .add(deals::Column::Id.eq(*deal_id))
                    .add(deals::Column::WorkspaceId.eq(workspace))
                    .add(visibility::deals_seen(viewer));
                deals::Entity::find().filter(seen).count(&self.db).await? > 0
            }
            Audience::Email { deal_id: None, contact_id: Some(contact_id) } => {
                let seen = Condition::all()
                    .add(contacts::Column::Id.eq(*contact_id))
                    .add(contacts::Column::WorkspaceId.eq(workspace))
                    .add(visibility::contacts_seen(viewer));
                contacts::Entity::find().filter(seen).count(&self.db).await? > 0
            }
            Audience::Email { deal_id: None, contact_id: None } => viewer.role == kariz_domain::Role::Admin,
            _ if sees_all => true,
            Audience::Deal(owner) => owner.is_some_and(|owner| viewer.sees_deal_of(owner)),
            Audience::Lead(owner) => viewer.sees_lead_of(*owner),
            Audience::Contact(owner) => viewer.sees_contact_of(*owner),
            Audience::Activity => {
                let seen = Condition::all()
                    .add(activities::Column::Id.eq(event.aggregate_id))
                    .add(activities::Column::WorkspaceId.eq(workspace))
                    .add(visibility::activities_seen(viewer));
                activities::Entity::find().filter(seen).count(&self.db).await? > 0
            }
            Audience::Opportunity => {
                let seen = Condition::all()
                    .add(opportunities::Column::Id.eq(event.aggregate_id))
                    .add(opportunities::Column::WorkspaceId.eq(workspace))
                    .add(visibility::opportunities_seen(viewer));
                opportunities::Entity::find().filter(seen).count(&self.db).await? > 0
            }
            Audience::Everyone => true,
            Audience::SeesAll => false,
        })
    }

    /// Numbers every committed event still without a number, one transaction per workspace, and
    /// wakes this process's streams of those workspaces. Answers how many workspaces it numbered.
    pub async fn sequence_events(&self) -> StoreResult<usize> {
        // In the unnumbered index's order (a `DISTINCT` let stale statistics scan the table): each
        // round numbers every event of the workspaces its batch names, until a batch is the last.
        let pending = "SELECT workspace_id FROM events WHERE sequence IS NULL ORDER BY id LIMIT ?";
        let mut numbered = 0;
        loop {
            let rows = self.db.query_all_raw(statement(self.backend(), pending, vec![NUMBERING_BATCH.into()])).await?;
            let mut workspaces: Vec<Uuid> = Vec::new();
            for row in &rows {
                let workspace_id: Uuid = row.try_get("", "workspace_id")?;
                if !workspaces.contains(&workspace_id) {
                    workspaces.push(workspace_id);
                }
            }
            for workspace_id in &workspaces {
                let unit = self.begin().await?;
                number_events(unit.conn(), *workspace_id, self.origin).await?;
                unit.commit_bookkeeping().await?;
                self.signal_stream(*workspace_id);
            }
            numbered += workspaces.len();
            if rows.len() < NUMBERING_BATCH as usize {
                return Ok(numbered);
            }
        }
    }

    /// Numbers events until the store is closed: at once when this process commits some, and
    /// every `interval` for those of a replica whose sequencer stopped before numbering its own
    /// (a crash between a commit and its numbering loses nothing: the next pass numbers it).
    pub async fn run_sequencer(&self, interval: Duration) {
        loop {
            if self.is_closed() {
                return;
            }
            if let Err(err) = self.sequence_events().await {
                tracing::warn!(error = %err, "could not number the outbox events; retrying");
            }
            tokio::select! {
                () = self.sequencer_woken() => {}
                () = tokio::time::sleep(interval) => {}
            }
        }
    }

    pub(crate) fn is_closed(&self) -> bool {
        match self.backend() {
            DatabaseBackend::Postgres => self.db.get_postgres_connection_pool().is_closed(),
            _ => self.db.get_sqlite_connection_pool().is_closed(),
        }
    }

    /// Relays PostgreSQL's `NOTIFY kariz_events` to this process's streams until the store is
    /// closed; on SQLite, where every writer is in this process, returns at once. After each
    /// (re)connection every stream is woken, since announcements may have been missed meanwhile.
    pub async fn relay_notifications(&self) {
        if self.backend() != DatabaseBackend::Postgres {
            return;
        }
        use sea_orm::sqlx::postgres::PgListener;
        let mut backoff = Duration::from_millis(100);
        loop {
            let pool = self.db.get_postgres_connection_pool();
            if pool.is_closed() {
                return;
            }
            let listener = async {
                let mut listener = PgListener::connect_with(pool).await?;
                listener.listen(CHANNEL).await?;
                Ok::<_, sea_orm::sqlx::Error>(listener)
            };
            match listener.await {
                Ok(mut listener) => {
                    backoff = Duration::from_millis(100);
                    self.signal_stream(Uuid::nil());
                    loop {
                        match listener.recv().await {
                            Ok(notification) => {
                                let (workspace, origin) = notification.payload().split_once(' ').unwrap_or((notification.payload(), ""));
                                if Uuid::parse_str(origin).is_ok_and(|origin| origin == self.origin) {
                                    continue;
                                }
                                match Uuid::parse_str(workspace) {
                                    Ok(workspace_id) => self.signal_stream(workspace_id),
                                    Err(_) => self.signal_stream(Uuid::nil()),
                                }
                            }
                            Err(err) => {
                                tracing::warn!(error = %err, "lost the event notifications; reconnecting");
                                break;
                            }
                        }
                    }
                }
                Err(err) => tracing::warn!(error = %err, "could not listen for event notifications; retrying"),
            }
            tokio::time::sleep(backoff).await;
            backoff = (backoff * 2).min(Duration::from_secs(5));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_events_audience_is_read_from_its_type_and_payload() {
        let owner = Uuid::now_v7();
        let owned = |object: &str| format!(r#"{{"{object}": {{"owner_id": "{owner}"}}}}"#);
        assert_eq!(Audience::of("ping", "webhook", "{}"), Audience::Nobody);
        assert_eq!(Audience::of("deal.updated", "deal", &owned("deal")), Audience::Deal(Some(UserId::from(owner))));
        assert_eq!(Audience::of("deal.deleted", "deal", "{}"), Audience::Deal(None));
        assert_eq!(Audience::of("lead.created", "lead", &owned("lead")), Audience::Lead(Some(UserId::from(owner))));
        assert_eq!(Audience::of("lead.erased", "lead", r#"{"erased": true}"#), Audience::SeesAll, "no lead object: erasures");
        assert_eq!(Audience::of("contact.updated", "contact", &owned("contact")), Audience::Contact(Some(UserId::from(owner))));
        let notification = format!(r#"{{"notification": {{"user_id": "{owner}"}}}}"#);
        assert_eq!(Audience::of("notification.created", "notification", &notification), Audience::Recipient(Some(UserId::from(owner))));
        let email = format!(r#"{{"email": {{"contact_id": "{owner}", "deal_id": null}}}}"#);
        assert_eq!(Audience::of("email.sent", "email", &email), Audience::Email { deal_id: None, contact_id: Some(owner) });
        assert_eq!(Audience::of("activity.created", "activity", "{}"), Audience::Activity);
        assert_eq!(Audience::of("attachment.added", "attachment", "not json"), Audience::SeesAll);
        assert_eq!(Audience::of("product.created", "product", "{}"), Audience::Everyone, "the catalogue is every member's");
    }
}
