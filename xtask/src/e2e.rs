//! Runs the Playwright suite against a real server: the dev build, a throw-away data folder,
//! the embedded stand-in, a known bootstrap password and a known stand-in admin token (so
//! the suite can prove the token never reaches the browser).

use crate::{cmd, setup};
use anyhow::{Context, bail};
use std::{
    fs,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// The bootstrap password the suite signs in with.
pub const PASSWORD: &str = "e2e-correct-horse-battery";

/// Starts `server` (a console binary), runs `npx playwright test`, stops the server.
pub fn run(server: &Path) -> anyhow::Result<()> {
    let artifacts = cmd::root().join("end2end").join(".artifacts");
    let _ = fs::remove_dir_all(&artifacts);
    fs::create_dir_all(&artifacts)?;
    let admin_token = format!("standin-admin-token-{}", std::process::id());
    let server = Server::start(server, &artifacts, &admin_token)?;
    let result = cmd::run(
        Command::new("npx")
            .args(["playwright", "test"])
            .current_dir(cmd::root().join("end2end"))
            .env("BASE_URL", server.url())
            .env("CONSOLE_TEST_PASSWORD", PASSWORD)
            .env("CONSOLE_TEST_ADMIN_TOKEN", &admin_token)
            .env("CHROMIUM_PATH", setup::CHROMIUM),
    );
    let stopped = server.stop();
    result?;
    stopped
}

/// A console server process for the suite.
pub struct Server {
    child: Child,
    port: u16,
    log: PathBuf,
}

impl Server {
    /// Starts `binary` on a free port with data under `dir`.
    pub fn start(binary: &Path, dir: &Path, admin_token: &str) -> anyhow::Result<Self> {
        let port = free_port()?;
        let log = dir.join("server.log");
        let log_file = fs::File::create(&log)?;
        let mut command = Command::new(binary);
        command
            .current_dir(cmd::root())
            .env("CONSOLE_ENV", "test")
            .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
            .env("CONSOLE_DATABASE_PATH", dir.join("console.sqlite"))
            .env("CONSOLE_STANDIN_DATABASE", dir.join("standin.sqlite"))
            .env("CONSOLE_STANDIN_ADMIN_TOKEN", admin_token)
            .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
            .stdout(Stdio::from(log_file.try_clone()?))
            .stderr(Stdio::from(log_file));
        let child = command.spawn().with_context(|| format!("starting {}", binary.display()))?;
        let mut server = Self { child, port, log };
        server.wait_until_healthy()?;
        Ok(server)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn wait_until_healthy(&mut self) -> anyhow::Result<()> {
        let deadline = Instant::now() + Duration::from_secs(120);
        let agent =
            ureq::Agent::config_builder().timeout_global(Some(Duration::from_secs(2))).build().new_agent();
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                bail!("the server exited ({status}) before it was ready; see {}", self.log.display());
            }
            if agent.get(format!("{}/healthz", self.url())).call().is_ok() {
                return Ok(());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        bail!("the server did not become healthy in 120 s; see {}", self.log.display())
    }

    /// Sends SIGTERM and waits for a clean exit (graceful shutdown is part of the contract).
    pub fn stop(mut self) -> anyhow::Result<()> {
        cmd::output(Command::new("kill").args(["-TERM", &self.child.id().to_string()]))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                if status.success() {
                    return Ok(());
                }
                bail!("the server exited with {status} on SIGTERM; see {}", self.log.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        bail!("the server did not stop within 20 s of SIGTERM")
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
