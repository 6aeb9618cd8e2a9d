//! `spawn_app()` and one helper per endpoint.

use reqwest::{Response, header};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::{
    config::{Settings, UpstreamMode},
    startup::Application,
};
use std::{
    path::PathBuf,
    sync::{
        Arc, Mutex, OnceLock,
        atomic::{AtomicUsize, Ordering},
    },
};
use tempfile::TempDir;
use types::{CurrentUser, Role, access::SignInMethod, users::UserListQuery};

/// The bootstrap password of test apps.
pub const PASSWORD: &str = "test-password-0123";
/// The stand-in admin token of test apps.
pub const ADMIN_TOKEN: &str = "integration-test-admin-token";
/// Users generated for test apps.
pub const USERS: u32 = 300;
/// Seed of test apps.
pub const SEED: u64 = 42;

/// A running console.
pub struct TestApp {
    /// `http://127.0.0.1:<port>`.
    pub address: String,
    /// A browser-like client: keeps cookies, does not follow redirects.
    pub client: reqwest::Client,
    /// The console database file.
    pub database: PathBuf,
    /// The client's cookies (tests add sessions created directly in the store).
    pub cookies: Arc<reqwest::cookie::Jar>,
    _dir: TempDir,
}

/// A console with the embedded stand-in and default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A console with test settings changed by `customize`.
pub async fn spawn_app_with(customize: impl FnOnce(&mut Settings)) -> TestApp {
    spawn_app_in(tempfile::tempdir().expect("temp dir"), customize).await
}

/// A console whose files live in `dir` (which may already hold, e.g., a token file).
pub async fn spawn_app_in(dir: TempDir, customize: impl FnOnce(&mut Settings)) -> TestApp {
    upstream::ensure_tls_provider();
    capture_logs();
    let mut settings = Settings::default();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.leptos_config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
    settings.database.path = dir.path().join("console.sqlite");
    settings.standin.database = dir.path().join("standin.sqlite");
    settings.standin.users = USERS;
    settings.standin.seed = SEED;
    // Tests count the events they make; `history.rs` turns the history on.
    settings.standin.history_days = 0;
    settings.standin.admin_token = Some(SecretString::from(ADMIN_TOKEN));
    settings.bootstrap.password = Some(SecretString::from(PASSWORD));
    customize(&mut settings);
    let database = settings.database.path.clone();
    let config = settings.validate().expect("valid test configuration");
    let app = Application::build(config).await.expect("the app builds");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let cookies = Arc::new(reqwest::cookie::Jar::default());
    let client = reqwest::Client::builder()
        .cookie_provider(cookies.clone())
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp { address, client, database, cookies, _dir: dir }
}

/// A free loopback port: bound, read and released, so a test app can know its own URL
/// (OIDC redirect URLs need `server.public_url`) before it starts.
pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("a free port").port()
}

/// A console whose `server.public_url` is its own address, changed by `customize`.
pub async fn spawn_app_with_public_url(customize: impl FnOnce(&mut Settings)) -> TestApp {
    let port = free_port();
    spawn_app_with(move |s| {
        s.server.addr = format!("127.0.0.1:{port}");
        s.server.public_url = Some(format!("http://127.0.0.1:{port}"));
        customize(s);
    })
    .await
}

/// A console in region mode pointed at `base_url` with `admin_token`, bootstrap allowed.
pub async fn spawn_app_against(base_url: &str, admin_token: &str) -> TestApp {
    let (base_url, admin_token) = (base_url.to_owned(), admin_token.to_owned());
    spawn_app_with(move |s| {
        s.upstream.mode = UpstreamMode::Region;
        s.upstream.base_url = Some(base_url);
        s.upstream.admin_token = Some(SecretString::from(admin_token));
        s.bootstrap.allow_in_region_mode = true;
    })
    .await
}

impl TestApp {
    /// `GET path` (no redirects followed).
    pub async fn get(&self, path: &str) -> Response {
        self.client.get(format!("{}{path}", self.address)).send().await.expect("request")
    }

    /// Posts the sign-in form as the console's own page would.
    pub async fn sign_in_as(&self, username: &str, password: &str) -> Response {
        self.post_login(&[("username", username), ("password", password), ("next", "/users")], "same-origin")
            .await
    }

