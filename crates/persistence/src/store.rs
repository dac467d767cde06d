//! Connecting, migrating and the [`Store`] handle.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use kariz_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseBackend, DatabaseConnection};
use tokio::sync::{Notify, broadcast};

use crate::clock::{SharedClock, SystemClock};
use crate::error::{StoreError, StoreResult};

/// Which database engine a store runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// How long a SQLite writer waits for the write lock before the request is answered 503.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// Wake-ups a process keeps for its event streams before a slow one lags (it then reads anyway).
const STREAM_SIGNAL_CAPACITY: usize = 1024;

/// How the store's pool behaves; [`Default`] suits a small server.
#[derive(Clone, Copy, Debug)]
pub struct PoolSettings {
    /// Connections the PostgreSQL pool may open (SQLite keeps 8: one writer at a time anyway).
    pub max_connections: u32,
    /// PostgreSQL cancels any statement running longer than this (`statement_timeout`), so a
    /// runaway query gives its connection back instead of starving every request behind it.
    pub statement_timeout: Duration,
    /// How long a request waits for a free connection before it is answered 503.
    pub acquire_timeout: Duration,
}

impl Default for PoolSettings {
    fn default() -> Self {
        PoolSettings { max_connections: 32, statement_timeout: Duration::from_secs(15), acquire_timeout: Duration::from_secs(10) }
    }
}

/// Connections of a pool at one moment, for `/metrics`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PoolUsage {
    pub open: u32,
    pub idle: u32,
    pub max: u32,
}

/// A wake-up of this process's event streams.
#[derive(Clone, Copy, Debug)]
pub struct StreamSignal {
    /// The workspace whose outbox grew; nil when any may have (after a lost connection).
    pub workspace_id: uuid::Uuid,
    /// When it was sent: every event numbered before it is visible to a read begun after it, so
    /// one read begun after this instant serves all the streams it woke, however late each of
    /// them gets to run.
    pub sent: std::time::Instant,
}

impl StreamSignal {
    /// Whether a stream of `workspace_id` should look for new events.
    pub fn concerns(&self, workspace_id: uuid::Uuid) -> bool {
        self.workspace_id == workspace_id || self.workspace_id.is_nil()
    }
}

/// The handle every repository function hangs off. Cheap to clone (a pool inside).
#[derive(Clone, Debug)]
pub struct Store {
    pub(crate) db: DatabaseConnection,
    /// Woken after a commit that wrote outbox events, so this process's dispatcher need not poll.
    outbox_signal: Arc<Notify>,
    /// The email sender's own wake-up: a `Notify` wakes one waiter, and the webhook dispatcher
    /// waits on `outbox_signal`.
    mail_signal: Arc<Notify>,
    /// The workspaces whose outbox grew, for this process's event streams (see `stream.rs`).
    stream_signal: broadcast::Sender<StreamSignal>,
    /// Woken after a commit that wrote outbox events, so this process's sequencer numbers them.
    sequencer_signal: Arc<Notify>,
    clock: SharedClock,
    /// Units of work committed through this store (and its clones): how many transactions an
    /// operation took, for tests of batched operations.
    commits: Arc<AtomicU64>,
    /// SQLite's writers of this process, served in the order they came (see `Store::begin`).
    write_turns: Arc<tokio::sync::Mutex<()>>,
    /// This process's name in its `NOTIFY`s: its relay skips its own, which its streams were
    /// woken for at once.
    pub(crate) origin: uuid::Uuid,
}

impl Store {
    /// Connects to `database_url` (`sqlite://path?mode=rwc` or `postgres://…`).
    pub async fn connect(database_url: &str) -> StoreResult<Store> {
        Self::connect_with(database_url, PoolSettings::default()).await
    }

    pub async fn connect_with(database_url: &str, settings: PoolSettings) -> StoreResult<Store> {
        Ok(Store::from_connection(Self::pool(database_url, settings, true).await?))
    }

