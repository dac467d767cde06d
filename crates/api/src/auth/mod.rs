//! Authentication: argon2id passwords, JWT access tokens, rotating refresh tokens, API keys,
//! and the [`AuthUser`] extractor that every protected handler takes.

pub use crate::credentials::session_cookie;

use std::future::Future;
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::Method;
use actix_web::{FromRequest, HttpMessage, HttpRequest, web};
use kariz_domain::{ApiKeyId, ApiKeyScope, ApiKeyScopes, Role, UserId, Viewer, VisibilitySettings, WorkspaceId};

pub use crate::credentials::api_keys::{INTAKE_PATH, api_key_hash, new_api_key};
pub use crate::credentials::passwords::{Zxcvbn, hash_password, new_password, verify_password};
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
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub user_id: UserId,
    pub workspace_id: WorkspaceId,
    /// A key's creator's role now: a key never does more than its creator may.
    pub role: Role,
    /// Set when the caller authenticated with an API key rather than a user's access token.
    pub api_key_id: Option<ApiKeyId>,
    /// The key's scopes; `None` for an access token, which may do whatever its role allows.
    pub scopes: Option<ApiKeyScopes>,
}

impl AuthUser {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role != Role::Admin {
            return Err(ApiError::Forbidden("only admins can do this".to_owned()));
        }
        self.require_scope(ApiKeyScope::Admin)
    }

    pub fn require_pipeline_manager(&self) -> Result<(), ApiError> {
        if self.role.can_manage_pipelines() {
            Ok(())
        } else {
            Err(ApiError::Forbidden("only admins and managers can change pipelines and stages".to_owned()))
        }
    }

    /// Workspace settings that managers may change too (custom fields, scoring rules): by role
    /// like pipelines, but an API key needs `admin`, as for every other setting.
    pub fn require_settings_manager(&self) -> Result<(), ApiError> {
        if !self.role.can_manage_pipelines() {
            return Err(ApiError::Forbidden("only admins and managers can change workspace settings".to_owned()));
        }
        self.require_scope(ApiKeyScope::Admin)
    }

    /// Refuses an API key without `scope`; an access token passes.
    pub fn require_scope(&self, scope: ApiKeyScope) -> Result<(), ApiError> {
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

/// The signed-in caller as the store sees them: an [`AuthUser`] together with the workspace's
/// visibility settings, for handlers of deals, leads and what hangs off them (activities,
/// opportunities, the board, reports). The store hides what the viewer may not see.
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
            let state = req.app_data::<web::Data<AppState>>().cloned();
            // Settings never narrow what admins and managers see, so only members read them.
            let settings = if auth.role.sees_every_record() {
                VisibilitySettings::default()
            } else {
                let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
                state.store.workspace(auth.workspace_id).await?.visibility
            };
            Ok(Caller(Viewer::new(auth.workspace_id, auth.user_id, auth.role, settings), auth.api_key_id))
        })
    }
}

/// The scope an API key needs for this request. Intake is told by the route the router matched
/// rather than by the raw path, which another spelling (`/intake/l%65ads`) would not equal.
fn required_scope(req: &HttpRequest) -> ApiKeyScope {
    if req.match_pattern().as_deref() == Some(INTAKE_PATH) {
        ApiKeyScope::Intake
    } else if matches!(*req.method(), Method::GET | Method::HEAD) {
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
            state.rate_limits.check_caller(req, caller.user_id, caller.api_key_id)?;
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
            Ok(AuthUser { user_id: claims.sub.into(), workspace_id: claims.wid.into(), role: claims.role, api_key_id: None, scopes: None })
        }
        Credential::ApiKey(key) => {
            let holder = state.store.authenticate_api_key(&api_key_hash(&key), state.store.now()).await?;
            Ok(AuthUser {
                user_id: holder.user_id,
                workspace_id: holder.key.workspace_id,
                role: holder.role,
                api_key_id: Some(holder.key.id),
                scopes: Some(holder.key.scopes),
            })
        }
    }
}
