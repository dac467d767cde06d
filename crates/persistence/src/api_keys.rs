//! API keys for integrations: created by admins, shown once, stored as a hash, scoped, revocable,
//! optionally expiring. A key acts as the user who created it.

use chrono::{DateTime, Duration, Utc};
use kariz_domain::{ApiKeyId, ApiKeyScopes, KeyRefusal, Role, UserId, VisibilitySettings, WorkspaceId, check_key_usable};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::api_keys;
use crate::error::{StoreError, StoreResult};
use crate::store::Store;

/// `last_used_at` is written at most this often per key, so a busy form does not turn every
/// submission into two writes.
const LAST_USED_GRANULARITY: Duration = Duration::minutes(1);

#[derive(Clone, Debug)]
pub struct ApiKeyRecord {
    pub id: ApiKeyId,
    pub workspace_id: WorkspaceId,
    pub name: String,
    pub prefix: String,
    pub scopes: ApiKeyScopes,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
    pub expires_at: Option<DateTime<Utc>>,
}

/// A key that authenticated, with the user it acts as.
#[derive(Clone, Debug)]
pub struct ApiKeyHolder {
    pub key: ApiKeyRecord,
    pub user_id: UserId,
    /// The creator's role now: a key never does more than its creator may.
    pub role: Role,
    /// The workspace's visibility settings now, read with the creator.
    pub visibility: VisibilitySettings,
}

/// What a new key is stored as; the plain key itself never reaches the store.
pub struct NewApiKey {
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scopes: ApiKeyScopes,
    pub expires_at: Option<DateTime<Utc>>,
}

fn key_record(row: api_keys::Model) -> StoreResult<ApiKeyRecord> {
    let names: Vec<&str> = row.scopes.split_whitespace().collect();
    let scopes = ApiKeyScopes::parse(&names).map_err(|e| StoreError::corrupt("api_keys", e))?;
    Ok(ApiKeyRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        name: row.name,
        prefix: row.prefix,
        scopes,
        created_by: row.created_by.map(Into::into),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
        expires_at: row.expires_at,
    })
}

impl Store {
    pub async fn create_api_key(&self, workspace_id: WorkspaceId, actor_id: UserId, new: NewApiKey) -> StoreResult<ApiKeyRecord> {
        let mut work = self.begin().await?;
        let row = api_keys::Model {
            id: ApiKeyId::new().as_uuid(),
            workspace_id: workspace_id.as_uuid(),
            name: new.name,
            prefix: new.prefix,
            key_hash: new.key_hash,
            scopes: new.scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(" "),
            created_by: Some(actor_id.as_uuid()),
            created_at: work.now(),
            last_used_at: None,
            revoked_at: None,
            expires_at: new.expires_at,
        };
        let row = work.insert("api_key.created", row).await?;
        work.commit().await?;
        key_record(row)
    }

    /// Every key of the workspace, revoked ones included, newest first.
    pub async fn api_keys(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows = api_keys::Entity::find()
            .filter(api_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_desc(api_keys::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(key_record).collect()
    }

    /// Revokes a key at once; revoking twice is harmless.
    pub async fn revoke_api_key(&self, workspace_id: WorkspaceId, id: ApiKeyId) -> StoreResult<ApiKeyRecord> {
        let mut work = self.begin().await?;
        let row = api_keys::Entity::find_by_id(id.as_uuid())
            .filter(api_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("API key"))?;
        if row.revoked_at.is_some() {
            return key_record(row);
        }
        let revoked = api_keys::Model { revoked_at: Some(work.now()), ..row.clone() };
        let revoked = work.replace("api_key.revoked", &row, revoked).await?;
        work.commit().await?;
        key_record(revoked)
    }

    /// The key with this hash and the user it acts as, with that user's current role, marking it
    /// used. Unknown, revoked and expired keys, and keys whose creator was deactivated (or is gone),
    /// are refused with the reason.
    pub async fn authenticate_api_key(&self, key_hash: &str, now: DateTime<Utc>) -> StoreResult<ApiKeyHolder> {
        let row = api_keys::Entity::find().filter(api_keys::Column::KeyHash.eq(key_hash)).one(&self.db).await?;
        let mut key = key_record(row.ok_or(KeyRefusal::Unknown)?)?;
        check_key_usable(key.revoked_at, key.expires_at, now)?;
        let creator_id = key.created_by.ok_or(KeyRefusal::CreatorInactive)?;
        let creator = self.principal(key.workspace_id, creator_id).await?;
        let creator = creator.filter(|creator| creator.membership.active).ok_or(KeyRefusal::CreatorInactive)?;
        if key.last_used_at.is_none_or(|at| now - at >= LAST_USED_GRANULARITY) {
            api_keys::Entity::update_many()
                .col_expr(api_keys::Column::LastUsedAt, Expr::value(Some(now)))
                .filter(api_keys::Column::Id.eq(key.id.as_uuid()))
                .exec(&self.db)
                .await?;
            key.last_used_at = Some(now);
        }
        Ok(ApiKeyHolder { key, user_id: creator_id, role: creator.membership.role, visibility: creator.visibility })
    }
}
