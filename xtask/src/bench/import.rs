//! CSV import throughput under the request budget: a second console, limited to
//! [`BUDGET_PER_SECOND`] upstream requests per second, imports [`ROWS`] new users into the
//! bench stand-in; the job's own budget report says how many calls it made and waited.

use super::sign_in;
use crate::{cmd, setup};
use anyhow::{Context, bail};
use std::{
    fmt::Write as _,
    path::Path,
    process::Command,
    time::{Duration, Instant},
};

/// The budget the importing console runs under (the default is 10).
const BUDGET_PER_SECOND: u32 = 20;
/// New users in the file.
const ROWS: usize = 150;

/// Runs the import and renders its report section.
pub fn import_throughput(release: &Path, work: &Path, standin_url: &str) -> anyhow::Result<String> {
    setup::apt_tool("sqlite3")?;
    let api_key = cmd::output(
        Command::new("sqlite3")
            .arg(work.join("standin.sqlite"))
            .arg("SELECT api_key FROM network_keys WHERE id = 1"),
    )?
    .trim()
    .to_owned();
    if api_key.is_empty() {
        bail!("the stand-in database has no API key");
    }
    let (console, url) = super::start_console(
        release,
        work,
        "console-import",
        standin_url,
        &[
            ("CONSOLE_UPSTREAM_API_KEY", api_key),
            ("CONSOLE_UPSTREAM_BUDGET_PER_SECOND", BUDGET_PER_SECOND.to_string()),
        ],
    )?;
    let cookie = sign_in(&url)?;
    let run = std::process::id();
    let mut csv = String::from("userId,displayName\n");
    for row in 0..ROWS {
        writeln!(csv, "bench-import-{run}-{row},Bench import {row}")?;
    }
    let agent = ureq::Agent::config_builder().http_status_as_error(false).build().new_agent();
    let started = Instant::now();
    let mut response = agent
        .post(&format!("{url}/api/start_import"))
        .header("Cookie", &cookie)
        .header("Sec-Fetch-Site", "same-origin")
        .header("Origin", &url)
        .header("Accept", "application/json")
        .send_form([("file_name", "bench.csv"), ("csv", csv.as_str())])?;
    let body = response.body_mut().read_to_string()?;
    if response.status() != 200 {
        bail!("start_import answered {}: {body}", response.status());
    }
    let job_id: String = serde_json::from_str(&body).context("start_import's job id")?;
    let job = loop {
        std::thread::sleep(Duration::from_millis(250));
        let mut response = agent
            .post(&format!("{url}/api/get_job"))
            .header("Cookie", &cookie)
            .header("Sec-Fetch-Site", "same-origin")
            .header("Origin", &url)
            .header("Content-Type", "application/json")
            .send(serde_json::json!({ "job_id": job_id }).to_string())?;
        let job: serde_json::Value = serde_json::from_str(&response.body_mut().read_to_string()?)?;
        match job["state"].as_str() {
            Some("done") => break job,
            Some("failed" | "cancelled") => bail!("the import job ended {}: {job}", job["state"]),
            _ if started.elapsed() > Duration::from_secs(600) => bail!("the import took over 10 minutes"),
            _ => {}
        }
    };
    let took = started.elapsed().as_secs_f64();
    console.stop().context("the importing console")?;

    let count = |key: &str| job["counts"][key].as_u64().unwrap_or(0);
    let attempts = job["budget"]["attempts"].as_u64().unwrap_or(0);
    let delayed = job["budget"]["delayed"].as_u64().unwrap_or(0);
    let waited_ms = job["budget"]["waited_ms"].as_u64().unwrap_or(0);
    let rows_per_second = ROWS as f64 / took;
    let calls_per_row = attempts as f64 / ROWS as f64;
    let ceiling = f64::from(BUDGET_PER_SECOND) / calls_per_row;
    let mut out = String::new();
    writeln!(out, "\n## CSV import under the request budget\n")?;
    writeln!(
        out,
        "A second console limited to {BUDGET_PER_SECOND} upstream requests/s imports a CSV of {ROWS} new users (`userId,displayName`) into the bench stand-in: `start_import`, then `get_job` polled until done. The upstream requests are those the job's budget report counted while it ran.\n"
    )?;
    writeln!(out, "| | |\n|---|---:|")?;
    writeln!(out, "| rows done / failed | {} / {} |", count("done"), count("failed"))?;
    writeln!(out, "| wall time (submit → done) | {took:.1} s |")?;
    writeln!(out, "| rows/s | {rows_per_second:.2} |")?;
    writeln!(out, "| upstream requests through the budget | {attempts} ({calls_per_row:.1} per row) |")?;
    writeln!(
        out,
        "| of those delayed by the budget | {delayed} (waited {:.1} s in all) |",
        waited_ms as f64 / 1000.0
    )?;
    writeln!(out, "| budget ceiling = {BUDGET_PER_SECOND} / requests per row | {ceiling:.2} rows/s |")?;
    writeln!(
        out,
        "\nThe import ran at {:.2}× the ceiling the budget allows: the budget, not the console, sets its pace.",
        rows_per_second / ceiling
    )?;
    Ok(out)
}
