//! Workspaces, users and refresh-token families.

use chrono::{DateTime, Utc};
use kariz_domain::{Currency, Email, PersonName, Role, UserId, Visibility, VisibilitySettings, WorkspaceId, WorkspaceName};
use sea_orm::ActiveValue::Set;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::audit;
use crate::entities::{refresh_tokens, users, workspaces};
use crate::error::{StoreError, StoreResult};
use crate::records::{UserCredentials, UserRecord, WorkspaceRecord};
use crate::store::Store;

/// A new member's details; the password is already hashed by the caller.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub email: Email,
    pub name: PersonName,
    pub role: Role,
    pub locale: String,
    pub password_hash: String,
}

fn user_record(row: users::Model) -> StoreResult<UserRecord> {
    Ok(UserRecord {
        id: row.id.into(),
        workspace_id: row.workspace_id.into(),
        email: Email::parse(&row.email).map_err(|e| StoreError::corrupt("users", e))?,
        name: row.name,
        role: Role::parse(&row.role).ok_or_else(|| StoreError::corrupt("users", format!("role {}", row.role)))?,
        locale: row.locale,
        active: row.active,
        created_at: row.created_at,
    })
}

fn workspace_record(row: workspaces::Model) -> StoreResult<WorkspaceRecord> {
    Ok(WorkspaceRecord {
        id: row.id.into(),
        name: row.name,
        default_currency: Currency::from_stored(&row.default_currency).map_err(|e| StoreError::corrupt("workspaces", e))?,
        locale: row.locale,
        visibility: VisibilitySettings { deals: visibility_of(&row.deal_visibility)?, leads: visibility_of(&row.lead_visibility)? },
        created_at: row.created_at,
    })
}

fn visibility_of(raw: &str) -> StoreResult<Visibility> {
    Visibility::parse(raw).ok_or_else(|| StoreError::corrupt("workspaces", format!("visibility {raw}")))
}

/// What an admin may change of a member; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct UserPatch {
    pub name: Option<PersonName>,
    pub role: Option<Role>,
    /// `false` deactivates: no more sign-ins or refreshes, and every refresh token is revoked.
    pub active: Option<bool>,
}

/// What an admin may change of the workspace; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct WorkspacePatch {
    pub name: Option<WorkspaceName>,
    pub deal_visibility: Option<Visibility>,
    pub lead_visibility: Option<Visibility>,
}

fn user_row(workspace_id: WorkspaceId, user: NewUser, now: DateTime<Utc>) -> users::ActiveModel {
    users::ActiveModel {
        id: Set(UserId::new().as_uuid()),
        workspace_id: Set(workspace_id.as_uuid()),
        email: Set(user.email.as_str().to_owned()),
        name: Set(user.name.into_inner()),
        role: Set(user.role.as_str().to_owned()),
        locale: Set(user.locale),
        password_hash: Set(user.password_hash),
        active: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
    }
}

impl Store {
    async fn ensure_email_free(&self, email: &Email) -> StoreResult<()> {
        let taken = users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(&self.db).await?;
        match taken {
            Some(_) => Err(StoreError::Conflict("a user with this email already exists".to_owned())),
            None => Ok(()),
        }
    }

    /// Creates a workspace and its first user (an admin) together.
    pub async fn create_workspace_with_admin(
        &self,
        name: WorkspaceName,
        default_currency: Currency,
        admin: NewUser,
    ) -> StoreResult<(WorkspaceRecord, UserRecord)> {
        self.ensure_email_free(&admin.email).await?;
        let now = Utc::now();
        let workspace_id = WorkspaceId::new();
        let locale = admin.locale.clone();
        let txn = self.write().await?;
        let workspace = workspaces::Entity::insert(workspaces::ActiveModel {
            id: Set(workspace_id.as_uuid()),
            name: Set(name.into_inner()),
            default_currency: Set(default_currency.as_str().to_owned()),
            locale: Set(locale),
            deal_visibility: Set(Visibility::default().as_str().to_owned()),
            lead_visibility: Set(Visibility::default().as_str().to_owned()),
            created_at: Set(now),
            updated_at: Set(now),
        })
        .exec_with_returning(&txn)
        .await?;
        let user = users::Entity::insert(user_row(workspace_id, NewUser { role: Role::Admin, ..admin }, now))
            .exec_with_returning(&txn)
            .await
            .map_err(unique_email)?;
        // Whoever signs up is the workspace's first user: they are the actor of its creation.
        audit::identify(Some(user.id.into()), None);
        audit::object::<workspaces::Entity>(&txn, workspace_id, "workspace.created", workspace_id.as_uuid()).await?;
        audit::object::<users::Entity>(&txn, workspace_id, "user.created", user.id).await?;
        txn.commit().await?;
        Ok((workspace_record(workspace)?, user_record(user)?))
    }

