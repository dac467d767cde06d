//! `spawn_app`: the real application on port 0 over a fresh database — a SQLite file or a new
//! PostgreSQL database — and typed helpers for talking to it over HTTP.

use std::net::TcpListener;
use std::sync::Arc;

use actix_web::web;
use kariz_api::{ApiSettings, AppState, Application, ServerOptions, Stopper};
use kariz_persistence::clock::ShiftedClock;
use kariz_persistence::{PoolSettings, Store};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

pub const JWT_SECRET: &[u8] = b"integration-test-secret-that-is-long-enough";
pub const PASSWORD: &str = "correct horse battery staple";

/// The signing key of every test app ([`JWT_SECRET`]).
pub fn jwt_secret() -> kariz_api::auth::JwtSecret {
    kariz_api::auth::JwtSecret::new(JWT_SECRET).expect("the test secret is long enough")
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The PostgreSQL server the suite creates its databases on.
pub fn postgres_admin_url() -> String {
    std::env::var("KARIZ_TEST_POSTGRES_URL").unwrap_or_else(|_| "postgres://postgres@127.0.0.1:5432/postgres".to_owned())
}

/// A fresh, empty database; dropped (PostgreSQL) or deleted (SQLite) when this is dropped.
pub struct TestDatabase {
    pub url: String,
    name: Option<String>,
    _dir: Option<TempDir>,
}

impl TestDatabase {
    pub async fn create(engine: Engine) -> TestDatabase {
        match engine {
            Engine::Sqlite => {
                let dir = TempDir::new();
                let url = format!("sqlite://{}/kariz.db?mode=rwc", dir.path.display());
                TestDatabase { url, name: None, _dir: Some(dir) }
            }
            Engine::Postgres => {
                let admin_url = postgres_admin_url();
                let name = format!("kariz_test_{}", uuid::Uuid::now_v7().simple());
                let admin = Database::connect(&admin_url).await.expect("PostgreSQL is not reachable; run `make test`, which starts it");
                admin.execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("Failed to create a test database");
                admin.close().await.ok();
                let base = admin_url.rsplit_once('/').map(|(base, _)| base.to_owned()).unwrap_or(admin_url);
                TestDatabase { url: format!("{base}/{name}"), name: Some(name), _dir: None }
            }
        }
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some(name) = self.name.take() else { return };
        // Drop runs outside async; a short-lived runtime on another thread does the cleanup.
        let _ = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().ok()?;
            runtime.block_on(async {
                let admin = Database::connect(&postgres_admin_url()).await.ok()?;
                admin.execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)")).await.ok()?;
                admin.close().await.ok()
            })
        })
        .join();
    }
}

pub struct TempDir {
    pub path: std::path::PathBuf,
}

