//! Building and running the application: database, upstream (starting the embedded
//! stand-in when configured), bootstrap admin, sessions, router, listener.

use crate::{
    auth::{
        AssertionVerifier, GateConfig, PasswordWork, SignInLimiter, address::AllowedIps,
        attempts::AttemptLog, context::SignInContext, oidc::OidcProvider, settings::SignInConfig,
    },
    config::{Config, UpstreamTarget},
    routes::{self, RouterParts},
    security::AllowedOrigin,
};
use anyhow::Context;
use app::state::AppState;
use backend::{
    Services,
    admin_token::{AdminToken, TokenOrigin},
};
use secrecy::{ExposeSecret, SecretString};
use standin::{RunningStandIn, StandInConfig};
use std::{future::Future, net::SocketAddr, sync::Arc};
use tokio::{net::TcpListener, task::JoinHandle};
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};
use tower_sessions_sqlx_store::SqliteStore;
use upstream::{Client, ClientConfig, TokenSource};
use url::Url;

/// The sign-in methods and limits; OIDC discovery is tried now so a misconfigured provider
/// shows in the log at start (it is retried on each sign-in until it works).
async fn sign_in_context(
    config: SignInConfig,
    db: sqlx::SqlitePool,
    break_glass: bool,
) -> anyhow::Result<SignInContext> {
    let oidc = match config.oidc {
        Some(oidc) => {
            let provider = OidcProvider::new(oidc).context("building the OIDC client")?;
            if let Err(error) = provider.discover().await {
                tracing::error!(%error, "OIDC discovery failed; sign-in will retry it");
            }
            Some(provider)
        }
        None => None,
    };
    let assertion = match config.proxy.assertion.clone() {
        Some(assertion) => {
            Some(AssertionVerifier::new(assertion).context("building the assertion verifier")?)
        }
        None => None,
    };
    if config.proxy.enabled {
        tracing::info!(trusted = ?config.proxy.trusted, "trusted-proxy sign-in enabled");
    }
    Ok(SignInContext {
        db: db.clone(),
        oidc,
        proxy: config.proxy,
        assertion,
        groups: config.groups,
        limiter: SignInLimiter::new(config.attempts_per_minute),
        attempts: Arc::new(AttemptLog::new(db)),
        password_work: PasswordWork::for_this_machine(),
        tarpit: Default::default(),
        break_glass,
        recheck: config.recheck,
        admin_session: config.admin_session,
        rechecking: Default::default(),
    })
}

/// A built console, ready to serve.
pub struct Application {
    listener: TcpListener,
    router: axum::Router,
    standin: Option<RunningStandIn>,
    session_cleanup: JoinHandle<()>,
    token_watcher: JoinHandle<()>,
    job_runner: JoinHandle<()>,
    timed_bans: JoinHandle<()>,
    rules_worker: JoinHandle<()>,
    event_processor: JoinHandle<()>,
    event_schedules: Vec<JoinHandle<()>>,
    /// Refused sign-in attempts: summaries of ended episodes are written by the flusher, the
    /// rest at shutdown.
    attempts: Arc<AttemptLog>,
    attempt_flusher: JoinHandle<()>,
    /// Moderation actions whose request went away; drained before the stand-in stops.
    detached: backend::moderation::detached::Detached,
    /// The stand-in's history, to deliver to the intake once the console serves.
    history_replay: Option<crate::standin_history::Plan>,
    banner: String,
}

