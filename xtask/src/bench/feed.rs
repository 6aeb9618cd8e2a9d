//! The moderation queue's upstream call, measured on the full seed.

use super::wrk::wrk_with;
use std::fmt::Write as _;

/// The moderation queue's upstream call (first page of 50 open cases, most recently flagged
/// first) against the raw users call, in the same run; renders its report section.
pub fn moderation_feed(
    standin_url: &str,
    raw_users_url: &str,
    header: &str,
    seconds: u64,
    users: u32,
    posts: u32,
) -> anyhow::Result<String> {
    let feed_url = format!(
        "{standin_url}/admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&options%5Blimit%5D=50"
    );
    // One connection: a feed page is slow enough that 16 in parallel would only queue.
    wrk_with(&feed_url, header, 2, 1)?; // warm-up
    let feed = wrk_with(&feed_url, header, seconds, 1)?;
    let users_call = wrk_with(raw_users_url, header, seconds, 1)?;
    let mut out = String::new();
    writeln!(out, "\n## Stand-in moderation feed at {users} users / {posts} posts\n")?;
    writeln!(
        out,
        "`GET /admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&options[limit]=50` (the queue's first page, with its side-loaded posts, comments, users, files and communities) against the users call above, both measured again over one connection right after each other.\n"
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

/// The Queue page (To review, most flagged first: 50 cases) server-rendered by the console,
/// against the raw moderation-feed call it makes, in the same run; renders its section.
pub fn queue_page(
    console_url: &str,
    cookie: &str,
    standin_url: &str,
    seconds: u64,
) -> anyhow::Result<String> {
    // The exact feed call of `backend::queue::feed_ask` for the default query (100 = the
    // window the console merges from; it shows 50).
    let feed_url = format!(
        "{standin_url}/admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&sortBy%5Btype%5D=flagCount&sortBy%5Border%5D=desc&options%5Blimit%5D=100"
    );
    let raw_header = format!("Authorization: Bearer {}", super::TOKEN);
    let page_url = format!("{console_url}/queue");
    let page_header = format!("Cookie: {cookie}");
    wrk_with(&feed_url, &raw_header, 2, QUEUE_CONNECTIONS)?; // warm-up
    wrk_with(&page_url, &page_header, 2, QUEUE_CONNECTIONS)?;
    let raw = wrk_with(&feed_url, &raw_header, seconds, QUEUE_CONNECTIONS)?;
    let page = wrk_with(&page_url, &page_header, seconds, QUEUE_CONNECTIONS)?;
    let mut out = String::new();
    writeln!(out, "\n## Queue page SSR vs. the raw moderation-feed call\n")?;
    writeln!(
        out,
        "`GET /queue` (To review, most flagged first, 50 cases rendered) against the stand-in's `GET /admin/v1/moderation-feeds?isDeleted=false&isFlagCleared=false&sortBy[type]=flagCount&sortBy[order]=desc&options[limit]=100`, the feed call the page makes. Besides it the page reads flagged users (one call) and merges the per-community sweep of pending posts and flagged messages (cached for 10 s, so a sweep lands in some of the measured requests). {QUEUE_CONNECTIONS} connections.\n"
    )?;
    writeln!(out, "| Call | req/s | p50 ms | p90 ms | p99 ms |\n|---|---:|---:|---:|---:|")?;
    for (label, load) in [("raw feed call (100 items)", raw), ("Queue page SSR (50 cases)", page)] {
        writeln!(
            out,
            "| {label} | {:.0} | {:.2} | {:.2} | {:.2} |",
            load.requests_per_sec, load.p50_ms, load.p90_ms, load.p99_ms
        )?;
    }
    writeln!(
        out,
        "\nThroughput ratio page / raw: {:.2}; p50 ratio {:.2}×.",
        page.requests_per_sec / raw.requests_per_sec,
        page.p50_ms / raw.p50_ms
    )?;
    Ok(out)
}

/// Concurrent connections for the queue measurement: a moderator team, not a crowd.
const QUEUE_CONNECTIONS: u32 = 4;
