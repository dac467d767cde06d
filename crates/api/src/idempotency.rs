//! `Idempotency-Key` on POST: the first request with a key does the work and its successful
//! response is kept for 24 hours; a retry with the same key and the same request (method, path and
//! body) gets that response again, marked `idempotent-replayed: true`; the same key on another
//! request is refused (422); a retry while the first is still running gets 409. Without a valid
//! credential the header is ignored.
//!
//! Keys belong to the caller who sent them: a user's access token, or one API key (`KeyOwner`),
//! so nobody replays another caller's answer, not even an API key its maker's. A replay is
//! authorized again: the answer is kept with the checks its handler made of the caller
//! (`auth::authority`), and those are made again of the caller as they are now before the answer
//! is sent, so a demoted admin or a narrower key is refused as the request itself would be. An
//! answer that holds a secret (a new API key, a webhook's signing secret, tokens: handlers mark it
//! with [`not_repeatable`], and any answer setting a cookie counts) is never stored: its key is
//! spent, and a repeat gets 409 `idempotency_not_repeatable`.
//!
//! A body up to the JSON limit is read whole and fingerprinted first. A larger one (a CSV
//! import) is not held in memory: a retry's is hashed as it is read and compared with the stored
//! fingerprint; a first request's streams to its handler through the hash, and its fingerprint is
//! stored with its response.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::web::Bytes;
use actix_web::{Error, FromRequest, HttpResponse, web};
use futures_util::StreamExt;
use kariz_persistence::idempotency::{Answer, KeyClaim, KeyOwner, KeyState, StoredResponse};
use sha2::{Digest, Sha256};

use crate::auth::AuthUser;
use crate::auth::authority::{Authority, recording};
use crate::body_deadline::body_error;
use crate::error::{ApiError, ErrorCode, FieldCode};
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
    let owner = owner_of(&caller);
    let mut digest = request_digest(&req);
    let body = match read_up_to(req.parts_mut().1.take(), BUFFERED_BODY_BYTES).await {
        Ok(Body::Whole(body)) => body,
        Ok(Body::Large { head, rest }) => return streamed(req, next, &state, caller, key, digest, head, rest).await,
        Err(err) => return Ok(req.error_response(err)),
    };
    digest.update(&body);
    let fingerprint = hex(digest);
    req.set_payload(Payload::from(body));

    let store = &state.store;
    let claim = match store.claim_idempotency_key(owner, &key, &fingerprint).await {
        Ok(claim) => claim,
        Err(err) => return Ok(req.error_response(ApiError::from(err))),
    };
    match claim {
        KeyClaim::Replay(answer) => Ok(answer_again(req, &caller, answer)),
        KeyClaim::InProgress => Ok(req.error_response(in_progress())),
        KeyClaim::Mismatch => Ok(req.error_response(reused())),
        KeyClaim::Proceed => {
            let (response, authority) = recording(next.call(req)).await;
            let response = match response {
                Ok(response) => response,
                Err(err) => {
                    store.release_idempotency_key(owner, &key).await.map_err(ApiError::from)?;
                    return Err(err);
                }
            };
            if !response.status().is_success() {
                store.release_idempotency_key(owner, &key).await.map_err(ApiError::from)?;
                return Ok(response.map_into_boxed_body());
            }
            keep(store, owner, &key, &fingerprint, &authority, response).await
        }
    }
}

fn owner_of(caller: &AuthUser) -> KeyOwner {
    KeyOwner { workspace_id: caller.workspace_id, user_id: caller.user_id, api_key_id: caller.api_key_id }
}

/// Marks a response that holds a secret (a key, a signing secret, tokens): it is never kept for
/// a replay, and a repeat of its `Idempotency-Key` is refused.
pub fn not_repeatable(mut response: HttpResponse) -> HttpResponse {
    response.extensions_mut().insert(HoldsSecret);
    response
}

struct HoldsSecret;

fn holds_secret(response: &HttpResponse<()>) -> bool {
    response.extensions().get::<HoldsSecret>().is_some() || response.headers().contains_key(header::SET_COOKIE)
}

