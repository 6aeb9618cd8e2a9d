//! `cargo xtask bench`: measures and writes `BENCHMARKS.md`.
//!
//! * Users page SSR vs. the stand-in's raw `GET /api/v3/users` (the very call the page
//!   makes), in the same run: requests/s and latency percentiles from `wrk`, as ratios.
//!   The console and the stand-in share one core; `wrk` gets the other.
//! * The release hydrate bundle: raw, gzip and brotli sizes.
//! * The typed client's cost per call over raw reqwest, against the same stand-in.
//! * The stand-in's `GET /admin/v1/moderation-feeds` (the queue's first page of 50 open cases)
//!   on the full seed, against the raw users call of the same run.
//! * The Queue page SSR (50 cases) vs. the raw feed call it makes.
//! * A moderation action's round trip (keep) timed in Debian's Chromium against `/healthz`.
//!
//! * A CSV import of new users by a console limited by the request budget.
//! * Webhook intake: signed deliveries verified and durably stored per second vs. a no-op
//!   handler (`intake.rs`).
//! * The Analytics page's 90-day DAU/MAU on 10M stored events vs. the raw count
//!   (`analytics.rs`; `--events N` changes the 10M).
//! * A 10,000-attempt sign-in flood from one IPv6 /64: another user's page and sign-in
//!   latency during it vs. without it, and the audit rows it adds (`signin_flood.rs`).
//!
//! Options: `--users N` (default 100000), `--posts N` (default 1000000), `--seconds S` per
//! measurement (default 10), `--only NAME` to run one part (`intake`, `analytics`, `signin-flood`) and replace its section
//! in BENCHMARKS.md (also written to `target/bench/NAME.md`).

mod analytics;
mod browser;
mod client;
mod feed;
mod import;
pub mod intake;
mod report;
pub mod signin_flood;
mod wrk;

use crate::{
    cmd,
    process::{Background, free_port},
    setup, site,
};
use anyhow::{Context, bail};
use base64::Engine as _;
use client::{CLIENT_BENCH, client_overhead};
use feed::moderation_feed;
use report::{bundle_sizes, report};
use std::{
    fs,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};
use wrk::wrk;

const TOKEN: &str = "bench-admin-token";
const PASSWORD: &str = "bench-password-0123";
/// Moderation actions timed from the browser, each on its own flagged post.
const ACTION_CALLS: usize = 300;

