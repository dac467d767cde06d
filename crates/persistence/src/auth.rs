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
use crate::unit_of_work::UnitOfWork;

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

fn user_row(workspace_id: WorkspaceId, user: NewUser, now: DateTime<Utc>) -> users::Model {
    users::Model {
        id: UserId::new().as_uuid(),
        workspace_id: workspace_id.as_uuid(),
        email: user.email.as_str().to_owned(),
        name: user.name.into_inner(),
        role: user.role.as_str().to_owned(),
        locale: user.locale,
        password_hash: user.password_hash,
        active: true,
        created_at: now,
        updated_at: now,
    }
}

impl Store {
    async fn ensure_email_free(&self, email: &Email) -> StoreResult<()> {
        let taken = users::Entity::find().filter(users::Column::Email.eq(email.as_str())).one(&self.db).await?;
        match taken {
            Some(_) => Err(crate::error::Conflict::EmailTaken.into()),
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
        let mut work = self.begin().await?;
        let now = work.now();
        let workspace_id = WorkspaceId::new();
        let workspace = workspaces::Model {
            id: workspace_id.as_uuid(),
            name: name.into_inner(),
            default_currency: default_currency.as_str().to_owned(),
            locale: admin.locale.clone(),
            deal_visibility: Visibility::default().as_str().to_owned(),
            lead_visibility: Visibility::default().as_str().to_owned(),
            created_at: now,
            updated_at: now,
        };
        workspaces::Entity::insert(workspaces::ActiveModel::from(workspace.clone()).reset_all())
            .exec_without_returning(work.conn())
            .await?;
        let user = insert_user(&work, workspace_id, NewUser { role: Role::Admin, ..admin }).await?;
        // Whoever signs up is the workspace's first user: they are the actor of its creation.
        audit::identify(Some(user.id.into()), None);
        work.audit(workspace_id, "workspace.created", Some(workspace.id), audit::created_entry(&workspace)).await?;
        work.audit_object("user.created", &user).await?;
        work.commit().await?;
        Ok((workspace_record(workspace)?, user_record(user)?))
    }

    /// Adds a user to an existing workspace.
    pub async fn create_user(&self, workspace_id: WorkspaceId, user: NewUser) -> StoreResult<UserRecord> {
        self.workspace(workspace_id).await?;
        self.ensure_email_free(&user.email).await?;
        let mut work = self.begin().await?;
        let row = insert_user(&work, workspace_id, user).await?;
        work.audit_object("user.created", &row).await?;
        work.commit().await?;
        user_record(row)
    }

    pub async fn workspace(&self, workspace_id: WorkspaceId) -> StoreResult<WorkspaceRecord> {
        let row = workspaces::Entity::find_by_id(workspace_id.as_uuid()).one(&self.db).await?.ok_or(StoreError::NotFound("workspace"))?;
        workspace_record(row)
    }

    /// Changes the workspace's name or visibility settings.
    pub async fn update_workspace(&self, workspace_id: WorkspaceId, patch: WorkspacePatch) -> StoreResult<WorkspaceRecord> {
        let mut work = self.begin().await?;
        let row =
            workspaces::Entity::find_by_id(workspace_id.as_uuid()).one(work.conn()).await?.ok_or(StoreError::NotFound("workspace"))?;
        let mut updated = row.clone();
        if let Some(name) = patch.name {
            updated.name = name.into_inner();
        }
        if let Some(visibility) = patch.deal_visibility {
            updated.deal_visibility = visibility.as_str().to_owned();
        }
        if let Some(visibility) = patch.lead_visibility {
            updated.lead_visibility = visibility.as_str().to_owned();
        }
        updated.updated_at = work.now();
        let mut active = workspaces::ActiveModel::from(updated.clone()).reset_all();
        active.not_set(workspaces::Column::CreatedAt);
        workspaces::Entity::update(active).exec(work.conn()).await?;
        if let Some(changes) = audit::changed_entry(&row, &updated) {
            work.audit(workspace_id, "workspace.updated", Some(updated.id), changes).await?;
        }
        work.commit().await?;
        workspace_record(updated)
    }

    /// Changes a member's name, role or whether they are active. The workspace always keeps an
    /// active admin: demoting or deactivating its last one is refused (a conflict), checked and
    /// written in one transaction that holds the workspace row, so two admins demoting each other
    /// cannot both succeed.
    pub async fn update_user(&self, workspace_id: WorkspaceId, user_id: UserId, patch: UserPatch) -> StoreResult<UserRecord> {
        let mut work = self.begin().await?;
        let txn = work.conn();
        workspaces::Entity::find_by_id(workspace_id.as_uuid()).lock_exclusive().one(txn).await?.ok_or(StoreError::NotFound("workspace"))?;
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(txn)
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
                .count(txn)
                .await?;
            if other_admins == 0 {
                return Err(crate::error::Conflict::LastAdmin.into());
            }
        }
        let mut updated = row.clone();
        if let Some(name) = patch.name {
            updated.name = name.into_inner();
        }
        if let Some(role) = patch.role {
            updated.role = role.as_str().to_owned();
        }
        if let Some(active) = patch.active {
            updated.active = active;
        }
        updated.updated_at = work.now();
        let action = if deactivated { "user.deactivated" } else { "user.updated" };
        let updated = work.replace(action, &row, updated).await?;
        if deactivated {
            revoke_sessions(&work, user_id).await?;
        }
        work.commit().await?;
        user_record(updated)
    }

