//! Sign-up, sign-in, token refresh and sign-out; `GET /me`; the member list.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::Duration;
use kariz_domain::{Currency, Email, PersonName, Role, TimeZone, WorkspaceId, WorkspaceName};
use kariz_persistence::auth::{AccountSettings, NewUser};
use kariz_persistence::{StoreError, UserRecord};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;
use validator::Validate;

use crate::auth::session_cookie;
use crate::auth::{AuthUser, hash_password, matching_passwords, new_password, new_refresh_token, refresh_token_hash, verify_password};
use crate::dto::errors::{PublicErrors, ReadErrors, SignInErrors, WriteErrors};
use crate::dto::{Locale, UserList, UserResponse, WorkspaceResponse};
use crate::error::{ApiError, ErrorCode, FieldCode, FieldError, FieldErrors, Problem, WorkspaceChoice};
use crate::extract::ValidJson;
use crate::state::AppState;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SignupRequest {
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    #[schema(example = "Pars Trading")]
    pub workspace_name: String,
    #[validate(length(min = 1, max = 100))]
    #[schema(min_length = 1, max_length = 100)]
    #[schema(example = "Sara Ahmadi")]
    pub name: String,
    #[schema(example = "sara@example.com")]
    pub email: String,
    /// At least 10 characters.
    #[validate(length(min = 10, max = 256))]
    #[schema(min_length = 10, max_length = 256)]
    pub password: String,
    /// The workspace's default currency (ISO 4217); `USD` when omitted.
    #[schema(example = "IRR")]
    pub default_currency: Option<String>,
    /// `en` or `fa`; `en` when omitted.
    pub locale: Option<Locale>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct LoginRequest {
    #[schema(example = "sara@example.com")]
    pub email: String,
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub password: String,
    /// The workspace to sign in to, when the email has accounts in several: the
    /// `workspace_choice_required` answer lists those the password opens.
    pub workspace_id: Option<Uuid>,
}

/// How many of an email's accounts one sign-in checks at most: each costs a password
/// verification, and anyone may create accounts with anyone's email in workspaces of their own.
pub const MAX_ACCOUNTS_CHECKED: u64 = 10;

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RefreshRequest {
    /// The refresh token; a page whose token is in the `kariz_refresh` cookie leaves it out and
    /// sends `X-Requested-With` instead.
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200)]
    pub refresh_token: Option<String>,
}

#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChangeRequest {
    /// The password you sign in with now.
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub current_password: String,
    /// 10 to 256 characters, none of them control or invisible characters, and not easy to
    /// guess (common passwords, keyboard patterns, your own name or email are refused).
    #[validate(length(min = 1, max = 256))]
    #[schema(min_length = 1, max_length = 256)]
    pub new_password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT to send as `Authorization: Bearer …`.
    pub access_token: String,
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Seconds until the access token expires.
    #[schema(example = 900)]
    pub expires_in: i64,
    /// Exchange at `/auth/refresh` for a new pair; each refresh token works once. Absent when the
    /// request carried `X-Requested-With`: a page's refresh token is set as the HttpOnly
    /// `kariz_refresh` cookie instead, out of its scripts' reach.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub refresh_token: Option<String>,
    pub refresh_expires_in: i64,
    pub user: UserResponse,
    pub workspace: WorkspaceResponse,
}

#[derive(Serialize, ToSchema)]
pub struct MeResponse {
    pub user: UserResponse,
    pub workspace: WorkspaceResponse,
    /// The time zone your days and reminders are counted in: your own, or else the workspace's.
    #[schema(example = "Asia/Tehran")]
    pub time_zone: String,
    /// Your language.
    #[schema(value_type = Locale)]
    pub locale: String,
}

impl MeResponse {
    fn of(user: UserRecord, workspace: kariz_persistence::WorkspaceRecord) -> MeResponse {
        let time_zone = user.time_zone.unwrap_or(workspace.time_zone).as_str().to_owned();
        let locale = user.locale.clone();
        MeResponse { user: user.into(), workspace: workspace.into(), time_zone, locale }
    }
}

