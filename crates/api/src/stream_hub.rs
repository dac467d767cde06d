//! What this process's open streams of one workspace share: the newest events and who of their
//! holders may still read, refreshed once per wake-up for all of them.
//!
//! Without it every stream would read the outbox head, its holder's account and the new events on
//! every commit — three queries per stream per event, so a thousand open boards would ask the
//! database three thousand times for each move. A [`Tail`] instead reads the new events and the
//! accounts of every holder once (the reads happen in that order, so an account change committed
//! before an event is seen with it) and keeps the newest of them in memory; each stream
//! then takes from the cache by its own cursor, and only one that fell behind the cache reads the
//! outbox itself.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Mutex, RwLock, Weak};

use actix_web::web::Bytes;
use kariz_domain::{Viewer, WorkspaceId};
use kariz_persistence::stream::{StreamBinding, StreamEvent};
use kariz_persistence::{Store, StoreError};

type StoreResult<T> = Result<T, StoreError>;
use tokio::time::Instant;
use uuid::Uuid;

/// An event with its frame, written once for every stream that sends it.
pub struct SharedEvent {
    pub event: StreamEvent,
    pub frame: Bytes,
}

impl SharedEvent {
    pub fn new(event: StreamEvent) -> SharedEvent {
        SharedEvent { frame: event_frame(&event), event }
    }
}

/// `id`, `event` and `data` of one event: the data is the webhook message, on one line.
pub fn event_frame(event: &StreamEvent) -> Bytes {
    let data: serde_json::Value = serde_json::from_str(&event.payload).unwrap_or(serde_json::Value::Null);
    let message = serde_json::json!({
        "type": event.event_type,
        "timestamp": event.occurred_at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "schema_version": kariz_webhooks::dispatcher::PAYLOAD_SCHEMA_VERSION,
        "data": data,
    });
    Bytes::from(format!("id: {}\nevent: {}\ndata: {}\n\n", event.sequence, event.event_type, message))
}

/// The tails of the workspaces that have open streams in this process.
pub struct StreamHub {
    tails: Mutex<HashMap<Uuid, Weak<Tail>>>,
    /// Events kept per workspace (`StreamSettings::cached_events`).
    capacity: usize,
}

impl StreamHub {
    pub fn new(capacity: usize) -> StreamHub {
        StreamHub { tails: Mutex::new(HashMap::new()), capacity: capacity.max(1) }
    }

    /// The tail of `workspace_id`, shared with this process's other streams of it, with
    /// `binding` counted among its holders until the returned [`Holder`] is dropped.
    pub fn join(&self, binding: StreamBinding) -> Holder {
        let mut tails = self.tails.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        tails.retain(|_, tail| tail.strong_count() > 0);
        let key = binding.workspace_id.as_uuid();
        let tail = match tails.get(&key).and_then(Weak::upgrade) {
            Some(tail) => tail,
            None => {
                let tail = Arc::new(Tail::new(binding.workspace_id, self.capacity));
                tails.insert(key, Arc::downgrade(&tail));
                tail
            }
        };
        *tail.holders.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).entry(binding).or_default() += 1;
        Holder { tail, binding }
    }
}

/// One stream's membership in its workspace's tail.
pub struct Holder {
    tail: Arc<Tail>,
    binding: StreamBinding,
}

impl Holder {
    /// The tail as of a refresh that began at or after `woken` (refreshing it when none has).
    pub async fn snapshot_since(&self, store: &Store, woken: Instant) -> StoreResult<Arc<Snapshot>> {
        self.tail.refresh_since(store, woken).await
    }

    pub fn binding(&self) -> StreamBinding {
        self.binding
    }
}

impl Drop for Holder {
    fn drop(&mut self) {
        let mut holders = self.tail.holders.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if let Some(count) = holders.get_mut(&self.binding) {
            *count -= 1;
            if *count == 0 {
                holders.remove(&self.binding);
            }
        }
    }
}

/// The newest events of a workspace and the viewers of its streams' holders, as of one refresh.
#[derive(Default)]
pub struct Snapshot {
    /// The last sequence read.
    pub head: i64,
    /// Events up to `head`, oldest first; contiguous in sequence.
    events: VecDeque<Arc<SharedEvent>>,
    /// Whom each holder reads as now (`None`: no longer allowed).
    viewers: HashMap<StreamBinding, Option<Viewer>>,
}

/// What a stream at `cursor` gets from a snapshot.
pub enum Read {
    /// Nothing after the cursor.
    UpToDate,
    /// The events after the cursor (at most `limit`).
    Events(Vec<Arc<SharedEvent>>),
    /// The cursor is older than the cache: read the outbox.
    BehindCache,
}

impl Snapshot {
    /// The viewer of `binding` as of this snapshot; `None` when it was not a holder at the refresh
    /// (it joined later), so the caller asks the store itself.
    pub fn viewer(&self, binding: &StreamBinding) -> Option<Option<Viewer>> {
        self.viewers.get(binding).copied()
    }

    pub fn after(&self, cursor: i64, limit: usize) -> Read {
        if cursor >= self.head {
            return Read::UpToDate;
        }
        let Some(first) = self.events.front().map(|e| e.event.sequence) else { return Read::BehindCache };
        if cursor + 1 < first {
            return Read::BehindCache;
        }
        let skip = usize::try_from(cursor + 1 - first).unwrap_or(0);
        Read::Events(self.events.iter().skip(skip).take(limit).cloned().collect())
    }
}

