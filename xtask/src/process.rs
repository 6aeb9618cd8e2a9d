//! Servers started for a run (the console for Playwright, the console and the stand-in for
//! benchmarks): output to a log file, wait until they answer, stop them gracefully.

use crate::cmd;
use anyhow::{Context, bail};
use std::{
    fs,
    net::TcpListener,
    path::{Path, PathBuf},
    process::{Child, Command, Stdio},
    time::{Duration, Instant},
};

/// A server process running in the background.
pub struct Background {
    child: Child,
    log: PathBuf,
}

impl Background {
    /// Spawns `command` with its output in `log` and waits until `ready_url` answers (any
    /// HTTP status means it is listening), for at most `wait`.
    pub fn start(command: &mut Command, log: &Path, ready_url: &str, wait: Duration) -> anyhow::Result<Self> {
        let file = fs::File::create(log).with_context(|| format!("creating {}", log.display()))?;
        let child = command
            .stdout(Stdio::from(file.try_clone()?))
            .stderr(Stdio::from(file))
            .spawn()
            .with_context(|| format!("starting {}", command.get_program().to_string_lossy()))?;
        let mut process = Self { child, log: log.to_path_buf() };
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(Duration::from_secs(2)))
            .http_status_as_error(false)
            .build()
            .new_agent();
        let deadline = Instant::now() + wait;
        while Instant::now() < deadline {
            if let Some(status) = process.child.try_wait()? {
                bail!("it exited ({status}) before {ready_url} answered; see {}", log.display());
            }
            if agent.get(ready_url).call().is_ok() {
                return Ok(process);
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        let _ = process.child.kill();
        bail!("{ready_url} did not answer within {wait:?}; see {}", log.display())
    }

    /// Sends SIGTERM and requires a clean exit within 20 s (graceful shutdown is part of
    /// the contract of both servers).
    pub fn stop(mut self) -> anyhow::Result<()> {
        cmd::output(Command::new("kill").args(["-TERM", &self.child.id().to_string()]))?;
        let deadline = Instant::now() + Duration::from_secs(20);
        while Instant::now() < deadline {
            if let Some(status) = self.child.try_wait()? {
                if status.success() {
                    return Ok(());
                }
                bail!("it exited with {status} on SIGTERM; see {}", self.log.display());
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        let _ = self.child.kill();
        bail!("it did not stop within 20 s of SIGTERM; see {}", self.log.display())
    }
}

/// A measurement or test that fails returns early without calling [`Background::stop`]; the
/// server must not outlive the run (a leftover release server slowed later test runs into
/// timeouts), so it is killed here.
impl Drop for Background {
    fn drop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// A port nobody listens on right now.
pub fn free_port() -> anyhow::Result<u16> {
    Ok(TcpListener::bind("127.0.0.1:0")?.local_addr()?.port())
}
