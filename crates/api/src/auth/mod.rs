//! Authentication: argon2id passwords, JWT access tokens, rotating refresh tokens, and the
//! [`AuthUser`] extractor that every protected handler takes.

mod api_keys;
mod passwords;
mod throttle;
mod tokens;

use std::future::{Future, Ready, ready};
use std::ops::Deref;
use std::pin::Pin;

use actix_web::dev::Payload;
use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, web};
use kariz_domain::{ApiKeyId, Role, UserId, Viewer, VisibilitySettings, WorkspaceId};

pub use api_keys::{ApiKeyCaller, INTAKE_SCOPE, SCOPES, api_key_hash, new_api_key};
pub use passwords::{hash_password, verify_password};
pub use throttle::SignInThrottle;
pub use tokens::{AccessClaims, IssuedTokens, TokenService, new_refresh_token, refresh_token_hash};

use crate::error::ApiError;
use crate::state::AppState;

/// The signed-in caller, taken from a valid bearer access token. Handlers scope every store
/// call by `workspace_id`, so another workspace's objects are simply not found.
#[derive(Clone, Copy, Debug)]
pub struct AuthUser {
    pub user_id: UserId,
    pub workspace_id: WorkspaceId,
    pub role: Role,
    /// Set when the caller authenticated with an API key rather than a user's access token.
    pub api_key_id: Option<ApiKeyId>,
}

impl AuthUser {
    pub fn require_admin(&self) -> Result<(), ApiError> {
        if self.role == Role::Admin { Ok(()) } else { Err(ApiError::Forbidden("only admins can do this".to_owned())) }
    }

    pub fn require_pipeline_manager(&self) -> Result<(), ApiError> {
        if self.role.can_manage_pipelines() {
            Ok(())
        } else {
            Err(ApiError::Forbidden("only admins and managers can change pipelines and stages".to_owned()))
        }
    }
}

impl FromRequest for AuthUser {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(authenticate(req))
    }
}

/// The signed-in caller as the store sees them: an [`AuthUser`] together with the workspace's
/// visibility settings, for handlers of deals, leads and what hangs off them (activities,
/// opportunities, the board, reports). The store hides what the viewer may not see.
#[derive(Clone, Copy, Debug)]
pub struct Caller(Viewer);

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
        let auth = authenticate(req);
        let state = req.app_data::<web::Data<AppState>>().cloned();
        Box::pin(async move {
            let auth = auth?;
            // Settings never narrow what admins and managers see, so only members read them.
            let settings = if auth.role.sees_every_record() {
                VisibilitySettings::default()
            } else {
                let state = state.ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
                state.store.workspace(auth.workspace_id).await?.visibility
            };
            Ok(Caller(Viewer::new(auth.workspace_id, auth.user_id, auth.role, settings)))
        })
    }
}

fn authenticate(req: &HttpRequest) -> Result<AuthUser, ApiError> {
    let state = req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::Internal(anyhow::anyhow!("application state missing")))?;
    let header = req
        .headers()
        .get(header::AUTHORIZATION)
        .ok_or_else(|| ApiError::Unauthenticated("send an access token as `Authorization: Bearer <token>`".to_owned()))?;
    let token = header
        .to_str()
        .ok()
        .and_then(|v| v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")))
        .map(str::trim)
        .ok_or_else(|| ApiError::Unauthenticated("the Authorization header must be `Bearer <token>`".to_owned()))?;
    let claims = state.tokens.verify_access(token)?;
    Ok(AuthUser { user_id: claims.sub.into(), workspace_id: claims.wid.into(), role: claims.role, api_key_id: None })
}
