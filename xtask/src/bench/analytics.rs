//! The Analytics page's 90-day DAU/MAU read on 10 million stored events
//! (`backend/benches/analytics_dau_mau.rs`), against the brute-force count from the raw events
//! in the same run. `cargo xtask bench --only analytics` runs just this and replaces its
//! section of BENCHMARKS.md.

use crate::cmd;
use anyhow::Context;
use std::{fmt::Write as _, fs, process::Command};

/// `cargo bench` arguments of the analytics benchmark.
const ANALYTICS_BENCH: [&str; 6] = ["bench", "--locked", "-p", "backend", "--bench", "analytics_dau_mau"];

/// The heading that starts this benchmark's section.
pub const HEADING: &str = "## Analytics: 90-day DAU/WAU/MAU";

/// Runs the benchmark (pinned to core 1) with `events` generated events and renders its
/// report section.
pub fn dau_mau(events: u64) -> anyhow::Result<String> {
    let work = cmd::root().join("target").join("bench-analytics");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;
    let output = cmd::output(
        Command::new("taskset")
            .args(["-c", "1", "cargo"])
            .args(ANALYTICS_BENCH)
            .arg("--")
            .arg("--dir")
            .arg(&work)
            .args(["--events", &events.to_string()])
            .current_dir(cmd::root()),
    );
    let _ = fs::remove_dir_all(&work);
    let output = output?;
    let line =
        output.lines().rev().find(|l| l.starts_with('{')).context("no result from analytics_dau_mau")?;
    let r: serde_json::Value = serde_json::from_str(line)?;
    let n = |key: &str| r[key].as_f64().unwrap_or(f64::NAN);
    let mut out = String::new();
    writeln!(out, "\n{HEADING} on {:.0} stored events\n", n("events"))?;
    writeln!(
        out,
        "`backend/benches/analytics_dau_mau.rs` (release, core 1): {:.0} events over {:.0} days from {:.0} users with skewed activity ({:.0} user-days, MAU on the last day {:.0}), generated inside SQLite in {:.1} s plus {:.1} s for the schema's indexes; database {:.2} GB. The page reads the daily rollups (`analytics_daily`, migration 0007); the baseline counts the same numbers from `events` directly.\n",
        n("events"),
        n("days"),
        n("users"),
        n("user_days"),
        n("mau_today"),
        n("generate_ms") / 1e3,
        n("index_ms") / 1e3,
        n("db_bytes") / 1e9
    )?;
    writeln!(out, "| Query | p50 ms | p99 ms |\n|---|---:|---:|")?;
    writeln!(
        out,
        "| 90-day DAU/WAU/MAU from the rollups ({:.0} runs) | {:.2} | {:.2} |",
        n("runs"),
        n("dau_mau_p50_ms"),
        n("dau_mau_p99_ms")
    )?;
    writeln!(
        out,
        "| the whole Analytics report, 90 days, all 10 charts | {:.2} | {:.2} |",
        n("report_p50_ms"),
        n("report_p99_ms")
    )?;
    writeln!(out, "| baseline: 90-day DAU counted from raw events (once) | {:.0} | |", n("raw_dau_90_ms"))?;
    writeln!(out, "| baseline: one day's MAU counted from raw events (once) | {:.0} | |", n("raw_mau_1_ms"))?;
    writeln!(
        out,
        "\nA 90-day MAU series from raw events would repeat the last line 90 times (~{:.0} s). Keeping the rollups: a rebuild from all raw events took {:.1} s; folding in one more day ({:.0} events) took {:.2} s (the background refresher does this every 15 s with whatever arrived). Goal: ≤ 100 ms for the 90-day query.",
        n("raw_mau_1_ms") * 90.0 / 1e3,
        n("rebuild_ms") / 1e3,
        n("refresh_events"),
        n("refresh_ms") / 1e3
    )?;
    writeln!(
        out,
        "\nThe rollups never hold up the webhook intake: a refresh folds {:.0} events per write transaction ({:.0} transactions for that day) and computes DAU/WAU/MAU outside them, each transaction taking its turn at the intake's write gate. A probe that stored a webhook-like delivery every 25 ms the way the intake does (own fully synchronous connection, same gate) waited:\n",
        n("chunk_events"),
        n("refresh_chunks")
    )?;
    writeln!(out, "| While | writes | p50 ms | p99 ms | max ms |\n|---|---:|---:|---:|---:|")?;
    for (what, key) in
        [("folding in one more day", "refresh"), ("the rebuild from all raw events", "rebuild")]
    {
        writeln!(
            out,
            "| {what} | {:.0} | {:.1} | {:.1} | {:.1} |",
            n(&format!("{key}_probe_writes")),
            n(&format!("{key}_probe_p50_ms")),
            n(&format!("{key}_probe_p99_ms")),
            n(&format!("{key}_probe_max_ms"))
        )?;
    }
    let longest = n("refresh_probe_max_ms").max(n("rebuild_probe_max_ms"));
    writeln!(
        out,
        "\nGoal: every wait inside Social+'s 1.5 s delivery timeout — {} (longest {longest:.0} ms).",
        if longest < 1_500.0 { "met" } else { "**not met**" }
    )?;
    Ok(out)
}