    /// Posts any sign-in form, with the given `Sec-Fetch-Site`.
    pub async fn post_login(&self, form: &[(&str, &str)], fetch_site: &str) -> Response {
        self.client
            .post(format!("{}/auth/login", self.address))
            .header("sec-fetch-site", fetch_site)
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Signs in as the bootstrap admin and checks it worked.
    pub async fn sign_in(&self) {
        let response = self.sign_in_as("admin", PASSWORD).await;
        assert_eq!(response.status(), 303);
        assert_eq!(location(&response), "/users");
    }

    /// Posts the sign-out form.
    pub async fn sign_out(&self) -> Response {
        self.client
            .post(format!("{}/auth/logout", self.address))
            .header("sec-fetch-site", "same-origin")
            .send()
            .await
            .expect("request")
    }

    /// Calls a JSON server function as the hydrated app does.
    pub async fn call(&self, endpoint: &str, body: Value) -> Response {
        self.client
            .post(format!("{}/api/{endpoint}", self.address))
            .header("sec-fetch-site", "same-origin")
            .json(&body)
            .send()
            .await
            .expect("request")
    }

    /// The `list_users` server function.
    pub async fn list_users(&self, query: &UserListQuery) -> Response {
        self.call("list_users", json!({ "query": query })).await
    }

    /// The `get_user` server function.
    pub async fn get_user(&self, user_id: &str) -> Response {
        self.call("get_user", json!({ "user_id": user_id })).await
    }

    /// Signs in as a made-up person with `role` by writing a session straight into the
    /// console's session store and handing its cookie to the client. Only tests can do this:
    /// it needs the database file; there is no HTTP route for it.
    pub async fn sign_in_with_role(&self, role: Role) {
        let user = CurrentUser {
            id: format!("test-{}", role.as_str()),
            display_name: format!("Test {}", role.as_str()),
            role,
            method: SignInMethod::Bootstrap,
        };
        self.sign_in_person(&user, &[]).await;
    }

    /// Signs `user` in the same way, with extra session `data` (e.g. what an OIDC sign-in
    /// keeps); answers the session id.
    pub async fn sign_in_person(&self, user: &CurrentUser, data: &[(&str, Value)]) -> String {
        use tower_sessions::{
            SessionStore,
            session::{Id, Record},
        };
        let store = self.session_store().await;
        let now = time::OffsetDateTime::now_utc();
        let mut record = Record {
            id: Id::default(),
            data: [
                ("user".to_owned(), serde_json::to_value(user).expect("user as JSON")),
                ("signed_in_at".to_owned(), json!(now.unix_timestamp())),
                ("last_seen".to_owned(), json!(now.unix_timestamp())),
            ]
            .into_iter()
            .chain(data.iter().map(|(key, value)| ((*key).to_owned(), value.clone())))
            .collect(),
            expiry_date: now + time::Duration::hours(1),
        };
        store.create(&mut record).await.expect("session stored");
        let url = self.address.parse::<reqwest::Url>().expect("url");
        self.cookies.add_cookie_str(&format!("console_session={}; Path=/", record.id), &url);
        record.id.to_string()
    }

    /// The console's session store.
    pub async fn session_store(&self) -> tower_sessions_sqlx_store::SqliteStore {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", self.database.display()))
            .await
            .expect("the console database opens");
        tower_sessions_sqlx_store::SqliteStore::new(pool)
    }

    /// The client's current session id, if it holds one.
    pub fn session_id(&self) -> Option<String> {
        use reqwest::cookie::CookieStore;
        let url = self.address.parse::<reqwest::Url>().expect("url");
        let cookies = self.cookies.cookies(&url)?;
        cookies.to_str().ok()?.split("; ").find_map(|c| c.strip_prefix("console_session=").map(str::to_owned))
    }

    /// Changes the stored session `id` as if time had passed: `key` (a Unix time in seconds,
    /// such as `signed_in_at`) moves `seconds` into the past.
    pub async fn age_session(&self, id: &str, key: &str, seconds: i64) {
        use tower_sessions::{SessionStore, session::Id};
        let store = self.session_store().await;
        let id: Id = id.parse().expect("a session id");
        let mut record = store.load(&id).await.expect("store").expect("the session exists");
        let at = record.data.get(key).and_then(Value::as_i64).expect("a time in the session");
        record.data.insert(key.to_owned(), json!(at - seconds));
        store.save(&record).await.expect("saved");
    }

    /// The stored session `id`'s data, or `None` when it was deleted.
    pub async fn session_data(&self, id: &str) -> Option<std::collections::HashMap<String, Value>> {
        use tower_sessions::{SessionStore, session::Id};
        let id: Id = id.parse().expect("a session id");
        self.session_store().await.load(&id).await.expect("store").map(|record| record.data)
    }

    /// Posts a form as another site's page would (cross-site fetch metadata and origin).
    pub async fn post_cross_site(&self, path: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}{path}", self.address))
            .header("sec-fetch-site", "cross-site")
            .header(header::ORIGIN, "https://evil.example")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// Posts a form to a server function as the console's own page would.
    pub async fn call_form(&self, endpoint: &str, form: &[(&str, &str)]) -> Response {
        self.client
            .post(format!("{}/api/{endpoint}", self.address))
            .header("sec-fetch-site", "same-origin")
            .header(header::ACCEPT, "application/json")
            .form(form)
            .send()
            .await
            .expect("request")
    }

    /// The session cookie's value, if one is set.
    pub fn session_cookie(&self, response: &Response) -> Option<String> {
        response
            .headers()
            .get_all(header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .find(|v| v.starts_with("console_session="))
            .map(|v| v.split(';').next().unwrap_or_default().to_owned())
    }
}

/// A stand-in of its own (50 users) that accepts only `admin_token`.
pub async fn spawn_standin(admin_token: &str) -> standin::RunningStandIn {
    standin::RunningStandIn::start(standin::StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: admin_token.into(),
        storage: standin::Storage::Memory,
        seed: standin::SeedOptions { users: 50, seed: 1, posts: 200 },
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

/// The `Location` header.
pub fn location(response: &Response) -> String {
    response.headers().get(header::LOCATION).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned()
}

/// The users the stand-in generated for test apps, as the Users page should list them:
/// not deleted, in display-name order.
pub fn expected_users() -> Vec<standin::seed::SeedUser> {
    let mut users: Vec<_> =
        (0..USERS).map(|i| standin::seed::user(SEED, i)).filter(|u| !u.is_deleted).collect();
    users.sort_by(|a, b| {
        (a.display_name.to_lowercase(), &a.user_id).cmp(&(b.display_name.to_lowercase(), &b.user_id))
    });
    users
}

/// Everything every test app has logged so far (all apps share one process-wide buffer).
static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();

fn log_buffer() -> Arc<Mutex<Vec<u8>>> {
    LOGS.get_or_init(|| Arc::new(Mutex::new(Vec::new()))).clone()
}

/// Sends every test app's logs (our crates at `trace`, the rest at `debug`) to [`LOGS`],
/// so tests can prove what never appears in them.
fn capture_logs() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let buffer = log_buffer();
        let _ = tracing_subscriber::fmt()
            .with_env_filter("debug,server=trace,app=trace,backend=trace,upstream=trace,standin=trace")
            .with_ansi(false)
            .with_writer(move || LogWriter(buffer.clone()))
            .try_init();
    });
}

struct LogWriter(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().map_err(|_| std::io::Error::other("log buffer poisoned"))?.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// The captured log text so far.
pub fn captured_logs() -> String {
    String::from_utf8_lossy(&log_buffer().lock().expect("log buffer")).into_owned()
}

/// A stand-in for Social+ that answers every request with 500 and counts them, to prove
/// that a request never reached upstream.
pub struct CountingUpstream {
    /// Its base URL.
    pub base_url: String,
    hits: Arc<AtomicUsize>,
}

impl CountingUpstream {
    /// Starts it on a free loopback port.
    pub async fn start() -> Self {
        let hits = Arc::new(AtomicUsize::new(0));
        let counter = hits.clone();
        let app = axum::Router::new().fallback(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { (axum::http::StatusCode::INTERNAL_SERVER_ERROR, "counting double") }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let base_url = format!("http://{}", listener.local_addr().expect("addr"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        Self { base_url, hits }
    }

    /// Requests it received so far.
    pub fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }
}