impl Application {
    /// Opens everything the console needs and binds the listener.
    pub async fn build(config: Config) -> anyhow::Result<Self> {
        let leptos = leptos::config::get_configuration(Some(&config.leptos_config.to_string_lossy()))
            .with_context(|| format!("reading Leptos options from {}", config.leptos_config.display()))?;
        let mut leptos_options = leptos.leptos_options;
        leptos_options.site_addr = config.addr;

        // Bound first: the embedded stand-in is told the webhook intake's URL before it starts.
        let listener =
            TcpListener::bind(config.addr).await.with_context(|| format!("listening on {}", config.addr))?;
        let local_addr = listener.local_addr()?;
        let mut webhooks = config.webhooks.clone();

        let db = backend::db::open(&config.database_path)
            .await
            .with_context(|| format!("opening the console database {}", config.database_path.display()))?;

        let is_remote = matches!(config.upstream, UpstreamTarget::Remote { .. });
        // Creating users needs the network's API key: configured for a real region, the
        // stand-in's own generated key otherwise.
        let mut api_key = config.upstream_api_key.clone();
        let mut history_replay = None;
        let (base_url, admin_token, token_origin, standin, upstream_label) = match config.upstream {
            UpstreamTarget::Standin { storage, seed, history, admin_token } => {
                let token =
                    admin_token.map(|t| t.expose_secret().to_owned()).unwrap_or_else(standin::generate_token);
                let deliver_to = crate::hooks::embedded_target(&mut webhooks, local_addr);
                let running = RunningStandIn::start(StandInConfig {
                    addr: SocketAddr::from(([127, 0, 0, 1], 0)),
                    admin_token: token.clone(),
                    storage,
                    seed,
                    history,
                    webhooks: deliver_to.clone().into_iter().collect(),
                    simulate_per_second: config.standin_simulate_per_second,
                    budget_per_second: config.standin_budget_per_second,
                    ..Default::default()
                })
                .await
                .context("starting the embedded stand-in")?;
                history_replay = crate::standin_history::plan(&db, &running, deliver_to.as_ref()).await?;
                let url = Url::parse(&running.base_url())?;
                let label = format!("embedded stand-in at {url} ({} seeded users)", seed.users);
                api_key = Some(SecretString::from(running.keys().api_key.clone()));
                (url, SecretString::from(token), TokenOrigin::EmbeddedStandIn, Some(running), label)
            }
            UpstreamTarget::Remote { base_url, admin_token, admin_token_file } => {
                let label = format!("Social+ at {base_url}");
                let origin = admin_token_file.map_or(TokenOrigin::Environment, TokenOrigin::File);
                (base_url, admin_token, origin, None, label)
            }
        };
        let admin_token = AdminToken::new(TokenSource::from(admin_token), token_origin);
        let mut client_config = ClientConfig::new(base_url, SecretString::from(String::new()));
        client_config.admin_token = admin_token.source().clone();
        client_config.timeout = config.upstream_timeout;
        client_config.budget_per_second = config.upstream_budget;
        let client = Arc::new(Client::new(client_config).context("building the Social+ client")?);

        let (bootstrap, password_note) =
            crate::bootstrap_password::bootstrap_admin(&config.bootstrap, is_remote, &config.database_path)?;

        let secrets = crate::stored_secrets::open(&config.secret_key, &db).await?;
        let sign_in_allowed_ips = config.sign_in.allowed_ips.clone();
        let max_body_bytes = config.sign_in.max_body_bytes;
        let services = Services {
            upstream: client.clone(),
            db: db.clone(),
            bootstrap,
            bootstrap_disabled_reason: config.bootstrap.disabled_reason.clone(),
            admin_token: admin_token.clone(),
            upstream_budget: config.upstream_budget.map(std::num::NonZeroU32::get),
            // The sweep's reuse time grows as the budget shrinks, so it cannot eat the budget.
            queue_sweep: backend::queue::SweepCache::new(
                config.upstream_budget.map(std::num::NonZeroU32::get),
            ),
            detached: Default::default(),
            api_key,
            metrics_export: config.events.metrics_export_plan(),
            write_gate: backend::events::WriteGate::default(),
            throttle: backend::throttle::Throttle::new(config.limits.throttle),
            retention: config.limits.retention,
            outbound: config.outbound.clone(),
            secrets,
            live_events: backend::live_events::LiveEvents::new(db.clone(), config.events.stream_limits()),
        };
        // Lifts bans whose end passed, first those that ended while the console was down.
        let timed_bans =
            tokio::spawn(backend::moderation::bans::run_scheduler(services.clone(), TIMED_BAN_TICK));
        let detached = services.detached.clone();
        let token_watcher = tokio::spawn({
            let db = db.clone();
            admin_token.watch(TOKEN_FILE_POLL, move |before, after| {
                let db = db.clone();
                tokio::spawn(async move { audit_token_file_change(&db, before, after).await });
            })
        });

        let job_runner = job_runner(&services, &client).spawn();
        // Runs enabled automation rules on new events, exactly once per rule per event.
        let rules_worker = tokio::spawn(backend::rules::worker::run(services.clone(), RULES_TICK));
        // Webhook deliveries: stored durably by the intake, turned into `events` by the processor.
        let delivery_stored = Arc::new(tokio::sync::Notify::new());
        let write_gate = services.write_gate.clone();
        let inbox = backend::events::Inbox::open(&db, delivery_stored.clone(), write_gate.clone())
            .await
            .context("opening the webhook inbox")?;
        let event_processor =
            tokio::spawn(backend::events::process::run(db.clone(), delivery_stored, write_gate));
        let mut event_schedules = config.events.spawn(&services);
        let retention =
            backend::retention::run(db.clone(), config.limits.retention, crate::limits::PRUNE_EVERY);
        event_schedules.push(tokio::spawn(retention));
        event_schedules.extend(crate::hooks::spawn_pruning(&webhooks, &services));
        if webhooks.secrets.is_empty() {
            tracing::info!("webhook intake off: no webhook secret configured (webhooks.secrets)");
        }
        // Analytics rollups follow the stored events; the task ends with the runtime.
        drop(backend::analytics::spawn_refresher(services.db.clone(), services.write_gate.clone()));

        let sign_in =
            Arc::new(sign_in_context(config.sign_in, db.clone(), config.bootstrap.break_glass).await?);
        let allowed_ips = AllowedIps(sign_in_allowed_ips);
        let attempts = sign_in.attempts.clone();
        let attempt_flusher = attempts.spawn_flusher();
        if sign_in.break_glass {
            backend::audit::append(
                &db,
                &backend::audit::Entry {
                    actor_id: "system",
                    actor_role: None,
                    action: "break_glass_enabled",
                    target: None,
                    outcome: backend::audit::Outcome::Success,
                    request_id: None,
                    details: serde_json::json!({"username": config.bootstrap.username}),
                },
            )
            .await
            .context("auditing the break-glass start")?;
        }
        let store = SqliteStore::new(db);
        store.migrate().await.context("creating the session table")?;
        let session_cleanup = tokio::spawn({
            let store = store.clone();
            async move {
                use tower_sessions::ExpiredDeletion;
                if let Err(error) =
                    store.continuously_delete_expired(tokio::time::Duration::from_secs(300)).await
                {
                    tracing::error!(%error, "expired-session cleanup stopped");
                }
            }
        });
        let secure_cookies = config.public_origin.as_deref().is_some_and(|o| o.starts_with("https://"));
        let cookie_name = if secure_cookies { "__Host-console_session" } else { "console_session" };
        let sessions = SessionManagerLayer::new(store)
            .with_name(cookie_name)
            .with_secure(secure_cookies)
            .with_http_only(true)
            .with_same_site(SameSite::Lax)
            .with_path("/")
            .with_expiry(Expiry::OnInactivity(time::Duration::seconds(config.session.idle.as_secs() as i64)));

        let state = AppState { leptos_options, services };
        let router = routes::router(
            state,
            RouterParts {
                sessions,
                gate: GateConfig { absolute_secs: config.session.absolute.as_secs() as i64 },
                allowed_origin: AllowedOrigin(config.public_origin.clone()),
                request_timeout: config.request_timeout,
                sign_in,
                allowed_ips,
                max_body_bytes,
                appeals: crate::appeals::Intake { secret: config.appeals_secret.clone() },
                hsts: secure_cookies,
            },
        )
        .merge(crate::hooks::router(&webhooks, inbox));
        let url = config.public_origin.clone().unwrap_or_else(|| format!("http://{local_addr}"));
        tracing::info!(%local_addr, upstream = %upstream_label, "console ready");
        let banner = format!(
            "\nSocial+ Console is running at {url}\n  Upstream: {upstream_label}\n  {password_note}\n  Stop with Ctrl-C.\n"
        );
        Ok(Self {
            listener,
            router,
            standin,
            session_cleanup,
            token_watcher,
            job_runner,
            timed_bans,
            rules_worker,
            event_processor,
            event_schedules,
            attempts,
            attempt_flusher,
            detached,
            history_replay,
            banner,
        })
    }