/// Runs every benchmark and writes BENCHMARKS.md.
pub fn all(args: &[String]) -> anyhow::Result<()> {
    let users: u32 = flag(args, "--users").unwrap_or(100_000);
    let posts: u32 = flag(args, "--posts").unwrap_or(1_000_000);
    let seconds: u64 = flag(args, "--seconds").unwrap_or(10);
    let events: u64 = flag(args, "--events").unwrap_or(10_000_000);
    if let Some(only) = flag::<String>(args, "--only") {
        return one(&only, seconds, events);
    }
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

    // The benchmark measures the console itself; the request budget would cap it.
    let (console, console_url) = start_console(
        &release,
        &work,
        "console",
        &standin_url,
        &[("CONSOLE_UPSTREAM_BUDGET_PER_SECOND", "0".to_owned())],
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
    let queue = feed::queue_page(&console_url, &cookie, &standin_url, seconds)?;
    let overhead = client_overhead(&standin_url)?;
    // Last: it clears flags, so it changes what the feed measurements read.
    let action = browser::action_round_trip(&console_url, &cookie, &standin_url, &work, ACTION_CALLS)?;
    console.stop().context("the console")?;
    let import = import::import_throughput(&release, &work, &standin_url)?;
    let intake = intake::intake_throughput(&release, &work, seconds)?;
    let flood = signin_flood::signin_flood(&release, &work)?;
    standin.stop().context("the stand-in")?;

    let sizes = bundle_sizes(&site::site_root().join("pkg"))?;
    let mut report = report(users, posts, seconds, seed_time, &rows, &sizes)?;
    report.push_str(&feed);
    report.push_str(&queue);
    report.push_str(&overhead);
    report.push_str(&action);
    report.push_str(&import);
    report.push_str(&intake);
    report.push_str(&flood);
    report.push_str(&analytics::dau_mau(events)?);
    fs::write(cmd::root().join("BENCHMARKS.md"), &report)?;
    eprintln!("{report}");
    Ok(())
}

/// `--only NAME`: builds what that part needs, runs it, prints and keeps its section.
fn one(name: &str, seconds: u64, events: u64) -> anyhow::Result<()> {
    let work = cmd::root().join("target").join("bench");
    fs::create_dir_all(&work)?;
    let release = cmd::target_dir().join("release");
    let (heading, section) = match name {
        "intake" => {
            cmd::cargo(&["build", "--release", "--locked", "-p", "server"])?;
            (intake::HEADING, intake::intake_throughput(&release, &work, seconds)?)
        }
        "analytics" => (analytics::HEADING, analytics::dau_mau(events)?),
        "signin-flood" => {
            cmd::cargo(&["build", "--release", "--locked", "-p", "server"])?;
            (signin_flood::HEADING, signin_flood::signin_flood(&release, &work)?)
        }
        other => bail!("--only {other}: unknown part (known: intake, analytics, signin-flood)"),
    };
    // The header's date is the last whole run's; a part measured alone says when it was.
    let date = cmd::output(Command::new("date").args(["-u", "+%Y-%m-%d %H:%M UTC"]))?.trim().to_owned();
    let section = match section.trim_start_matches('\n').split_once('\n') {
        Some((title, rest)) => {
            format!("\n{title}\n\n_Measured alone with `cargo xtask bench --only {name}` on {date}._\n{rest}")
        }
        None => section,
    };
    fs::write(work.join(format!("{name}.md")), &section)?;
    eprintln!("{section}");
    replace_section(heading, &section)
}

/// Replaces the section starting with `heading` in BENCHMARKS.md (appends it if absent), so
/// one re-measured part updates its numbers without a whole run.
fn replace_section(heading: &str, section: &str) -> anyhow::Result<()> {
    let path = cmd::root().join("BENCHMARKS.md");
    let current = fs::read_to_string(&path).unwrap_or_else(|_| "# Benchmarks\n".to_owned());
    let updated = match current.find(&format!("\n{heading}")) {
        Some(start) => {
            let rest = &current[start + 1..];
            let end = rest.find("\n## ").map_or(current.len(), |i| start + 1 + i);
            format!("{}{}{}", &current[..start], section, &current[end..])
        }
        None => format!("{}{section}", current.trim_end_matches('\n').to_owned() + "\n"),
    };
    fs::write(path, updated)?;
    Ok(())
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

/// A release console on core 0 against the bench stand-in, with its database and log named
/// `name` in `work` and its bootstrap admin password set; `extra` adds variables.
fn start_console(
    release: &Path,
    work: &Path,
    name: &str,
    standin_url: &str,
    extra: &[(&str, String)],
) -> anyhow::Result<(Background, String)> {
    let port = free_port()?;
    let url = format!("http://127.0.0.1:{port}");
    let console = Background::start(
        Command::new("taskset")
            .args(["-c", "0"])
            .arg(release.join("server"))
            .current_dir(cmd::root())
            .env("CONSOLE_ENV", "test")
            .env("CONSOLE_SERVER_ADDR", format!("127.0.0.1:{port}"))
            .env("CONSOLE_DATABASE_PATH", work.join(format!("{name}.sqlite")))
            .env("CONSOLE_UPSTREAM_MODE", "region")
            .env("CONSOLE_UPSTREAM_BASE_URL", standin_url)
            .env("CONSOLE_UPSTREAM_ADMIN_TOKEN", TOKEN)
            .env("CONSOLE_BOOTSTRAP_PASSWORD", PASSWORD)
            .env("CONSOLE_BOOTSTRAP_ALLOW_IN_REGION_MODE", "true")
            .env("CONSOLE_LOG_FILTER", "warn")
            .envs(extra.iter().map(|(key, value)| (*key, value))),
        &work.join(format!("{name}.log")),
        &format!("{url}/healthz"),
        Duration::from_secs(60),
    )?;
    Ok((console, url))
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
