//! Tests of the real `kariz` binary as separate processes on one PostgreSQL database: killed
//! mid-write, and two replicas sharing the outbox.

use std::collections::{HashMap, HashSet};
use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Value, json};

use crate::helpers::{Engine, PASSWORD, TestDatabase};
use crate::receiver::Receiver;

pub(crate) fn binary() -> PathBuf {
    let path = std::env::var("KARIZ_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/debug/kariz"));
    assert!(path.is_file(), "{} is missing: run `cargo build -p kariz` first (make test does)", path.display());
    path
}

pub(crate) fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// A `kariz serve` child process; killed with SIGKILL when dropped.
pub(crate) struct Server {
    child: Child,
    pub(crate) base: String,
    _data: crate::helpers::TempDir,
}

impl Server {
    async fn start(database_url: &str) -> Server {
        Server::start_with(database_url, &[]).await
    }

    /// A server with the tests' settings, and `settings` over them.
    pub(crate) async fn start_with(database_url: &str, settings: &[(&str, &str)]) -> Server {
        let port = free_port();
        let data = crate::helpers::TempDir::new();
        let child = Command::new(binary())
            .arg("serve")
            .env("DATABASE_URL", database_url)
            .env("KARIZ_BIND", format!("127.0.0.1:{port}"))
            .env("KARIZ_DATA_DIR", &data.path)
            .env("KARIZ_JWT_SECRET", std::str::from_utf8(crate::helpers::JWT_SECRET).unwrap())
            .env("KARIZ_DEMO", "false")
            .env("KARIZ_WEBHOOKS_ALLOW_PRIVATE", "true")
            .env("KARIZ_WEB_DIR", "/nonexistent")
            // The movers below send as fast as the server answers, far beyond a person's pace.
            .env("KARIZ_RATE_LIMIT_USER", "off")
            .env("RUST_LOG", "warn")
            .envs(settings.iter().copied())
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .spawn()
            .expect("Failed to start kariz");
        let base = format!("http://127.0.0.1:{port}");
        let client = reqwest::Client::new();
        for _ in 0..200 {
            if client.get(format!("{base}/readyz")).send().await.is_ok_and(|r| r.status().is_success()) {
                return Server { child, base, _data: data };
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let mut child = child;
        let _ = child.kill();
        let _ = child.wait();
        panic!("kariz did not become ready at {base}");
    }

    /// Signs in as the demo workspace's admin (a server started with `KARIZ_DEMO`): the access token.
    pub(crate) async fn demo_token(&self, client: &reqwest::Client) -> String {
        let signed_in: Value = client
            .post(format!("{}/api/v1/auth/login", self.base))
            .json(&json!({"email": "demo@kariz.local", "password": "kariz-demo-password"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        signed_in["access_token"].as_str().expect("the demo signs in").to_owned()
    }

    fn kill(&mut self) {
        self.child.kill().expect("SIGKILL");
        self.child.wait().unwrap();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Client {
    http: reqwest::Client,
    token: String,
}

impl Client {
    async fn signup(base: &str) -> Client {
        let http = reqwest::Client::new();
        let body: Value = http
            .post(format!("{base}/api/v1/auth/signup"))
            .json(&json!({"workspace_name": "Ops", "name": "Ops", "email": "ops@ops.test", "password": PASSWORD}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Client { http, token: body["access_token"].as_str().unwrap().to_owned() }
    }

    async fn post(&self, url: String, body: Value, if_match: Option<i64>) -> reqwest::Result<(u16, Value)> {
        let mut request = self.http.post(url).bearer_auth(&self.token).json(&body);
        if let Some(version) = if_match {
            request = request.header("if-match", format!("\"{version}\""));
        }
        let response = request.send().await?;
        let status = response.status().as_u16();
        Ok((status, response.json().await.unwrap_or(Value::Null)))
    }

    async fn get(&self, url: String) -> reqwest::Result<Value> {
        self.http.get(url).bearer_auth(&self.token).send().await?.json().await
    }
}

/// A pipeline with three stages and `deals` deals in its first; returns (stage ids, deal id → version).
async fn setup(client: &Client, base: &str, receiver: &Receiver, deals: usize) -> (Vec<String>, HashMap<String, i64>) {
    let (status, _) = client
        .post(format!("{base}/api/v1/webhooks"), json!({"url": receiver.url, "event_types": ["deal.stage_changed"]}), None)
        .await
        .unwrap();
    assert_eq!(status, 201);
    let stages = json!([{"name": "A", "probability": 10}, {"name": "B", "probability": 50}, {"name": "C", "probability": 90}]);
    let (_, pipeline) = client.post(format!("{base}/api/v1/pipelines"), json!({"name": "P", "stages": stages}), None).await.unwrap();
    let stage_ids: Vec<String> = pipeline["stages"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect();
    let mut versions = HashMap::new();
    for i in 0..deals {
        let (status, deal) = client
            .post(format!("{base}/api/v1/deals"), json!({"title": format!("d{i}"), "pipeline_id": pipeline["id"]}), None)
            .await
            .unwrap();
        assert_eq!(status, 201);
        versions.insert(deal["id"].as_str().unwrap().to_owned(), 1);
    }
    (stage_ids, versions)
}

/// Every move the server acknowledged: (deal id, version after the move).
type Acknowledged = Arc<Mutex<Vec<(String, i64)>>>;

/// Moves deals round-robin against whichever base URL is current until told to stop, riding out
/// a server that is down and refreshing versions after a 412.
fn start_mover(
    client: Arc<Client>,
    base: Arc<Mutex<String>>,
    stages: Vec<String>,
    mut versions: HashMap<String, i64>,
    stop: Arc<AtomicBool>,
) -> (tokio::task::JoinHandle<()>, Acknowledged) {
    let acknowledged: Acknowledged = Arc::default();
    let acked = acknowledged.clone();
    let handle = tokio::spawn(async move {
        let ids: Vec<String> = versions.keys().cloned().collect();
        let mut turn = 0usize;
        while !stop.load(Ordering::SeqCst) {
            let deal = &ids[turn % ids.len()];
            let stage = &stages[(turn / ids.len() + 1) % stages.len()];
            turn += 1;
            let current = base.lock().unwrap().clone();
            let version = versions[deal];
            match client.post(format!("{current}/api/v1/deals/{deal}/move"), json!({"stage_id": stage}), Some(version)).await {
                Ok((200, body)) => {
                    let version = body["version"].as_i64().unwrap();
                    versions.insert(deal.clone(), version);
                    acked.lock().unwrap().push((deal.clone(), version));
                }
                Ok((412, body)) => {
                    versions.insert(deal.clone(), body["current_version"].as_i64().unwrap());
                }
                Ok((status, body)) => panic!("unexpected {status}: {body}"),
                Err(_) => tokio::time::sleep(Duration::from_millis(50)).await,
            }
        }
    });
    (handle, acknowledged)
}

async fn wait_for_all(receiver: &Receiver, acknowledged: &[(String, i64)]) -> Vec<crate::receiver::Received> {
    receiver
        .wait_for(60, |received| {
            let seen: HashSet<(String, i64)> = received
                .iter()
                .map(|r| {
                    (
                        r.json["data"]["deal"]["id"].as_str().unwrap_or_default().to_owned(),
                        r.json["data"]["deal"]["version"].as_i64().unwrap_or(-1),
                    )
                })
                .collect();
            acknowledged.iter().all(|a| seen.contains(a))
        })
        .await
}

/// The server is SIGKILLed while deals are being moved and started again: every stage change it
/// acknowledged — and every one it committed — reaches the webhook endpoint.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_loses_no_committed_stage_change() {
    let db = TestDatabase::create(Engine::Postgres).await;
    let receiver = Receiver::start(&[]);
    let mut first = Server::start(&db.url).await;
    let client = Arc::new(Client::signup(&first.base).await);
    let (stages, versions) = setup(&client, &first.base, &receiver, 12).await;

    let base = Arc::new(Mutex::new(first.base.clone()));
    let stop = Arc::new(AtomicBool::new(false));
    let (mover, acknowledged) = start_mover(client.clone(), base.clone(), stages, versions, stop.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    first.kill();
    let before_kill = acknowledged.lock().unwrap().len();
    assert!(before_kill > 10, "moves before the kill: {before_kill}");
    let second = Server::start(&db.url).await;
    *base.lock().unwrap() = second.base.clone();
    tokio::time::sleep(Duration::from_millis(1500)).await;
    stop.store(true, Ordering::SeqCst);
    mover.await.unwrap();
    let acknowledged = acknowledged.lock().unwrap().clone();
    assert!(acknowledged.len() > before_kill, "moves after the restart");

    wait_for_all(&receiver, &acknowledged).await;
    // Beyond the acknowledged ones: every committed stage change (a move can commit and lose its
    // response to the kill) is delivered too.
    let store = kariz_persistence::Store::connect(&db.url).await.unwrap();
    let committed: Vec<String> = {
        use sea_orm::ConnectionTrait;
        let rows = store
            .connection()
            .query_all_raw(sea_orm::Statement::from_string(
                sea_orm::DatabaseBackend::Postgres,
                "SELECT id::text AS id FROM events WHERE event_type = 'deal.stage_changed'",
            ))
            .await
            .unwrap();
        rows.iter().map(|r| r.try_get::<String>("", "id").unwrap()).collect()
    };
    let received = receiver.wait_for(30, |r| committed.iter().all(|id| r.iter().any(|m| &m.id == id))).await;
    assert!(committed.len() >= acknowledged.len());
    let distinct: HashSet<&str> = received.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(distinct.len(), committed.len(), "exactly the committed changes, each at least once");
    drop(second);
}

/// SIGTERM stops the server gracefully: a request in flight (a large CSV import) is answered in
/// full and committed, then the process exits cleanly.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_terminated_server_finishes_the_request_in_flight() {
    let db = TestDatabase::create(Engine::Postgres).await;
    let server = Server::start(&db.url).await;
    let client = Client::signup(&server.base).await;
    let rows = 20_000;
    let csv: String =
        std::iter::once("name,email\n".to_owned()).chain((0..rows).map(|i| format!("Lead {i},lead{i}@import.test\n"))).collect();
    let import = client
        .http
        .post(format!("{}/api/v1/leads/import", server.base))
        .bearer_auth(&client.token)
        .header("content-type", "text/csv")
        .body(csv)
        .send();
    let import = tokio::spawn(import);
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert!(!import.is_finished(), "the import must still be running when the signal arrives");
    let pid = server.child.id().to_string();
    assert!(Command::new("kill").args(["-TERM", &pid]).status().unwrap().success());

    let response = import.await.unwrap().expect("the import is answered, not cut off");
    assert_eq!(response.status().as_u16(), 200);
    let report: Value = response.json().await.unwrap();
    assert_eq!(report["created"], rows, "{report}");
    let exit = tokio::task::spawn_blocking(move || {
        let mut server = server;
        server.child.wait()
    })
    .await
    .unwrap()
    .unwrap();
    assert!(exit.success(), "kariz exited with {exit}");
    let store = kariz_persistence::Store::connect(&db.url).await.unwrap();
    let stored = {
        use sea_orm::ConnectionTrait;
        let row = store
            .connection()
            .query_one_raw(sea_orm::Statement::from_string(sea_orm::DatabaseBackend::Postgres, "SELECT count(*) AS n FROM leads"))
            .await
            .unwrap()
            .unwrap();
        row.try_get::<i64>("", "n").unwrap()
    };
    assert_eq!(stored, rows);
}

/// Two servers on one database share the outbox: every event is delivered, and no delivery
/// attempt is ever made by both.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_servers_never_make_the_same_attempt() {
    let db = TestDatabase::create(Engine::Postgres).await;
    let receiver = Receiver::start(&[]);
    let a = Server::start(&db.url).await;
    let b = Server::start(&db.url).await;
    let client = Arc::new(Client::signup(&a.base).await);
    let (stages, versions) = setup(&client, &a.base, &receiver, 10).await;
    let mut acknowledged = Vec::new();
    let mut versions = versions;
    let ids: Vec<String> = versions.keys().cloned().collect();
    for round in 0..6 {
        for (i, deal) in ids.iter().enumerate() {
            let base = if (round + i) % 2 == 0 { &a.base } else { &b.base };
            let stage = &stages[(round + 1) % stages.len()];
            let (status, body) =
                client.post(format!("{base}/api/v1/deals/{deal}/move"), json!({"stage_id": stage}), Some(versions[deal])).await.unwrap();
            assert_eq!(status, 200, "{body}");
            versions.insert(deal.clone(), body["version"].as_i64().unwrap());
            acknowledged.push((deal.clone(), body["version"].as_i64().unwrap()));
        }
    }
    let received = wait_for_all(&receiver, &acknowledged).await;
    tokio::time::sleep(Duration::from_millis(1000)).await;
    let received_after = receiver.received();
    assert_eq!(received_after.len(), received.len(), "nothing more arrives later");
    let ids: Vec<&str> = received.iter().map(|r| r.id.as_str()).collect();
    let distinct: HashSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), distinct.len(), "an event was sent twice");
    assert_eq!(distinct.len(), acknowledged.len());

    let store = kariz_persistence::Store::connect(&db.url).await.unwrap();
    use sea_orm::ConnectionTrait;
    let row = store
        .connection()
        .query_one_raw(sea_orm::Statement::from_string(
            sea_orm::DatabaseBackend::Postgres,
            "SELECT COUNT(*) AS attempts, COUNT(DISTINCT delivery_id) AS deliveries, COUNT(DISTINCT dispatcher) AS dispatchers FROM webhook_attempts",
        ))
        .await
        .unwrap()
        .unwrap();
    let (attempts, deliveries, dispatchers): (i64, i64, i64) =
        (row.try_get("", "attempts").unwrap(), row.try_get("", "deliveries").unwrap(), row.try_get("", "dispatchers").unwrap());
    assert_eq!(attempts, deliveries, "one attempt per delivery");
    assert_eq!(deliveries, acknowledged.len() as i64);
    eprintln!("{attempts} attempts by {dispatchers} dispatchers");
    let me = client.get(format!("{}/api/v1/me", b.base)).await.unwrap();
    assert_eq!(me["user"]["email"], "ops@ops.test", "one token works on every replica");
}

/// Two `kariz serve` processes on one PostgreSQL database, as replicas behind a proxy run: a
/// move through one reaches a stream opened on the other; after that one is killed, the stream
/// resumes on the survivor from its `Last-Event-ID` with exactly what it missed; and a limit
/// counts the requests both answered.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_replicas_share_the_stream_and_the_limits() {
    let db = TestDatabase::create(Engine::Postgres).await;
    let settings = [("KARIZ_RATE_LIMIT_SIGN_IN", "4/1m")];
    let a = Server::start_with(&db.url, &settings).await;
    let mut b = Server::start_with(&db.url, &settings).await;
    let client = Client::signup(&a.base).await;

    // Sign-ins from this address: four in all, two through each replica, then a refusal.
    let login = json!({"email": "ops@ops.test", "password": PASSWORD});
    for base in [&a.base, &b.base, &a.base, &b.base] {
        let reply = client.http.post(format!("{base}/api/v1/auth/login")).json(&login).send().await.unwrap();
        assert_eq!(reply.status(), 200);
    }
    let refused = client.http.post(format!("{}/api/v1/auth/login", a.base)).json(&login).send().await.unwrap();
    assert_eq!(refused.status(), 429, "the sum of both replicas' sign-ins trips the limit");

    let open = |base: String, last_event_id: Option<String>| {
        let client = &client;
        async move {
            let (status, ticket) = client.post(format!("{base}/api/v1/stream/tickets"), json!({}), None).await.unwrap();
            assert_eq!(status, 201, "{ticket}");
            let mut request = client.http.get(format!("{base}/api/v1/stream?ticket={}", ticket["ticket"].as_str().unwrap()));
            if let Some(last) = last_event_id {
                request = request.header("Last-Event-ID", last);
            }
            let response = request.send().await.unwrap();
            assert_eq!(response.status(), 200);
            crate::stream::EventStream { response, buffer: String::new() }
        }
    };
    let mut on_b = open(b.base.clone(), None).await;
    let (status, pipeline) = client
        .post(
            format!("{}/api/v1/pipelines", a.base),
            json!({"name": "Sales", "stages": [{"name": "New", "probability": 10}, {"name": "Won", "probability": 90}]}),
            None,
        )
        .await
        .unwrap();
    assert_eq!(status, 201, "{pipeline}");
    let stage = |n: usize| pipeline["stages"][n]["id"].as_str().unwrap().to_owned();
    let (status, deal) =
        client.post(format!("{}/api/v1/deals", a.base), json!({"title": "Fleet", "pipeline_id": pipeline["id"]}), None).await.unwrap();
    assert_eq!(status, 201, "{deal}");
    let deal_id = deal["id"].as_str().unwrap().to_owned();
    let (status, moved) = client
        .post(format!("{}/api/v1/deals/{deal_id}/move", a.base), json!({"stage_id": stage(1)}), deal["version"].as_i64())
        .await
        .unwrap();
    assert_eq!(status, 200, "{moved}");
    let mut seen = on_b.event().await;
    while seen.event.as_deref() != Some("deal.stage_changed") {
        seen = on_b.event().await;
    }
    assert_eq!(seen.data()["data"]["deal"]["id"], deal_id.as_str(), "a move through one replica reaches a stream on the other");

    b.kill();
    drop(on_b);
    let (status, back) = client
        .post(format!("{}/api/v1/deals/{deal_id}/move", a.base), json!({"stage_id": stage(0)}), moved["version"].as_i64())
        .await
        .unwrap();
    assert_eq!(status, 200, "{back}");
    let mut on_a = open(a.base.clone(), seen.id.clone()).await;
    let missed = on_a.event().await;
    assert_eq!(missed.sequence(), seen.sequence() + 1, "resumed without a gap");
    assert_eq!(missed.event.as_deref(), Some("deal.stage_changed"));
    assert_eq!(missed.data()["data"]["deal"]["stage_id"], stage(0).as_str());
}

/// The rule of the emails issue, with the server SIGKILLed between the stage change and the send:
/// the first server claims the email and connects to a mail server that never greets, and dies
/// there; the restarted server sends it, exactly once, after the dead sender's lease ran out —
/// and runs neither the rule nor its task again.
async fn a_server_killed_before_its_rule_email_went_out_sends_it_once_after_restart(engine: Engine) {
    let db = TestDatabase::create(engine).await;
    // Accepts connections and says nothing: the send hangs in its first step.
    let silent = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let silent_url = format!("smtp://127.0.0.1:{}", silent.local_addr().unwrap().port());
    // A command may take 2 s, so an email being sent is leased for 18 s.
    let mail = |url: String| {
        [("KARIZ_SMTP_URL", url), ("KARIZ_MAIL_FROM", "Kariz <crm@pars.test>".into()), ("KARIZ_SMTP_TIMEOUT_SECONDS", "2".into())]
    };
    let settings = mail(silent_url);
    let mut first = Server::start_with(&db.url, &settings.iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    let client = Client::signup(&first.base).await;
    let base = first.base.clone();
    let created = |(status, body): (u16, Value)| {
        assert_eq!(status, 201, "{body}");
        body
    };
    let stages = json!([{"name": "A", "probability": 10}, {"name": "B", "probability": 50}]);
    let pipeline = created(client.post(format!("{base}/api/v1/pipelines"), json!({"name": "P", "stages": stages}), None).await.unwrap());
    let stage_b = pipeline["stages"][1]["id"].clone();
    let template = json!({"name": "پیشنهاد", "locale": "fa", "subject": "پیشنهاد {{deal.title}}", "body": "{{contact.first_name}} عزیز"});
    let template = created(client.post(format!("{base}/api/v1/email-templates"), template, None).await.unwrap());
    let rule = json!({
        "name": "پیشنهاد برای معامله‌های بزرگ",
        "trigger": {"type": "deal.stage_changed", "stage_id": stage_b},
        "conditions": [{"field": "amount_minor", "op": "gte", "value": 1000}],
        "actions": [
            {"type": "send_email", "to": "contact", "template_id": template["id"]},
            {"type": "create_task", "title": "پیگیری", "due_in_days": 3},
        ],
    });
    let rule = created(client.post(format!("{base}/api/v1/automations"), rule, None).await.unwrap());
    let sara = created(
        client.post(format!("{base}/api/v1/contacts"), json!({"name": "سارا احمدی", "email": "sara@pars.test"}), None).await.unwrap(),
    );
    let mut deals = Vec::new();
    for (title, amount) in [("ناوگان", 2500), ("خودکار", 999)] {
        let deal =
            json!({"title": title, "pipeline_id": pipeline["id"], "amount_minor": amount, "currency": "IRR", "contact_id": sara["id"]});
        let deal = created(client.post(format!("{base}/api/v1/deals"), deal, None).await.unwrap());
        let (status, _) = client
            .post(format!("{base}/api/v1/deals/{}/move", deal["id"].as_str().unwrap()), json!({"stage_id": stage_b}), Some(1))
            .await
            .unwrap();
        assert_eq!(status, 200);
        deals.push(deal["id"].as_str().unwrap().to_owned());
    }
    // The rule ran and its sender claimed the email and connected: the server dies mid-send.
    let (_held, _) = tokio::time::timeout(Duration::from_secs(30), silent.accept()).await.expect("the sender never connected").unwrap();
    first.kill();

    let smtp = crate::smtp_server::SmtpServer::start().await;
    let second = Server::start_with(&db.url, &mail(smtp.url()).iter().map(|(k, v)| (*k, v.as_str())).collect::<Vec<_>>()).await;
    let base = second.base.clone();
    let email = async {
        loop {
            let log = client.get(format!("{base}/api/v1/emails?deal_id={}", deals[0])).await.unwrap();
            if log["data"][0]["status"] == "sent" {
                return log;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    };
    let log = tokio::time::timeout(Duration::from_secs(60), email).await.expect("the email was never sent after the restart");
    assert_eq!(log["data"].as_array().unwrap().len(), 1, "{log}");
    let received = smtp.received();
    assert_eq!(received.len(), 1, "exactly one email went out");
    assert_eq!(received[0].rcpt_to, ["sara@pars.test"]);
    assert_eq!(received[0].subject(), "پیشنهاد ناوگان");
    assert_eq!(received[0].header("Message-ID").as_deref(), log["data"][0]["message_id"].as_str());
    let runs = client.get(format!("{base}/api/v1/automations/{}/runs", rule["id"].as_str().unwrap())).await.unwrap();
    assert_eq!(runs["data"].as_array().unwrap().len(), 1, "the rule ran once: {runs}");
    // The kill may fall between the run's two actions, or between the task and its outcome; a run
    // cut short is resumed once it is a minute old, from its first action without an outcome, and
    // finds a task it made already (its id comes from the run).
    let run_status = || {
        let (client, base, rule) = (&client, &base, &rule);
        async move {
            let runs = client.get(format!("{base}/api/v1/automations/{}/runs", rule["id"].as_str().unwrap())).await.unwrap();
            runs["data"][0]["status"].as_str().unwrap_or_default().to_owned()
        }
    };
    let started = std::time::Instant::now();
    while run_status().await == "running" && started.elapsed() < Duration::from_secs(90) {
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
    assert_eq!(run_status().await, "succeeded");
    let tasks = |deal: String| {
        let (client, base) = (&client, &base);
        async move {
            let activities = client.get(format!("{base}/api/v1/activities?deal_id={deal}")).await.unwrap();
            activities["data"].as_array().unwrap().iter().filter(|a| a["subject"] == "پیگیری").count()
        }
    };
    assert_eq!(tasks(deals[0].clone()).await, 1, "the follow-up task, once");
    assert_eq!(tasks(deals[1].clone()).await, 0);
    assert_eq!(smtp.received().len(), 1);
    let small = client.get(format!("{base}/api/v1/emails?deal_id={}", deals[1])).await.unwrap();
    assert!(small["data"].as_array().unwrap().is_empty(), "{small}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_sends_its_rule_email_once_after_restart_sqlite() {
    a_server_killed_before_its_rule_email_went_out_sends_it_once_after_restart(Engine::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_server_sends_its_rule_email_once_after_restart_postgres() {
    a_server_killed_before_its_rule_email_went_out_sends_it_once_after_restart(Engine::Postgres).await;
}
