//! Runs the Playwright suite against a real server: the dev build, a throw-away data folder,
//! the embedded stand-in, a known bootstrap password and a known stand-in admin token (so
//! the suite can prove the token never reaches the browser). After the run the server's
//! log is scanned for the token too. A viewer session for role tests is written straight
//! into the console database by the `mint_session` example (no HTTP route can do that).
//! A second console signs in through a local OpenID provider (PyPI `oidc-provider-mock`)
//! for `oidc.spec.ts`, and a third runs the stand-in's traffic simulator for
//! `events-simulator.spec.ts`.

use crate::{
    cmd,
    process::{Background, free_port},
    setup,
};
use anyhow::Context;
use std::{fs, path::Path, process::Command, time::Duration};

/// The bootstrap password the suite signs in with.
pub const PASSWORD: &str = "e2e-correct-horse-battery";

/// Starts `server` (a console binary), runs `npx playwright test [playwright_args]`, stops
/// the server.
pub fn run(server: &Path, playwright_args: &[String]) -> anyhow::Result<()> {
    let artifacts = cmd::root().join("end2end").join(".artifacts");
    let _ = fs::remove_dir_all(&artifacts);
    fs::create_dir_all(&artifacts)?;
    let admin_token = format!("standin-admin-token-{}", std::process::id());
    let provider_exe = setup::oidc_provider()?;
    let server_binary = server;
    let server = Server::start(server, &artifacts, &admin_token)?;
    let Rest { sessions, sso, simulator } =
        match start_the_rest(server_binary, &provider_exe, &artifacts, &admin_token) {
            Ok(rest) => rest,
            Err(error) => {
                let _ = server.stop();
                return Err(error);
            }
        };
    let result = cmd::run(
        Command::new("npx")
            .args(["playwright", "test"])
            .args(playwright_args)
            .current_dir(cmd::root().join("end2end"))
            .env("BASE_URL", server.url())
            .env("CONSOLE_TEST_PASSWORD", PASSWORD)
            .env("CONSOLE_TEST_ADMIN_TOKEN", &admin_token)
            // The events and rules specs store exactly known events in it (the simulator
            // console shows real traffic).
            .env("CONSOLE_TEST_DATABASE", artifacts.join("console.sqlite"))
            .envs(sessions.iter().map(|(name, session)| (*name, session)))
            .env("SSO_BASE_URL", sso.console.url())
            .env("SIMULATOR_BASE_URL", simulator.url())
            .env("CHROMIUM_PATH", setup::CHROMIUM),
    );
    let stopped = server.stop();
    let sso_stopped = sso.stop();
    let simulator_stopped = simulator.stop();
    result?;
    stopped?;
    sso_stopped?;
    simulator_stopped?;
    for log in ["server.log", "sso/server.log", "simulator/server.log"] {
        assert_log_free_of(&artifacts.join(log), &admin_token)?;
    }
    Ok(())
}

/// What the suite needs besides the main console.
struct Rest {
    /// Minted sessions by the environment variable the suite reads.
    sessions: Vec<(&'static str, String)>,
    /// The OpenID provider and its console.
    sso: Sso,
    /// The console whose stand-in simulates traffic.
    simulator: Server,
}

/// Mints the sessions and seeds the analytics in the main console's database, starts the
/// OpenID console and the simulator console. Stops what it started when a later step fails.
fn start_the_rest(
    server: &Path,
    provider_exe: &Path,
    artifacts: &Path,
    admin_token: &str,
) -> anyhow::Result<Rest> {
    let sessions = mint_sessions(server, &artifacts.join("console.sqlite"))?;
    seed_analytics(server, &artifacts.join("console.sqlite"))?;
    let sso = Sso::start(provider_exe, server, artifacts, admin_token)?;
    match start_simulator(server, artifacts, admin_token) {
        Ok(simulator) => Ok(Rest { sessions, sso, simulator }),
        Err(error) => {
            let _ = sso.stop();
            Err(error)
        }
    }
}

/// A console whose embedded stand-in simulates member traffic (`standin.simulate_per_second`)
/// and delivers it as signed webhooks to the console's own intake, for
/// `events-simulator.spec.ts`. Its own console, so the traffic leaves the other specs' data
/// alone.
fn start_simulator(server: &Path, artifacts: &Path, admin_token: &str) -> anyhow::Result<Server> {
    let dir = artifacts.join("simulator");
    fs::create_dir_all(&dir)?;
    Server::start_with(server, &dir, admin_token, &[("CONSOLE_STANDIN_SIMULATE_PER_SECOND", "2".to_owned())])
        .context("the simulator console")
}

/// The OpenID provider and a console configured for it (`config/e2e-oidc.toml`).
struct Sso {
    provider: Background,
    console: Server,
}

impl Sso {
    fn start(
        provider_exe: &Path,
        binary: &Path,
        artifacts: &Path,
        admin_token: &str,
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let issuer = format!("http://127.0.0.1:{port}");
        let provider = Background::start(
            Command::new(provider_exe).args([
                "--host",
                "127.0.0.1",
                "--port",
                &port.to_string(),
                "--require-nonce",
                "true",
                "--user-claims",
                r#"{"sub": "alice", "email": "alice@example.com", "name": "Alice Admin", "groups": ["console-admins"]}"#,
            ]),
            &artifacts.join("oidc-provider.log"),
            &format!("{issuer}/.well-known/openid-configuration"),
            Duration::from_secs(60),
        )
        .context("the OpenID provider")?;
        let dir = artifacts.join("sso");
        fs::create_dir_all(&dir)?;
        let console = Server::start_with(
            binary,
            &dir,
            admin_token,
            &[
                ("CONSOLE_ENV", "e2e-oidc".to_owned()),
                ("CONSOLE_OIDC_ISSUER_URL", issuer),
                ("CONSOLE_OIDC_CLIENT_SECRET", format!("e2e-client-secret-{}", std::process::id())),
            ],
        );
        match console {
            Ok(console) => Ok(Self { provider, console }),
            Err(error) => {
                let _ = provider.stop();
                Err(error)
            }
        }
    }

