//! `cargo xtask fuzz [--seconds N]`: the property tests of every parser that reads outside
//! bytes, run far longer than `cargo test` runs them.
//!
//! The properties live in `fuzz` test targets and modules (`types/tests/fuzz.rs`,
//! `backend/tests/fuzz.rs`, `upstream/tests/fuzz.rs`, `server/tests/api/fuzz.rs`). Under
//! `cargo test` each runs a quick smoke; here each target's binary is built once and run in
//! rounds with `PROPTEST_CASES` set, every round with fresh random seeds, the count doubling
//! while a round is short, until the target's share of the time is used. A failure stops the
//! run; proptest has then written the shrunk input to the target's `*.proptest-regressions`
//! file, which is replayed first on every later run (commit it with the fix).

use crate::cmd;
use anyhow::Context;
use std::{
    path::PathBuf,
    process::Command,
    time::{Duration, Instant},
};

/// One test binary holding properties.
struct Target {
    /// For the summary.
    name: &'static str,
    /// `cargo test` arguments that build it.
    build: &'static [&'static str],
    /// The test target's name (the binary cargo reports).
    test: &'static str,
    /// Test-name filter passed to the binary (its other tests are not properties).
    filter: Option<&'static str>,
}

const TARGETS: [Target; 4] = [
    Target { name: "types", build: &["-p", "types", "--test", "fuzz"], test: "fuzz", filter: None },
    Target { name: "backend", build: &["-p", "backend", "--test", "fuzz"], test: "fuzz", filter: None },
    Target {
        name: "upstream",
        build: &["-p", "upstream", "--features", "client", "--test", "fuzz"],
        test: "fuzz",
        filter: None,
    },
    Target { name: "server", build: &["-p", "server", "--test", "api"], test: "api", filter: Some("fuzz::") },
];

/// Cases per property in the first round (a test that costs more takes a share of it).
const FIRST_ROUND: u32 = 2_000;
/// Most cases per property in one round.
const MAX_ROUND: u32 = 256_000;

/// Runs every target for its share of `--seconds` (default 120).
pub fn run(args: &[String]) -> anyhow::Result<()> {
    let seconds = match args.iter().position(|a| a == "--seconds") {
        Some(at) => args
            .get(at + 1)
            .and_then(|n| n.parse::<u64>().ok())
            .filter(|n| *n > 0)
            .context("--seconds takes a whole number of seconds, e.g. --seconds 600")?,
        None => 120,
    };
    let binaries = TARGETS.iter().map(build).collect::<anyhow::Result<Vec<PathBuf>>>()?;
    let share = Duration::from_secs(seconds) / u32::try_from(TARGETS.len()).unwrap_or(1);
    let mut summary = Vec::new();
    for (target, binary) in TARGETS.iter().zip(&binaries) {
        let started = Instant::now();
        let (mut cases, mut rounds, mut total) = (FIRST_ROUND, 0u32, 0u64);
        while started.elapsed() < share {
            let round = Instant::now();
            let mut command = Command::new(binary);
            command.env("PROPTEST_CASES", cases.to_string()).args(["--test-threads", "2", "-q"]);
            if let Some(filter) = target.filter {
                command.arg(filter);
            }
            eprintln!("xtask: fuzz {}: round {} with PROPTEST_CASES={cases}", target.name, rounds + 1);
            cmd::run(command.current_dir(cmd::root()))
                .with_context(|| format!("a property of {} failed; its shrunk input is in the target's *.proptest-regressions file", target.name))?;
            rounds += 1;
            total += u64::from(cases);
            let took = round.elapsed();
            let left = share.saturating_sub(started.elapsed());
            if took * 4 < left {
                cases = (cases * 2).min(MAX_ROUND);
            }
        }
        summary.push((target.name, rounds, total, started.elapsed()));
    }
    eprintln!(
        "\nxtask: fuzz summary (PROPTEST_CASES summed over rounds; costly properties run a share of it)"
    );
    for (name, rounds, total, took) in &summary {
        eprintln!("  {name:<10} {rounds:>3} rounds  {total:>9} cases per property  {}", cmd::human(*took));
    }
    Ok(())
}

/// Builds a target's test binary and returns its path.
fn build(target: &Target) -> anyhow::Result<PathBuf> {
    let mut args = vec!["test", "--locked", "--no-run"];
    args.extend_from_slice(target.build);
    cmd::cargo_test_binary(&args, target.test)
}
