//! Webhook intake throughput: signed deliveries per second that the release console verifies
//! and commits durably before answering 200, against a no-op HTTP handler (reads the request,
//! answers `200 {}`) in the same run, both on core 0 with the load generator on core 1.
//!
//! Every delivery is a distinct body (so none is deduplicated) signed with the configured
//! secret. After the run the inbox is counted: every acknowledged delivery must be stored.
//! The load generator and the no-op server are this binary run again (`bench-webhook-load`,
//! `bench-noop-server`), so each can be pinned to its core with `taskset`.

use super::PASSWORD;
use crate::{
    cmd,
    process::{Background, free_port},
};
use anyhow::{Context, bail};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use serde_json::json;
use sha2::Sha256;
use std::{
    fmt::Write as _,
    io::{BufRead, BufReader, Read, Write},
    net::{TcpListener, TcpStream},
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

/// The section's heading in BENCHMARKS.md.
pub const HEADING: &str = "## Webhook intake";

const SECRET: &str = "bench-webhook-secret-0123456789abcdef";
const PATH: &str = "/hooks/webhook";
/// Concurrent connections, as a busy network's delivery workers would open.
const CONNECTIONS: usize = 64;
const GOAL_PER_SECOND: f64 = 5_000.0;

/// One load run.
#[derive(Clone, Copy, Debug)]
struct Load {
    ok: u64,
    other: u64,
    per_second: f64,
    p50_ms: f64,
    p99_ms: f64,
    max_ms: f64,
}

/// Runs both measurements and returns the BENCHMARKS.md section.
pub fn intake_throughput(release: &Path, work: &Path, seconds: u64) -> anyhow::Result<String> {
    let me = std::env::current_exe().context("the xtask binary")?;

    let noop_port = free_port()?;
    let noop = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(&me)
            .args(["bench-noop-server", &noop_port.to_string()]),
        &work.join("noop.log"),
        &format!("http://127.0.0.1:{noop_port}/"),
        Duration::from_secs(10),
    )?;
    run_load(&me, noop_port, false, 2)?;
    let baseline = run_load(&me, noop_port, false, seconds)?;
    // It has no graceful shutdown to check; dropping it kills it.
    drop(noop);

    let port = free_port()?;
    let database = work.join("intake.sqlite");
    let _ = std::fs::remove_file(&database);
    let console = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(release.join("server"))
            .current_dir(cmd::root())
            .env("CONSOLE_ENV", "test")
            .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
            .env("CONSOLE_DATABASE_PATH", &database)
            .env("CONSOLE_STANDIN_DATABASE", ":memory:")
            .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
            .env("CONSOLE_WEBHOOK_SECRETS", format!("bench={SECRET}"))
            .env("CONSOLE_WEBHOOKS_EMBEDDED_DELIVERY", "false")
            .env("CONSOLE_LOG_FILTER", "warn"),
        &work.join("intake.log"),
        &format!("http://127.0.0.1:{port}/healthz"),
        Duration::from_secs(120),
    )?;
    let warm = run_load(&me, port, true, 2)?;
    let measured = run_load(&me, port, true, seconds)?;
    console.stop().context("the console")?;
    let stored =
        cmd::output(Command::new("sqlite3").arg(&database).arg("SELECT count(*) FROM webhook_deliveries"))
            .context("counting the inbox with sqlite3")?;
    let stored: u64 = stored.trim().parse().context("sqlite3's count")?;
    let acknowledged = warm.ok + measured.ok;
    if stored != acknowledged {
        bail!("{acknowledged} deliveries were acknowledged but {stored} are stored");
    }
    if measured.other > 0 {
        bail!("{} deliveries were not answered 200", measured.other);
    }

    let mut out = String::new();
    writeln!(out, "\n{HEADING}\n")?;
    writeln!(
        out,
        "`POST {PATH}` with distinct signed `v3.post.didCreate` bodies over {CONNECTIONS} keep-alive \
         connections for {seconds} s. The console (release, core 0) checks the size, verifies \
         `x-amity-signature` (HMAC-SHA256) and the JSON shape, and commits the raw body to \
         `webhook_deliveries` (SQLite WAL, `synchronous = FULL`, group commit) before answering 200; \
         the processor turns deliveries into `events` at the same time. The no-op handler reads the \
         request and answers `200 {{}}` on the same core. Load generator on core 1.\n"
    )?;
    writeln!(out, "| handler | deliveries/s | p50 | p99 | max | ratio to no-op |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|")?;
    for (label, load) in [("no-op (HTTP floor)", baseline), ("verify + durable store", measured)] {
        writeln!(
            out,
            "| {label} | {:.0} | {:.2} ms | {:.2} ms | {:.1} ms | {:.2} |",
            load.per_second,
            load.p50_ms,
            load.p99_ms,
            load.max_ms,
            load.per_second / baseline.per_second.max(1.0)
        )?;
    }
    writeln!(
        out,
        "\nAcknowledged {acknowledged} deliveries (warm-up included), {stored} stored: none lost. \
         Goal ≥ {GOAL_PER_SECOND:.0}/s: {}.",
        if measured.per_second >= GOAL_PER_SECOND { "met" } else { "**not met**" }
    )?;
    Ok(out)
}

