//! Authentication: argon2id passwords, JWT access tokens, rotating refresh tokens, API keys,
//! and the [`AuthUser`] extractor that every protected handler takes.

pub use crate::credentials::session_cookie;

pub mod authority;

use authority::{Demand, demand};

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use kariz_domain::{ApiKeyId, ApiKeyScope, ApiKeyScopes, Role, UserId, Viewer, VisibilitySettings, WorkspaceId};

pub use crate::credentials::api_keys::{INTAKE_PATH, STREAM_TICKETS_PATH, api_key_hash, new_api_key};
pub use crate::credentials::passwords::{Zxcvbn, hash_password, matching_passwords, new_password, verify_password};
pub use crate::credentials::throttle::{SignInThrottle, ThrottleSettings};
pub use crate::credentials::tokens::{
    AccessClaims, IssuedTokens, JwtSecret, ShortJwtSecret, TokenService, new_refresh_token, refresh_token_hash,
};

use crate::credentials::api_keys::Credential;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

/// The caller: a user with an access token, or an API key acting as the user who created it.
/// Handlers scope every store call by `workspace_id`, so another workspace's objects are simply
/// not found.
///
/// Extracting it authenticates, counts the request against the caller's rate limit, and refuses
/// a key whose scopes do not cover the request: `read` for GET and HEAD, `write` for the other
/// methods, `intake` for intake; [`require_admin`](Self::require_admin) adds `admin`.
///
/// Who the caller is comes from the credential; what they may do never does. Their role, whether
/// they are active and their session generation (which deactivation and a new password move on,
/// ending the access tokens of before) are read from the store on every request (one primary-key read, with the workspace's visibility settings), so a demotion or a
/// deactivation applies from the next request on, to access tokens and API keys alike.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub user_id: UserId,
    pub workspace_id: WorkspaceId,
    /// The user's role now (for a key, its creator's): never the role they had when the token
    /// or key was issued.
    pub role: Role,
    /// Set when the caller authenticated with an API key rather than a user's access token.
    pub api_key_id: Option<ApiKeyId>,
    /// The key's scopes; `None` for an access token, which may do whatever its role allows.
    pub scopes: Option<ApiKeyScopes>,
    /// The workspace's visibility settings now, read with the role.
    pub visibility: VisibilitySettings,
}

impl AuthUser {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        demand(Demand::Admin);
        if self.role != Role::Admin {
            return Err(ApiError::Forbidden("only admins can do this".to_owned()));
        }
        self.require_scope(ApiKeyScope::Admin)
    }

    /// What only admins and managers may read (the email log), whatever the API key's scopes
    /// beyond `read`.
    pub fn require_manager(&self) -> Result<(), ApiError> {
        demand(Demand::Manager);
        if self.role.can_manage_pipelines() { Ok(()) } else { Err(ApiError::Forbidden("only admins and managers can do this".to_owned())) }
    }

    pub fn require_pipeline_manager(&self) -> Result<(), ApiError> {
        demand(Demand::PipelineManager);
        if self.role.can_manage_pipelines() {
            Ok(())
        } else {
            Err(ApiError::Forbidden("only admins and managers can change pipelines and stages".to_owned()))
        }
    }

    /// Workspace settings that managers may change too (custom fields, scoring rules): by role
    /// like pipelines, but an API key needs `admin`, as for every other setting.
    pub fn require_settings_manager(&self) -> Result<(), ApiError> {
        demand(Demand::SettingsManager);
        if !self.role.can_manage_pipelines() {
            return Err(ApiError::Forbidden("only admins and managers can change workspace settings".to_owned()));
        }
        self.require_scope(ApiKeyScope::Admin)
    }

    /// Refuses an API key without `scope`; an access token passes.
    pub fn require_scope(&self, scope: ApiKeyScope) -> Result<(), ApiError> {
        demand(Demand::Scope(scope));
        match self.scopes {
            Some(scopes) if !scopes.allow(scope) => {
                Err(ApiError::refused(ErrorCode::ScopeMissing, format!("this API key lacks the `{scope}` scope")))
            }
            _ => Ok(()),
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move { authenticate(&req).await })
    }
}

