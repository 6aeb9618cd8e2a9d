//! Sign-in flood: 10,000 `POST /auth/login` attempts with wrong passwords, each from another
//! address of one IPv6 /64 and under another name, against the release console (core 0),
//! while a signed-in admin on another network keeps loading the Users page and signs in
//! again now and then. Measured against the same page loads and sign-ins without the flood,
//! in the same run, and the audit rows the flood added are counted after a graceful stop
//! (which writes the closing summaries).
//!
//! The console sees the TCP peer, and a load generator cannot connect from 10,000 addresses
//! of a /64 on one machine. It connects from 127.0.0.1, configured as the trusted proxy, and
//! names the client in `x-real-ip` (`proxy.client_ip_header`) — exactly what a console
//! behind nginx sees — so the real path runs: client address → /64 → attempt limits →
//! aggregated audit rows. The load generator is this binary run again
//! (`bench-signin-flood`), pinned to core 1.

use super::{PASSWORD, intake::read_response};
use crate::{
    cmd,
    process::{Background, free_port},
};
use anyhow::{Context, bail};
use serde_json::json;
use std::io::{BufRead, Read};
use std::{
    fmt::Write as _,
    io::{BufReader, Write},
    net::TcpStream,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

/// The section's heading in BENCHMARKS.md.
pub const HEADING: &str = "## Sign-in flood";

const ATTEMPTS: u64 = 10_000;
/// Parallel connections, each waiting for its answer before the next attempt, as
/// brute-force tools work.
const CONNECTIONS: u64 = 256;
/// The console answers the first refusals of a network at once (`TARPIT_AFTER` in
/// `server/src/auth/rate_limit.rs`) and later ones a second late; pages measured before this
/// much of the flood had passed are shown apart.
const BURST: Duration = Duration::from_secs(1);
/// The flooding /64 (documentation prefix).
const FLOOD_PREFIX: &str = "2001:db8:f100:d";
/// Page loads measured without the flood.
const QUIET_PAGES: usize = 500;
/// Sign-ins by the admin from another network, before and during the flood. With the one
/// that gets the bench's session, within the name's budget (10 a minute).
const SIGN_INS: usize = 3;
/// Goals: audit rows for the whole flood, and page latency during it against without it.
const MOST_ROWS: u64 = 10;
const MOST_P50_RATIO: f64 = 1.5;

/// Latencies in milliseconds, sorted.
struct Sample(Vec<f64>);

impl Sample {
    fn new(mut values: Vec<f64>) -> Self {
        values.sort_by(f64::total_cmp);
        Self(values)
    }

    fn at(&self, q: f64) -> f64 {
        super::intake::percentile(&self.0, q)
    }

    fn row(&self, label: &str, baseline: Option<&Sample>) -> String {
        let ratio =
            baseline.map_or("1.00".to_owned(), |b| format!("{:.2}", self.at(0.5) / b.at(0.5).max(0.001)));
        format!(
            "| {label} | {:.1} ms | {:.1} ms | {:.1} ms | {:.1} ms | {} | {ratio} |",
            self.at(0.5),
            self.at(0.95),
            self.at(0.99),
            self.0.last().copied().unwrap_or(0.0),
            self.0.len()
        )
    }
}

/// Runs the measurement and returns the BENCHMARKS.md section.
pub fn signin_flood(release: &Path, work: &Path) -> anyhow::Result<String> {
    let me = std::env::current_exe().context("the xtask binary")?;
    let port = free_port()?;
    let url = format!("http://127.0.0.1:{port}");
    let database = work.join("signin-flood.sqlite");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", database.display()));
    }
    let console = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(release.join("server"))
            .current_dir(cmd::root())
            .env("CONSOLE_ENV", "test")
            .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
            .env("CONSOLE_DATABASE_PATH", &database)
            .env("CONSOLE_STANDIN_DATABASE", ":memory:")
            // Pages measure the console; the upstream request budget (10/s) would pace them.
            .env("CONSOLE_UPSTREAM_BUDGET_PER_SECOND", "0")
            .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
            .env("CONSOLE_PROXY_TRUSTED_PROXIES", "[\"127.0.0.1/32\"]")
            .env("CONSOLE_PROXY_CLIENT_IP_HEADER", "x-real-ip")
            .env("CONSOLE_LOG_FILTER", "warn"),
        &work.join("signin-flood.log"),
        &format!("{url}/healthz"),
        Duration::from_secs(120),
    )?;
    let cookie = super::sign_in(&url)?;
    // The admin's browser: one keep-alive connection.
    let mut admin = Connection::open(port)?;
    for _ in 0..50 {
        admin.page(&cookie)?; // warm-up
    }
    let quiet_pages = Sample::new((0..QUIET_PAGES).map(|_| admin.page(&cookie)).collect::<Result<_, _>>()?);
    let quiet_sign_ins = Sample::new((0..SIGN_INS).map(|i| admin.sign_in(i)).collect::<Result<_, _>>()?);
    let rows_before = count(&database, "SELECT coalesce(max(id), 0) FROM audit_log")?;

    let flood = std::thread::spawn({
        let me = me.clone();
        move || {
            cmd::output(Command::new("taskset").args(["-c", "1"]).arg(me).args([
                "bench-signin-flood",
                &port.to_string(),
                &ATTEMPTS.to_string(),
            ]))
        }
    });
    let (mut burst_pages, mut pages, mut sign_ins) = (Vec::new(), Vec::new(), Vec::new());
    let started = Instant::now();
    while !flood.is_finished() {
        let page = admin.page(&cookie)?;
        if started.elapsed() < BURST {
            burst_pages.push(page)
        } else {
            pages.push(page)
        }
        // A sign-in every 5 s, until there were SIGN_INS.
        if sign_ins.len() < SIGN_INS
            && started.elapsed() > Duration::from_secs(5 * (sign_ins.len() as u64 + 1))
        {
            sign_ins.push(admin.sign_in(SIGN_INS + sign_ins.len())?);
        }
    }
    let output = flood.join().map_err(|_| anyhow::anyhow!("the flood thread panicked"))??;
    let line = output.lines().rev().find(|l| l.starts_with('{')).context("the flood's result")?;
    let result: serde_json::Value = serde_json::from_str(line)?;
    let number = |key: &str| result[key].as_f64().with_context(|| format!("`{key}` in {line}"));
    let (seconds, per_second) = (number("seconds")?, number("per_second")?);
    let (refused_303, refused_429, busy_503, other) =
        (number("s303")? as u64, number("s429")? as u64, number("s503")? as u64, number("other")? as u64);
    if other > 0 || refused_303 + refused_429 + busy_503 != ATTEMPTS {
        bail!("unexpected answers to the flood: {line}");
    }
    if sign_ins.len() < SIGN_INS {
        bail!("the flood ended before {SIGN_INS} sign-ins during it; {} were made", sign_ins.len());
    }
    let all_pages = Sample::new(burst_pages.iter().chain(&pages).copied().collect());
    let burst_pages = Sample::new(burst_pages);
    let flood_pages = Sample::new(pages);
    let flood_sign_ins = Sample::new(sign_ins);

    // A graceful stop writes the closing summaries of open episodes.
    console.stop().context("the console")?;
    // The admin's own sign-ins during the flood are audited too; the flood's rows are the
    // refused attempts'.
    let added = count(
        &database,
        &format!("SELECT count(*) FROM audit_log WHERE id > {rows_before} AND actor_id LIKE 'attempt:%'"),
    )?;
    let by_action = cmd::output(Command::new("sqlite3").arg(&database).arg(format!(
        "SELECT action || ' ' || count(*) FROM audit_log WHERE id > {rows_before} \
         AND actor_id LIKE 'attempt:%' GROUP BY action ORDER BY action"
    )))?;
    let counted = count(
        &database,
        &format!(
            "SELECT coalesce(max(json_extract(details, '$.attempts')), 0) FROM audit_log \
             WHERE id > {rows_before} AND action = 'sign_in_attempts'"
        ),
    )?;

    let mut out = String::new();
    writeln!(out, "\n{HEADING}\n")?;
    writeln!(
        out,
        "{ATTEMPTS} `POST /auth/login` attempts with wrong passwords, each under another name and from \
         another address of one IPv6 /64 (`{FLOOD_PREFIX}::/64`), over {CONNECTIONS} keep-alive \
         connections, each sending its next attempt as soon as the last is answered (as brute-force \
         tools do), against the release console (core 0; embedded stand-in; load generator on core \
         1). The addresses reach the console as behind a reverse \
         proxy: the generator connects from 127.0.0.1, the configured trusted proxy, and names the \
         client in `x-real-ip` (`proxy.client_ip_header`), so the real path runs (client address → \
         /64 → attempt limits → aggregated audit rows). Meanwhile a signed-in admin on another \
         network loads the Users page back to back and signs in again {SIGN_INS} times (Argon2id \
         included); the same was measured before the flood in the same run.\n"
    )?;
    writeln!(out, "| other users | p50 | p95 | p99 | max | samples | p50 ratio to quiet |")?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|")?;
    writeln!(out, "{}", quiet_pages.row("Users page, quiet", None))?;
    writeln!(out, "{}", burst_pages.row("Users page, the flood's first second", Some(&quiet_pages)))?;
    writeln!(out, "{}", flood_pages.row("Users page, the rest of the flood", Some(&quiet_pages)))?;
    writeln!(out, "{}", quiet_sign_ins.row("sign-in from another network, quiet", None))?;
    writeln!(
        out,
        "{}",
        flood_sign_ins.row("sign-in from another network, during the flood", Some(&quiet_sign_ins))
    )?;
    let rows_by_action = by_action.trim().lines().collect::<Vec<_>>().join(", ");
    writeln!(
        out,
        "\nThe flood took {seconds:.1} s ({per_second:.0} attempts/s): {refused_303} answered 303 (checked, \
         wrong password), {busy_503} answered 503 (within the /64's budget of 10 a minute, but no \
         password-check slot came free within 250 ms), {refused_429} answered 429 (over the \
         budget: no password check, no row of its own; after the network's first 1,000 refusals \
         each 429 is held for a second, a timer and no CPU, which paces the tool to one attempt \
         per connection and second). Audit \
         rows added by the flood: **{added}** ({rows_by_action}); the last summary counts {counted} \
         attempts. Goals: at most {MOST_ROWS} rows — {}; the Users page's p50 over the whole flood ({:.1} ms) \
         within {MOST_P50_RATIO}× of quiet — {}. A flood that opens more connections than the console \
         holds answers for (1,024), or never waits for answers, is not paced by this: that is a \
         job for the proxy in front.",
        if added <= MOST_ROWS { "met" } else { "**not met**" },
        all_pages.at(0.5),
        if all_pages.at(0.5) <= MOST_P50_RATIO * quiet_pages.at(0.5) { "met" } else { "**not met**" },
    )?;
    Ok(out)
}

