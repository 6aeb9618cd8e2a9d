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
pub mod blocklist;
mod budget;
mod connection;
mod db;
mod error;
pub mod events;
pub mod faults;
mod handlers;
mod keys;
mod keyset;
pub mod media;
mod paging;
mod params;
pub mod replay;
pub mod seed;
mod sessions;
pub mod simulator;
mod time_fmt;
pub mod webhooks;

pub use admin_token::AdminToken;
pub use db::open as open_database;
pub use events::{Event, Events};
pub use faults::{Fault, FaultPlan, FaultRule};
pub use keys::NetworkKeys;
pub use paging::PageToken;
pub use replay::{HistoryLog, ReplayProgress};
pub use seed::{HistoryOptions, SeedOptions};
pub use webhooks::WebhookTarget;

use axum::Router;
use connection::{ConnectionHandle, ResettableListener};
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
    /// Days of activity history to generate with it (none by default), replayable as
    /// webhooks with [`RunningStandIn::replay_history`].
    pub history: HistoryOptions,
    /// Where every event is delivered, signed (more can be added at run time).
    pub webhooks: Vec<WebhookTarget>,
    /// Injected faults (none by default; replaceable at run time).
    pub faults: FaultPlan,
    /// 429 / 400311 past this many requests per second (off by default).
    pub budget_per_second: Option<u32>,
    /// Simulated member activity (posts, comments, flags, joins) per second (off by default).
    pub simulate_per_second: Option<f64>,
}

impl Default for StandInConfig {
    /// A loopback port picked by the OS, an in-memory database with the default seed, no
    /// token (set one), and no webhooks, faults or budget.
    fn default() -> Self {
        Self {
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            admin_token: String::new(),
            storage: Storage::Memory,
            seed: SeedOptions::default(),
            history: HistoryOptions::default(),
            webhooks: Vec::new(),
            faults: FaultPlan::default(),
            budget_per_second: None,
            simulate_per_second: None,
        }
    }
}

/// Shared state of the handlers.
#[derive(Clone)]
pub(crate) struct State {
    pub db: SqlitePool,
    pub admin_token: AdminToken,
    /// Every mutation emits its webhook event here.
    pub events: Events,
    /// Fault injection, webhook targets and the request budget (stand-in infrastructure).
    pub faults: faults::Faults,
    pub webhooks: webhooks::WebhookTargets,
    pub budget: budget::Budget,
}

/// The API router over an already opened and seeded database (tests drive it with `oneshot`).
/// Events emitted by its handlers go to `events`. No faults, budget or webhook targets.
pub fn router(db: SqlitePool, admin_token: AdminToken, events: Events) -> Router {
    handlers::routes(State {
        db,
        admin_token,
        events,
        faults: Default::default(),
        webhooks: Default::default(),
        budget: Default::default(),
    })
}

/// A stand-in serving on a socket.
#[derive(Debug)]
pub struct RunningStandIn {
    addr: SocketAddr,
    shutdown: Option<oneshot::Sender<()>>,
    task: JoinHandle<std::io::Result<()>>,
    keys: NetworkKeys,
    events: Events,
    faults: faults::Faults,
    delivery: Option<webhooks::Delivery>,
    simulator: Option<simulator::Simulator>,
    db: SqlitePool,
    replay: Option<replay::Replay>,
}

impl RunningStandIn {
    /// Opens (and if needed seeds) the database, binds, and serves in a background task.
    pub async fn start(config: StandInConfig) -> anyhow::Result<Self> {
        let db = db::open(&config.storage).await?;
        seed::ensure_with(&db, &config.seed, &config.history).await?;
        let keys = keys::load(&db).await?;
        let listener = TcpListener::bind(config.addr).await?;
        let addr = listener.local_addr()?;
        // File URLs are stored as paths; side-loaded files get this origin in front.
        sqlx::query(
            "INSERT INTO served_origin (id, base_url) VALUES (1, ?) \
             ON CONFLICT (id) DO UPDATE SET base_url = excluded.base_url",
        )
        .bind(format!("http://{addr}"))
        .execute(&db)
        .await?;
        let events = Events::default();
        let faults = faults::Faults::new(config.faults);
        let webhooks = webhooks::WebhookTargets::new(config.webhooks);
        let delivery = webhooks::Delivery::spawn(&events, webhooks.clone())?;
        let simulator = config
            .simulate_per_second
            .map(|rate| simulator::Simulator::spawn(db.clone(), events.clone(), rate, config.seed.seed));
        let state = State {
            db: db.clone(),
            admin_token: AdminToken::new(&config.admin_token),
            events: events.clone(),
            faults: faults.clone(),
            webhooks,
            budget: budget::Budget::new(config.budget_per_second),
        };
        let app = handlers::routes(state).into_make_service_with_connect_info::<ConnectionHandle>();
        let (shutdown, stopped) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(ResettableListener::new(listener), app)
                .with_graceful_shutdown(async {
                    let _ = stopped.await;
                })
                .await
        });
        tracing::info!(%addr, "stand-in listening");
        Ok(Self {
            addr,
            shutdown: Some(shutdown),
            task,
            keys,
            events,
            faults,
            delivery: Some(delivery),
            simulator,
            db,
            replay: None,
        })
    }

    /// The activity history the seed recorded, if any.
    pub async fn history(&self) -> anyhow::Result<Option<HistoryLog>> {
        HistoryLog::of(&self.db).await
    }

    /// Replays the recorded history to `target` as signed webhooks, at most `per_second` a
    /// second, in the background; the receiver follows its progress. A replay under way is
    /// stopped first.
    pub fn replay_history(
        &mut self,
        target: WebhookTarget,
        per_second: u32,
    ) -> anyhow::Result<tokio::sync::watch::Receiver<ReplayProgress>> {
        if let Some(previous) = self.replay.take() {
            previous.abort();
        }
        let (replay, progress) = replay::Replay::spawn(self.db.clone(), target, per_second)?;
        self.replay = Some(replay);
        Ok(progress)
    }

    /// The socket address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The network's API key (`x-api-key`) and server key (`x-server-key`), generated with the
    /// seed and kept in the database.
    pub fn keys(&self) -> &NetworkKeys {
        &self.keys
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The sink every handler emits into: subscribe to watch the network, or emit to test
    /// webhook delivery.
    pub fn events(&self) -> &Events {
        &self.events
    }

    /// Stops accepting, releases hung requests, finishes in-flight ones, waits for the task,
    /// then delivers the webhooks already emitted (up to 2 s) and stops delivering.
    pub async fn stop(mut self) {
        if let Some(replay) = self.replay.take() {
            replay.abort();
        }
        if let Some(simulator) = self.simulator.take() {
            simulator.stop().await;
        }
        self.faults.release_hangs();
        if let Some(shutdown) = self.shutdown.take() {
            let _ = shutdown.send(());
        }
        match (&mut self.task).await {
            Ok(Ok(())) => tracing::info!("stand-in stopped"),
            Ok(Err(error)) => tracing::error!(%error, "stand-in stopped with an error"),
            Err(error) => tracing::error!(%error, "stand-in task failed"),
        }
        if let Some(delivery) = self.delivery.take() {
            delivery.stop().await;
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