    /// A second pool on the same database for the webhook dispatcher, sharing this store's
    /// outbox wake-up signal. It runs apart because connections belong to the runtime that opened
    /// them, and the HTTP workers' runtimes stop before the dispatcher finishes its work.
    ///
    /// On PostgreSQL its commits are asynchronous (`synchronous_commit = off`): a crash can lose
    /// the last few fan-outs and attempt records, which only means those messages are sent again
    /// — at-least-once delivery already allows that — while every delivery no longer waits for a
    /// disk flush. The changes and events themselves are written by the main pool, durably.
    pub async fn dispatcher_pool(&self, database_url: &str, max_connections: u32) -> StoreResult<Store> {
        let settings = PoolSettings { max_connections, ..PoolSettings::default() };
        let db = Self::pool(database_url, settings, false).await?;
        Ok(Store {
            db,
            outbox_signal: self.outbox_signal.clone(),
            mail_signal: self.mail_signal.clone(),
            stream_signal: self.stream_signal.clone(),
            sequencer_signal: self.sequencer_signal.clone(),
            clock: self.clock.clone(),
            commits: self.commits.clone(),
            write_turns: self.write_turns.clone(),
            origin: self.origin,
        })
    }

    async fn pool(database_url: &str, settings: PoolSettings, synchronous_commit: bool) -> StoreResult<DatabaseConnection> {
        let mut options = ConnectOptions::new(database_url.to_owned());
        options.sqlx_logging(false).connect_timeout(Duration::from_secs(10)).acquire_timeout(settings.acquire_timeout);
        if database_url.starts_with("sqlite:") {
            // WAL lets readers proceed while one writer commits; writers queue on the busy timeout.
            options.max_connections(8).min_connections(1).map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(SQLITE_BUSY_TIMEOUT)
                    .foreign_keys(true)
                    .create_if_missing(true)
            });
        } else {
            let statement_timeout = format!("{}ms", settings.statement_timeout.as_millis().max(1));
            let commit = if synchronous_commit { "on" } else { "off" };
            options.max_connections(settings.max_connections).min_connections(1).map_sqlx_postgres_opts(move |o| {
                o.options([("statement_timeout", statement_timeout.as_str()), ("synchronous_commit", commit)])
            });
        }
        Ok(Database::connect(options).await?)
    }

    /// Applies every pending migration; forward-only.
    pub async fn migrate(&self) -> StoreResult<()> {
        Migrator::up(&self.db, None).await?;
        Ok(())
    }

    /// The names of the migrations not applied yet, in the order they will be.
    pub async fn pending_migrations(&self) -> StoreResult<Vec<String>> {
        Ok(Migrator::get_pending_migrations(&self.db).await?.iter().map(|m| m.name().to_owned()).collect())
    }

    /// Applies the next pending migration (each is its own step, so that a command can show
    /// its progress).
    pub async fn migrate_one(&self) -> StoreResult<()> {
        Migrator::up(&self.db, Some(1)).await?;
        Ok(())
    }

    /// Whether every known migration has been applied (for readiness probes).
    pub async fn is_migrated(&self) -> StoreResult<bool> {
        Ok(Migrator::get_pending_migrations(&self.db).await?.is_empty())
    }

    /// A trivial round trip, for liveness of the database connection.
    pub async fn ping(&self) -> StoreResult<()> {
        self.db.ping().await?;
        Ok(())
    }

    /// The pool's open and idle connections (`None` for a connection that is not a pool).
    pub fn pool_usage(&self) -> Option<PoolUsage> {
        use sea_orm::DatabaseConnectionType as Kind;
        let (open, idle, max) = match &self.db.inner {
            Kind::SqlxPostgresPoolConnection(_) => {
                let pool = self.db.get_postgres_connection_pool();
                (pool.size(), pool.num_idle(), pool.options().get_max_connections())
            }
            Kind::SqlxSqlitePoolConnection(_) => {
                let pool = self.db.get_sqlite_connection_pool();
                (pool.size(), pool.num_idle(), pool.options().get_max_connections())
            }
            _ => return None,
        };
        Some(PoolUsage { open, idle: u32::try_from(idle).unwrap_or(u32::MAX), max })
    }

    pub fn engine(&self) -> Engine {
        match self.db.get_database_backend() {
            DatabaseBackend::Postgres => Engine::Postgres,
            _ => Engine::Sqlite,
        }
    }

    /// Wraps an existing connection (tests use this to observe the statements a call runs).
    pub fn from_connection(db: DatabaseConnection) -> Store {
        Store {
            db,
            outbox_signal: Arc::new(Notify::new()),
            mail_signal: Arc::new(Notify::new()),
            stream_signal: broadcast::channel(STREAM_SIGNAL_CAPACITY).0,
            sequencer_signal: Arc::new(Notify::new()),
            clock: Arc::new(SystemClock),
            commits: Arc::default(),
            write_turns: Arc::default(),
            origin: uuid::Uuid::now_v7(),
        }
    }

    /// This store with `clock` as its source of the current time (tests pass a
    /// [`ShiftedClock`](crate::clock::ShiftedClock)).
    pub fn with_clock(mut self, clock: SharedClock) -> Store {
        self.clock = clock;
        self
    }

    /// The clock every part of the application reads the time from.
    pub fn clock(&self) -> &SharedClock {
        &self.clock
    }

    /// The current time, by the store's clock.
    pub fn now(&self) -> chrono::DateTime<chrono::Utc> {
        self.clock.now()
    }

    /// On SQLite, waits for this process's turn to write (first come, first served), for as long
    /// as SQLite's own busy timeout would; `None` on PostgreSQL, whose row locks queue writers.
    pub(crate) async fn write_turn(&self) -> StoreResult<Option<tokio::sync::OwnedMutexGuard<()>>> {
        if self.db.get_database_backend() != sea_orm::DatabaseBackend::Sqlite {
            return Ok(None);
        }
        match tokio::time::timeout(SQLITE_BUSY_TIMEOUT, self.write_turns.clone().lock_owned()).await {
            Ok(turn) => Ok(Some(turn)),
            Err(_) => Err(StoreError::Unavailable(sea_orm::DbErr::Custom("waited too long for a turn to write".to_owned()))),
        }
    }

    /// How many units of work have committed through this store and its clones.
    pub fn units_committed(&self) -> u64 {
        self.commits.load(Ordering::Relaxed)
    }

    pub(crate) fn count_commit(&self) {
        self.commits.fetch_add(1, Ordering::Relaxed);
    }

    /// Wakes the dispatcher waiting on [`Store::outbox_written`].
    pub(crate) fn signal_outbox(&self) {
        self.outbox_signal.notify_one();
        self.mail_signal.notify_one();
    }

    /// Wakes the sequencer waiting in [`Store::run_sequencer`].
    pub(crate) fn signal_sequencer(&self) {
        self.sequencer_signal.notify_one();
    }

    /// Resolves when a change with outbox events commits in this process (or a wake-up was pending).
    pub(crate) async fn sequencer_woken(&self) {
        self.sequencer_signal.notified().await;
    }

    /// Tells this process's event streams that `workspace_id`'s outbox grew.
    pub(crate) fn signal_stream(&self, workspace_id: uuid::Uuid) {
        // Nobody listening is not an error.
        let _ = self.stream_signal.send(StreamSignal { workspace_id, sent: std::time::Instant::now() });
    }

    /// Wake-ups of this process's event streams: the workspace whose outbox grew. A receiver that
    /// lags only learns that something changed (`Lagged`), and reads by its cursor anyway.
    pub fn stream_signals(&self) -> broadcast::Receiver<StreamSignal> {
        self.stream_signal.subscribe()
    }

    /// For the email sender: resolves when a change with outbox events (a queued email among
    /// them) commits in this process, or a wake-up was pending.
    pub async fn mail_written(&self) {
        self.mail_signal.notified().await;
    }

    /// Resolves when a change with outbox events commits in this process (or a wake-up was pending).
    pub async fn outbox_written(&self) {
        self.outbox_signal.notified().await;
    }

    /// The raw connection, for tests that check what was stored.
    pub fn connection(&self) -> &DatabaseConnection {
        &self.db
    }

    pub(crate) fn backend(&self) -> DatabaseBackend {
        self.db.get_database_backend()
    }

    pub async fn close(self) -> StoreResult<()> {
        self.db.close().await?;
        Ok(())
    }
}
