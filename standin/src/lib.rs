//! An embedded stand-in for the Social+ regional REST API.
//!
//! It serves the official contract (paths, `qs` bracket parameters, side-loaded envelopes,
//! base64 JSON paging tokens, the `{status, code, message, data}` error envelope, Bearer
//! admin-token auth) over its own SQLite database filled by a deterministic seed generator.
//! The console starts it in-process on a loopback port and talks to it through the real
//! HTTP client, so development, integration tests and end-to-end tests all exercise the
//! same path as production. It also runs on its own: `cargo run -p standin -- --help`.

mod admin_token;
mod auth;
mod db;
mod error;
pub mod events;
mod handlers;
mod keyset;
mod paging;
mod params;
pub mod seed;
mod time_fmt;

pub use admin_token::AdminToken;
pub use db::open as open_database;
pub use events::{Event, Events};
pub use paging::PageToken;
pub use seed::SeedOptions;

use axum::Router;
use sqlx::SqlitePool;
use std::{net::SocketAddr, path::PathBuf};
use tokio::{net::TcpListener, sync::oneshot, task::JoinHandle};

/// Where the stand-in keeps its data.
#[derive(Clone, Debug)]
pub enum Storage {
    /// A SQLite file (created if missing).
    File(PathBuf),
    /// A private in-memory database (tests).
    Memory,
}

/// How to start a stand-in.
#[derive(Clone, Debug)]
pub struct StandInConfig {
    /// Address to listen on; port 0 picks a free one.
    pub addr: SocketAddr,
    /// The admin token clients must send as `Authorization: Bearer`.
    pub admin_token: String,
    /// Where the data lives.
    pub storage: Storage,
    /// What to generate when the database is empty or was seeded differently.
    pub seed: SeedOptions,
}

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct State {
    pub db: SqlitePool,
    pub admin_token: AdminToken,
    /// Every mutation emits its webhook event here.
    pub events: Events,
}

/// The API router over an already opened and seeded database (tests drive it with `oneshot`).
/// Events emitted by its handlers go to `events`.
pub fn router(db: SqlitePool, admin_token: AdminToken, events: Events) -> Router {
    handlers::routes(State { db, admin_token, events })
}

/// A stand-in serving on a socket.
#[derive(Debug)]
pub struct RunningStandIn {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    events: Events,
}

impl RunningStandIn {
    /// Opens (and if needed seeds) the database, binds, and serves in a background task.
    pub async fn start(config: StandInConfig) -> anyhow::Result<Self> {
        let db = db::open(&config.storage).await?;
        seed::ensure(&db, &config.seed).await?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        let events = Events::default();
        let app = router(db, AdminToken::new(&config.admin_token), events.clone());
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "stand-in listening");
        Ok(Self { addr, shutdown: Some(shutdown), task, events })
    }

    /// The sink its handlers emit webhook events to (subscribe to observe mutations).
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Stops accepting, finishes in-flight requests, and waits for the task.
    pub async fn stop(mut self) {
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match (&mut self.task).await {
            Ok(Ok(())) => tracing::info!("stand-in stopped"),
            Ok(Err(error)) => tracing::error!(%error, "stand-in stopped with an error"),
            Err(error) => tracing::error!(%error, "stand-in task failed"),
        }
    }
}

/// A fresh admin token (64 hex chars from the OS's secure random source) for a stand-in
/// that was given none.
pub fn generate_token() -> String {
    let mut bytes = [0u8; 32];
    // The OS random source failing is not recoverable for a process that needs secrets.
    getrandom::fill(&mut bytes).expect("the OS random source is unavailable");
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}
