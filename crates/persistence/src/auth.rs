//! Workspaces, users and refresh-token families.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use kariz_domain::dates::Calendar;
use kariz_domain::{
    Currency, Email, Membership, MembershipChange, PersonName, Role, TimeZone, UserId, Viewer, Visibility, VisibilitySettings, WorkspaceId,
    WorkspaceName, change_membership,
};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::{Expr, NullOrdering, Order};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, JoinType, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, RelationTrait};
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
        session_generation: row.session_generation,
        time_zone: row.time_zone.as_deref().map(zone_of).transpose()?,
    })
}

fn zone_of(raw: &str) -> StoreResult<TimeZone> {
    TimeZone::parse(raw).map_err(|e| StoreError::corrupt("time_zone", e))
}

fn membership_of(row: &users::Model) -> StoreResult<Membership> {
    let role = Role::parse(&row.role).ok_or_else(|| StoreError::corrupt("users", format!("role {}", row.role)))?;
    Ok(Membership { role, active: row.active })
}

fn credentials((row, workspace): (users::Model, Option<workspaces::Model>)) -> StoreResult<UserCredentials> {
    let workspace = workspace.ok_or_else(|| StoreError::corrupt("users", "a user without its workspace"))?;
    let password_hash = row.password_hash.clone();
    Ok(UserCredentials { user: user_record(row)?, password_hash, workspace_name: workspace.name })
}

/// Who a caller is now, for authorization: read on every request, so that a change of role,
/// deactivation or a new password applies from the next request on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub membership: Membership,
    /// The generation an access token must name to be accepted.
    pub session_generation: i64,
    /// The workspace's visibility settings, read in the same query.
    pub visibility: VisibilitySettings,
}

fn workspace_record(row: workspaces::Model) -> StoreResult<WorkspaceRecord> {
    Ok(WorkspaceRecord {
        id: row.id.into(),
        name: row.name,
        default_currency: Currency::from_stored(&row.default_currency).map_err(|e| StoreError::corrupt("workspaces", e))?,
        locale: row.locale,
        visibility: VisibilitySettings { deals: visibility_of(&row.deal_visibility)?, leads: visibility_of(&row.lead_visibility)? },
        lost_reason_required: row.lost_reason_required,
        created_at: row.created_at,
        time_zone: zone_of(&row.time_zone)?,
        calendar: Calendar::parse(&row.calendar).map_err(|e| StoreError::corrupt("workspaces", e))?,
    })
}

fn visibility_of(raw: &str) -> StoreResult<Visibility> {
    Visibility::parse(raw).ok_or_else(|| StoreError::corrupt("workspaces", format!("visibility {raw}")))
}

/// The viewer `user_id` reads as now (their role and the workspace's visibility), read on `conn`;
/// `None` for a user who is not an active member.
pub(crate) async fn viewer_of<C: sea_orm::ConnectionTrait>(
    conn: &C,
    workspace_id: WorkspaceId,
    user_id: UserId,
) -> StoreResult<Option<Viewer>> {
    let row = users::Entity::find_by_id(user_id.as_uuid())
        .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
        .join(JoinType::InnerJoin, users::Relation::Workspace.def())
        .select_also(workspaces::Entity)
        .one(conn)
        .await?;
    let Some((user, Some(workspace))) = row else { return Ok(None) };
    let membership = membership_of(&user)?;
    if !membership.active {
        return Ok(None);
    }
    let visibility =
        VisibilitySettings { deals: visibility_of(&workspace.deal_visibility)?, leads: visibility_of(&workspace.lead_visibility)? };
    Ok(Some(Viewer::new(workspace_id, user_id, membership.role, visibility)))
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
    /// The time zone of members who chose none.
    pub time_zone: Option<TimeZone>,
    /// Whether losing a deal needs a managed reason.
    pub lost_reason_required: Option<bool>,
    pub calendar: Option<Calendar>,
}

/// How long a rotated refresh token still opens its session. A page reloaded while its refresh
/// was in flight never receives the new token's cookie, and two tabs refreshing at once present
/// the same one: both present the rotated token again within moments, which is a lost answer,
/// not a replay. Later than this it is a replay, and the family is revoked.
pub const REFRESH_REUSE_GRACE: chrono::Duration = chrono::Duration::seconds(10);

/// A workspace made in Persian counts its months on the Jalali calendar, in Tehran time.
fn default_calendar_and_zone(locale: &str) -> (Calendar, TimeZone) {
    match locale {
        "fa" => (Calendar::Jalali, TimeZone::parse("Asia/Tehran").unwrap_or(TimeZone::UTC)),
        _ => (Calendar::Gregorian, TimeZone::UTC),
    }
}