fn count(database: &Path, sql: &str) -> anyhow::Result<u64> {
    let text = cmd::output(Command::new("sqlite3").arg(database).arg(sql)).context("sqlite3")?;
    text.trim().parse().with_context(|| format!("sqlite3 answered `{}` to {sql}", text.trim()))
}

/// The admin's keep-alive connection to the console.
struct Connection {
    reader: BufReader<TcpStream>,
    writer: TcpStream,
    port: u16,
}

impl Connection {
    fn open(port: u16) -> anyhow::Result<Self> {
        let writer = TcpStream::connect(("127.0.0.1", port))?;
        writer.set_nodelay(true)?;
        Ok(Self { reader: BufReader::new(writer.try_clone()?), writer, port })
    }

    /// One Users page load by the signed-in admin, body read to the end, in milliseconds.
    fn page(&mut self, cookie: &str) -> anyhow::Result<f64> {
        let started = Instant::now();
        let request =
            format!("GET /users HTTP/1.1\r\nHost: 127.0.0.1:{}\r\nCookie: {cookie}\r\n\r\n", self.port);
        self.writer.write_all(request.as_bytes())?;
        let (status, _) = read_any_response(&mut self.reader)?;
        if status != 200 {
            bail!("the Users page answered {status} for the signed-in admin");
        }
        Ok(started.elapsed().as_secs_f64() * 1000.0)
    }

