//! The event stream over real HTTP: tickets, frames that match the webhook messages, resumption
//! with `Last-Event-ID` without gaps or repeats, visibility, deactivation, and fan-out between two
//! instances on one PostgreSQL database. Frames are read from the response body as they arrive,
//! each within a bounded wait; nothing sleeps.

use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Engine, Session, TestApp, id, spawn_app, spawn_app_with, spawn_replica, stage_id};
use crate::on_both_engines;

on_both_engines!(
    a_move_by_another_user_arrives_as_its_webhook_message,
    last_event_id_replays_exactly_what_was_missed,
    bad_used_and_expired_tickets_are_refused,
    members_receive_only_what_they_may_read,
    a_deactivated_users_stream_ends,
    idle_streams_get_heartbeats_and_any_role_or_read_key_gets_a_ticket,
    a_client_too_far_behind_is_told_to_reload_and_closed,
    concurrent_changes_arrive_numbered_without_gaps_or_repeats,
    streams_of_one_workspace_share_a_tail_and_one_behind_it_reads_the_outbox,
);

/// How long a frame that should come may take.
const PATIENCE: Duration = Duration::from_secs(10);

/// One server-sent event (or comment).
#[derive(Debug, Default)]
pub(crate) struct Frame {
    pub(crate) id: Option<String>,
    pub(crate) event: Option<String>,
    data: Option<String>,
    comment: Option<String>,
}

impl Frame {
    pub(crate) fn data(&self) -> Value {
        serde_json::from_str(self.data.as_deref().unwrap()).unwrap()
    }

    pub(crate) fn sequence(&self) -> i64 {
        self.id.as_deref().unwrap().parse().unwrap()
    }
}

/// An open stream, read frame by frame.
pub(crate) struct EventStream {
    pub(crate) response: reqwest::Response,
    pub(crate) buffer: String,
}

impl EventStream {
    /// The next frame, or `None` when the server closed the stream.
    async fn frame(&mut self) -> Option<Frame> {
        loop {
            if let Some(end) = self.buffer.find("\n\n") {
                let raw: String = self.buffer.drain(..end + 2).collect();
                let mut frame = Frame::default();
                for line in raw.lines() {
                    if let Some(comment) = line.strip_prefix(':') {
                        frame.comment = Some(comment.trim().to_owned());
                    } else if let Some((field, value)) = line.split_once(": ") {
                        match field {
                            "id" => frame.id = Some(value.to_owned()),
                            "event" => frame.event = Some(value.to_owned()),
                            "data" => frame.data = Some(value.to_owned()),
                            _ => {}
                        }
                    }
                }
                return Some(frame);
            }
            let chunk = tokio::time::timeout(PATIENCE, self.response.chunk()).await.expect("the stream stayed silent").unwrap()?;
            self.buffer.push_str(std::str::from_utf8(&chunk).unwrap());
        }
    }

    /// The next event, past heartbeats and the reconnection hint.
    pub(crate) async fn event(&mut self) -> Frame {
        loop {
            let frame = self.frame().await.expect("the stream ended");
            if frame.event.is_some() {
                return frame;
            }
        }
    }

    /// Waits for the server to close the stream, past any heartbeats; fails on an event.
    async fn end(&mut self) {
        while let Some(frame) = self.frame().await {
            assert!(frame.event.is_none(), "an event after the stream should have ended: {frame:?}");
        }
    }
}

async fn new_ticket(app: &TestApp, session: &Session) -> String {
    let reply = app.post("/api/v1/stream/tickets").token(&session.token).send().await;
    reply.ok(201)["ticket"].as_str().unwrap().to_owned()
}

async fn open_with(app: &TestApp, ticket: &str, last_event_id: Option<&str>) -> reqwest::Response {
    let mut request = app.client.get(app.url(&format!("/api/v1/stream?ticket={ticket}")));
    if let Some(last) = last_event_id {
        request = request.header("Last-Event-ID", last);
    }
    request.send().await.unwrap()
}