/// What a user may change of their own account; `None` leaves a field as it is.
#[derive(Clone, Debug, Default)]
pub struct AccountSettings {
    /// `Some(None)` follows the workspace's time zone again.
    pub time_zone: Option<Option<TimeZone>>,
    pub locale: Option<String>,
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
        last_signed_in_at: None,
        session_generation: 0,
        time_zone: None,
    }
}

/// The accounts with an email, with their workspace's name.
fn accounts_with(email: &Email) -> sea_orm::SelectTwo<users::Entity, workspaces::Entity> {
    users::Entity::find()
        .filter(users::Column::Email.eq(email.as_str()))
        .join(JoinType::InnerJoin, users::Relation::Workspace.def())
        .select_also(workspaces::Entity)
}

impl Store {
    /// Creates a workspace and its first user (an admin) together, signed in. Whether the email
    /// has accounts in other workspaces plays no part: accounts belong to one workspace.
    pub async fn create_workspace_with_admin(
        &self,
        name: WorkspaceName,
        default_currency: Currency,
        admin: NewUser,
    ) -> StoreResult<(WorkspaceRecord, UserRecord)> {
        let mut work = self.begin().await?;
        let now = work.now();
        let workspace_id = WorkspaceId::new();
        let (calendar, time_zone) = default_calendar_and_zone(&admin.locale);
        let workspace = workspaces::Model {
            id: workspace_id.as_uuid(),
            name: name.into_inner(),
            default_currency: default_currency.as_str().to_owned(),
            locale: admin.locale.clone(),
            deal_visibility: Visibility::default().as_str().to_owned(),
            lead_visibility: Visibility::default().as_str().to_owned(),
            created_at: now,
            updated_at: now,
            time_zone: time_zone.as_str().to_owned(),
            lost_reason_required: false,
            calendar: calendar.as_str().to_owned(),
        };
        workspaces::Entity::insert(workspaces::ActiveModel::from(workspace.clone()).reset_all())
            .exec_without_returning(work.conn())
            .await?;
        let mut row = user_row(workspace_id, NewUser { role: Role::Admin, ..admin }, now);
        row.last_signed_in_at = Some(now);
        let user = insert_user(&work, row).await?;
        // Whoever signs up is the workspace's first user: they are the actor of its creation.
        audit::identify(Some(user.id.into()), None);
        work.audit(workspace_id, "workspace.created", Some(workspace.id), audit::created_entry(&workspace)).await?;
        work.audit_object("user.created", &user).await?;
        work.commit().await?;
        Ok((workspace_record(workspace)?, user_record(user)?))
    }