/// Keeps a successful answer with the authority it needed — its body only if it holds no secret
/// — and sends it.
async fn keep(
    store: &kariz_persistence::Store,
    owner: KeyOwner,
    key: &str,
    fingerprint: &str,
    authority: &Authority,
    response: ServiceResponse<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let (request, response) = response.into_parts();
    let (head, body) = response.into_parts();
    let bytes = actix_web::body::to_bytes(body).await.map_err(|_| ApiError::Internal(anyhow::anyhow!("could not read the response")))?;
    let stored = (!holds_secret(&head)).then(|| stored_response(&head, &bytes));
    store
        .complete_idempotency_key(owner, key, fingerprint, &authority.encode(), head.status().as_u16(), stored)
        .await
        .map_err(ApiError::from)?;
    Ok(ServiceResponse::new(request, head.set_body(bytes).map_into_boxed_body()))
}

/// A repeat of an answered request: authorized again on the caller as they are now, then
/// answered as the first time, or refused when that answer held a secret.
fn answer_again(req: ServiceRequest, caller: &AuthUser, answer: Answer) -> ServiceResponse<BoxBody> {
    let authorized = Authority::decode(&answer.authority)
        .ok_or_else(|| ApiError::Forbidden("this request's authorization cannot be checked again".to_owned()))
        .and_then(|authority| authority.check(caller));
    if let Err(refused) = authorized {
        return req.error_response(refused);
    }
    match answer.response {
        Some(stored) => req.into_response(replay(stored)),
        None => req.error_response(not_repeatable_refusal()),
    }
}

/// Bodies up to this size are read whole and fingerprinted before the request runs (every JSON
/// body is, `MAX_BODY_BYTES`); a larger one — a CSV upload — streams to its handler.
const BUFFERED_BODY_BYTES: usize = crate::extract::MAX_BODY_BYTES;

/// The fingerprint of a request: its method, URI and body, hashed as they are read.
fn request_digest(req: &ServiceRequest) -> Sha256 {
    let mut digest = Sha256::new();
    digest.update(req.method().as_str().as_bytes());
    digest.update(b" ");
    digest.update(req.uri().to_string().as_bytes());
    digest.update(b"\n");
    digest
}

fn hex(digest: Sha256) -> String {
    digest.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

enum Body {
    Whole(Bytes),
    /// The first chunks, more than the buffered size, and the rest, unread.
    Large {
        head: Vec<Bytes>,
        rest: Payload,
    },
}

async fn read_up_to(mut payload: Payload, limit: usize) -> Result<Body, ApiError> {
    let mut head = Vec::new();
    let mut size = 0;
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| body_error(&e, limit))?;
        size += chunk.len();
        head.push(chunk);
        if size > limit {
            return Ok(Body::Large { head, rest: payload });
        }
    }
    Ok(Body::Whole(head.concat().into()))
}

/// A request whose body is too large to hold: a retry is recognised by hashing its body as it is
/// read (and then dropped), and a first request streams its body to the handler through the
/// hash, its fingerprint kept with its response once it is answered.
#[allow(clippy::too_many_arguments)]
async fn streamed(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
    state: &AppState,
    caller: AuthUser,
    key: String,
    mut digest: Sha256,
    head: Vec<Bytes>,
    rest: Payload,
) -> Result<ServiceResponse<BoxBody>, Error> {
    let store = &state.store;
    let owner = owner_of(&caller);
    let max_upload = state.settings.max_upload_bytes;
    match store.idempotency_key_state(owner, &key).await {
        Err(err) => Ok(req.error_response(ApiError::from(err))),
        Ok(KeyState::InProgress) => Ok(req.error_response(in_progress())),
        Ok(KeyState::Answered { fingerprint, answer }) => {
            for chunk in &head {
                digest.update(chunk);
            }
            let mut rest = rest;
            let mut size: usize = head.iter().map(Bytes::len).sum();
            while let Some(chunk) = rest.next().await {
                let chunk = match chunk {
                    Ok(chunk) => chunk,
                    Err(e) => return Ok(req.error_response(body_error(&e, max_upload))),
                };
                size += chunk.len();
                if size > max_upload {
                    return Ok(req.error_response(ApiError::PayloadTooLarge { limit: max_upload }));
                }
                digest.update(&chunk);
            }
            if hex(digest) != fingerprint {
                return Ok(req.error_response(reused()));
            }
            Ok(answer_again(req, &caller, answer))
        }
        Ok(KeyState::Free) => {
            // Claimed before the fingerprint is known; a request racing for the key meanwhile
            // finds it in progress.
            match store.claim_idempotency_key(owner, &key, STREAMING_FINGERPRINT).await {
                Ok(KeyClaim::Proceed) => {}
                Ok(_) => return Ok(req.error_response(in_progress())),
                Err(err) => return Ok(req.error_response(ApiError::from(err))),
            }
            let hashed = HashedBody::default();
            req.set_payload(hashed.wrap(digest, head, rest));
            let (response, authority) = recording(next.call(req)).await;
            let response = match response {
                Ok(response) => response,
                Err(err) => {
                    store.release_idempotency_key(owner, &key).await.map_err(ApiError::from)?;
                    return Err(err);
                }
            };
            // A handler that did not read its whole body cannot vouch for a retry's.
            let Some(fingerprint) = hashed.finish().filter(|_| response.status().is_success()) else {
                store.release_idempotency_key(owner, &key).await.map_err(ApiError::from)?;
                return Ok(response.map_into_boxed_body());
            };
            keep(store, owner, &key, &fingerprint, &authority, response).await
        }
    }
}