    /// Replaces a user's password hash and revokes every refresh token of theirs, so that each
    /// of their sessions must sign in again, in one transaction with its audit entry (the
    /// hashes redacted). Returns the user.
    pub async fn change_password(&self, workspace_id: WorkspaceId, user_id: UserId, password_hash: String) -> StoreResult<UserRecord> {
        let mut work = self.begin().await?;
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let changed = users::Model { password_hash, updated_at: work.now(), ..row.clone() };
        let updated = work.replace("user.password_changed", &row, changed).await?;
        revoke_sessions(&work, user_id).await?;
        work.commit().await?;
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
            created_at: Set(self.now()),
        })
        .exec_without_returning(&self.db)
        .await?;
        Ok(())
    }

    /// Spends a refresh token: marks it rotated and returns its user and family, so the caller
    /// can issue the next token of the family. Presenting a token that was already rotated means
    /// it was stolen or replayed, so the whole family is revoked.
    pub async fn spend_refresh_token(&self, token_hash: &str) -> StoreResult<(UserRecord, Uuid)> {
        let now = self.now();
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
            .col_expr(refresh_tokens::Column::RevokedAt, sea_orm::sea_query::Expr::value(self.now()))
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

/// Revokes every refresh token of the user: each of their sessions must sign in again.
async fn revoke_sessions(work: &UnitOfWork, user_id: UserId) -> StoreResult<()> {
    refresh_tokens::Entity::update_many()
        .col_expr(refresh_tokens::Column::RevokedAt, sea_orm::sea_query::Expr::value(work.now()))
        .filter(refresh_tokens::Column::UserId.eq(user_id.as_uuid()))
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .exec(work.conn())
        .await?;
    Ok(())
}

/// Inserts a new user; the unique index on emails decides between two racing for one.
async fn insert_user(work: &UnitOfWork, workspace_id: WorkspaceId, user: NewUser) -> StoreResult<users::Model> {
    let row = user_row(workspace_id, user, work.now());
    users::Entity::insert(users::ActiveModel::from(row.clone()).reset_all())
        .exec_without_returning(work.conn())
        .await
        .map_err(unique_email)?;
    Ok(row)
}

/// Two sign-ups racing for one email: the unique index decides, and the loser gets a conflict.
fn unique_email(err: sea_orm::DbErr) -> StoreError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(crate::error::Conflict::EmailTaken),
        _ => StoreError::Database(err),
    }
}
