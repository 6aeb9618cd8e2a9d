//! `cargo xtask test`: every check CI runs, in order of speed of feedback.

use crate::{cmd, e2e, setup, site};
use std::time::Instant;

/// Format, lints (host and wasm32), the dependency policy, cargo tests (the property tests of
/// the parsers run a quick smoke there; `cargo xtask fuzz` runs them long), end-to-end tests.
pub fn all(args: &[String]) -> anyhow::Result<()> {
    let skip_e2e = args.iter().any(|a| a == "--no-e2e");
    let mut timings = Vec::new();
    let mut step = |name: &'static str, work: &dyn Fn() -> anyhow::Result<()>| -> anyhow::Result<()> {
        let started = Instant::now();
        work()?;
        timings.push((name, started.elapsed()));
        Ok(())
    };
    step("toolchain", &setup::wasm_target)?;
    step("fmt", &|| cmd::cargo(&["fmt", "--all", "--check"]))?;
    step("clippy (server, host)", &|| {
        cmd::cargo(&["clippy", "--locked", "--all-targets", "--", "-D", "warnings"])
    })?;
    step("clippy (wasm32)", &|| {
        cmd::cargo(&[
            "clippy",
            "--locked",
            "-p",
            "frontend",
            "-p",
            "types",
            "-p",
            "upstream",
            "--target",
            "wasm32-unknown-unknown",
            "--",
            "-D",
            "warnings",
        ])
    })?;
    step("dependency policy", &|| {
        setup::cargo_deny()?;
        // Errors in full, warnings only counted (duplicate versions; `cargo deny check bans`
        // lists them with their inclusion graphs).
        cmd::cargo(&["deny", "--log-level", "error", "check", "--show-stats", "licenses", "bans", "sources"])
    })?;
    step("contract coverage", &crate::contract::run)?;
    step("OpenID provider", &|| setup::oidc_provider().map(|_| ()))?;
    step("cargo tests", &|| cmd::cargo(&["test", "--locked"]))?;
    if !skip_e2e {
        step("end-to-end", &|| e2e_only(&[]))?;
    }
    eprintln!("\nxtask: test summary");
    for (name, took) in &timings {
        eprintln!("  {name:<24} {}", cmd::human(*took));
    }
    Ok(())
}

/// Builds the site (the release bundle users get: it is also quicker to build than a
/// debug one) and the server (dev profile, shared with the cargo tests), and runs
/// Playwright against them. `playwright_args` go to `playwright test` as they are, e.g. a
/// spec file or `--grep`, for a quick loop on one feature.
pub fn e2e_only(playwright_args: &[String]) -> anyhow::Result<()> {
    setup::wasm_target()?;
    site::build(site::Profile::Release)?;
    // `--all-targets` resolves features exactly as `cargo test` does, so after the tests this
    // reuses their build instead of compiling crates again with other features.
    let server = cmd::cargo_binary(&["build", "--locked", "--all-targets"], "server")?;
    setup::chromium()?;
    let end2end = cmd::root().join("end2end");
    setup::npm_packages(&end2end)?;
    cmd::run(std::process::Command::new("npx").args(["tsc", "-p", "."]).current_dir(&end2end))?;
    e2e::run(&server, playwright_args)
}
