//! `cargo xtask bench`: measures and writes `BENCHMARKS.md`.
//!
//! * Users page SSR vs. the stand-in's raw `GET /api/v3/users` (the very call the page
//!   makes), in the same run: requests/s and latency percentiles from `wrk`, as ratios.
//!   The console and the stand-in share one core; `wrk` gets the other.
//! * The release hydrate bundle: raw, gzip and brotli sizes.
//! * The typed client's cost per call over raw reqwest, against the same stand-in.
//!
//! * The stand-in's `GET /admin/v1/moderation-feeds` (the queue's first page of 50 open cases)
//!   on the full seed, against the raw users call of the same run.
//!
//! Options: `--users N` (default 100000), `--posts N` (default 1000000), `--seconds S` per
//! measurement (default 10).

use crate::{
    cmd,
    process::{Background, free_port},
    setup, site,
};
use anyhow::{Context, bail};
use base64::Engine as _;
use std::{
    fmt::Write as _,
    fs,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

const TOKEN: &str = "bench-admin-token";
const PASSWORD: &str = "bench-password-0123";

/// One `wrk` result.
#[derive(Clone, Copy, Debug)]
struct Load {
    requests_per_sec: f64,
    p50_ms: f64,
    p90_ms: f64,
    p99_ms: f64,
}

/// Runs every benchmark and writes BENCHMARKS.md.
pub fn all(args: &[String]) -> anyhow::Result<()> {
    let users: u32 = flag(args, "--users").unwrap_or(100_000);
    let posts: u32 = flag(args, "--posts").unwrap_or(1_000_000);
    let seconds: u64 = flag(args, "--seconds").unwrap_or(10);
    setup::wasm_target()?;
    setup::apt_tool("wrk")?;
    site::build(site::Profile::Release)?;
    cmd::cargo(&["build", "--release", "--locked", "-p", "server", "-p", "standin"])?;
    cmd::cargo(&CLIENT_BENCH.iter().copied().chain(["--no-run"]).collect::<Vec<_>>())?;
    let release = cmd::target_dir().join("release");
    let work = cmd::root().join("target").join("bench");
    let _ = fs::remove_dir_all(&work);
    fs::create_dir_all(&work)?;

    // The stand-in runs on its own so wrk can call it directly; the console points at it.
    let standin_port = free_port()?;
    let standin_url = format!("http://127.0.0.1:{standin_port}");
    let seeding = Instant::now();
    let standin = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(release.join("standin"))
            .args([
                "--addr",
                &format!("127.0.0.1:{standin_port}"),
                "--users",
                &users.to_string(),
                "--posts",
                &posts.to_string(),
                "--token",
                TOKEN,
            ])
            .arg("--db")
            .arg(work.join("standin.sqlite")),
        &work.join("standin.log"),
        &format!("{standin_url}/api/v3/users"),
        // Seeding a million posts with their comments, flags and feed takes minutes.
        Duration::from_secs(3600),
    )?;
    let seed_time = seeding.elapsed();

    let console_port = free_port()?;
    let console_url = format!("http://127.0.0.1:{console_port}");
    let console = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(release.join("server"))
            .current_dir(cmd::root())
            .env("CONSOLE_ENV", "test")
            .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{console_port}"))
            .env("CONSOLE_DATABASE_PATH", work.join("console.sqlite"))
            .env("CONSOLE_UPSTREAM_MODE", "region")
            .env("CONSOLE_UPSTREAM_BASE_URL", &standin_url)
            .env("CONSOLE_UPSTREAM_ADMIN_TOKEN", TOKEN)
            // The benchmark measures the console itself; the request budget would cap it.
            .env("CONSOLE_UPSTREAM_BUDGET_PER_SECOND", "0")
            .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
            .env("CONSOLE_BOOTSTRAP_ALLOW_IN_REGION_MODE", "true")
            .env("CONSOLE_LOG_FILTER", "warn"),
        &work.join("console.log"),
        &format!("{console_url}/healthz"),
        Duration::from_secs(60),
    )?;
    let cookie = sign_in(&console_url)?;

    // The exact upstream call the Users page makes (see backend::users::upstream_query).
    let raw_url = format!(
        "{standin_url}/api/v3/users?filter=all&sortBy=displayName&isDeleted=false&options%5Blimit%5D=25"
    );
    let page_url = format!("{console_url}/users");
    let deep_token = deep_page_token(&raw_url, users)?;
    let raw_deep = format!("{raw_url}&options%5Btoken%5D={deep_token}");
    let page_deep = format!("{page_url}?cursor={deep_token}");
    let raw_header = format!("Authorization: Bearer {TOKEN}");
    let page_header = format!("Cookie: {cookie}");

    let mut rows = Vec::new();
    for (label, raw, page) in
        [("first page", &raw_url, &page_url), ("deep page (row ~90 %)", &raw_deep, &page_deep)]
    {
        wrk(raw, &raw_header, 2)?; // warm-up
        wrk(page, &page_header, 2)?;
        let raw_load = wrk(raw, &raw_header, seconds)?;
        let page_load = wrk(page, &page_header, seconds)?;
        rows.push((label, raw_load, page_load));
    }
    let feed = moderation_feed(&standin_url, &raw_url, &raw_header, seconds, users, posts)?;
    let overhead = client_overhead(&standin_url)?;
    console.stop().context("the console")?;
    standin.stop().context("the stand-in")?;

    let sizes = bundle_sizes(&site::site_root().join("pkg"))?;
    let mut report = report(users, posts, seconds, seed_time, &rows, &sizes)?;
    report.push_str(&feed);
    report.push_str(&overhead);
    fs::write(cmd::root().join("BENCHMARKS.md"), &report)?;
    eprintln!("{report}");
    Ok(())
}