impl TempDir {
    pub fn new() -> TempDir {
        let path = std::env::temp_dir().join(format!("kariz-test-{}", uuid::Uuid::now_v7().simple()));
        std::fs::create_dir_all(&path).expect("Failed to create a temporary directory");
        TempDir { path }
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

pub struct TestApp {
    pub address: String,
    pub store: Store,
    /// The application's clock: move it forward instead of waiting.
    pub clock: ShiftedClock,
    pub engine: Engine,
    pub client: reqwest::Client,
    pub db: Arc<TestDatabase>,
    pub state: web::Data<AppState>,
    server: Stopper,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        self.server.abort();
    }
}

pub async fn spawn_app(engine: Engine) -> TestApp {
    spawn_app_with(engine, |_| {}).await
}

/// Starts the app with adjusted settings. Rate limits are off unless `adjust` sets them: tests
/// send bursts no person would.
pub async fn spawn_app_with(engine: Engine, adjust: impl FnOnce(&mut ApiSettings)) -> TestApp {
    spawn_app_with_pool(engine, PoolSettings::default(), adjust).await
}

/// Starts the app on a pool with these settings (timeouts, size).
pub async fn spawn_app_with_pool(engine: Engine, pool: PoolSettings, adjust: impl FnOnce(&mut ApiSettings)) -> TestApp {
    let db = Arc::new(TestDatabase::create(engine).await);
    spawn_app_on(engine, db, pool, adjust).await
}

/// Starts another instance of the app on `app`'s database, as a second replica would run (its own
/// pool, clock, limits and streams).
pub async fn spawn_replica(app: &TestApp, adjust: impl FnOnce(&mut ApiSettings)) -> TestApp {
    spawn_app_on(app.engine, app.db.clone(), PoolSettings::default(), adjust).await
}

async fn spawn_app_on(engine: Engine, db: Arc<TestDatabase>, pool: PoolSettings, adjust: impl FnOnce(&mut ApiSettings)) -> TestApp {
    let clock = ShiftedClock::new();
    let store =
        Store::connect_with(&db.url, pool).await.expect("Failed to connect to the test database").with_clock(Arc::new(clock.clone()));
    store.migrate().await.expect("Failed to migrate the test database");
    let mut settings = ApiSettings::new(jwt_secret());
    settings.rate_limits = kariz_api::rate_limit::RateLimitSettings::off();
    adjust(&mut settings);
    let listener = TcpListener::bind("127.0.0.1:0").expect("Failed to bind a port");
    let options = ServerOptions { workers: Some(2), ..ServerOptions::default() };
    let application = Application::build(store.clone(), settings, listener, options).expect("Failed to build the application");
    let (port, state, server) = (application.address().port(), application.state(), application.handle());
    tokio::spawn(application.run_until_stopped());
    TestApp {
        address: format!("http://127.0.0.1:{port}"),
        store,
        clock,
        engine,
        client: reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap(),
        db,
        state,
        server,
    }
}

/// A signed-in user of a workspace.
#[derive(Clone, Debug)]
pub struct Session {
    pub token: String,
    pub refresh_token: String,
    pub user_id: String,
    pub workspace_id: String,
}

#[derive(Debug)]
pub struct Reply {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Value,
    pub text: String,
}

impl Reply {
    pub fn etag(&self) -> String {
        self.headers.get("etag").and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    pub fn content_type(&self) -> String {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
    }

    /// Asserts an RFC 9457 problem with this status, and returns it.
    pub fn problem(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "expected {status}, got {}: {}", self.status, self.text);
        assert_eq!(self.content_type(), "application/problem+json", "{}", self.text);
        for key in ["type", "title", "status", "detail", "request_id"] {
            assert!(self.body.get(key).is_some(), "problem without {key}: {}", self.text);
        }
        assert_eq!(self.body["status"], status);
        assert!(!self.body["request_id"].as_str().unwrap().is_empty());
        assert!(self.body["code"].as_str().is_some_and(|code| !code.is_empty()), "problem without a code: {}", self.text);
        &self.body
    }

    /// Asserts a problem with this status and cause (`code`), and returns it.
    pub fn problem_code(&self, status: u16, code: &str) -> &Value {
        let problem = self.problem(status);
        assert_eq!(problem["code"], code, "{}", self.text);
        problem
    }

    /// The field names of a validation problem.
    pub fn error_fields(&self) -> Vec<String> {
        self.problem(422)["errors"].as_array().unwrap().iter().map(|e| e["field"].as_str().unwrap().to_owned()).collect()
    }

    pub fn ok(&self, status: u16) -> &Value {
        assert_eq!(self.status, status, "expected {status}, got {}: {}", self.status, self.text);
        &self.body
    }
}

pub struct Request<'a> {
    app: &'a TestApp,
    builder: reqwest::RequestBuilder,
}

impl<'a> Request<'a> {
    pub fn token(mut self, token: &str) -> Self {
        self.builder = self.builder.bearer_auth(token);
        self
    }

    pub fn if_match(mut self, version: i64) -> Self {
        self.builder = self.builder.header("if-match", format!("\"{version}\""));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.builder = self.builder.header(name, value);
        self
    }

    pub fn json(mut self, body: Value) -> Self {
        self.builder = self.builder.json(&body);
        self
    }

    pub fn raw(mut self, content_type: &str, body: impl Into<reqwest::Body>) -> Self {
        self.builder = self.builder.header(CONTENT_TYPE, content_type).body(body);
        self
    }

    /// Sends the request and returns the raw answer: status, headers and body bytes.
    pub async fn send_for_bytes(self) -> (u16, reqwest::header::HeaderMap, Vec<u8>) {
        let response = self.builder.send().await.expect("request failed");
        let (status, headers) = (response.status().as_u16(), response.headers().clone());
        (status, headers, response.bytes().await.expect("a body").to_vec())
    }