/// Your own settings; absent fields are left as they are.
#[derive(Deserialize, Validate, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateMeRequest {
    /// An IANA time zone (`Asia/Tehran`); `null` follows the workspace's.
    #[validate(length(min = 1, max = 64))]
    #[serde(default, deserialize_with = "crate::dto::double_option")]
    #[schema(value_type = Option<String>, nullable, min_length = 1, max_length = 64, example = "Asia/Tehran")]
    pub time_zone: Option<Option<String>>,
    pub locale: Option<Locale>,
}

/// Issues an access token and the next refresh token of `family_id`.
async fn issue(state: &AppState, user: UserRecord, family_id: Uuid) -> Result<TokenResponse, ApiError> {
    let access = state.tokens.issue_access(user.id.as_uuid(), user.workspace_id.as_uuid(), user.session_generation)?;
    let (refresh_token, hash) = new_refresh_token()?;
    let ttl = Duration::days(state.settings.refresh_token_ttl_days);
    state.store.store_refresh_token(&user, family_id, hash, state.store.now() + ttl).await?;
    let workspace = state.store.workspace(user.workspace_id).await?;
    Ok(TokenResponse {
        access_token: access.access_token,
        token_type: "Bearer".to_owned(),
        expires_in: access.expires_in,
        refresh_token: Some(refresh_token),
        refresh_expires_in: ttl.num_seconds(),
        user: user.into(),
        workspace: workspace.into(),
    })
}

/// Answers a new sign-in: the refresh token in the body for API clients, or in the HttpOnly
/// cookie (and not in the body) for a page's script that asked for it (see `session_cookie.rs`).
fn signed_in(req: &HttpRequest, status: StatusCode, mut tokens: TokenResponse) -> HttpResponse {
    let mut response = HttpResponse::build(status);
    if session_cookie::wants_cookie(req) {
        let token = tokens.refresh_token.take();
        response.insert_header((header::SET_COOKIE, session_cookie::set_cookie(req, token.as_deref(), tokens.refresh_expires_in)));
    }
    crate::idempotency::not_repeatable(response.json(tokens))
}

/// Create a workspace and its first user (an admin), and sign in. Accounts belong to one
/// workspace: an email with accounts in other workspaces signs up like any other, and the answer
/// never tells whether it has any.
#[utoipa::path(tag = "auth", request_body = SignupRequest,
    responses((status = 201, description = "Signed up", body = TokenResponse), PublicErrors))]
#[post("/auth/signup", wrap = "actix_web::middleware::from_fn(crate::rate_limit::signup_per_ip)")]
pub async fn signup(req: HttpRequest, state: web::Data<AppState>, body: ValidJson<SignupRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let workspace_name = errors.check("workspace_name", WorkspaceName::parse(&body.workspace_name));
    let name = errors.check("name", PersonName::parse(&body.name));
    let email = errors.check("email", Email::parse(&body.email));
    let password = errors.check("password", new_password(&body.password, &body.email, &body.name, Some(&body.workspace_name)));
    let currency = errors.check("default_currency", Currency::parse(body.default_currency.as_deref().unwrap_or("USD")));
    let (Some(workspace_name), Some(name), Some(email), Some(password), Some(currency)) = (workspace_name, name, email, password, currency)
    else {
        return Err(errors.into_error());
    };
    let locale = body.locale.unwrap_or_default().as_str().to_owned();
    let password_hash = hash_password(password).await?;
    let admin = NewUser { email, name, role: Role::Admin, locale, password_hash };
    let (_, user) = state.store.create_workspace_with_admin(workspace_name, currency, admin).await?;
    let tokens = issue(&state, user, Uuid::now_v7()).await?;
    Ok(signed_in(&req, StatusCode::CREATED, tokens))
}

/// Sign in with email and password. An email may have accounts in several workspaces (each with
/// its own password): the password is checked against each (at most ten, most recently signed in
/// first), and the one account it opens is signed in. When it opens several, the answer is 409
/// `workspace_choice_required` listing those workspaces; sign in again with `workspace_id`.
#[utoipa::path(tag = "auth", request_body = LoginRequest,
    responses((status = 200, description = "Signed in", body = TokenResponse), SignInErrors))]
