//! `Idempotency-Key`: the first request with a key does the work and its response is kept for
//! 24 hours; a retry with the same key and the same request gets that response again.
//!
//! Keys belong to the caller who sent them ([`KeyOwner`]: a user's access token, or one API key),
//! never to the workspace or to the user an API key acts for. Each answer is kept with the
//! authority its request needed (opaque here; the HTTP edge writes and checks it), and an answer
//! that held a secret is kept as withheld: its key is spent, its body never stored.

use chrono::Duration;
use kariz_domain::{ApiKeyId, UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, Select};
use uuid::Uuid;

use crate::entities::idempotency_keys;
use crate::error::StoreResult;
use crate::store::Store;

/// How long a stored response is replayed; older ones are purged ([`Store::purge_idempotency_keys`]).
pub const RETENTION_HOURS: i64 = 24;
/// A first request that has not finished after this long is presumed dead, and its key reusable.
const ABANDONED_AFTER_SECONDS: i64 = 60;

/// The caller a key belongs to: a user with their access token, or an API key (which acts as
/// its maker but does not share the maker's keys, nor another key's).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct KeyOwner {
    pub workspace_id: WorkspaceId,
    pub user_id: UserId,
    pub api_key_id: Option<ApiKeyId>,
}

impl KeyOwner {
    fn caller(&self) -> String {
        match self.api_key_id {
            Some(key) => format!("api_key:{key}"),
            None => format!("user:{}", self.user_id),
        }
    }

    fn keys(&self, key: &str) -> Select<idempotency_keys::Entity> {
        idempotency_keys::Entity::find()
            .filter(idempotency_keys::Column::WorkspaceId.eq(self.workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::Caller.eq(self.caller()))
            .filter(idempotency_keys::Column::Key.eq(key))
    }
}

/// A response as stored for replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    /// The headers worth replaying (content type, ETag, Location), as name/value pairs.
    pub headers: Vec<(String, String)>,
}

/// The answer to a key's first request: the authority it needed and, unless it held a secret,
/// its response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    pub authority: String,
    /// `None` when the response held a secret and was not kept.
    pub response: Option<StoredResponse>,
}

/// Where a key stands, for a request whose body is too large to fingerprint before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Unused, expired or abandoned: the request may claim it.
    Free,
    /// The first request with this key is still being answered.
    InProgress,
    /// Answered: a retry with this fingerprint gets the answer again.
    Answered { fingerprint: String, answer: Answer },
}

/// A first request still running after this long is presumed dead, and its key reusable. A
/// streamed upload (a large import) may run for minutes, so it keeps its key longer.
const ABANDONED_STREAM_AFTER_SECONDS: i64 = 30 * 60;

/// What to do with a request that carries a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is new (or expired): do the work, then `complete` or `release` the key.
    Proceed,
    /// The same request was answered before.
    Replay(Answer),
    /// The first request with this key is still being answered.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

fn answer_of(row: &idempotency_keys::Model) -> Option<Answer> {
    let status = row.status_code?;
    let authority = row.authority.clone().unwrap_or_default();
    if row.withheld {
        return Some(Answer { authority, response: None });
    }
    let response = StoredResponse {
        status: u16::try_from(status).unwrap_or(200),
        body: row.response_body.clone()?,
        headers: row.response_headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default(),
    };
    Some(Answer { authority, response: Some(response) })
}

