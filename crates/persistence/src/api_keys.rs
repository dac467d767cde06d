//! API keys for integrations: created by admins, shown once, stored as a hash, revocable.

use chrono::{DateTime, Duration, Utc};
use kariz_domain::{ApiKeyId, UserId, WorkspaceId};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use crate::audit;
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
    pub scopes: Vec<String>,
    pub created_by: Option<UserId>,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// What a new key is stored as; the plain key itself never reaches the store.
pub struct NewApiKey {
    pub name: String,
    pub prefix: String,
    pub key_hash: String,
    pub scopes: Vec<String>,
}

fn key_record(row: api_keys::Model) -> ApiKeyRecord {
    ApiKeyRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        name: row.name,
        prefix: row.prefix,
        scopes: row.scopes.split_whitespace().map(str::to_owned).collect(),
        created_by: row.created_by.map(Into::into),
        created_at: row.created_at,
        last_used_at: row.last_used_at,
        revoked_at: row.revoked_at,
    }
}

impl Store {
    pub async fn create_api_key(&self, workspace_id: WorkspaceId, actor_id: UserId, new: NewApiKey) -> StoreResult<ApiKeyRecord> {
        let row = api_keys::ActiveModel {
            id: Set(ApiKeyId::new().as_uuid()),
            workspace_id: Set(workspace_id.as_uuid()),
            name: Set(new.name),
            prefix: Set(new.prefix),
            key_hash: Set(new.key_hash),
            scopes: Set(new.scopes.join(" ")),
            created_by: Set(Some(actor_id.as_uuid())),
            created_at: Set(Utc::now()),
            last_used_at: Set(None),
            revoked_at: Set(None),
        };
        let txn = self.write().await?;
        let row = api_keys::Entity::insert(row).exec_with_returning(&txn).await?;
        audit::object::<api_keys::Entity>(&txn, workspace_id, "api_key.created", row.id).await?;
        txn.commit().await?;
        Ok(key_record(row))
    }

    /// Every key of the workspace, revoked ones included, newest first.
    pub async fn api_keys(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<ApiKeyRecord>> {
        let rows = api_keys::Entity::find()
            .filter(api_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_desc(api_keys::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(key_record).collect())
    }

    /// Revokes a key at once; revoking twice is harmless.
    pub async fn revoke_api_key(&self, workspace_id: WorkspaceId, id: ApiKeyId) -> StoreResult<ApiKeyRecord> {
        let scope = || api_keys::Entity::find_by_id(id.as_uuid()).filter(api_keys::Column::WorkspaceId.eq(workspace_id.as_uuid()));
        let row = scope().one(&self.db).await?.ok_or(StoreError::NotFound("API key"))?;
        if row.revoked_at.is_none() {
            let txn = self.write().await?;
            api_keys::Entity::update_many()
                .col_expr(api_keys::Column::RevokedAt, Expr::value(Some(Utc::now())))
                .filter(api_keys::Column::Id.eq(id.as_uuid()))
                .filter(api_keys::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
            audit::updated::<api_keys::Entity>(&txn, workspace_id, "api_key.revoked", id.as_uuid(), audit::serialized(&row)).await?;
            txn.commit().await?;
        }
        Ok(key_record(scope().one(&self.db).await?.ok_or(StoreError::NotFound("API key"))?))
    }

    /// The live key with this hash, marking it used; revoked and unknown keys are refused alike.
    pub async fn authenticate_api_key(&self, key_hash: &str) -> StoreResult<ApiKeyRecord> {
        let row = api_keys::Entity::find()
            .filter(api_keys::Column::KeyHash.eq(key_hash))
            .filter(api_keys::Column::RevokedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(StoreError::Unauthorized)?;
        let now = Utc::now();
        let mut record = key_record(row);
        if record.last_used_at.is_none_or(|at| now - at >= LAST_USED_GRANULARITY) {
            api_keys::Entity::update_many()
                .col_expr(api_keys::Column::LastUsedAt, Expr::value(Some(now)))
                .filter(api_keys::Column::Id.eq(record.id.as_uuid()))
                .exec(&self.db)
                .await?;
            record.last_used_at = Some(now);
        }
        Ok(record)
    }
}
