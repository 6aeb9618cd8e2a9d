//! The typed client's cost per call over raw reqwest (`upstream/benches/client_overhead.rs`).

use super::TOKEN;
use crate::cmd;
use anyhow::Context;
use std::{fmt::Write as _, process::Command};

/// `cargo bench` arguments of the client-overhead benchmark (`upstream/benches`).
pub const CLIENT_BENCH: [&str; 7] =
    ["bench", "--locked", "-p", "upstream", "--features", "client", "--bench=client_overhead"];

/// Runs the client-overhead benchmark (pinned to core 1, the stand-in keeps core 0) and
/// renders its report section.
pub fn client_overhead(standin_url: &str) -> anyhow::Result<String> {
    let output = cmd::output(
        Command::new("taskset")
            .args(["-c", "1", "cargo"])
            .args(CLIENT_BENCH)
            .args(["--", "--url", standin_url, "--token", TOKEN, "--calls", "4000"])
            .current_dir(cmd::root()),
    )?;
    let line = output.lines().rev().find(|l| l.starts_with('{')).context("no result from client_overhead")?;
    let result: serde_json::Value = serde_json::from_str(line)?;
    let number = |key: &str| result[key].as_f64().unwrap_or(f64::NAN);
    let mut out = String::new();
    writeln!(out, "\n## Client overhead per call vs. raw reqwest\n")?;
    writeln!(
        out,
        "`upstream/benches/client_overhead.rs`: {} sequential `GET /api/v3/users/{{userId}}` calls each way against the stand-in above, in alternating batches of 100 on one kept-alive connection; both sides decode the body into `UserEnvelope`. The client adds request values, the budget check (unlimited here), retry bookkeeping, logging and JSON-path decoding.\n",
        number("calls")
    )?;
    writeln!(out, "| | p50 µs | p99 µs |\n|---|---:|---:|")?;
    writeln!(out, "| raw reqwest | {:.0} | {:.0} |", number("raw_p50_us"), number("raw_p99_us"))?;
    writeln!(
        out,
        "| `upstream::Client` | {:.0} | {:.0} |",
        number("client_p50_us"),
        number("client_p99_us")
    )?;
    writeln!(
        out,
        "\nOverhead at p50: {:.0} µs per call ({:.2}× the raw call).",
        number("overhead_p50_us"),
        number("ratio_p50")
    )?;
    Ok(out)
}
