//! Load generation with `wrk` (Debian package) on the second core, and reading its report.

use crate::cmd;
use anyhow::{Context, bail};
use std::process::Command;

/// One `wrk` result.
#[derive(Clone, Copy, Debug)]
pub struct Load {
    pub requests_per_sec: f64,
    pub p50_ms: f64,
    pub p90_ms: f64,
    pub p99_ms: f64,
}

/// `wrk` on the second core, 16 connections.
pub fn wrk(url: &str, header: &str, seconds: u64) -> anyhow::Result<Load> {
    wrk_with(url, header, seconds, 16)
}

/// `wrk` with `connections` concurrent connections; slow answers count up to 30 s.
pub fn wrk_with(url: &str, header: &str, seconds: u64, connections: u32) -> anyhow::Result<Load> {
    let output = cmd::output(Command::new("taskset").args([
        "-c",
        "1",
        "wrk",
        "-t1",
        &format!("-c{connections}"),
        &format!("-d{seconds}s"),
        "--timeout",
        "30s",
        "--latency",
        "-H",
        header,
        url,
    ]))?;
    parse_wrk(&output).with_context(|| format!("reading wrk's output:\n{output}"))
}

fn parse_wrk(output: &str) -> anyhow::Result<Load> {
    let mut load = Load { requests_per_sec: 0.0, p50_ms: 0.0, p90_ms: 0.0, p99_ms: 0.0 };
    for line in output.lines().map(str::trim) {
        let mut parts = line.split_whitespace();
        match (parts.next(), parts.next()) {
            (Some("Requests/sec:"), Some(value)) => load.requests_per_sec = value.parse()?,
            (Some("50%"), Some(value)) => load.p50_ms = millis(value)?,
            (Some("90%"), Some(value)) => load.p90_ms = millis(value)?,
            (Some("99%"), Some(value)) => load.p99_ms = millis(value)?,
            _ => {}
        }
        if line.starts_with("Non-2xx or 3xx responses") {
            bail!("wrk saw error responses: {line}");
        }
    }
    if load.requests_per_sec == 0.0 {
        bail!("no Requests/sec line");
    }
    Ok(load)
}

fn millis(value: &str) -> anyhow::Result<f64> {
    let (number, unit) = value.split_at(value.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(value.len()));
    let number: f64 = number.parse()?;
    Ok(match unit {
        "us" => number / 1000.0,
        "ms" => number,
        "s" => number * 1000.0,
        other => bail!("unknown unit {other}"),
    })
}
