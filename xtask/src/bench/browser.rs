//! A moderation action's round trip measured from a real browser (Debian's Chromium driven by
//! `end2end/bench/action-roundtrip.mjs`), against the console's `/healthz` from the same page.

use super::TOKEN;
use crate::{cmd, setup};
use anyhow::{Context, bail};
use std::{fmt::Write as _, fs, path::Path, process::Command};

/// The goal of issue 5: a moderator's action answers within 100 ms at p95.
const GOAL_P95_MS: f64 = 100.0;

/// Times `calls` keep actions on distinct flagged posts and renders the report section.
pub fn action_round_trip(
    console_url: &str,
    cookie: &str,
    standin_url: &str,
    work: &Path,
    calls: usize,
) -> anyhow::Result<String> {
    setup::chromium()?;
    let end2end = cmd::root().join("end2end");
    setup::npm_packages(&end2end)?;
    let ids = flagged_posts(standin_url, calls)?;
    let ids_file = work.join("action-ids.json");
    fs::write(&ids_file, serde_json::to_string(&ids)?)?;
    let session = cookie.strip_prefix("console_session=").context("the session cookie")?;
    let output = cmd::output(
        Command::new("taskset")
            .args(["-c", "1", "node", "bench/action-roundtrip.mjs", console_url, session])
            .arg(&ids_file)
            .env("CHROMIUM_PATH", setup::CHROMIUM)
            .current_dir(&end2end),
    )?;
    let line = output.lines().rev().find(|l| l.starts_with('{')).context("no result from the browser")?;
    let result: serde_json::Value = serde_json::from_str(line)?;
    let number = |key: &str| result[key].as_f64().unwrap_or(f64::NAN);
    let p95 = number("action_p95_ms");
    let mut out = String::new();
    writeln!(out, "\n## Moderation action round trip from the browser\n")?;
    writeln!(
        out,
        "Debian's Chromium on core 1 opens the Queue page, then calls the `apply_action` server function {} times (keep = clear flags, each on a different flagged post, with a reason), timing `fetch` to the end of the body with `performance.now()`. Each answer's report must show every step succeeded. The console calls the stand-in's `DELETE /admin/v1/contents/flags`, writes the action record and the audit entry before answering. The baseline is `GET /healthz` from the same page in the same loop.\n",
        number("calls")
    )?;
    writeln!(out, "| Call | p50 ms | p95 ms |\n|---|---:|---:|")?;
    writeln!(
        out,
        "| `/healthz` (baseline) | {:.1} | {:.1} |",
        number("health_p50_ms"),
        number("health_p95_ms")
    )?;
    writeln!(out, "| keep action | {:.1} | {p95:.1} |", number("action_p50_ms"))?;
    writeln!(
        out,
        "\nGoal p95 ≤ {GOAL_P95_MS:.0} ms: **{}** ({p95:.1} ms; {:.1}× the baseline's p50 at p50).",
        if p95 <= GOAL_P95_MS { "met" } else { "missed" },
        number("action_p50_ms") / number("health_p50_ms")
    )?;
    Ok(out)
}

/// Public ids of `count` flagged, not yet reviewed posts, from the stand-in's moderation feed.
fn flagged_posts(standin_url: &str, count: usize) -> anyhow::Result<Vec<String>> {
    let agent = ureq::Agent::new_with_defaults();
    let mut ids = Vec::new();
    let mut token: Option<String> = None;
    while ids.len() < count {
        let mut url = format!(
            "{standin_url}/admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&contentTypes%5B%5D=post&options%5Blimit%5D=100"
        );
        if let Some(token) = &token {
            url.push_str(&format!("&options%5Btoken%5D={}", super::percent(token)));
        }
        let text = agent
            .get(&url)
            .header("Authorization", &format!("Bearer {TOKEN}"))
            .call()?
            .body_mut()
            .read_to_string()?;
        let body: serde_json::Value = serde_json::from_str(&text)?;
        let page = body["contents"].as_array().cloned().unwrap_or_default();
        ids.extend(page.iter().filter_map(|c| c["contentPublicId"].as_str().map(str::to_owned)));
        token = body["paging"]["next"].as_str().map(str::to_owned);
        if token.is_none() {
            break;
        }
    }
    if ids.len() < count {
        bail!("the stand-in has only {} flagged posts; {count} are needed", ids.len());
    }
    ids.truncate(count);
    Ok(ids)
}