/// The moderation queue's upstream call (first page of 50 open cases, most recently flagged
/// first) against the raw users call, in the same run; renders its report section.
fn moderation_feed(
    standin_url: &str,
    raw_users_url: &str,
    header: &str,
    seconds: u64,
    users: u32,
    posts: u32,
) -> anyhow::Result<String> {
    let feed_url =
        format!("{standin_url}/admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&limit=50");
    // One connection: a feed page is slow enough that 16 in parallel would only queue.
    wrk_with(&feed_url, header, 2, 1)?; // warm-up
    let feed = wrk_with(&feed_url, header, seconds, 1)?;
    let users_call = wrk_with(raw_users_url, header, seconds, 1)?;
    let mut out = String::new();
    writeln!(out, "\n## Stand-in moderation feed at {users} users / {posts} posts\n")?;
    writeln!(
        out,
        "`GET /admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&limit=50` (the queue's first page, with its side-loaded posts, comments, users, files and communities) against the users call above, both measured again over one connection right after each other.\n"
    )?;
    writeln!(out, "| Call | req/s | p50 ms | p99 ms |\n|---|---:|---:|---:|")?;
    writeln!(
        out,
        "| `GET /api/v3/users` (25 rows) | {:.0} | {:.2} | {:.2} |",
        users_call.requests_per_sec, users_call.p50_ms, users_call.p99_ms
    )?;
    writeln!(
        out,
        "| moderation feed (50 cases) | {:.0} | {:.2} | {:.2} |",
        feed.requests_per_sec, feed.p50_ms, feed.p99_ms
    )?;
    writeln!(
        out,
        "\nThroughput ratio feed / users: {:.2}.",
        feed.requests_per_sec / users_call.requests_per_sec
    )?;
    Ok(out)
}

/// `cargo bench` arguments of the client-overhead benchmark (`upstream/benches`).
const CLIENT_BENCH: [&str; 7] =
    ["bench", "--locked", "-p", "upstream", "--features", "client", "--bench=client_overhead"];

/// Runs the client-overhead benchmark (pinned to core 1, the stand-in keeps core 0) and
/// renders its report section.
fn client_overhead(standin_url: &str) -> anyhow::Result<String> {
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

fn flag<T: std::str::FromStr>(args: &[String], name: &str) -> Option<T> {
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).and_then(|v| v.parse().ok())
}

/// A paging token about 90 % into the list, as the stand-in issues them.
fn deep_page_token(raw_url: &str, users: u32) -> anyhow::Result<String> {
    let skip = (u64::from(users) * 9 / 10) / 25 * 25;
    let json = format!("{{\"skip\":{skip},\"limit\":25}}");
    let token = base64::engine::general_purpose::STANDARD.encode(json);
    // Check the stand-in accepts it.
    let url = format!("{raw_url}&options%5Btoken%5D={}", percent(&token));
    let agent = ureq::Agent::new_with_defaults();
    let status = agent.get(&url).header("Authorization", &format!("Bearer {TOKEN}")).call()?.status();
    if status != 200 {
        bail!("the stand-in refused the deep paging token ({status})");
    }
    Ok(percent(&token))
}

fn percent(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

fn sign_in(console_url: &str) -> anyhow::Result<String> {
    let agent =
        ureq::Agent::config_builder().max_redirects(0).http_status_as_error(false).build().new_agent();
    let response = agent
        .post(&format!("{console_url}/auth/login"))
        .header("Sec-Fetch-Site", "same-origin")
        .send_form([("username", "admin"), ("password", PASSWORD), ("next", "/users")])?;
    let cookie = response
        .headers()
        .get_all("set-cookie")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with("console_session="))
        .and_then(|v| v.split(';').next())
        .context("no session cookie after sign-in")?
        .to_owned();
    Ok(cookie)
}

