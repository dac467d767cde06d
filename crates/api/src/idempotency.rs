//! `Idempotency-Key` on POST: the first request with a key does the work and its successful
//! response is kept for 24 hours; a retry with the same key and the same request (method, path and
//! body) gets that response again, marked `idempotent-replayed: true`; the same key on another
//! request is refused (422); a retry while the first is still running gets 409. Keys are scoped to
//! the signed-in user; without a valid token the header is ignored.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, FromRequest, HttpResponse, web};
use kariz_persistence::idempotency::{KeyClaim, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::AuthUser;
use crate::error::{ApiError, ErrorCode};
use crate::state::AppState;

const HEADER: &str = "idempotency-key";
/// Headers of the first response that a replay repeats.
const KEPT_HEADERS: [HeaderName; 3] = [header::CONTENT_TYPE, header::ETAG, header::LOCATION];

fn parse_key(raw: &HeaderValue) -> Result<String, ApiError> {
    raw.to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= 255 && k.bytes().all(|b| b.is_ascii_graphic()))
        .map(str::to_owned)
        .ok_or_else(|| ApiError::BadRequest("Idempotency-Key must be 1 to 255 visible ASCII characters".to_owned()))
}

pub async fn idempotency(mut req: ServiceRequest, next: Next<impl MessageBody + 'static>) -> Result<ServiceResponse<BoxBody>, Error> {
    // The decoded path, as the router will match it: `/%61pi/v1/…` is an API call too.
    let applies = req.method() == Method::POST && req.match_info().as_str().starts_with("/api/v1/") && req.headers().contains_key(HEADER);
    let caller = if applies { AuthUser::extract(req.request()).await.ok() } else { None };
    let (Some(caller), Some(state)) = (caller, req.app_data::<web::Data<AppState>>().cloned()) else {
        return next.call(req).await.map(ServiceResponse::map_into_boxed_body);
    };
    // Errors are answered here, inside the request's context, so that they carry its id.
    let key = match req.headers().get(HEADER).map(parse_key).transpose() {
        Ok(key) => key.unwrap_or_default(),
        Err(err) => return Ok(req.error_response(err)),
    };
    let body: Bytes = match req.extract::<Bytes>().await {
        Ok(body) => body,
        Err(err) => return Ok(req.error_response(crate::body_deadline::extractor_body_error(&err, crate::extract::MAX_BODY_BYTES))),
    };
    let fingerprint = {
        let mut digest = Sha256::new();
        digest.update(req.method().as_str().as_bytes());
        digest.update(b" ");
        digest.update(req.uri().to_string().as_bytes());
        digest.update(b"\n");
        digest.update(&body);
        digest.finalize().iter().map(|b| format!("{b:02x}")).collect::<String>()
    };
    req.set_payload(Payload::from(body));

    let store = &state.store;
    let (workspace_id, user_id) = (caller.workspace_id, caller.user_id);
    let claim = match store.claim_idempotency_key(workspace_id, user_id, &key, &fingerprint).await {
        Ok(claim) => claim,
        Err(err) => return Ok(req.error_response(ApiError::from(err))),
    };
    match claim {
        KeyClaim::Replay(stored) => {
            let mut response = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
            for (name, value) in &stored.headers {
                response.insert_header((name.as_str(), value.as_str()));
            }
            response.insert_header(("idempotent-replayed", "true"));
            Ok(req.into_response(response.body(stored.body)))
        }
        KeyClaim::InProgress => Ok(req.error_response(ApiError::refused(
            ErrorCode::IdempotencyInProgress,
            "a request with this Idempotency-Key is still being answered; retry in a moment",
        ))),
        KeyClaim::Mismatch => {
            Ok(req.error_response(ApiError::validation("Idempotency-Key", "reused", "this key was already used for a different request")))
        }
        KeyClaim::Proceed => {
            let response = match next.call(req).await {
                Ok(response) => response,
                Err(err) => {
                    store.release_idempotency_key(workspace_id, user_id, &key).await.map_err(ApiError::from)?;
                    return Err(err);
                }
            };
            if !response.status().is_success() {
                store.release_idempotency_key(workspace_id, user_id, &key).await.map_err(ApiError::from)?;
                return Ok(response.map_into_boxed_body());
            }
            let (request, response) = response.into_parts();
            let (head, body) = response.into_parts();
            let bytes =
                actix_web::body::to_bytes(body).await.map_err(|_| ApiError::Internal(anyhow::anyhow!("could not read the response")))?;
            let headers = KEPT_HEADERS
                .iter()
                .filter_map(|name| head.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| (name.to_string(), v.to_owned())))
                .collect();
            let stored = StoredResponse { status: head.status().as_u16(), body: String::from_utf8_lossy(&bytes).into_owned(), headers };
            store.complete_idempotency_key(workspace_id, user_id, &key, stored).await.map_err(ApiError::from)?;
            Ok(ServiceResponse::new(request, head.set_body(bytes).map_into_boxed_body()))
        }
    }
}