pub struct Tail {
    workspace_id: WorkspaceId,
    capacity: usize,
    /// Held while refreshing, so that one stream refreshes and the others wait for its result.
    refreshing: tokio::sync::Mutex<Option<Instant>>,
    /// Woken when a refresh ends. The others wait here rather than queue on `refreshing`, where
    /// a thousand streams would take the lock one after the other only to find the new snapshot.
    refreshed_signal: tokio::sync::Notify,
    /// When the current snapshot's refresh began: read without waiting, so that the streams
    /// woken by one commit do not queue on `refreshing` once one of them has refreshed.
    refreshed: Mutex<Option<Instant>>,
    current: RwLock<Arc<Snapshot>>,
    holders: Mutex<HashMap<StreamBinding, usize>>,
}

impl Tail {
    fn new(workspace_id: WorkspaceId, capacity: usize) -> Tail {
        Tail {
            workspace_id,
            capacity,
            refreshing: tokio::sync::Mutex::new(None),
            refreshed_signal: tokio::sync::Notify::new(),
            refreshed: Mutex::new(None),
            current: RwLock::new(Arc::new(Snapshot::default())),
            holders: Mutex::new(HashMap::new()),
        }
    }

    fn current(&self) -> Arc<Snapshot> {
        self.current.read().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// A refresh that started after `woken` saw everything numbered before the wake-up; when one
    /// has, its snapshot is the answer; while another stream refreshes, this one waits for it and
    /// looks again; otherwise this call refreshes.
    async fn refresh_since(&self, store: &Store, woken: Instant) -> StoreResult<Arc<Snapshot>> {
        let fresh = || self.refreshed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).is_some_and(|at| at >= woken);
        loop {
            if fresh() {
                return Ok(self.current());
            }
            // Registered before looking again, so that a refresh ending in between still wakes it.
            let ended = self.refreshed_signal.notified();
            match self.refreshing.try_lock() {
                Ok(started) => {
                    let result = self.refresh(store, started).await;
                    self.refreshed_signal.notify_waiters();
                    return result;
                }
                Err(_) => {
                    if fresh() {
                        return Ok(self.current());
                    }
                    ended.await;
                }
            }
        }
    }

    async fn refresh(&self, store: &Store, mut started: tokio::sync::MutexGuard<'_, Option<Instant>>) -> StoreResult<Arc<Snapshot>> {
        let begun = Instant::now();
        let previous = self.current();
        let mut head = previous.head;
        if head == 0 {
            // A new tail starts at the workspace's head: streams resume from the outbox.
            head = store.stream_head(self.workspace_id).await?;
        }
        let mut events = previous.events.clone();
        loop {
            let batch = store.stream_events(self.workspace_id, head, 500).await?;
            let Some(last) = batch.last().map(|e| e.sequence) else { break };
            let full = batch.len() == 500;
            if events.back().is_some_and(|e: &Arc<SharedEvent>| e.event.sequence != head) {
                events.clear();
            }
            events.extend(batch.into_iter().map(|event| Arc::new(SharedEvent::new(event))));
            head = last;
            while events.len() > self.capacity {
                events.pop_front();
            }
            if !full {
                break;
            }
        }
        // Read after the events: an account change that committed before one of them is seen.
        let bindings: Vec<StreamBinding> = self.holders.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).keys().copied().collect();
        let viewers = store.stream_viewers(self.workspace_id, &bindings).await?;
        let snapshot = Arc::new(Snapshot { head, events, viewers });
        *self.current.write().unwrap_or_else(|poisoned| poisoned.into_inner()) = snapshot.clone();
        *started = Some(begun);
        *self.refreshed.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(begun);
        Ok(snapshot)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(sequence: i64) -> Arc<SharedEvent> {
        Arc::new(SharedEvent::new(StreamEvent {
            sequence,
            event_type: "deal.updated".to_owned(),
            aggregate_type: "deal".to_owned(),
            aggregate_id: Uuid::nil(),
            payload: "{}".to_owned(),
            occurred_at: chrono::Utc::now(),
            audience: kariz_persistence::stream::Audience::SeesAll,
        }))
    }

    #[test]
    fn a_cursor_reads_what_follows_it_from_the_cache_or_is_sent_to_the_outbox() {
        let snapshot = Snapshot { head: 12, events: (8..=12).map(event).collect(), viewers: HashMap::new() };
        let sequences = |read: Read| match read {
            Read::Events(events) => events.iter().map(|e| e.event.sequence).collect::<Vec<_>>(),
            Read::UpToDate => vec![-1],
            Read::BehindCache => vec![-2],
        };
        assert_eq!(sequences(snapshot.after(12, 10)), [-1], "nothing after the head");
        assert_eq!(sequences(snapshot.after(9, 10)), [10, 11, 12]);
        assert_eq!(sequences(snapshot.after(7, 2)), [8, 9], "at most the limit");
        assert_eq!(sequences(snapshot.after(6, 10)), [-2], "7 is no longer cached");
        let empty = Snapshot { head: 5, ..Snapshot::default() };
        assert_eq!(sequences(empty.after(3, 10)), [-2]);
    }
}