    /// Adds a user to an existing workspace.
    pub async fn create_user(&self, workspace_id: WorkspaceId, user: NewUser) -> StoreResult<UserRecord> {
        self.workspace(workspace_id).await?;
        self.ensure_email_free(&user.email).await?;
        let txn = self.write().await?;
        let row = users::Entity::insert(user_row(workspace_id, user, Utc::now())).exec_with_returning(&txn).await.map_err(unique_email)?;
        audit::object::<users::Entity>(&txn, workspace_id, "user.created", row.id).await?;
        txn.commit().await?;
        user_record(row)
    }

    pub async fn workspace(&self, workspace_id: WorkspaceId) -> StoreResult<WorkspaceRecord> {
        let row = workspaces::Entity::find_by_id(workspace_id.as_uuid()).one(&self.db).await?.ok_or(StoreError::NotFound("workspace"))?;
        workspace_record(row)
    }

    /// Changes the workspace's name or visibility settings.
    pub async fn update_workspace(&self, workspace_id: WorkspaceId, patch: WorkspacePatch) -> StoreResult<WorkspaceRecord> {
        let txn = self.write().await?;
        let row = workspaces::Entity::find_by_id(workspace_id.as_uuid()).one(&txn).await?.ok_or(StoreError::NotFound("workspace"))?;
        let before = audit::serialized(&row);
        let mut row: workspaces::ActiveModel = row.into();
        if let Some(name) = patch.name {
            row.name = Set(name.into_inner());
        }
        if let Some(visibility) = patch.deal_visibility {
            row.deal_visibility = Set(visibility.as_str().to_owned());
        }
        if let Some(visibility) = patch.lead_visibility {
            row.lead_visibility = Set(visibility.as_str().to_owned());
        }
        row.updated_at = Set(Utc::now());
        let updated = row.update(&txn).await?;
        audit::changed(&txn, workspace_id, "workspace.updated", updated.id, &before, &audit::serialized(&updated)).await?;
        txn.commit().await?;
        workspace_record(updated)
    }