fn in_progress() -> ApiError {
    ApiError::refused(ErrorCode::IdempotencyInProgress, "a request with this Idempotency-Key is still being answered; retry in a moment")
}

fn not_repeatable_refusal() -> ApiError {
    ApiError::refused(
        ErrorCode::IdempotencyNotRepeatable,
        "the request with this Idempotency-Key was answered with a secret, which is shown once and never kept; check its result, or send a new key",
    )
}

/// Stands in for a streamed request's fingerprint until its body has been read.
const STREAMING_FINGERPRINT: &str = "streaming";

fn reused() -> ApiError {
    ApiError::validation("Idempotency-Key", FieldCode::Reused, "this key was already used for a different request")
}

fn replay(stored: StoredResponse) -> HttpResponse {
    let mut response = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
    for (name, value) in &stored.headers {
        response.insert_header((name.as_str(), value.as_str()));
    }
    response.insert_header(("idempotent-replayed", "true"));
    response.body(stored.body)
}

fn stored_response(head: &actix_web::HttpResponse<()>, bytes: &Bytes) -> StoredResponse {
    let headers = KEPT_HEADERS
        .iter()
        .filter_map(|name| head.headers().get(name).and_then(|v| v.to_str().ok()).map(|v| (name.to_string(), v.to_owned())))
        .collect();
    StoredResponse { status: head.status().as_u16(), body: String::from_utf8_lossy(bytes).into_owned(), headers }
}

/// The body a streamed request's handler reads, hashed chunk by chunk on the way (nothing is
/// kept); `finish` tells the digest once the handler has read it to the end.
#[derive(Clone, Default)]
struct HashedBody {
    digest: std::sync::Arc<std::sync::Mutex<Option<Sha256>>>,
    ended: std::sync::Arc<std::sync::atomic::AtomicBool>,
}

impl HashedBody {
    fn wrap(&self, digest: Sha256, head: Vec<Bytes>, rest: Payload) -> Payload {
        *self.lock() = Some(digest);
        let (hashing, ended) = (self.clone(), self.ended.clone());
        let head = futures_util::stream::iter(head.into_iter().map(Ok));
        let body = head.chain(rest).inspect(move |chunk| {
            if let (Ok(chunk), Some(digest)) = (chunk, hashing.lock().as_mut()) {
                digest.update(chunk);
            }
        });
        let end = futures_util::stream::once(async move {
            ended.store(true, std::sync::atomic::Ordering::SeqCst);
            None
        })
        .filter_map(std::future::ready);
        let stream: std::pin::Pin<Box<dyn futures_util::Stream<Item = Result<Bytes, actix_web::error::PayloadError>>>> =
            Box::pin(body.chain(end));
        Payload::from(stream)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Option<Sha256>> {
        self.digest.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn finish(&self) -> Option<String> {
        if !self.ended.load(std::sync::atomic::Ordering::SeqCst) {
            return None;
        }
        self.lock().take().map(hex)
    }
}