/// Opens `session`'s stream (resuming after `last_event_id`); returns once it is established.
pub(crate) async fn open(app: &TestApp, session: &Session, last_event_id: Option<&str>) -> EventStream {
    // A fresh stream starts after the numbered head; an event committed just before may not have
    // its number yet and would arrive on the stream. Number them now so each test starts clean.
    app.store.sequence_events().await.unwrap();
    let ticket = new_ticket(app, session).await;
    let response = open_with(app, &ticket, last_event_id).await;
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    let mut stream = EventStream { response, buffer: String::new() };
    let hint = stream.frame().await.unwrap();
    assert!(hint.event.is_none() && hint.comment.is_none(), "the stream opens with its reconnection hint: {hint:?}");
    stream
}

/// The workspace's events after `after` as the outbox numbered them: (sequence, type).
/// The workspace's numbered events after `after`, once every committed event has its number (the
/// sequencer numbers them just after their commit; this does at once what it is about to do).
async fn outbox_after(app: &TestApp, workspace_id: &str, after: i64) -> Vec<(i64, String)> {
    app.store.sequence_events().await.unwrap();
    let workspace: uuid::Uuid = workspace_id.parse().unwrap();
    let statement = app.statement(
        "SELECT sequence, event_type FROM events WHERE workspace_id = ? AND sequence > ? ORDER BY sequence",
        vec![workspace.into(), after.into()],
    );
    use sea_orm::ConnectionTrait;
    let rows = app.store.connection().query_all_raw(statement).await.unwrap();
    rows.iter().map(|r| (r.try_get_by_index::<i64>(0).unwrap(), r.try_get_by_index::<String>(1).unwrap())).collect()
}

async fn a_move_by_another_user_arrives_as_its_webhook_message(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.webhooks_allow_private = true).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut stream = open(&app, &admin, None).await;
    // A webhook test ping is an outbox event for one subscription: it is not streamed.
    let hook = app.post("/api/v1/webhooks").token(&admin.token).json(json!({"url": "http://127.0.0.1:9/hook"})).send().await;
    let hook = id(&hook.ok(201)["webhook"]);
    app.post(&format!("/api/v1/webhooks/{hook}/test")).token(&admin.token).send().await.ok(202);

    let deal = app.create_deal(&mia, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let moved = app.move_deal(&mia, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await;
    moved.ok(200);

    let created = stream.event().await;
    assert_eq!(created.event.as_deref(), Some("deal.created"));
    let frame = stream.event().await;
    assert_eq!(frame.event.as_deref(), Some("deal.stage_changed"));
    let message = frame.data();
    assert_eq!(message["type"], "deal.stage_changed");
    assert_eq!(message["schema_version"], 1);
    assert_eq!(message["data"], app.event_payload(&id(&deal), "deal.stage_changed").await, "the webhook payload, as the outbox holds it");
    assert_eq!(message["data"]["deal"]["stage_id"], stage_id(&pipeline, 1).as_str());
    let numbered = outbox_after(&app, &admin.workspace_id, created.sequence() - 1).await;
    assert_eq!(
        numbered,
        [(created.sequence(), "deal.created".to_owned()), (frame.sequence(), "deal.stage_changed".to_owned())],
        "ids are the outbox's sequence numbers, consecutive"
    );
}

async fn last_event_id_replays_exactly_what_was_missed(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut stream = open(&app, &admin, None).await;
    let deal = app.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let seen = stream.event().await;
    assert_eq!(seen.event.as_deref(), Some("deal.created"));
    drop(stream);

    // Missed while disconnected: a move, another deal, a win.
    let moved = app.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200).clone();
    app.create_deal(&admin, json!({"title": "Second", "pipeline_id": id(&pipeline)})).await;
    app.post(&format!("/api/v1/deals/{}/win", id(&deal)))
        .token(&admin.token)
        .if_match(moved["version"].as_i64().unwrap())
        .send()
        .await
        .ok(200);
    let missed = outbox_after(&app, &admin.workspace_id, seen.sequence()).await;
    let types: Vec<&str> = missed.iter().map(|(_, t)| t.as_str()).collect();
    assert_eq!(types, ["deal.stage_changed", "deal.created", "deal.won"]);

    let mut stream = open(&app, &admin, seen.id.as_deref()).await;
    for (sequence, event_type) in &missed {
        let frame = stream.event().await;
        assert_eq!((frame.sequence(), frame.event.as_deref()), (*sequence, Some(event_type.as_str())));
    }
    // And then what commits next, once: no repeat of the replayed ones.
    let third = app.create_deal(&admin, json!({"title": "Third", "pipeline_id": id(&pipeline)})).await;
    let next = stream.event().await;
    assert_eq!(next.sequence(), missed.last().unwrap().0 + 1);
    assert_eq!(next.data()["data"]["deal"]["id"], id(&third).as_str());

    // The `last_event_id` query parameter does the same.
    let ticket = new_ticket(&app, &admin).await;
    let response = app.client.get(app.url(&format!("/api/v1/stream?ticket={ticket}&last_event_id={}", missed[1].0))).send().await.unwrap();
    let mut stream = EventStream { response, buffer: String::new() };
    assert_eq!(stream.event().await.sequence(), missed[2].0);

    // An id the workspace never reached (or beyond the retention) asks the client to reload.
    let mut stream = open(&app, &admin, Some("999999")).await;
    let reset = stream.event().await;
    assert_eq!(reset.event.as_deref(), Some("reset"));
    assert_eq!(reset.sequence(), next.sequence(), "a reset names the newest id to go on from");
    assert_eq!(reset.data()["reason"], "unknown_or_expired_id");
    let ticket = new_ticket(&app, &admin).await;
    let malformed = open_with(&app, &ticket, Some("yesterday")).await;
    assert_eq!(malformed.status(), 400);
    assert_eq!(malformed.headers()["content-type"], "application/problem+json");
    // The ticket was not spent on the malformed request.
    assert_eq!(open_with(&app, &ticket, None).await.status(), 200);
}

