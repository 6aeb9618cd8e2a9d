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
