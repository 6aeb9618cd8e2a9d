//! `spawn_app()` and one helper per endpoint.

use reqwest::{Response, header};
use secrecy::SecretString;
use serde_json::{Value, json};
use server::{
    config::{Settings, UpstreamMode},
    startup::Application,
};
use std::path::PathBuf;
use tempfile::TempDir;
use types::users::UserListQuery;

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
    _dir: TempDir,
}

/// A console with the embedded stand-in and default test settings.
pub async fn spawn_app() -> TestApp {
    spawn_app_with(|_| {}).await
}

/// A console with test settings changed by `customize`.
pub async fn spawn_app_with(customize: impl FnOnce(&mut Settings)) -> TestApp {
    upstream::ensure_tls_provider();
    let dir = tempfile::tempdir().expect("temp dir");
    let mut settings = Settings::default();
    settings.server.addr = "127.0.0.1:0".into();
    settings.server.leptos_config = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../Leptos.toml");
    settings.database.path = dir.path().join("console.sqlite");
    settings.standin.database = dir.path().join("standin.sqlite");
    settings.standin.users = USERS;
    settings.standin.seed = SEED;
    settings.standin.admin_token = Some(SecretString::from(ADMIN_TOKEN));
    settings.bootstrap.password = Some(SecretString::from(PASSWORD));
    customize(&mut settings);
    let database = settings.database.path.clone();
    let config = settings.validate().expect("valid test configuration");
    let app = Application::build(config).await.expect("the app builds");
    let address = format!("http://{}", app.local_addr());
    tokio::spawn(app.run_until(std::future::pending()));
    let client = reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .expect("client");
    TestApp { address, client, database, _dir: dir }
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
        seed: standin::SeedOptions { users: 50, seed: 1 },
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