    /// Adds a user to an existing workspace. Only an email already used in this workspace is
    /// refused (`EmailTaken`); accounts in other workspaces are none of its business.
    pub async fn create_user(&self, workspace_id: WorkspaceId, user: NewUser) -> StoreResult<UserRecord> {
        self.workspace(workspace_id).await?;
        let mut work = self.begin().await?;
        let taken = users::Entity::find()
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(users::Column::Email.eq(user.email.as_str()))
            .count(work.conn())
            .await?;
        if taken > 0 {
            return Err(crate::error::Conflict::EmailTaken.into());
        }
        let row = insert_user(&work, user_row(workspace_id, user, work.now())).await?;
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
        if let Some(zone) = patch.time_zone {
            updated.time_zone = zone.as_str().to_owned();
        }
        if let Some(required) = patch.lost_reason_required {
            updated.lost_reason_required = required;
        }
        if let Some(calendar) = patch.calendar {
            updated.calendar = calendar.as_str().to_owned();
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

    /// Changes a member's name, role or whether they are active, as `actor`. The rules are the
    /// domain's ([`change_membership`]): only an active admin changes memberships, nobody their
    /// own, and the workspace keeps an active admin. They are decided in one transaction that
    /// first holds the workspace row, on the actor's and the member's rows as they are then: two
    /// admins demoting each other are served one after the other, and the second finds that it is
    /// no longer an admin. Deactivating revokes every session of the member, access tokens too.
    pub async fn update_user(
        &self,
        workspace_id: WorkspaceId,
        actor_id: UserId,
        user_id: UserId,
        patch: UserPatch,
    ) -> StoreResult<UserRecord> {
        let mut work = self.begin().await?;
        let txn = work.conn();
        workspaces::Entity::find_by_id(workspace_id.as_uuid()).lock_exclusive().one(txn).await?.ok_or(StoreError::NotFound("workspace"))?;
        let member =
            |id: UserId| users::Entity::find_by_id(id.as_uuid()).filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(txn);
        let actor = member(actor_id).await?.ok_or(kariz_domain::MembershipError::NotAdmin)?;
        let row = member(user_id).await?.ok_or(StoreError::NotFound("user"))?;
        let other_admins = users::Entity::find()
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .filter(users::Column::Role.eq(Role::Admin.as_str()))
            .filter(users::Column::Active.eq(true))
            .filter(users::Column::Id.ne(user_id.as_uuid()))
            .count(txn)
            .await?;
        let change = MembershipChange { role: patch.role, active: patch.active };
        let changed = change_membership(membership_of(&actor)?, actor_id == user_id, membership_of(&row)?, change, other_admins)?;
        let deactivated = row.active && !changed.active;
        let mut updated = row.clone();
        if let Some(name) = patch.name {
            updated.name = name.into_inner();
        }
        updated.role = changed.role.as_str().to_owned();
        updated.active = changed.active;
        updated.updated_at = work.now();
        if deactivated {
            updated.session_generation += 1;
        }
        let action = if deactivated { "user.deactivated" } else { "user.updated" };
        let updated = work.replace(action, &row, updated).await?;
        if deactivated {
            revoke_sessions(&work, user_id).await?;
        }
        work.commit().await?;
        user_record(updated)
    }

    /// Replaces a user's password hash and revokes every session of theirs (refresh tokens, and
    /// access tokens issued until now), so that each must sign in again, in one transaction with
    /// its audit entry (the hashes redacted). Returns the user.
    pub async fn change_password(&self, workspace_id: WorkspaceId, user_id: UserId, password_hash: String) -> StoreResult<UserRecord> {
        let mut work = self.begin().await?;
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let changed = users::Model { password_hash, updated_at: work.now(), session_generation: row.session_generation + 1, ..row.clone() };
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

    /// Changes the caller's own time zone or language, audited as `user.updated`.
    pub async fn update_account_settings(
        &self,
        workspace_id: WorkspaceId,
        user_id: UserId,
        settings: AccountSettings,
    ) -> StoreResult<UserRecord> {
        let mut work = self.begin().await?;
        let before = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .one(work.conn())
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        let mut after = before.clone();
        if let Some(zone) = settings.time_zone {
            after.time_zone = zone.map(|zone| zone.as_str().to_owned());
        }
        if let Some(locale) = settings.locale {
            after.locale = locale;
        }
        if after == before {
            return user_record(before);
        }
        after.updated_at = work.now();
        let after = work.replace("user.updated", &before, after).await?;
        work.commit().await?;
        user_record(after)
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

    /// The caller's current standing: role, active flag, session generation, and their
    /// workspace's visibility settings, in one primary-key read. `None` when the user
    /// is not (or no longer) a member of the workspace.
    pub async fn principal(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<Option<Principal>> {
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .join(JoinType::InnerJoin, users::Relation::Workspace.def())
            .select_also(workspaces::Entity)
            .one(&self.db)
            .await?;
        let Some((user, Some(workspace))) = row else { return Ok(None) };
        let visibility =
            VisibilitySettings { deals: visibility_of(&workspace.deal_visibility)?, leads: visibility_of(&workspace.lead_visibility)? };
        Ok(Some(Principal { membership: membership_of(&user)?, session_generation: user.session_generation, visibility }))
    }

    /// [`Store::principal`] of many members of one workspace in one query; those who are not
    /// members are missing from the answer.
    pub async fn principals(&self, workspace_id: WorkspaceId, user_ids: Vec<Uuid>) -> StoreResult<HashMap<UserId, Principal>> {
        if user_ids.is_empty() {
            return Ok(HashMap::new());
        }
        let rows = users::Entity::find()
            .filter(users::Column::Id.is_in(user_ids))
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .join(JoinType::InnerJoin, users::Relation::Workspace.def())
            .select_also(workspaces::Entity)
            .all(&self.db)
            .await?;
        let mut principals = HashMap::with_capacity(rows.len());
        for (user, workspace) in rows {
            let Some(workspace) = workspace else { continue };
            let visibility =
                VisibilitySettings { deals: visibility_of(&workspace.deal_visibility)?, leads: visibility_of(&workspace.lead_visibility)? };
            let principal = Principal { membership: membership_of(&user)?, session_generation: user.session_generation, visibility };
            principals.insert(UserId::from(user.id), principal);
        }
        Ok(principals)
    }

    /// The active accounts a sign-in with `email` may open, with their password hashes: the one in
    /// `workspace_id` when it is given; otherwise at most `limit`, so that nobody can make
    /// someone's sign-in slow by creating many accounts with their email. Half of them are the
    /// oldest accounts, which accounts created later cannot push out (whoever floods an email with
    /// new accounts does not lock its established ones out), and the rest the most recently
    /// signed in (a person's accounts in use are found even when they have many).
    pub async fn sign_in_accounts(
        &self,
        email: &Email,
        workspace_id: Option<WorkspaceId>,
        limit: u64,
    ) -> StoreResult<Vec<UserCredentials>> {
        let active = accounts_with(email).filter(users::Column::Active.eq(true));
        if let Some(workspace_id) = workspace_id {
            let row = active.filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid())).one(&self.db).await?;
            return row.into_iter().map(credentials).collect();
        }
        let oldest = active.clone().order_by_asc(users::Column::Id).limit(limit.div_ceil(2)).all(&self.db).await?;
        let recent = active
            .order_by_with_nulls(users::Column::LastSignedInAt, Order::Desc, NullOrdering::Last)
            .order_by_asc(users::Column::Id)
            .limit(limit)
            .all(&self.db)
            .await?;
        let mut picked: Vec<(users::Model, Option<workspaces::Model>)> = Vec::new();
        for row in oldest.into_iter().chain(recent) {
            if picked.len() < limit as usize && !picked.iter().any(|(user, _)| user.id == row.0.id) {
                picked.push(row);
            }
        }
        picked.into_iter().map(credentials).collect()
    }

    /// Every account with `email`, in every workspace, active or not, oldest first (for the
    /// command line, which names the workspace when there are several).
    pub async fn accounts_with_email(&self, email: &Email) -> StoreResult<Vec<UserCredentials>> {
        let rows = accounts_with(email).order_by_asc(users::Column::Id).all(&self.db).await?;
        rows.into_iter().map(credentials).collect()
    }

    /// A user with their password hash, to check their current password.
    pub async fn credentials_of(&self, workspace_id: WorkspaceId, user_id: UserId) -> StoreResult<UserCredentials> {
        let row = users::Entity::find_by_id(user_id.as_uuid())
            .filter(users::Column::WorkspaceId.eq(workspace_id.as_uuid()))
            .join(JoinType::InnerJoin, users::Relation::Workspace.def())
            .select_also(workspaces::Entity)
            .one(&self.db)
            .await?
            .ok_or(StoreError::NotFound("user"))?;
        credentials(row)
    }

    /// Notes a sign-in with the password, which orders the accounts the next sign-in with this
    /// email checks. Bookkeeping of the session, not a change of the member: no audit entry.
    pub async fn record_sign_in(&self, user: &UserRecord) -> StoreResult<()> {
        let work = self.begin().await?;
        users::Entity::update_many()
            .col_expr(users::Column::LastSignedInAt, Expr::value(Some(work.now())))
            .filter(users::Column::WorkspaceId.eq(user.workspace_id.as_uuid()))
            .filter(users::Column::Id.eq(user.id.as_uuid()))
            .exec(work.conn())
            .await?;
        work.commit().await
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
    /// can issue the next token of the family. Presenting a token rotated more than
    /// [`REFRESH_REUSE_GRACE`] ago means it was stolen or replayed, so the whole family is revoked.
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
        match token.rotated_at {
            Some(rotated_at) if now - rotated_at > REFRESH_REUSE_GRACE => {
                self.revoke_family(token.family_id).await?;
                return Err(StoreError::Unauthorized);
            }
            // A lost answer, not a replay: the family gets another token.
            Some(_) => {}
            None => {
                // Of two concurrent refreshes with the same token one marks it; the other finds
                // it rotated an instant ago, which the grace allows.
                refresh_tokens::Entity::update_many()
                    .col_expr(refresh_tokens::Column::RotatedAt, sea_orm::sea_query::Expr::value(now))
                    .filter(refresh_tokens::Column::Id.eq(token.id))
                    .filter(refresh_tokens::Column::RotatedAt.is_null())
                    .exec(&self.db)
                    .await?;
            }
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

/// Inserts a new user; the unique index on (workspace, email) decides between two racing for one.
async fn insert_user(work: &UnitOfWork, row: users::Model) -> StoreResult<users::Model> {
    users::Entity::insert(users::ActiveModel::from(row.clone()).reset_all())
        .exec_without_returning(work.conn())
        .await
        .map_err(unique_email)?;
    Ok(row)
}

/// Two admins adding one email to a workspace at once: the unique index decides, and the loser
/// gets a conflict.
fn unique_email(err: sea_orm::DbErr) -> StoreError {
    match err.sql_err() {
        Some(sea_orm::SqlErr::UniqueConstraintViolation(_)) => StoreError::Conflict(crate::error::Conflict::EmailTaken),
        _ => StoreError::Database(err),
    }
}
