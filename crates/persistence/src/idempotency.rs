//! `Idempotency-Key`: the first request with a key does the work and its response is kept for
//! 24 hours; a retry with the same key and the same request gets that response again.

use chrono::Duration;
use kariz_domain::{UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use uuid::Uuid;

use crate::entities::idempotency_keys;
use crate::error::StoreResult;
use crate::store::Store;

/// How long a stored response is replayed.
pub const RETENTION_HOURS: i64 = 24;
/// A first request that has not finished after this long is presumed dead, and its key reusable.
const ABANDONED_AFTER_SECONDS: i64 = 60;

/// A response as stored for replay.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredResponse {
    pub status: u16,
    pub body: String,
    /// The headers worth replaying (content type, ETag, Location), as name/value pairs.
    pub headers: Vec<(String, String)>,
}

/// Where a key stands, for a request whose body is too large to fingerprint before it runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyState {
    /// Unused, expired or abandoned: the request may claim it.
    Free,
    /// The first request with this key is still being answered.
    InProgress,
    /// Answered: a retry with this fingerprint gets the response again.
    Answered { fingerprint: String, response: StoredResponse },
}

/// A first request still running after this long is presumed dead, and its key reusable. A
/// streamed upload (a large import) may run for minutes, so it keeps its key longer.
const ABANDONED_STREAM_AFTER_SECONDS: i64 = 30 * 60;

/// What to do with a request that carries a key.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum KeyClaim {
    /// The key is new (or expired): do the work, then `complete` or `release` the key.
    Proceed,
    /// The same request was answered before: send this again.
    Replay(StoredResponse),
    /// The first request with this key is still being answered.
    InProgress,
    /// The key was used for a different request.
    Mismatch,
}

impl Store {
    pub async fn claim_idempotency_key(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        key: &str,
        fingerprint: &str,
    ) -> StoreResult<KeyClaim> {
        let now = self.now();
        let scope = || {
            idempotency_keys::Entity::find()
                .filter(idempotency_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(idempotency_keys::Column::UserId.eq(user_id.as_uuid()))
                .filter(idempotency_keys::Column::Key.eq(key))
        };
        if let Some(existing) = scope().one(&self.db).await? {
            let expired = existing.created_at < now - Duration::hours(RETENTION_HOURS);
            let abandoned = existing.status_code.is_none() && existing.created_at < now - Duration::seconds(ABANDONED_AFTER_SECONDS);
            if !(expired || abandoned) {
                if existing.fingerprint != fingerprint {
                    return Ok(KeyClaim::Mismatch);
                }
                return Ok(match (existing.status_code, existing.response_body) {
                    (Some(status), Some(body)) => KeyClaim::Replay(StoredResponse {
                        status: u16::try_from(status).unwrap_or(200),
                        body,
                        headers: existing.response_headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default(),
                    }),
                    _ => KeyClaim::InProgress,
                });
            }
            idempotency_keys::Entity::delete_by_id(existing.id).exec(&self.db).await?;
        }
        let inserted = idempotency_keys::Entity::insert(idempotency_keys::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(workspace_id.as_uuid()),
            user_id: Set(user_id.as_uuid()),
            key: Set(key.to_owned()),
            fingerprint: Set(fingerprint.to_owned()),
            status_code: Set(None),
            response_body: Set(None),
            response_headers: Set(None),
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
    pub async fn idempotency_key_state(&self, workspace_id: WorkspaceId, user_id: UserId, key: &str) -> StoreResult<KeyState> {
        let now = self.now();
        let existing = idempotency_keys::Entity::find()
            .filter(idempotency_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::UserId.eq(user_id.as_uuid()))
            .filter(idempotency_keys::Column::Key.eq(key))
            .one(&self.db)
            .await?;
        let Some(existing) = existing else { return Ok(KeyState::Free) };
        if existing.created_at < now - Duration::hours(RETENTION_HOURS) {
            return Ok(KeyState::Free);
        }
        Ok(match (existing.status_code, existing.response_body) {
            (Some(status), Some(body)) => KeyState::Answered {
                fingerprint: existing.fingerprint,
                response: StoredResponse {
                    status: u16::try_from(status).unwrap_or(200),
                    body,
                    headers: existing.response_headers.as_deref().and_then(|h| serde_json::from_str(h).ok()).unwrap_or_default(),
                },
            },
            _ if existing.created_at < now - Duration::seconds(ABANDONED_STREAM_AFTER_SECONDS) => KeyState::Free,
            _ => KeyState::InProgress,
        })
    }

    /// Keeps the response of the request that claimed the key, and the fingerprint of its request
    /// (known only now for a streamed body).
    pub async fn complete_idempotency_key(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        key: &str,
        fingerprint: &str,
        response: StoredResponse,
    ) -> StoreResult<()> {
        idempotency_keys::Entity::update_many()
            .col_expr(idempotency_keys::Column::Fingerprint, Expr::value(fingerprint))
            .col_expr(idempotency_keys::Column::StatusCode, Expr::value(i32::from(response.status)))
            .col_expr(idempotency_keys::Column::ResponseBody, Expr::value(response.body))
            .col_expr(idempotency_keys::Column::ResponseHeaders, Expr::value(serde_json::to_string(&response.headers).unwrap_or_default()))
            .filter(idempotency_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::UserId.eq(user_id.as_uuid()))
            .filter(idempotency_keys::Column::Key.eq(key))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Frees a key whose request failed, so that the client can retry it.
    pub async fn release_idempotency_key(&self, workspace_id: WorkspaceId, user_id: UserId, key: &str) -> StoreResult<()> {
        idempotency_keys::Entity::delete_many()
            .filter(idempotency_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(idempotency_keys::Column::UserId.eq(user_id.as_uuid()))
            .filter(idempotency_keys::Column::Key.eq(key))
            .filter(idempotency_keys::Column::StatusCode.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }
}