/// `wrk` on the second core, 16 connections.
fn wrk(url: &str, header: &str, seconds: u64) -> anyhow::Result<Load> {
    wrk_with(url, header, seconds, 16)
}

/// `wrk` with `connections` concurrent connections; slow answers count up to 30 s.
fn wrk_with(url: &str, header: &str, seconds: u64, connections: u32) -> anyhow::Result<Load> {
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

fn bundle_sizes(pkg: &Path) -> anyhow::Result<Vec<(String, usize, usize, usize)>> {
    let mut sizes = Vec::new();
    for name in [
        format!("{}_bg.wasm", site::OUTPUT_NAME),
        format!("{}.js", site::OUTPUT_NAME),
        format!("{}.css", site::OUTPUT_NAME),
    ] {
        let bytes = fs::read(pkg.join(&name))?;
        sizes.push((name, bytes.len(), site::gzip_bytes(&bytes)?.len(), site::brotli_bytes(&bytes)?.len()));
    }
    Ok(sizes)
}

fn report(
    users: u32,
    posts: u32,
    seconds: u64,
    seed_time: Duration,
    rows: &[(&str, Load, Load)],
    sizes: &[(String, usize, usize, usize)],
) -> anyhow::Result<String> {
    let cpu = fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0);
    let memory = fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|info| {
            info.lines()
                .next()
                .map(|l| l.split_whitespace().nth(1).and_then(|kb| kb.parse::<u64>().ok()).unwrap_or(0))
        })
        .map(|kb| format!("{} GiB", kb / 1024 / 1024))
        .unwrap_or_default();
    let date = cmd::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?.trim().to_owned();
    let rustc = cmd::output(Command::new("rustc").arg("-V").current_dir(cmd::root()))?.trim().to_owned();

    let mut out = String::new();
    writeln!(out, "# Benchmarks\n")?;
    writeln!(out, "Written by `cargo xtask bench` — do not edit by hand; run it again.\n")?;
    writeln!(out, "- Date: {date}")?;
    writeln!(out, "- Machine: {cpu}, {cores} cores, {memory}; {rustc}")?;
    writeln!(out, "- Command: `cargo xtask bench --users {users} --posts {posts} --seconds {seconds}`")?;
    writeln!(
        out,
        "- Setup: release builds; the console and the stand-in pinned to core 0, `wrk -t1 -c16 --latency` on core 1; loopback; {seconds} s per measurement after a 2 s warm-up."
    )?;
    writeln!(
        out,
        "- Data: the stand-in seeded with {users} users and {posts} posts, with their comments, flags and moderation feed (seeding took {:.1} s).\n",
        seed_time.as_secs_f64()
    )?;
    writeln!(out, "## Users page SSR vs. the raw upstream call\n")?;
    writeln!(
        out,
        "The baseline is the stand-in's `GET /api/v3/users` with the exact parameters the page sends (25 rows)."
    )?;
    writeln!(
        out,
        "The page does that call through the console's client, then renders the full HTML with Leptos."
    )?;
    writeln!(out, "Ratios compare the two in the same run, so machine noise mostly cancels.\n")?;
    writeln!(
        out,
        "| Page | Raw upstream req/s | SSR page req/s | Throughput ratio | Raw p50 / p99 ms | SSR p50 / p99 ms | p50 ratio |"
    )?;
    writeln!(out, "|---|---:|---:|---:|---:|---:|---:|")?;
    for (label, raw, page) in rows {
        writeln!(
            out,
            "| {label} | {:.0} | {:.0} | {:.2} | {:.2} / {:.2} | {:.2} / {:.2} | {:.2}× |",
            raw.requests_per_sec,
            page.requests_per_sec,
            page.requests_per_sec / raw.requests_per_sec,
            raw.p50_ms,
            raw.p99_ms,
            page.p50_ms,
            page.p99_ms,
            page.p50_ms / raw.p50_ms,
        )?;
    }
    writeln!(
        out,
        "\n(p90: {})\n",
        rows.iter()
            .map(|(l, r, p)| format!("{l}: raw {:.2} ms, SSR {:.2} ms", r.p90_ms, p.p90_ms))
            .collect::<Vec<_>>()
            .join("; ")
    )?;
    writeln!(out, "## Release hydrate bundle\n")?;
    writeln!(
        out,
        "`cargo xtask site`: profile `wasm-release` (opt-level z, LTO, 1 codegen unit, panic=abort), wasm-bindgen, `wasm-opt -Oz`.\n"
    )?;
    writeln!(out, "| File | Raw | gzip -9 | brotli q11 |")?;
    writeln!(out, "|---|---:|---:|---:|")?;
    for (name, raw, gzip, brotli) in sizes {
        writeln!(out, "| `{name}` | {} KB | {} KB | {} KB |", raw / 1024, gzip / 1024, brotli / 1024)?;
    }
    Ok(out)
}