/// The signed-in caller as the store sees them: an [`AuthUser`] as a [`Viewer`] of its workspace,
/// for handlers of deals, leads and what hangs off them (activities, opportunities, the board,
/// reports). The store hides what the viewer may not see.
#[derive(Clone, Copy, Debug)]
pub struct Caller(Viewer, Option<ApiKeyId>);

impl Caller {
    /// The API key the caller came with, if any (see [`AuthUser::api_key_id`]).
    pub fn api_key_id(&self) -> Option<ApiKeyId> {
        self.1
    }
}

impl Deref for Caller {
    type Target = Viewer;

    fn deref(&self) -> &Viewer {
        &self.0
    }
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let req = req.clone();
        Box::pin(async move {
            let auth = authenticate(&req).await?;
            Ok(Caller(Viewer::new(auth.workspace_id, auth.user_id, auth.role, auth.visibility), auth.api_key_id))
        })
    }
}

/// The scope an API key needs for this request. Intake is told by the route the router matched
/// rather than by the raw path, which another spelling (`/intake/l%65ads`) would not equal; so is
/// the stream's ticket, a POST that only opens a read.
fn required_scope(req: &HttpRequest) -> ApiKeyScope {
    let pattern = req.match_pattern();
    if pattern.as_deref() == Some(INTAKE_PATH) {
        ApiKeyScope::Intake
    } else if pattern.as_deref() == Some(STREAM_TICKETS_PATH) || matches!(*req.method(), Method::GET | Method::HEAD) {
        ApiKeyScope::Read
    } else {
        ApiKeyScope::Write
    }
}

async fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    // Both the idempotency middleware and the handler extract the caller: identify and count once.
    let known = req.extensions().get::<AuthUser>().copied();
    let caller = match known {
        Some(caller) => caller,
        None => {
            let state =
                req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
            let caller = identify(state, req).await?;
            state.rate_limits.check_caller(req, caller.user_id, caller.api_key_id).await?;
            req.extensions_mut().insert(caller);
            // Audit entries written in this request name this caller.
            kariz_persistence::audit::identify(Some(caller.user_id), caller.api_key_id);
            caller
        }
    };
    caller.require_scope(required_scope(req))?;
    Ok(caller)
}

async fn identify(state: &AppState, req: &HttpRequest) -> Result<AuthUser, ApiError> {
    match Credential::presented(req)? {
        Credential::AccessToken(token) => {
            let claims = state.tokens.verify_access(&token)?;
            let (user_id, workspace_id) = (UserId::from(claims.sub), WorkspaceId::from(claims.wid));
            let principal = state.store.principal(workspace_id, user_id).await?;
            let refused = |detail: &str| ApiError::Unauthenticated(detail.to_owned());
            let principal = principal.ok_or_else(|| refused("the access token's user is not a member of its workspace"))?;
            if !principal.membership.active {
                return Err(refused("this account is deactivated; an admin of the workspace can reactivate it"));
            }
            if claims.sgen != principal.session_generation {
                return Err(refused("the access token was revoked (deactivation or a new password); sign in again"));
            }
            Ok(AuthUser {
                user_id,
                workspace_id,
                role: principal.membership.role,
                api_key_id: None,
                scopes: None,
                visibility: principal.visibility,
            })
        }
        Credential::ApiKey(key) => {
            let holder = state.store.authenticate_api_key(&api_key_hash(&key), state.store.now()).await?;
            Ok(AuthUser {
                user_id: holder.user_id,
                workspace_id: holder.key.workspace_id,
                role: holder.role,
                api_key_id: Some(holder.key.id),
                scopes: Some(holder.key.scopes),
                visibility: holder.visibility,
            })
        }
    }
}
