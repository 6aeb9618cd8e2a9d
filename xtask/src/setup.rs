//! Installing what the commands need, skipping what is there.

use crate::cmd;
use anyhow::{Context, bail};
use std::{path::Path, process::Command};

/// The wasm32 target of the pinned toolchain.
pub fn wasm_target() -> anyhow::Result<()> {
    let installed =
        cmd::output(Command::new("rustup").args(["target", "list", "--installed"]).current_dir(cmd::root()))?;
    if installed.lines().any(|line| line.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    cmd::run(Command::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]))
}

/// `npm ci` in `dir` unless `node_modules` is already up to date with the lock file.
pub fn npm_packages(dir: &Path) -> anyhow::Result<()> {
    if !cmd::on_path("npm") {
        bail!("npm is not installed; install Node.js and npm (Debian: apt-get install nodejs npm)");
    }
    let lock = dir.join("package-lock.json");
    let installed = dir.join("node_modules").join(".package-lock.json");
    let fresh = match (std::fs::metadata(&lock), std::fs::metadata(&installed)) {
        (Ok(lock), Ok(installed)) => match (lock.modified(), installed.modified()) {
            (Ok(lock), Ok(installed)) => installed >= lock,
            _ => false,
        },
        _ => false,
    };
    if fresh {
        return Ok(());
    }
    cmd::run(Command::new("npm").args(["ci", "--no-audit", "--no-fund"]).current_dir(dir))
}

/// Debian's Chromium, for Playwright (browser downloads are not possible here).
pub fn chromium() -> anyhow::Result<()> {
    apt_package("chromium", CHROMIUM)
}

/// A command-line tool from Debian's package of the same name (e.g. `wrk`).
pub fn apt_tool(name: &str) -> anyhow::Result<()> {
    apt_package(name, &format!("/usr/bin/{name}"))
}

/// Installs `package` with apt unless `installed_path` exists.
fn apt_package(package: &str, installed_path: &str) -> anyhow::Result<()> {
    if Path::new(installed_path).is_file() {
        return Ok(());
    }
    let as_root = cmd::output(Command::new("id").arg("-u")).map(|uid| uid.trim() == "0").unwrap_or(false);
    let apt = |args: &[&str]| {
        let mut command = if as_root {
            Command::new("apt-get")
        } else {
            let mut sudo = Command::new("sudo");
            sudo.args(["-n", "apt-get"]);
            sudo
        };
        command.args(args).env("DEBIAN_FRONTEND", "noninteractive");
        cmd::run(&mut command)
    };
    apt(&["update", "-q"]).context("apt-get update (needs root or passwordless sudo)")?;
    apt(&["install", "-y", "-q", "--no-install-recommends", package])?;
    if !Path::new(installed_path).is_file() {
        bail!("{package} was installed but {installed_path} is missing");
    }
    Ok(())
}

/// Where Debian puts Chromium.
pub const CHROMIUM: &str = "/usr/bin/chromium";

/// The version of PyPI `oidc-provider-mock`, the real OpenID provider of the sign-in tests.
const OIDC_PROVIDER_MOCK: &str = "oidc-provider-mock==0.3.4";

/// `<target>/oidc-venv/bin/oidc-provider-mock`, installed into a Python venv unless present.
/// The tests find it there (or at `OIDC_PROVIDER_MOCK`).
pub fn oidc_provider() -> anyhow::Result<std::path::PathBuf> {
    let venv = cmd::target_dir().join("oidc-venv");
    let executable = venv.join("bin").join("oidc-provider-mock");
    if executable.is_file() {
        return Ok(executable);
    }
    if !cmd::on_path("python3") {
        bail!(
            "python3 is not installed; the OIDC tests need it (Debian: apt-get install python3 python3-venv)"
        );
    }
    cmd::run(Command::new("python3").args(["-m", "venv"]).arg(&venv)).context("creating the Python venv")?;
    cmd::run(Command::new(venv.join("bin").join("pip")).args(["install", "-q", OIDC_PROVIDER_MOCK]))
        .context("installing oidc-provider-mock")?;
    if !executable.is_file() {
        bail!("oidc-provider-mock was installed but {} is missing", executable.display());
    }
    Ok(executable)
}

/// The cargo-deny release the dependency policy (`deny.toml`) is written for.
const CARGO_DENY: &str = "0.20.2";

/// `cargo deny`, installed with `cargo install --locked` into `$CARGO_HOME/bin` unless a
/// `cargo-deny` is already there (a fresh machine pays ~5 min of compiling once).
pub fn cargo_deny() -> anyhow::Result<()> {
    let present = Command::new(cmd::cargo_bin())
        .args(["deny", "--version"])
        .output()
        .is_ok_and(|out| out.status.success());
    if present {
        return Ok(());
    }
    eprintln!("xtask: cargo-deny is missing; installing it once (about 5 minutes on 2 cores)");
    // Its own build directory, not the workspace's target dir: `cargo install` would otherwise
    // rebuild shared dependencies with the release profile in the same place.
    let build_dir = std::env::temp_dir().join("xtask-cargo-deny-build");
    cmd::run(
        Command::new(cmd::cargo_bin())
            .args(["install", "--locked", "cargo-deny", "--version", CARGO_DENY])
            .env("CARGO_TARGET_DIR", &build_dir),
    )
    .context("installing cargo-deny")?;
    let _ = std::fs::remove_dir_all(&build_dir);
    Ok(())
}