#[post("/auth/login", wrap = "actix_web::middleware::from_fn(crate::rate_limit::sign_in_per_ip)")]
pub async fn login(req: HttpRequest, state: web::Data<AppState>, body: ValidJson<LoginRequest>) -> Result<HttpResponse, ApiError> {
    let refused = || ApiError::refused(ErrorCode::CredentialsRefused, "the email or password is wrong");
    let LoginRequest { email: raw_email, password, workspace_id } = body.0;
    // An email that cannot be parsed has no account: there is nothing to throttle, and the
    // dummy hash below still takes the time a real check would.
    let email = Email::parse(&raw_email).ok();
    let address = state.rate_limits.client_ip(&req);
    let throttle = &state.sign_in_throttle;
    if let Some(email) = &email {
        throttle.check(email, address, state.store.now()).await.map_err(|wait| ApiError::TooManyRequests {
            detail: "too many wrong passwords for this email from your address; try again later".to_owned(),
            retry_after_seconds: wait.as_secs().max(1),
        })?;
    }
    let accounts = match &email {
        Some(email) => state.store.sign_in_accounts(email, workspace_id.map(WorkspaceId::from), MAX_ACCOUNTS_CHECKED).await?,
        None => Vec::new(),
    };
    let matches = matching_passwords(password, accounts.iter().map(|a| a.password_hash.clone()).collect()).await?;
    let mut opened: Vec<_> = accounts.into_iter().zip(matches).filter_map(|(account, matches)| matches.then_some(account)).collect();
    let Some(email) = email else { return Err(refused()) };
    if opened.is_empty() {
        throttle.failed(&email, address, state.store.now()).await;
        return Err(refused());
    }
    // The caller proved the password of every account listed: that is no failure.
    throttle.succeeded(&email, address).await;
    if opened.len() > 1 {
        let choices = opened.into_iter().map(|a| WorkspaceChoice { id: a.user.workspace_id.as_uuid(), name: a.workspace_name }).collect();
        return Err(ApiError::WorkspaceChoiceRequired(choices));
    }
    let user = opened.remove(0).user;
    state.store.record_sign_in(&user).await?;
    let tokens = issue(&state, user, Uuid::now_v7()).await?;
    Ok(signed_in(&req, StatusCode::OK, tokens))
}

/// Exchange a refresh token for a new access token and refresh token. Each refresh token works
/// once; presenting a used one revokes every token issued from the same sign-in. The token comes
/// in the body, or from the `kariz_refresh` cookie with `X-Requested-With` (then the new one is
/// set as the cookie too).
#[utoipa::path(tag = "auth", request_body = RefreshRequest,
    responses((status = 200, description = "Refreshed", body = TokenResponse), PublicErrors,
              (status = 403, description = "A refresh token cookie without the `X-Requested-With` header", content_type = "application/problem+json", body = Problem)))]
#[post("/auth/refresh", wrap = "actix_web::middleware::from_fn(crate::rate_limit::refresh_per_ip)")]
pub async fn refresh(req: HttpRequest, state: web::Data<AppState>, body: ValidJson<RefreshRequest>) -> Result<HttpResponse, ApiError> {
    let refused = || ApiError::refused(ErrorCode::CredentialsRefused, "the refresh token is not valid; sign in again");
    let token = session_cookie::presented(&req, body.0.refresh_token)?.ok_or_else(refused)?;
    let hash = refresh_token_hash(token.trim());
    let (user, family_id) = state.store.spend_refresh_token(&hash).await.map_err(|err| match err {
        StoreError::Unauthorized => refused(),
        other => other.into(),
    })?;
    let tokens = issue(&state, user, family_id).await?;
    Ok(signed_in(&req, StatusCode::OK, tokens))
}

/// Sign out: revoke the refresh token and every token of its sign-in, and forget its cookie.
#[utoipa::path(tag = "auth", request_body = RefreshRequest,
    responses((status = 204, description = "Signed out"), PublicErrors,
              (status = 403, description = "A refresh token cookie without the `X-Requested-With` header", content_type = "application/problem+json", body = Problem)))]
#[post("/auth/logout")]
pub async fn logout(req: HttpRequest, state: web::Data<AppState>, body: ValidJson<RefreshRequest>) -> Result<HttpResponse, ApiError> {
    if let Some(token) = session_cookie::presented(&req, body.0.refresh_token)? {
        let hash = refresh_token_hash(token.trim());
        if let Some(family_id) = state.store.refresh_token_family(&hash).await? {
            state.store.revoke_family(family_id).await?;
        }
    }
    Ok(HttpResponse::NoContent().insert_header((header::SET_COOKIE, session_cookie::set_cookie(&req, None, 0))).finish())
}