async fn bad_used_and_expired_tickets_are_refused(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let refused = |response: reqwest::Response| async move {
        assert_eq!(response.status(), 401);
        assert_eq!(response.headers()["content-type"], "application/problem+json");
        let problem: Value = response.json().await.unwrap();
        assert_eq!(problem["code"], "unauthenticated");
    };
    refused(app.client.get(app.url("/api/v1/stream")).send().await.unwrap()).await;
    refused(open_with(&app, "st_made_up", None).await).await;

    let issued = app.post("/api/v1/stream/tickets").token(&admin.token).send().await;
    let issued = issued.ok(201).clone();
    let ticket = issued["ticket"].as_str().unwrap().to_owned();
    let expires_at: chrono::DateTime<chrono::Utc> = issued["expires_at"].as_str().unwrap().parse().unwrap();
    let now: chrono::DateTime<chrono::Utc> = app.clock_now().parse().unwrap();
    let valid_for = (expires_at - now).num_milliseconds();
    assert!((25_000..=30_000).contains(&valid_for), "valid for about 30 seconds: {valid_for} ms");
    let stored = app.scalar("SELECT COUNT(*) FROM stream_tickets WHERE ticket_hash = ?", vec![ticket.clone().into()]).await;
    assert_eq!(stored, 0, "only a hash of the ticket is kept");
    let replayed = app.post("/api/v1/stream/tickets").token(&admin.token).header("idempotency-key", "ticket-1").send().await;
    let stored = app
        .scalar(
            "SELECT COUNT(*) FROM idempotency_keys WHERE response_body LIKE ?",
            vec![format!("%{}%", replayed.ok(201)["ticket"].as_str().unwrap()).into()],
        )
        .await;
    assert_eq!(stored, 0, "nor is it kept for an Idempotency-Key replay");

    // Used once, then never again — not even by two at once.
    let first = open_with(&app, &ticket, None).await;
    assert_eq!(first.status(), 200);
    refused(open_with(&app, &ticket, None).await).await;
    let racing = new_ticket(&app, &admin).await;
    let (a, b) = tokio::join!(open_with(&app, &racing, None), open_with(&app, &racing, None));
    let mut statuses = [a.status().as_u16(), b.status().as_u16()];
    statuses.sort();
    assert_eq!(statuses, [200, 401]);

    // Expired: the clock moves past its 30 seconds.
    let late = new_ticket(&app, &admin).await;
    app.clock.advance(chrono::Duration::seconds(31));
    refused(open_with(&app, &late, None).await).await;
}

