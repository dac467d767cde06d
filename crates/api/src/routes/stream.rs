//! The event stream: the workspace's outbox events, as server-sent events, as they commit.
//!
//! `POST /stream/tickets` gives a signed-in caller a ticket (browsers' `EventSource` cannot send
//! an `Authorization` header): random, single-use, valid for 30 seconds, stored only as its
//! SHA-256 and bound to the caller — the user and the access token's session generation, or the
//! API key. `GET /stream?ticket=…` redeems it (one conditional update, so a ticket opens at most
//! one stream) and answers `text/event-stream`.
//!
//! Each event is one frame: `id:` the event's sequence in its workspace (1, 2, 3, … in commit
//! order), `event:` its type and `data:` the webhook message (`type`, `timestamp`,
//! `schema_version`, `data`). A reconnection sends the last id back (`Last-Event-ID`, or
//! `last_event_id` in the query) and receives every later event, none twice; an id older than
//! the retention or unknown gets a `reset` event instead (reload, then go on from its id).
//!
//! Before each read of new events (and at each heartbeat) the holder is checked again: a
//! deactivated user, a changed password or a revoked key closes the stream, and the role and
//! visibility settings of now decide which events are sent (`Store::stream_visible`).
//!
//! Events are read from the outbox by a cursor, a batch at a time, only as fast as the client
//! takes them: a slow client holds one batch, never slows the others, and once it is more than
//! the retention behind it gets `reset` and is closed.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::Arc;

use actix_web::http::header::{self, ContentEncoding};
use actix_web::web::{Bytes, BytesMut};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{DateTime, Utc};
use kariz_persistence::StreamSignal;
use kariz_persistence::stream::{Resume, StreamBinding};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio::sync::broadcast::error::RecvError;
use utoipa::{IntoParams, ToSchema};

use crate::auth::{AuthUser, refresh_token_hash};
use crate::dto::errors::WriteErrors;
use crate::error::ApiError;
use crate::state::AppState;
use crate::stream_hub::{Holder, Read, SharedEvent};

#[derive(Serialize, ToSchema)]
pub struct StreamTicketResponse {
    /// Pass it as `ticket` to `GET /stream` once, before it expires.
    #[schema(example = "st_3q2dVx0oP1b2Z9mK7cR4wYh8sLfN6eTg")]
    pub ticket: String,
    pub expires_at: DateTime<Utc>,
}

/// Get a ticket that opens the event stream once, within 30 seconds. Any signed-in member or API
/// key (the `read` scope is enough) may; the stream then reads as that caller.
#[utoipa::path(tag = "stream", security(("bearer" = [])),
    responses((status = 201, description = "A single-use ticket", body = StreamTicketResponse), WriteErrors))]
#[post("/stream/tickets")]
pub async fn create_stream_ticket(state: web::Data<AppState>, auth: AuthUser) -> Result<HttpResponse, ApiError> {
    let session_generation = match auth.api_key_id {
        Some(_) => None,
        // The token's generation was checked against this one as the caller was identified.
        None => state.store.principal(auth.workspace_id, auth.user_id).await?.map(|p| p.session_generation),
    };
    let binding = StreamBinding { workspace_id: auth.workspace_id, user_id: auth.user_id, session_generation, api_key_id: auth.api_key_id };
    let ticket = new_ticket()?;
    let issued = state.store.issue_stream_ticket(binding, &refresh_token_hash(&ticket), state.settings.stream.ticket_ttl).await?;
    // The ticket is a secret: an Idempotency-Key never keeps it for a replay.
    Ok(crate::idempotency::not_repeatable(HttpResponse::Created().json(StreamTicketResponse { ticket, expires_at: issued.expires_at })))
}

