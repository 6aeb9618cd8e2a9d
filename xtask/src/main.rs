//! Project automation, so a fresh machine needs only `cargo`:
//!
//! * `cargo xtask run`   — build in release and start the console with the embedded stand-in.
//! * `cargo xtask test`  — format check, clippy (host and wasm32), all cargo tests, Playwright.
//! * `cargo xtask bench` — benchmarks, written to `BENCHMARKS.md`.
//! * `cargo xtask site [--dev]` — only build the browser bundle into `target/site`.
//! * `cargo xtask e2e [playwright args]` — only the Playwright suite (builds what it needs).
//! * `cargo xtask contract` — which Social+ endpoints are in the spec, the stand-in, the client and tests.
//! * `cargo xtask fuzz [--seconds N]` — the property tests of the parsers of outside bytes, run long.
//!
//! Each installs what it needs (wasm32 target, npm packages, Debian's Chromium) and skips
//! what is already there. The WASM is built without cargo-leptos: cargo, then the
//! `wasm-bindgen-cli-support` library pinned to the same version as the `wasm-bindgen` crate,
//! then `wasm-opt` from npm's `binaryen` for release builds.

mod bench;
mod cmd;
mod contract;
mod e2e;
mod fuzz;
mod process;
mod setup;
mod site;
mod test;

use anyhow::bail;
use std::{process::ExitCode, time::Instant};

fn main() -> ExitCode {
    match dispatch() {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("xtask: error: {error:#}");
            ExitCode::FAILURE
        }
    }
}

fn dispatch() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let started = Instant::now();
    match args.first().map(String::as_str) {
        Some("run") => run(),
        Some("test") => test::all(&args[1..]),
        Some("bench") => bench::all(&args[1..]),
        // Helpers the intake benchmark runs pinned to a core (not for people).
        Some("bench-webhook-load") => bench::intake::load_generator(&args[1..]),
        Some("bench-noop-server") => bench::intake::noop_server(&args[1..]),
        Some("bench-signin-flood") => bench::signin_flood::load_generator(&args[1..]),
        Some("site") => {
            setup::wasm_target()?;
            let profile =
                if args.iter().any(|a| a == "--dev") { site::Profile::Dev } else { site::Profile::Release };
            site::build(profile)
        }
        Some("e2e") => test::e2e_only(&args[1..]),
        Some("contract") => contract::run(),
        Some("fuzz") => fuzz::run(&args[1..]),
        _ => {
            eprintln!(
                "usage: cargo xtask <run | test [--no-e2e] | bench [--users N] [--posts N] [--seconds S] [--only intake|analytics|signin-flood] | site [--dev] | e2e [playwright args] | contract | fuzz [--seconds N]>"
            );
            bail!("unknown or missing command");
        }
    }?;
    eprintln!("xtask: done in {}", cmd::human(started.elapsed()));
    Ok(())
}

/// Builds everything in release and replaces this process with the server.
fn run() -> anyhow::Result<()> {
    let started = Instant::now();
    setup::wasm_target()?;
    site::build(site::Profile::Release)?;
    cmd::cargo(&["build", "--release", "--locked", "-p", "server"])?;
    let server = cmd::target_dir().join("release").join("server");
    eprintln!("xtask: built in {}; starting {}", cmd::human(started.elapsed()), server.display());
    cmd::exec(std::process::Command::new(server).current_dir(cmd::root()))
}
