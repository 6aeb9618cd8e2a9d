//! The machine header, the users-page section and the bundle sizes of BENCHMARKS.md.

use super::wrk::Load;
use crate::{cmd, site};
use std::{fmt::Write as _, fs, path::Path, process::Command, time::Duration};

pub fn bundle_sizes(pkg: &Path) -> anyhow::Result<Vec<(String, usize, usize, usize)>> {
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

pub fn report(
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