fn new_ticket() -> Result<String, ApiError> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| ApiError::Internal(anyhow::anyhow!("no randomness: {e}")))?;
    use base64::Engine;
    Ok(format!("st_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StreamQuery {
    /// A ticket from `POST /stream/tickets`, unused and unexpired.
    pub ticket: Option<String>,
    /// Resume after this event id (the same as the `Last-Event-ID` header, which wins).
    pub last_event_id: Option<String>,
}

/// The workspace's events as they commit, as server-sent events (`text/event-stream`).
///
/// Frames:
/// - an event: `id: <sequence>`, `event: <type>` (`deal.stage_changed`, `lead.created`, … — the
///   webhook event types) and `data: <JSON>`, the webhook message `{"type", "timestamp",
///   "schema_version", "data"}`; only events you may read now are sent;
/// - `event: reset` (with `id:` the newest sequence and `data: {"reason"}`): the id you resumed
///   from is unknown or older than the retention (10,000 events), or you fell that far behind;
///   reload what you show and go on from this id (after falling behind the stream closes);
/// - `: ping`, a comment, after 15 seconds without an event;
/// - `retry: 2000` first, for `EventSource`'s reconnection delay.
///
/// Send `Last-Event-ID` (or `last_event_id`) to receive every event after that id, none twice.
/// Without it the stream starts at the newest numbered event: a change committed an instant
/// before the stream opened may still arrive, so apply events by the record's `version`.
/// Every connection needs a new ticket (`EventSource`'s automatic reconnection reuses the spent
/// one and gets 401: open a new `EventSource` with a new ticket and `last_event_id`). The stream
/// closes when you may no longer read (deactivated, password changed, key revoked). A bad,
/// expired or used ticket is 401.
#[utoipa::path(tag = "stream", params(StreamQuery, ("Last-Event-ID" = Option<String>, Header, description = "The last event id received")),
    responses(
        (status = 200, description = "The event stream (`text/event-stream`), open until you close it", content_type = "text/event-stream", body = String),
        (status = 400, description = "A malformed event id", body = crate::error::Problem, content_type = "application/problem+json"),
        (status = 401, description = "No ticket, or a bad, expired or used one", body = crate::error::Problem, content_type = "application/problem+json"),
    ))]
#[get("/stream")]
pub async fn event_stream(state: web::Data<AppState>, req: HttpRequest, query: web::Query<StreamQuery>) -> Result<HttpResponse, ApiError> {
    let refused =
        || ApiError::Unauthenticated("the stream ticket is missing, unknown, expired or already used; ask for a new one".to_owned());
    let ticket = query.ticket.as_deref().filter(|t| !t.is_empty() && t.len() <= 200).ok_or_else(refused)?;
    let last_event_id = req
        .headers()
        .get("last-event-id")
        .map(|v| v.to_str().map(str::to_owned).map_err(|_| ()))
        .transpose()
        .map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id".to_owned()))?
        .or_else(|| query.last_event_id.clone())
        .filter(|raw| !raw.trim().is_empty());
    let last_event_id = match last_event_id {
        None => None,
        Some(raw) => Some(raw.trim().parse::<i64>().map_err(|_| ApiError::BadRequest("Last-Event-ID is not an event id".to_owned()))?),
    };
    let binding = state.store.redeem_stream_ticket(&refresh_token_hash(ticket)).await?.ok_or_else(refused)?;
    state.store.stream_viewer(binding).await?.ok_or_else(refused)?;
    let settings = state.settings.stream;
    // Subscribed before the head is read, so nothing committed in between goes unnoticed.
    let signals = state.store.stream_signals();
    let head = state.store.stream_head(binding.workspace_id).await?;
    let mut pending = VecDeque::from([Bytes::from_static(b"retry: 2000\n\n")]);
    let cursor = match last_event_id {
        None => head,
        Some(last) => match state.store.stream_resume(binding.workspace_id, last, settings.retention).await? {
            Resume::After(after) => after,
            Resume::Reset => {
                pending.push_back(reset_frame(head, "unknown_or_expired_id"));
                head
            }
        },
    };
    let now = tokio::time::Instant::now();
    let holder = state.stream_hub.join(binding);
    let reader = Reader { state, holder, cursor, signals, pending, closing: false, next_heartbeat: now + settings.heartbeat, woken: now };
    Ok(HttpResponse::Ok()
        .content_type("text/event-stream")
        .insert_header((header::CACHE_CONTROL, "no-cache"))
        .insert_header(ContentEncoding::Identity)
        // Proxies that buffer (nginx) pass the stream through as it comes.
        .insert_header(("X-Accel-Buffering", "no"))
        .streaming(futures_util::stream::unfold(reader, |mut reader| async move {
            let frame = reader.next_frame().await?;
            Some((Ok::<_, Infallible>(frame), reader))
        })))
}

/// The most bytes of frames written to a stream at once.
const CHUNK: usize = 16 * 1024;

/// One open stream: its holder, its cursor, and the frames read but not yet sent.
struct Reader {
    state: web::Data<AppState>,
    /// The holder's place in its workspace's shared tail (see `stream_hub.rs`).
    holder: Holder,
    /// The sequence of the last event read (sent or not visible).
    cursor: i64,
    signals: broadcast::Receiver<StreamSignal>,
    pending: VecDeque<Bytes>,
    /// Send what is pending, then end.
    closing: bool,
    /// When a `: ping` is due if nothing else was sent.
    next_heartbeat: tokio::time::Instant,
    /// When the last wake-up was sent: a read needs the tail as of then or later.
    woken: tokio::time::Instant,
}