async fn members_receive_only_what_they_may_read(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let sam = app.add_member(&admin, "sam@acme.test", "member").await;
    let only_owners = json!({"deal_visibility": "owner_and_managers", "lead_visibility": "owner_and_managers"});
    app.patch("/api/v1/workspace").token(&admin.token).json(only_owners).send().await.ok(200);
    let other = app.signup("Other", "other@other.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let other_pipeline = app.sales_pipeline(&other).await;

    let mut mias = open(&app, &mia, None).await;
    let mut admins = open(&app, &admin, None).await;
    // Sam's deal and lead, and another workspace's deal, come first; Mia sees none of them.
    let sams = app.create_deal(&sam, json!({"title": "Sam's", "pipeline_id": id(&pipeline)})).await;
    app.move_deal(&sam, &sams, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    app.post("/api/v1/leads").token(&sam.token).json(json!({"name": "Sam's lead", "company": "S Co"})).send().await.ok(201);
    app.create_deal(&other, json!({"title": "Elsewhere", "pipeline_id": id(&other_pipeline)})).await;
    let own = app.create_deal(&mia, json!({"title": "Mia's", "pipeline_id": id(&pipeline)})).await;

    let first = mias.event().await;
    assert_eq!(first.event.as_deref(), Some("deal.created"));
    assert_eq!(first.data()["data"]["deal"]["id"], id(&own).as_str(), "Mia's first event is her own deal's");
    // The admin sees everything of the workspace, and nothing of the other one.
    let mut types = Vec::new();
    for _ in 0..4 {
        let frame = admins.event().await;
        types.push(frame.event.unwrap());
    }
    assert_eq!(types, ["deal.created", "deal.stage_changed", "lead.created", "deal.created"]);

    // Visibility is read as it is now: once everyone sees every deal, Mia gets Sam's next move.
    app.patch("/api/v1/workspace").token(&admin.token).json(json!({"deal_visibility": "everyone"})).send().await.ok(200);
    let sams = app.deal(&sam, &id(&sams)).await;
    app.move_deal(&sam, &sams, json!({"stage_id": stage_id(&pipeline, 2)})).await.ok(200);
    let frame = mias.event().await;
    assert_eq!(
        (frame.event.as_deref(), frame.data()["data"]["deal"]["id"].as_str()),
        (Some("deal.stage_changed"), Some(id(&sams).as_str()))
    );
}

async fn a_deactivated_users_stream_ends(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut stream = open(&app, &mia, None).await;
    app.create_deal(&admin, json!({"title": "Before", "pipeline_id": id(&pipeline)})).await;
    assert_eq!(stream.event().await.event.as_deref(), Some("deal.created"));

    let gone = app.delete(&format!("/api/v1/users/{}", mia.user_id)).token(&admin.token).send().await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    // The next event is not sent to her: the stream ends instead.
    app.create_deal(&admin, json!({"title": "After", "pipeline_id": id(&pipeline)})).await;
    stream.end().await;
}

async fn idle_streams_get_heartbeats_and_any_role_or_read_key_gets_a_ticket(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.stream.heartbeat = Duration::from_millis(50)).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    for role in ["member", "manager"] {
        let session = app.add_member(&admin, &format!("{role}@acme.test"), role).await;
        let mut stream = open(&app, &session, None).await;
        let ping = stream.frame().await.unwrap();
        assert_eq!((ping.comment.as_deref(), ping.event), (Some("ping"), None));
    }
    let key = app.post("/api/v1/api-keys").token(&admin.token).json(json!({"name": "Board", "scopes": ["read"]})).send().await;
    let key = key.ok(201)["key"].as_str().unwrap().to_owned();
    let reply = app.post("/api/v1/stream/tickets").header("x-api-key", &key).send().await;
    let ticket = reply.ok(201)["ticket"].as_str().unwrap().to_owned();
    let response = open_with(&app, &ticket, None).await;
    assert_eq!(response.status(), 200);
    // A revoked key's stream ends at the next heartbeat.
    let mut stream = EventStream { response, buffer: String::new() };
    let keys = app.get("/api/v1/api-keys").token(&admin.token).send().await.ok(200).clone();
    let key_id = keys["data"][0]["id"].as_str().unwrap().to_owned();
    let revoked = app.delete(&format!("/api/v1/api-keys/{key_id}")).token(&admin.token).send().await;
    assert!(revoked.status < 300, "{}", revoked.text);
    stream.end().await;
}

/// More events than the retention between two reads: the client gets `reset` and the stream
/// closes, instead of the server holding an unbounded backlog for it.
async fn a_client_too_far_behind_is_told_to_reload_and_closed(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.stream.retention = 3).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mut stream = open(&app, &admin, None).await;
    let imported = app.post("/api/v1/leads/import").token(&admin.token).raw("text/csv", "name\nA\nB\nC\nD\nE\n").send().await;
    imported.ok(200);
    let reset = stream.event().await;
    assert_eq!((reset.event.as_deref(), reset.data()["reason"].as_str()), (Some("reset"), Some("too_far_behind")));
    assert_eq!(reset.sequence(), app.scalar("SELECT MAX(sequence) FROM events", vec![]).await);
    stream.end().await;

    // Resuming from further back than the retention asks for a reload too, and then goes on.
    let mut resumed = open(&app, &admin, Some("1")).await;
    let reset = resumed.event().await;
    assert_eq!((reset.event.as_deref(), reset.data()["reason"].as_str()), (Some("reset"), Some("unknown_or_expired_id")));
    let lead = app.post("/api/v1/leads").token(&admin.token).json(json!({"name": "After", "company": "A Co"})).send().await;
    let next = resumed.event().await;
    assert_eq!((next.sequence(), next.data()["data"]["lead"]["id"].as_str()), (reset.sequence() + 1, Some(id(lead.ok(201)).as_str())));
}