    /// The address the console listens on (useful with port 0).
    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().unwrap_or_else(|_| SocketAddr::from(([127, 0, 0, 1], 0)))
    }

    /// What to print at start: the URL and how to sign in.
    pub fn banner(&self) -> &str {
        &self.banner
    }

    /// Serves until Ctrl-C or SIGTERM.
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        self.run_until(crate::shutdown::signal()).await
    }

    /// Serves until `stop` resolves, then finishes in-flight requests and stops the stand-in.
    pub async fn run_until(mut self, stop: impl Future<Output = ()> + Send + 'static) -> anyhow::Result<()> {
        if let (Some(plan), Some(standin)) = (self.history_replay.take(), self.standin.as_mut()) {
            // Deliveries that arrive before `serve` below polls wait in the listener's backlog.
            plan.start(standin);
        }
        let served =
            axum::serve(self.listener, self.router.into_make_service_with_connect_info::<SocketAddr>())
                .with_graceful_shutdown(stop)
                .await;
        // An action whose browser went away still finishes its steps (bounded: each step has
        // the upstream client's timeout).
        if !self.detached.drain(DETACHED_DRAIN).await {
            tracing::warn!("moderation actions were still running at shutdown; their records stay `running`");
        }
        self.session_cleanup.abort();
        self.token_watcher.abort();
        // Items interrupted here are resumed (or reported) by the next start.
        self.job_runner.abort();
        self.timed_bans.abort();
        self.rules_worker.abort();
        // Claimed deliveries whose lease lapses are processed again by the next start.
        self.event_processor.abort();
        for schedule in self.event_schedules {
            schedule.abort();
        }
        self.attempt_flusher.abort();
        self.attempts.flush(true).await;
        if let Some(standin) = self.standin {
            standin.stop().await;
        }
        tracing::info!("console stopped");
        served.context("serving HTTP")
    }
}