impl Reader {
    /// The next frame to send, or `None` to end the stream.
    async fn next_frame(&mut self) -> Option<Bytes> {
        loop {
            if let Some(frame) = self.take_pending() {
                self.next_heartbeat = tokio::time::Instant::now() + self.state.settings.stream.heartbeat;
                return Some(frame);
            }
            if self.closing {
                return None;
            }
            match self.read().await {
                Ok(true) => continue,
                Ok(false) => {}
                Err(err) => {
                    tracing::warn!(error = %err, "event stream ended by a failed read");
                    return None;
                }
            }
            if !self.wait().await {
                return None;
            }
        }
    }

    /// The pending frames as one chunk (up to [`CHUNK`] bytes): a stream that fell behind catches
    /// up in one write to its socket instead of one per event.
    fn take_pending(&mut self) -> Option<Bytes> {
        let first = self.pending.pop_front()?;
        if self.pending.is_empty() || first.len() >= CHUNK {
            return Some(first);
        }
        let mut chunk = BytesMut::with_capacity(CHUNK);
        chunk.extend_from_slice(&first);
        while let Some(next) = self.pending.front() {
            if chunk.len() + next.len() > CHUNK {
                break;
            }
            chunk.extend_from_slice(next);
            self.pending.pop_front();
        }
        Some(chunk.freeze())
    }

    /// Waits until this workspace's outbox may have grown (other workspaces' wake-ups are passed
    /// over here, without a query) or a heartbeat is due, which is sent if the holder may still
    /// read. `false` ends the stream.
    async fn wait(&mut self) -> bool {
        let own = self.holder.binding().workspace_id.as_uuid();
        loop {
            tokio::select! {
                woken = self.signals.recv() => match woken {
                    Ok(signal) if !signal.concerns(own) => continue,
                    Ok(signal) => {
                        // The sending instant, not this task's: the streams woken together then
                        // share one refresh of the tail, however late each of them runs.
                        self.woken = tokio::time::Instant::from_std(signal.sent);
                        return true;
                    }
                    Err(RecvError::Lagged(_)) => {
                        self.woken = tokio::time::Instant::now();
                        return true;
                    }
                    Err(RecvError::Closed) => return false,
                },
                () = tokio::time::sleep_until(self.next_heartbeat) => {
                    return match self.state.store.stream_viewer(self.holder.binding()).await {
                        Ok(Some(_)) if !self.state.drain.is_draining() => {
                            self.pending.push_back(Bytes::from_static(b": ping\n\n"));
                            true
                        }
                        _ => false,
                    };
                }
            }
        }
    }

    /// Reads the next batch of events after the cursor into `pending`; `Ok(false)` when there
    /// were none. Checks the holder first, and closes the stream when they may no longer read or
    /// the client fell more than the retention behind. Events and the holder's standing come from
    /// the workspace's shared tail; only a stream behind its cache reads the outbox itself.
    async fn read(&mut self) -> Result<bool, kariz_persistence::StoreError> {
        let store = &self.state.store;
        let settings = self.state.settings.stream;
        let binding = self.holder.binding();
        let snapshot = self.holder.snapshot_since(store, self.woken).await?;
        let head = snapshot.head;
        if head <= self.cursor {
            return Ok(false);
        }
        let viewer = match snapshot.viewer(&binding) {
            Some(viewer) => viewer,
            None => store.stream_viewer(binding).await?,
        };
        let Some(viewer) = viewer else {
            self.closing = true;
            return Ok(true);
        };
        if self.state.drain.is_draining() {
            self.closing = true;
            return Ok(true);
        }
        if head - self.cursor > settings.retention {
            self.pending.push_back(reset_frame(head, "too_far_behind"));
            self.closing = true;
            return Ok(true);
        }
        let batch = usize::try_from(settings.batch).unwrap_or(100);
        let events: Vec<Arc<SharedEvent>> = match snapshot.after(self.cursor, batch) {
            Read::UpToDate => return Ok(false),
            Read::Events(events) => events,
            Read::BehindCache => store
                .stream_events(binding.workspace_id, self.cursor, settings.batch)
                .await?
                .into_iter()
                .map(|event| Arc::new(SharedEvent::new(event)))
                .collect(),
        };
        let Some(last) = events.last().map(|e| e.event.sequence) else { return Ok(false) };
        for shared in &events {
            if store.stream_visible(&viewer, &shared.event).await? {
                // The frame was written once for every stream of the workspace: a copy is a count.
                self.pending.push_back(shared.frame.clone());
            }
        }
        self.cursor = last;
        Ok(true)
    }
}

fn reset_frame(head: i64, reason: &str) -> Bytes {
    Bytes::from(format!("id: {head}\nevent: reset\ndata: {}\n\n", serde_json::json!({ "reason": reason })))
}