/// Changes committed at once by many requests: the stream receives every one, in the order of
/// consecutive numbers — none skipped because it committed after a later-numbered one.
async fn concurrent_changes_arrive_numbered_without_gaps_or_repeats(engine: Engine) {
    let app = spawn_app(engine).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut stream = open(&app, &admin, None).await;
    let start = app.scalar("SELECT COALESCE(MAX(sequence), 0) FROM events", vec![]).await;
    let creations = (0..16).map(|n| app.create_deal(&admin, json!({"title": format!("Deal {n}"), "pipeline_id": id(&pipeline)})));
    let deals = futures_util::future::join_all(creations).await;
    let mut received = Vec::new();
    for _ in &deals {
        received.push(stream.event().await.sequence());
    }
    let expected: Vec<i64> = (start + 1..=start + 16).collect();
    assert_eq!(received, expected);
    assert_eq!(outbox_after(&app, &admin.workspace_id, start).await.len(), 16, "one event a deal, each numbered once");
}

/// Many streams of one workspace read from one shared tail of recent events: each still gets
/// every event once and in order, a member deactivated among them is cut off alone, and a
/// stream resuming from before the tail's oldest event reads the outbox instead.
async fn streams_of_one_workspace_share_a_tail_and_one_behind_it_reads_the_outbox(engine: Engine) {
    let app = spawn_app_with(engine, |settings| settings.stream.cached_events = 3).await;
    let admin = app.signup("Acme", "owner@acme.test").await;
    let mia = app.add_member(&admin, "mia@acme.test", "member").await;
    let pipeline = app.sales_pipeline(&admin).await;
    let mut streams = Vec::new();
    for _ in 0..6 {
        streams.push(open(&app, &admin, None).await);
    }
    let mut mias = open(&app, &mia, None).await;
    let first = app.create_deal(&admin, json!({"title": "First", "pipeline_id": id(&pipeline)})).await;
    let seen = mias.event().await;
    assert_eq!(seen.data()["data"]["deal"]["id"], id(&first).as_str());

    let gone = app.delete(&format!("/api/v1/users/{}", mia.user_id)).token(&admin.token).send().await;
    assert_eq!(gone.status, 204, "{}", gone.text);
    let mut titles = Vec::new();
    for n in 0..5 {
        let title = format!("Deal {n}");
        app.create_deal(&admin, json!({"title": title, "pipeline_id": id(&pipeline)})).await;
        titles.push(title);
    }
    mias.end().await;
    for stream in &mut streams {
        let mut received = Vec::new();
        let mut sequences = Vec::new();
        while received.len() < 6 {
            let frame = stream.event().await;
            sequences.push(frame.sequence());
            received.push(frame.data()["data"]["deal"]["title"].as_str().unwrap().to_owned());
        }
        assert_eq!(received[0], "First");
        assert_eq!(received[1..], titles[..]);
        assert!(sequences.windows(2).all(|pair| pair[1] == pair[0] + 1), "consecutive: {sequences:?}");
    }
    // Five events since `seen`, three of them cached: the resumption reads the outbox, then the tail.
    let mut resumed = open(&app, &admin, seen.id.as_deref()).await;
    let mut replayed = Vec::new();
    for _ in 0..5 {
        replayed.push(resumed.event().await.data()["data"]["deal"]["title"].as_str().unwrap().to_owned());
    }
    assert_eq!(replayed, titles);
    let last = app.create_deal(&admin, json!({"title": "Last", "pipeline_id": id(&pipeline)})).await;
    assert_eq!(resumed.event().await.data()["data"]["deal"]["id"], id(&last).as_str());
}