fn run_load(me: &Path, port: u16, signed: bool, seconds: u64) -> anyhow::Result<Load> {
    let output = cmd::output(Command::new("taskset").args(["-c", "1"]).arg(me).args([
        "bench-webhook-load",
        &port.to_string(),
        if signed { "signed" } else { "unsigned" },
        &seconds.to_string(),
    ]))?;
    let line = output.lines().rev().find(|l| l.starts_with('{')).context("the load generator's result")?;
    let value: serde_json::Value = serde_json::from_str(line)?;
    let number = |key: &str| value[key].as_f64().with_context(|| format!("`{key}` in {line}"));
    Ok(Load {
        ok: number("ok")? as u64,
        other: number("other")? as u64,
        per_second: number("per_second")?,
        p50_ms: number("p50_ms")?,
        p99_ms: number("p99_ms")?,
        max_ms: number("max_ms")?,
    })
}

fn signature(body: &[u8]) -> anyhow::Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(SECRET.as_bytes())?;
    mac.update(body);
    Ok(base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes()))
}

/// `bench-webhook-load <port> <signed|unsigned> <seconds>`: posts distinct deliveries over
/// [`CONNECTIONS`] connections (one thread each) and prints one JSON line of results.
pub fn load_generator(args: &[String]) -> anyhow::Result<()> {
    let port: u16 = args.first().and_then(|p| p.parse().ok()).context("port")?;
    let signed = args.get(1).map(String::as_str) == Some("signed");
    let seconds: u64 = args.get(2).and_then(|s| s.parse().ok()).context("seconds")?;
    let run = std::process::id();
    let started = Instant::now();
    let deadline = started + Duration::from_secs(seconds);
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|connection| {
            std::thread::spawn(move || -> anyhow::Result<(u64, u64, Vec<f64>)> {
                let stream = TcpStream::connect(("127.0.0.1", port))?;
                stream.set_nodelay(true)?;
                let mut reader = BufReader::new(stream.try_clone()?);
                let mut writer = stream;
                let (mut ok, mut other, mut latencies) = (0, 0, Vec::new());
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let body = json!({"event": "v3.post.didCreate", "data": {"posts": [{
                        "postId": format!("bench-{run}-{connection}-{n}"), "postedUserId": format!("u{}", n % 1000),
                        "targetId": "bench-community", "targetType": "community",
                        "createdAt": "2026-11-26T10:00:00.000Z"}]}})
                    .to_string();
                    let signature = if signed { signature(body.as_bytes())? } else { String::new() };
                    let request = format!(
                        "POST {PATH} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Type: application/json\r\n\
                         x-amity-signature: {signature}\r\nContent-Length: {}\r\n\r\n{body}",
                        body.len()
                    );
                    let sent = Instant::now();
                    writer.write_all(request.as_bytes())?;
                    let status = read_response(&mut reader)?;
                    latencies.push(sent.elapsed().as_secs_f64() * 1000.0);
                    if status == 200 { ok += 1 } else { other += 1 }
                }
                Ok((ok, other, latencies))
            })
        })
        .collect();
    let (mut ok, mut other, mut latencies) = (0u64, 0u64, Vec::new());
    for worker in workers {
        let (o, x, l) = worker.join().map_err(|_| anyhow::anyhow!("a load thread panicked"))??;
        ok += o;
        other += x;
        latencies.extend(l);
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_by(f64::total_cmp);
    let result = json!({
        "ok": ok, "other": other, "per_second": ok as f64 / elapsed,
        "p50_ms": percentile(&latencies, 0.50), "p99_ms": percentile(&latencies, 0.99),
        "max_ms": latencies.last().copied().unwrap_or(0.0),
    });
    println!("{result}");
    Ok(())
}

/// Reads one HTTP/1.1 response with a `Content-Length` body; returns its status.
pub(super) fn read_response(reader: &mut impl BufRead) -> anyhow::Result<u16> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("status `{line}`"))?;
    let length = read_headers(reader)?;
    let mut body = vec![0; length];
    reader.read_exact(&mut body)?;
    Ok(status)
}

/// Reads header lines up to the blank one; returns `Content-Length` (0 when absent).
fn read_headers(reader: &mut impl BufRead) -> anyhow::Result<usize> {
    let mut length = 0;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line)? == 0 {
            bail!("connection closed in the headers");
        }
        let line = line.trim_end();
        if line.is_empty() {
            return Ok(length);
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse()?;
        }
    }
}

/// `bench-noop-server <port>`: answers every HTTP/1.1 request `200 {}` after reading it,
/// one thread per connection.
pub fn noop_server(args: &[String]) -> anyhow::Result<()> {
    let port: u16 = args.first().and_then(|p| p.parse().ok()).context("port")?;
    let listener = TcpListener::bind(("127.0.0.1", port))?;
    for stream in listener.incoming() {
        let stream = stream?;
        std::thread::spawn(move || {
            let _ = serve_connection(stream);
        });
    }
    Ok(())
}

fn serve_connection(stream: TcpStream) -> anyhow::Result<()> {
    stream.set_nodelay(true)?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut writer = stream;
    loop {
        let mut request_line = String::new();
        if reader.read_line(&mut request_line)? == 0 {
            return Ok(());
        }
        let length = read_headers(&mut reader)?;
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        writer
            .write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 2\r\n\r\n{}")?;
    }
}

/// The value at fraction `q` of sorted `values` (nearest rank).
pub(super) fn percentile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * q).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