    pub async fn send(self) -> Reply {
        let _ = self.app;
        let response = self.builder.send().await.expect("request failed");
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response.text().await.unwrap_or_default();
        let body = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply { status, headers, body, text }
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.address, path)
    }

    pub fn request(&self, method: reqwest::Method, path: &str) -> Request<'_> {
        Request { app: self, builder: self.client.request(method, self.url(path)) }
    }

    pub fn get(&self, path: &str) -> Request<'_> {
        self.request(reqwest::Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Request<'_> {
        self.request(reqwest::Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Request<'_> {
        self.request(reqwest::Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Request<'_> {
        self.request(reqwest::Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Request<'_> {
        self.request(reqwest::Method::DELETE, path)
    }

    /// Signs up a new workspace and returns its admin's session.
    /// The application's current time, as JSON takes it.
    pub fn clock_now(&self) -> String {
        kariz_persistence::clock::Clock::now(&self.clock).to_rfc3339()
    }

    /// Adds a member with `role` to the admin's workspace and signs them in.
    pub async fn add_member(&self, admin: &Session, email: &str, role: &str) -> Session {
        let body = json!({"email": email, "name": role, "role": role, "password": PASSWORD});
        self.post("/api/v1/users").token(&admin.token).json(body).send().await.ok(201);
        session(self.login(email, PASSWORD).await.ok(200))
    }

    pub async fn signup(&self, workspace: &str, email: &str) -> Session {
        let reply = self
            .post("/api/v1/auth/signup")
            .json(
                json!({"workspace_name": workspace, "name": "Test Admin", "email": email, "password": PASSWORD, "default_currency": "IRR"}),
            )
            .send()
            .await;
        session(reply.ok(201))
    }

    pub async fn login(&self, email: &str, password: &str) -> Reply {
        self.post("/api/v1/auth/login").json(json!({"email": email, "password": password})).send().await
    }

    /// Creates a pipeline with stages named and weighted as given; returns its JSON.
    pub async fn create_pipeline(&self, session: &Session, name: &str, stages: &[(&str, i64)]) -> Value {
        let stages: Vec<Value> = stages.iter().map(|(name, p)| json!({"name": name, "probability": p})).collect();
        let reply = self.post("/api/v1/pipelines").token(&session.token).json(json!({"name": name, "stages": stages})).send().await;
        reply.ok(201).clone()
    }

    /// A standard three-stage pipeline.
    pub async fn sales_pipeline(&self, session: &Session) -> Value {
        self.create_pipeline(session, "Sales", &[("Qualified", 20), ("Proposal", 50), ("Negotiation", 80)]).await
    }

    pub async fn create_deal(&self, session: &Session, body: Value) -> Value {
        self.post("/api/v1/deals").token(&session.token).json(body).send().await.ok(201).clone()
    }

    pub async fn deal(&self, session: &Session, id: &str) -> Value {
        self.get(&format!("/api/v1/deals/{id}")).token(&session.token).send().await.ok(200).clone()
    }

    pub async fn move_deal(&self, session: &Session, deal: &Value, body: Value) -> Reply {
        let id = deal["id"].as_str().unwrap();
        let version = deal["version"].as_i64().unwrap();
        self.post(&format!("/api/v1/deals/{id}/move")).token(&session.token).if_match(version).json(body).send().await
    }

    /// A statement from `sql` with `?` placeholders, numbered for PostgreSQL.
    pub fn statement(&self, sql: &str, values: Vec<sea_orm::Value>) -> Statement {
        let mut numbered = String::new();
        let mut n = 0;
        for c in sql.chars() {
            if c == '?' && self.engine == Engine::Postgres {
                n += 1;
                numbered.push_str(&format!("${n}"));
            } else {
                numbered.push(c);
            }
        }
        Statement::from_sql_and_values(self.store.connection().get_database_backend(), numbered, values)
    }

    /// Runs `sql` (with `?` placeholders) and returns the first column of the first row as i64.
    pub async fn scalar(&self, sql: &str, values: Vec<sea_orm::Value>) -> i64 {
        let row = self.store.connection().query_one_raw(self.statement(sql, values)).await.unwrap().unwrap();
        row.try_get_by_index::<i64>(0).unwrap()
    }

    /// Runs a statement (with `?` placeholders) that returns no rows, e.g. to set up known timestamps.
    pub async fn execute(&self, sql: &str, values: Vec<sea_orm::Value>) {
        self.try_execute(sql, values).await.unwrap();
    }

    /// Like [`TestApp::execute`], for a statement the database may refuse.
    pub async fn try_execute(&self, sql: &str, values: Vec<sea_orm::Value>) -> Result<(), sea_orm::DbErr> {
        self.store.connection().execute_raw(self.statement(sql, values)).await.map(|_| ())
    }

    /// How many outbox events of `event_type` exist for `aggregate_id`.
    pub async fn event_count(&self, aggregate_id: &str, event_type: &str) -> i64 {
        let id: uuid::Uuid = aggregate_id.parse().unwrap();
        self.scalar("SELECT COUNT(*) FROM events WHERE aggregate_id = ? AND event_type = ?", vec![id.into(), event_type.into()]).await
    }

    /// The payload of the first outbox event of `event_type` for `aggregate_id`.
    pub async fn event_payload(&self, aggregate_id: &str, event_type: &str) -> Value {
        let id: uuid::Uuid = aggregate_id.parse().unwrap();
        let sql = match self.engine {
            Engine::Postgres => "SELECT payload FROM events WHERE aggregate_id = $1 AND event_type = $2 ORDER BY id",
            Engine::Sqlite => "SELECT payload FROM events WHERE aggregate_id = ? AND event_type = ? ORDER BY id",
        };
        let conn = self.store.connection();
        let statement = Statement::from_sql_and_values(conn.get_database_backend(), sql, vec![id.into(), event_type.into()]);
        let row = conn.query_one_raw(statement).await.unwrap().expect("no such event");
        serde_json::from_str(&row.try_get_by_index::<String>(0).unwrap()).unwrap()
    }

    /// Defines a custom field of a workspace (`entity`: lead, contact or organization).
    pub async fn define_field(&self, session: &Session, entity: &str, key: &str, kind: &str, options: &[&str]) {
        use kariz_domain::custom_fields::{FieldDefinition, FieldEntity, FieldKind};
        let workspace_id = kariz_domain::WorkspaceId::from(session.workspace_id.parse::<uuid::Uuid>().unwrap());
        let definition =
            FieldDefinition::new(key, FieldKind::parse(kind).unwrap(), options.iter().map(|o| o.to_string()).collect(), false).unwrap();
        self.store.create_field_definition(workspace_id, FieldEntity::parse(entity).unwrap(), key.to_owned(), definition).await.unwrap();
    }
}

pub fn session(body: &Value) -> Session {
    Session {
        token: body["access_token"].as_str().unwrap().to_owned(),
        refresh_token: body["refresh_token"].as_str().unwrap().to_owned(),
        user_id: body["user"]["id"].as_str().unwrap().to_owned(),
        workspace_id: body["workspace"]["id"].as_str().unwrap().to_owned(),
    }
}

/// The titles of a board's cards, column by column.
pub fn card_titles(board: &Value) -> Vec<&str> {
    board["columns"].as_array().unwrap().iter().flat_map(|c| c["deals"].as_array().unwrap()).map(|d| d["title"].as_str().unwrap()).collect()
}

pub fn stage_id(pipeline: &Value, index: usize) -> String {
    pipeline["stages"][index]["id"].as_str().unwrap().to_owned()
}

pub fn id(value: &Value) -> String {
    value["id"].as_str().unwrap().to_owned()
}

/// Declares a test that runs once on SQLite and once on PostgreSQL.
#[macro_export]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        $(
            mod $name {
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn sqlite() {
                    super::$name($crate::helpers::Engine::Sqlite).await
                }

                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn postgres() {
                    super::$name($crate::helpers::Engine::Postgres).await
                }
            }
        )*
    };
}

pub const BOUNDARY: &str = "kariz-test-boundary-7d1e";

/// A `multipart/form-data` body: the text fields, then the file.
pub fn form(fields: &[(&str, &str)], file: Option<(&str, &str, &[u8])>) -> Vec<u8> {
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend(format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes());
    }
    if let Some((file_name, media_type, bytes)) = file {
        let encoded: String = file_name.bytes().map(|b| format!("%{b:02X}")).collect();
        body.extend(
            format!(
                "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"upload.bin\"; filename*=UTF-8''{encoded}\r\n\
                 Content-Type: {media_type}\r\n\r\n"
            )
            .into_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{BOUNDARY}--\r\n").into_bytes());
    body
}