/// Two instances on one PostgreSQL database: an event committed through one reaches a stream
/// opened on the other (LISTEN/NOTIFY), and a resumption on the other replays from the same
/// outbox. On SQLite one process serves a database; its streams are woken in process.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_event_committed_on_one_replica_reaches_a_stream_on_another() {
    let a = spawn_app(Engine::Postgres).await;
    let b = spawn_replica(&a, |_| {}).await;
    let admin = a.signup("Acme", "owner@acme.test").await;
    let pipeline = a.sales_pipeline(&admin).await;
    let mut on_b = open(&b, &admin, None).await;
    let deal = a.create_deal(&admin, json!({"title": "Fleet", "pipeline_id": id(&pipeline)})).await;
    let frame = on_b.event().await;
    assert_eq!((frame.event.as_deref(), frame.data()["data"]["deal"]["id"].as_str()), (Some("deal.created"), Some(id(&deal).as_str())));
    drop(on_b);

    // A ticket issued by one replica is redeemed by the other; the resumption reads the outbox.
    a.move_deal(&admin, &deal, json!({"stage_id": stage_id(&pipeline, 1)})).await.ok(200);
    let ticket = new_ticket(&b, &admin).await;
    let response = open_with(&a, &ticket, frame.id.as_deref()).await;
    let mut on_a = EventStream { response, buffer: String::new() };
    let moved = on_a.event().await;
    assert_eq!((moved.sequence(), moved.event.as_deref()), (frame.sequence() + 1, Some("deal.stage_changed")));
}