    /// The admin signs in from `2001:db8:a11:<n>::1` (another network each time), in
    /// milliseconds; a 503 (every password-check slot busy) is retried after its
    /// `Retry-After`, as a person would, and the wait counts.
    fn sign_in(&mut self, n: usize) -> anyhow::Result<f64> {
        let started = Instant::now();
        let body = format!("username=admin&password={PASSWORD}&next=%2Fusers");
        for _ in 0..5 {
            let request = format!(
                "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1:{}\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n\
                 x-real-ip: 2001:db8:a11:{n:x}::1\r\nContent-Length: {}\r\n\r\n{body}",
                self.port,
                body.len()
            );
            self.writer.write_all(request.as_bytes())?;
            let (status, location) = read_any_response(&mut self.reader)?;
            if status == 503 {
                std::thread::sleep(Duration::from_secs(1));
                continue;
            }
            if status != 303 || location != "/users" {
                bail!("the admin's sign-in answered {status} → `{location}`");
            }
            return Ok(started.elapsed().as_secs_f64() * 1000.0);
        }
        bail!("the admin's sign-in was answered 503 five times")
    }
}

/// Reads one HTTP/1.1 response, `Content-Length` or chunked (streamed pages); returns its
/// status and `Location`.
fn read_any_response(reader: &mut BufReader<TcpStream>) -> anyhow::Result<(u16, String)> {
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let status: u16 = line
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .with_context(|| format!("status `{line}`"))?;
    let (mut length, mut chunked, mut location) = (0usize, false, String::new());
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header)? == 0 {
            bail!("connection closed in the headers");
        }
        let header = header.trim_end();
        if header.is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            let value = value.trim();
            match name.to_ascii_lowercase().as_str() {
                "content-length" => length = value.parse()?,
                "transfer-encoding" => chunked = value.eq_ignore_ascii_case("chunked"),
                "location" => location = value.to_owned(),
                _ => {}
            }
        }
    }
    if !chunked {
        let mut body = vec![0; length];
        reader.read_exact(&mut body)?;
        return Ok((status, location));
    }
    loop {
        let mut size = String::new();
        reader.read_line(&mut size)?;
        let size = usize::from_str_radix(size.trim().split(';').next().unwrap_or("0"), 16)?;
        let mut chunk = vec![0; size + 2]; // the data and its CRLF
        reader.read_exact(&mut chunk)?;
        if size == 0 {
            return Ok((status, location));
        }
    }
}