    /// Changes a member's name, role or whether they are active. The workspace always keeps an
    /// active admin: demoting or deactivating its last one is refused (a conflict), checked and
    /// written in one transaction that holds the workspace row, so two admins demoting each other
    /// cannot both succeed.
    pub async fn update_user(&self, workspace_id: WorkspaceId, user_id: UserId, patch: UserPatch) -> StoreResult<UserRecord> {
        let txn = self.write().await?;
        workspaces::Entity::find_by_id(workspace_id.as_uuid())
            .lock_exclusive()
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("workspace"))?;
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&txn)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let deactivated = row.active && patch.active == Some(false);
        let demoted = patch.role.is_some_and(|role| role != Role::Admin) || deactivated;
        if row.role == Role::Admin.as_str() && row.active && demoted {
            let other_admins = users::Entity::find()
                .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
                .filter(users::Column::Role.eq(Role::Admin.as_str()))
                .filter(users::Column::Active.eq(true))
                .filter(users::Column::Id.ne(user_id.as_uuid()))
                .count(&txn)
                .await?;
            if other_admins == 0 {
                return Err(StoreError::Conflict("a workspace needs at least one active admin; make someone else admin first".to_owned()));
            }
        }
        let before = audit::serialized(&row);
        let mut row: users::ActiveModel = row.into();
        if let Some(name) = patch.name {
            row.name = Set(name.into_inner());
        }
        if let Some(role) = patch.role {
            row.role = Set(role.as_str().to_owned());
        }
        if let Some(active) = patch.active {
            row.active = Set(active);
        }
        row.updated_at = Set(Utc::now());
        let updated = row.update(&txn).await?;
        if deactivated {
            refresh_tokens::Entity::update_many()
                .col_expr(refresh_tokens::Column::RevokedAt, sea_orm::sea_query::Expr::value(Utc::now()))
                .filter(refresh_tokens::Column::UserId.eq(user_id.as_uuid()))
                .filter(refresh_tokens::Column::RevokedAt.is_null())
                .exec(&txn)
                .await?;
        }
        let action = if deactivated { "user.deactivated" } else { "user.updated" };
        audit::changed(&txn, workspace_id, action, updated.id, &before, &audit::serialized(&updated)).await?;
        txn.commit().await?;
        user_record(updated)
    }

    /// The oldest workspace, if any (the one `kariz seed --demo` and the CLI default to).
    pub async fn first_workspace(&self) -> StoreResult<Option<WorkspaceRecord>> {
        let row = workspaces::Entity::find().order_by_asc(workspaces::Column::Id).one(&self.db).await?;
        row.map(workspace_record).transpose()
    }

    pub async fn user(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<UserRecord> {
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        user_record(row)
    }

    /// The members of a workspace, oldest first.
    pub async fn users(&self, workspace_id: WorkspaceId) -> StoreResult<Vec<UserRecord>> {
        let rows = users::Entity::find()
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .order_by_asc(users::Column::Id)
            .all(&self.db)
            .await?;
        rows.into_iter().map(user_record).collect()
    }

    /// Looks a user up by email for sign-in, with the password hash.
    pub async fn credentials(&self, email: &Email) -> StoreResult<Option<UserCredentials>> {
        let row = users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(&self.db).await?;
        row.map(|row| {
            let password_hash = row.password_hash.clone();
            user_record(row).map(|user| UserCredentials { user, password_hash })
        })
        .transpose()
    }

    /// Stores a new refresh token (by its hash) in `family_id`.
    pub async fn store_refresh_token(
        &self,
        user: &UserRecord,
        family_id: Uuid,
        token_hash: String,
        expires_at: DateTime<Utc>,
    ) -> StoreResult<()> {
        refresh_tokens::Entity::insert(refresh_tokens::ActiveModel {
            id: Set(Uuid::now_v7()),
            workspace_id: Set(user.workspace_id.as_uuid()),
            user_id: Set(user.id.as_uuid()),
            family_id: Set(family_id),
            token_hash: Set(token_hash),
            expires_at: Set(expires_at),
            rotated_at: Set(None),
            revoked_at: Set(None),
            created_at: Set(Utc::now()),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// Spends a refresh token: marks it rotated and returns its user and family, so the caller
    /// can issue the next token of the family. Presenting a token that was already rotated means
    /// it was stolen or replayed, so the whole family is revoked.
    pub async fn spend_refresh_token(&self, token_hash: &str) -> StoreResult<(UserRecord, Uuid)> {
        let now = Utc::now();
        let token = refresh_tokens::Entity::find()
            .filter(refresh_tokens::Column::TokenHash.eq(token_hash))
            .one(&self.db)
            .await?
            .ok_or(StoreError::Unauthorized)?;
        if token.revoked_at.is_some() || token.expires_at <= now {
            return Err(StoreError::Unauthorized);
        }
        if token.rotated_at.is_some() {
            self.revoke_family(token.family_id).await?;
            return Err(StoreError::Unauthorized);
        }
        // Only one of two concurrent refreshes with the same token may win.
        let spent = refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RotatedAt, sea_orm::sea_query::Expr::value(now))
            .filter(refresh_tokens::Column::Id.eq(token.id))
            .filter(refresh_tokens::Column::RotatedAt.is_null())
            .exec(&self.db)
            .await?;
        if spent.rows_affected != 1 {
            self.revoke_family(token.family_id).await?;
            return Err(StoreError::Unauthorized);
        }
        let user = self.user(token.workspace_id.into(), token.user_id.into()).await?;
        if !user.active {
            return Err(StoreError::Unauthorized);
        }
        Ok((user, token.family_id))
    }

    /// Revokes every token of a family (sign-out, or reuse detected).
    pub async fn revoke_family(&self, family_id: Uuid) -> StoreResult<()> {
        refresh_tokens::Entity::update_many()
            .col_expr(refresh_tokens::Column::RevokedAt, sea_orm::sea_query::Expr::value(Utc::now()))
            .filter(refresh_tokens::Column::FamilyId.eq(family_id))
            .filter(refresh_tokens::Column::RevokedAt.is_null())
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// The family a live token belongs to, for sign-out.
    pub async fn refresh_token_family(&self, token_hash: &str) -> StoreResult<Option<Uuid>> {
        let token = refresh_tokens::Entity::find().filter(refresh_tokens::Column::TokenHash.eq(token_hash)).one(&self.db).await?;
        Ok(token.map(|t| t.family_id))
    }
}

/// Two sign-ups racing for one email: the unique index decides, and the loser gets a conflict.
fn unique_email(err: sea_orm::DbErr) -> StoreError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict("a user with this email already exists".to_owned()),
        _ => StoreError::Database(err),
    }
}