/// The signed-in user and their workspace.
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "The caller", body = MeResponse), ReadErrors))]
#[get("/me")]
pub async fn me(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let user = state.store.user(auth.workspace_id, auth.user_id).await?;
    let workspace = state.store.workspace(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(MeResponse::of(user, workspace)))
}

/// Change your own time zone (reminders, the daily digest and "today" follow it) or language.
/// Audited as `user.updated`.
#[utoipa::path(tag = "auth", security(("bearer" = [])), request_body = UpdateMeRequest,
    responses((status = 200, description = "You, changed", body = MeResponse), WriteErrors))]
#[patch("/me")]
pub async fn update_me(state: web::Data<AppState>, auth: AuthUser, body: ValidJson<UpdateMeRequest>) -> Result<HttpResponse, ApiError> {
    let body = body.0;
    let mut errors = FieldErrors::default();
    let time_zone = errors.parse_nullable("time_zone", body.time_zone, TimeZone::parse);
    errors.into_result()?;
    let settings = AccountSettings { time_zone, locale: body.locale.map(|locale| locale.as_str().to_owned()) };
    let user = state.store.update_account_settings(auth.workspace_id, auth.user_id, settings).await?;
    let workspace = state.store.workspace(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(MeResponse::of(user, workspace)))
}

/// Change your password. The current one is checked like a sign-in (wrong ones are throttled
/// alike) and the new one must meet the password policy. Every session of yours ends (refresh
/// tokens and the access tokens issued before), so every other one must sign in again; the answer
/// is a new sign-in for this one. Takes your own access token, not an API key. Your accounts in
/// other workspaces, if any, keep their own passwords.
#[utoipa::path(tag = "auth", security(("bearer" = [])), request_body = PasswordChangeRequest,
    responses((status = 200, description = "Changed; a new sign-in for this session", body = TokenResponse), WriteErrors))]
#[post("/me/password")]
pub async fn change_password(
    req: HttpRequest,
    state: web::Data<AppState>,
    auth: AuthUser,
    body: ValidJson<PasswordChangeRequest>,
) -> Result<HttpResponse, ApiError> {
    if auth.api_key_id.is_some() {
        return Err(ApiError::Forbidden("a password is changed with its user's access token, not with an API key".to_owned()));
    }
    let PasswordChangeRequest { current_password, new_password: raw_new } = body.0;
    let user = state.store.user(auth.workspace_id, auth.user_id).await?;
    let address = state.rate_limits.client_ip(&req);
    let throttle = &state.sign_in_throttle;
    throttle.check(&user.email, address, state.store.now()).await.map_err(|wait| ApiError::TooManyRequests {
        detail: "too many wrong passwords for this account from your address; try again later".to_owned(),
        retry_after_seconds: wait.as_secs().max(1),
    })?;
    let mut errors = FieldErrors::default();
    let new = errors.check("new_password", new_password(&raw_new, user.email.as_str(), &user.name, None));
    if raw_new == current_password {
        errors.push(FieldError::new("new_password", FieldCode::Unchanged, "must differ from the current password"));
    }
    let stored = state.store.credentials_of(auth.workspace_id, auth.user_id).await?.password_hash;
    if !verify_password(current_password, Some(stored)).await? {
        throttle.failed(&user.email, address, state.store.now()).await;
        errors.push(FieldError::new("current_password", FieldCode::Wrong, "is not your current password"));
    }
    let Some(new) = new.filter(|_| errors.is_empty()) else { return Err(errors.into_error()) };
    let password_hash = hash_password(new).await?;
    let user = state.store.change_password(auth.workspace_id, auth.user_id, password_hash).await?;
    let tokens = issue(&state, user, Uuid::now_v7()).await?;
    Ok(signed_in(&req, StatusCode::OK, tokens))
}

/// The members of your workspace (for owner pickers and filters).
#[utoipa::path(tag = "auth", security(("bearer" = [])),
    responses((status = 200, description = "Members, oldest first", body = UserList), ReadErrors))]
#[get("/users")]
pub async fn users(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let users = state.store.users(auth.workspace_id).await?;
    Ok(HttpResponse::Ok().json(UserList { data: users.into_iter().map(Into::into).collect(), next_cursor: None }))
}