/// `bench-signin-flood <port> <attempts>`: sends the attempts over [`CONNECTIONS`]
/// connections (one thread each) and prints one JSON line of results.
pub fn load_generator(args: &[String]) -> anyhow::Result<()> {
    let port: u16 = args.first().and_then(|p| p.parse().ok()).context("port")?;
    let attempts: u64 = args.get(1).and_then(|s| s.parse().ok()).context("attempts")?;
    let started = Instant::now();
    let workers: Vec<_> = (0..CONNECTIONS)
        .map(|connection| std::thread::spawn(move || flood_connection(port, connection, attempts)))
        .collect();
    let mut counts = [0u64; 4];
    for worker in workers {
        let got = worker.join().map_err(|_| anyhow::anyhow!("a flood thread panicked"))??;
        for (total, n) in counts.iter_mut().zip(got) {
            *total += n;
        }
    }
    let seconds = started.elapsed().as_secs_f64();
    let result = json!({
        "s303": counts[0], "s429": counts[1], "s503": counts[2], "other": counts[3],
        "seconds": seconds, "per_second": attempts as f64 / seconds,
    });
    println!("{result}");
    Ok(())
}

/// Attempts `connection`, `connection + CONNECTIONS`, … below `attempts` on one keep-alive
/// connection; counts 303, 429, 503 and other answers.
fn flood_connection(port: u16, connection: u64, attempts: u64) -> anyhow::Result<[u64; 4]> {
    let mut writer = TcpStream::connect(("127.0.0.1", port))?;
    writer.set_nodelay(true)?;
    let mut reader = BufReader::new(writer.try_clone()?);
    let mut counts = [0u64; 4];
    let mut n = connection;
    while n < attempts {
        let bits = spread(n);
        let address = format!(
            "{FLOOD_PREFIX}:{:x}:{:x}:{:x}:{:x}",
            bits >> 48,
            (bits >> 32) & 0xffff,
            (bits >> 16) & 0xffff,
            bits & 0xffff
        );
        let body = format!("username=guess-{n}&password=wrong-password-{n}&next=%2Fusers");
        let request = format!(
            "POST /auth/login HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n\
             Content-Type: application/x-www-form-urlencoded\r\nSec-Fetch-Site: same-origin\r\n\
             x-real-ip: {address}\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        writer.write_all(request.as_bytes())?;
        let status = read_response(&mut reader)?;
        counts[match status {
            303 => 0,
            429 => 1,
            503 => 2,
            _ => 3,
        }] += 1;
        n += CONNECTIONS;
    }
    Ok(counts)
}

/// Attempt number → 64 well-mixed bits (splitmix64), the interface identifier.
fn spread(n: u64) -> u64 {
    let mut z = n.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}