    fn stop(self) -> anyhow::Result<()> {
        let console = self.console.stop();
        // The provider (a Flask development server) may exit with a signal status; the
        // console's clean shutdown is what the suite checks.
        let _ = self.provider.stop();
        console
    }
}

/// Fails when the server's log (stdout and stderr of the whole run) holds `secret`.
fn assert_log_free_of(log: &Path, secret: &str) -> anyhow::Result<()> {
    let text = fs::read_to_string(log).with_context(|| format!("reading {}", log.display()))?;
    anyhow::ensure!(!text.is_empty(), "the server log {} is empty", log.display());
    anyhow::ensure!(!text.contains(secret), "the admin token appears in the server log {}", log.display());
    eprintln!("xtask: the server log ({} lines) does not contain the admin token", text.lines().count());
    Ok(())
}

/// Sessions of made-up accounts for role and teamwork tests, by the environment variable
/// the suite reads (`end2end/tests/fixtures.ts`).
const SESSIONS: [(&str, &str, &str); 4] = [
    ("CONSOLE_TEST_VIEWER_SESSION", "viewer", "e2e-viewer"),
    ("CONSOLE_TEST_MODERATOR_SESSION", "moderator", "e2e-moderator"),
    ("CONSOLE_TEST_MODERATOR2_SESSION", "moderator", "e2e-moderator-2"),
    ("CONSOLE_TEST_SENIOR_SESSION", "senior_moderator", "e2e-senior"),
];

fn mint_sessions(server: &Path, database: &Path) -> anyhow::Result<Vec<(&'static str, String)>> {
    SESSIONS
        .iter()
        .map(|(variable, role, id)| Ok((*variable, mint_session(server, database, role, id)?)))
        .collect()
}

/// Runs the `mint_session` example built next to `server` and returns the session cookie.
fn mint_session(server: &Path, database: &Path, role: &str, id: &str) -> anyhow::Result<String> {
    let tool = server.parent().map(|dir| dir.join("examples").join("mint_session")).context("server path")?;
    let output = Command::new(&tool)
        .arg(database)
        .arg(role)
        .arg(id)
        .output()
        .with_context(|| format!("running {}", tool.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "mint_session failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(String::from_utf8(output.stdout)?.trim().to_owned())
}

/// Stores a few days of events for `analytics.spec.ts` with the `seed_analytics` example.
fn seed_analytics(server: &Path, database: &Path) -> anyhow::Result<()> {
    let tool =
        server.parent().map(|dir| dir.join("examples").join("seed_analytics")).context("server path")?;
    let output =
        Command::new(&tool).arg(database).output().with_context(|| format!("running {}", tool.display()))?;
    anyhow::ensure!(
        output.status.success(),
        "seed_analytics failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    Ok(())
}

/// A console server process for the suite.
pub struct Server {
    process: Background,
    port: u16,
}

impl Server {
    /// Starts `binary` on a free port with data under `dir`.
    pub fn start(binary: &Path, dir: &Path, admin_token: &str) -> anyhow::Result<Self> {
        Self::start_with(binary, dir, admin_token, &[])
    }

    /// Like [`Server::start`], with `CONSOLE_SERVER_PUBLIC_URL` set to its own address and
    /// `env` added (later values win).
    pub fn start_with(
        binary: &Path,
        dir: &Path,
        admin_token: &str,
        env: &[(&str, String)],
    ) -> anyhow::Result<Self> {
        let port = free_port()?;
        let process = Background::start(
            Command::new(binary)
                .current_dir(cmd::root())
                .env("CONSOLE_ENV", "test")
                .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
                .env("CONSOLE_DATABASE_PATH", dir.join("console.sqlite"))
                .env("CONSOLE_STANDIN_DATABASE", dir.join("standin.sqlite"))
                .env("CONSOLE_STANDIN_ADMIN_TOKEN", admin_token)
                .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
                .env("CONSOLE_SERVER_PUBLIC_URL", format!("http://127.0.0.1:{port}"))
                // Every test signs in afresh from 127.0.0.1, dozens a minute; the production
                // limit (10 a minute per address) has its own integration test.
                .env("CONSOLE_ACCESS_SIGN_IN_ATTEMPTS_PER_MINUTE", "600")
                .envs(env.iter().map(|(k, v)| (*k, v.as_str()))),
            &dir.join("server.log"),
            &format!("http://127.0.0.1:{port}/healthz"),
            Duration::from_secs(120),
        )
        .context("the console server")?;
        Ok(Self { process, port })
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Stops the server gracefully.
    pub fn stop(self) -> anyhow::Result<()> {
        self.process.stop().context("the console server")
    }
}
