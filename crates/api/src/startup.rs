//! One startup for every way the application runs: `kariz serve` and the test harness build the
//! same [`Application`] on a listener they bound, so that what the tests start is what ships.

use std::io;
use std::net::{SocketAddr, TcpListener};
use std::time::Duration;

use actix_web::dev::{Server, ServerHandle};
use actix_web::{HttpServer, web};
use kariz_persistence::Store;

use crate::state::{ApiSettings, AppState};

/// How often the sequencer looks for events it was not woken for (another process's, committed
/// just before that process stopped).
const SEQUENCER_INTERVAL: Duration = Duration::from_secs(1);

/// How often the board's appended figure changes are folded (`persistence/src/rollups.rs`): the
/// board sums the changes of at most about this long.
const ROLLUP_FOLD_INTERVAL: Duration = Duration::from_millis(500);

/// How the HTTP server runs, beside what the application does.
#[derive(Clone, Copy, Debug)]
pub struct ServerOptions {
    /// Worker threads; one per core when `None`.
    pub workers: Option<usize>,
    /// How long requests in flight may take to finish when the server stops.
    pub shutdown_timeout: Duration,
}

impl Default for ServerOptions {
    fn default() -> Self {
        ServerOptions { workers: None, shutdown_timeout: Duration::from_secs(30) }
    }
}

/// The application, built and bound, not yet running.
pub struct Application {
    server: Server,
    address: SocketAddr,
    state: web::Data<AppState>,
    shutdown_timeout: Duration,
}

impl Application {
    /// The API, the OpenAPI document and reference page, the SPA and the probes over `store`,
    /// served on `listener` (bound by the caller: a configured address, or port 0 in tests).
    pub fn build(store: Store, settings: ApiSettings, listener: TcpListener, options: ServerOptions) -> io::Result<Application> {
        let address = listener.local_addr()?;
        // The sequencer numbers committed events for the streams; on PostgreSQL, events numbered
        // by any replica wake this one's streams.
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            let (sequencer, relay, automations, rollups) = (store.clone(), store.clone(), store.clone(), store.clone());
            runtime.spawn(async move { sequencer.run_sequencer(SEQUENCER_INTERVAL).await });
            // Automation rules follow the numbered outbox (`persistence/src/automations.rs`).
            runtime.spawn(async move { automations.run_automations_forever(SEQUENCER_INTERVAL).await });
            runtime.spawn(async move { relay.relay_notifications().await });
            runtime.spawn(async move { rollups.fold_rollups_forever(ROLLUP_FOLD_INTERVAL).await });
        }
        let state = web::Data::new(AppState::new(store, settings, crate::openapi::document()));
        let app_state = state.clone();
        let mut server = HttpServer::new(move || crate::build_app(app_state.clone()))
            // Stopping is the caller's: see `stop`, which drains requests in flight first.
            .disable_signals()
            // An event stream writes a small frame per event: with Nagle's algorithm a frame
            // waits for the client's (delayed) acknowledgement of the one before.
            .tcp_nodelay(true)
            .shutdown_timeout(options.shutdown_timeout.as_secs());
        if let Some(workers) = options.workers {
            server = server.workers(workers);
        }
        let server = server.listen(listener)?.run();
        Ok(Application { server, address, state, shutdown_timeout: options.shutdown_timeout })
    }

    pub fn address(&self) -> SocketAddr {
        self.address
    }

    /// What every handler shares (the store, tokens, limits, metrics).
    pub fn state(&self) -> web::Data<AppState> {
        self.state.clone()
    }

    /// A handle that stops the server from elsewhere.
    pub fn handle(&self) -> Stopper {
        Stopper { handle: self.server.handle(), state: self.state.clone(), timeout: self.shutdown_timeout }
    }

    /// Serves until stopped.
    pub async fn run_until_stopped(self) -> io::Result<()> {
        self.server.await
    }
}

/// Stops a running [`Application`].
#[derive(Clone)]
pub struct Stopper {
    handle: ServerHandle,
    state: web::Data<AppState>,
    timeout: Duration,
}

impl Stopper {
    /// Stops gracefully: stop accepting, let every request in flight finish while all workers
    /// (and the connections they opened) are alive, then stop the workers. Actix stops its
    /// workers independently, and an idle worker's runtime would take down pooled connections
    /// that a busy one still uses.
    pub async fn stop(&self) {
        self.state.drain.begin();
        self.handle.pause().await;
        if !self.state.drain.until_idle(self.timeout).await {
            tracing::warn!("requests still in flight after the shutdown timeout");
        }
        self.handle.stop(true).await;
    }

    /// Stops at once, without waiting for requests in flight (tests tearing down).
    pub fn abort(&self) {
        // `stop` sends the command before returning its future; awaiting would only wait for it.
        drop(self.handle.stop(false));
    }
}