impl Store {
    pub async fn claim_idempotency_key(&self, owner: KeyOwner, key: &str, fingerprint: &str) -> StoreResult<KeyClaim> {
        let now = self.now();
        if let Some(existing) = owner.keys(key).one(&self.db).await? {
            let expired = existing.created_at < now - Duration::hours(RETENTION_HOURS);
            let abandoned = existing.status_code.is_none() && existing.created_at < now - Duration::seconds(ABANDONED_AFTER_SECONDS);
            if !(expired || abandoned) {
                if existing.fingerprint != fingerprint {
                    return Ok(KeyClaim::Mismatch);
                }
                return Ok(answer_of(&existing).map_or(KeyClaim::InProgress, KeyClaim::Replay));
            }
            idempotency_keys::Entity::delete_by_id(existing.id).exec(&self.db).await?;
        }
        let inserted = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(owner.workspace_id.as_uuid()),
            user_id: Set(owner.user_id.as_uuid()),
            caller: Set(owner.caller()),
            key: Set(key.to_owned()),
            fingerprint: Set(fingerprint.to_owned()),
            status_code: Set(None),
            response_body: Set(None),
            response_headers: Set(None),
            authority: Set(None),
            withheld: Set(false),
            created_at: Set(now),
        })
        .exec_without_returning(&self.db)
        .await;
        match inserted {
            Ok(_) => Ok(KeyClaim::Proceed),
            // Another request with the same key got in first.
            Err(err) if matches!(err.sql_err(), Some(sea_orm::SqlErr::UniqueConstraintViolation(_))) => Ok(KeyClaim::InProgress),
            Err(err) => Err(err.into()),
        }
    }

    /// Where a key stands (see [`KeyState`]), without claiming it: a large body is read and
    /// hashed only to compare it with an answered request's, or else streamed to its handler.
    pub async fn idempotency_key_state(&self, owner: KeyOwner, key: &str) -> StoreResult<KeyState> {
        let now = self.now();
        let Some(existing) = owner.keys(key).one(&self.db).await? else { return Ok(KeyState::Free) };
        if existing.created_at < now - Duration::hours(RETENTION_HOURS) {
            return Ok(KeyState::Free);
        }
        Ok(match answer_of(&existing) {
            Some(answer) => KeyState::Answered { fingerprint: existing.fingerprint, answer },
            None if existing.created_at < now - Duration::seconds(ABANDONED_STREAM_AFTER_SECONDS) => KeyState::Free,
            None => KeyState::InProgress,
        })
    }

    /// Keeps the answer of the request that claimed the key: the authority it needed, the
    /// fingerprint of its request (known only now for a streamed body) and its response — or,
    /// for a response that held a secret (`None`), only that it was answered.
    pub async fn complete_idempotency_key(
        &self,
        owner: KeyOwner,
        key: &str,
        fingerprint: &str,
        authority: &str,
        status: u16,
        response: Option<StoredResponse>,
    ) -> StoreResult<()> {
        let withheld = response.is_none();
        let (body, headers) = match response {
            Some(response) => (Some(response.body), Some(serde_json::to_string(&response.headers).unwrap_or_default())),
            None => (None, None),
        };
        idempotency_keys::Entity::update_many()
            .col_expr(idempotency_keys::Column::Fingerprint, Expr::value(fingerprint))
            .col_expr(idempotency_keys::Column::StatusCode, Expr::value(i32::from(status)))
            .col_expr(idempotency_keys::Column::ResponseBody, Expr::value(body))
            .col_expr(idempotency_keys::Column::ResponseHeaders, Expr::value(headers))
            .col_expr(idempotency_keys::Column::Authority, Expr::value(authority))
            .col_expr(idempotency_keys::Column::Withheld, Expr::value(withheld))
            .filter(idempotency_keys::Column::WorkspaceId.eq(owner.workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::Caller.eq(owner.caller()))
            .filter(idempotency_keys::Column::Key.eq(key))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Frees a key whose request failed, so that the client can retry it.
    pub async fn release_idempotency_key(&self, owner: KeyOwner, key: &str) -> StoreResult<()> {
        idempotency_keys::Entity::delete_many()
            .filter(idempotency_keys::Column::WorkspaceId.eq(owner.workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::Caller.eq(owner.caller()))
            .filter(idempotency_keys::Column::Key.eq(key))
            .filter(idempotency_keys::Column::StatusCode.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Deletes the keys older than their retention, answers and abandoned claims alike (none of
    /// them is replayed any more); the maintenance pass of `kariz serve` and `kariz worker` calls
    /// it every minute. Returns how many it deleted.
    pub async fn purge_idempotency_keys(&self) -> StoreResult<u64> {
        let cutoff = self.now() - Duration::hours(RETENTION_HOURS);
        let deleted = idempotency_keys::Entity::delete_many().filter(idempotency_keys::Column::CreatedAt.lt(cutoff)).exec(&self.db).await?;
        Ok(deleted.rows_affected)
    }
}