/// The background job runner with every module's job kinds registered.
fn job_runner(services: &Services, client: &Arc<Client>) -> backend::jobs::Runner {
    let mut registry = backend::jobs::Registry::new();
    // Each module that owns a job kind registers its handler here (one line each).
    registry.register(Arc::new(backend::moderation::bulk::BulkHandler));
    registry.register(Arc::new(backend::imports::UserImport::new(services.api_key.clone())));
    registry.register(Arc::new(backend::users::bulk::RolesBulkHandler));
    let budget = {
        let client = client.clone();
        Arc::new(move || client.budget_usage())
    };
    backend::jobs::Runner::new(
        services.db.clone(),
        services.upstream.clone(),
        registry,
        backend::jobs::RunnerConfig::default(),
    )
    .with_budget_probe(budget)
}

/// How long shutdown waits for moderation actions still running.
const DETACHED_DRAIN: std::time::Duration = std::time::Duration::from_secs(15);

/// How often the timed-ban scheduler looks for bans that ended.
const TIMED_BAN_TICK: std::time::Duration = std::time::Duration::from_secs(1);

/// How often the rules worker looks for new events.
const RULES_TICK: std::time::Duration = std::time::Duration::from_millis(500);

/// How often the admin-token file's modification time is checked.
const TOKEN_FILE_POLL: std::time::Duration = std::time::Duration::from_secs(3);

/// A rotated token file is a configuration change: audited as done by the system.
async fn audit_token_file_change(db: &sqlx::SqlitePool, before: String, after: String) {
    use backend::audit::{Change, Entry, Outcome, append_change};
    let entry = Entry {
        actor_id: "system",
        actor_role: None,
        action: "admin_token_file_changed",
        target: Some("admin_token"),
        outcome: Outcome::Success,
        request_id: None,
        details: serde_json::json!({}),
    };
    let change = Change {
        reason: Some("the secret file was rotated"),
        before: Some(serde_json::json!({ "fingerprint": before })),
        after: Some(serde_json::json!({ "fingerprint": after })),
        upstream_status: None,
    };
    if let Err(error) = append_change(db, &entry, &change).await {
        tracing::error!(%error, "could not write the audit entry");
    }
}
