//! The history's shape (rhythm, growth, spike) and its agreement with the network's rows.

use super::HistoryOptions;
use crate::{
    Storage, db,
    seed::{SeedOptions, ensure_with},
};
use sqlx::SqlitePool;
use std::collections::BTreeMap;
use time::{OffsetDateTime, macros::datetime};

const END: OffsetDateTime = datetime!(2026-12-07 17:00:00 UTC);

async fn seeded(days: u32) -> SqlitePool {
    let pool = db::open(&Storage::Memory).await.expect("database");
    let options = SeedOptions { users: 1_000, seed: 5, posts: 800 };
    ensure_with(&pool, &options, &HistoryOptions { days, end: Some(END) }).await.expect("seed");
    pool
}

async fn count(pool: &SqlitePool, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(pool).await.expect(sql)
}

/// Events per day (`YYYY-MM-DD` → count) matching a `name LIKE` pattern.
async fn per_day(pool: &SqlitePool, like: &str) -> BTreeMap<String, i64> {
    let rows: Vec<(String, i64)> = sqlx::query_as(
        "SELECT substr(at, 1, 10), count(*) FROM history_events WHERE name LIKE ? GROUP BY 1 ORDER BY 1",
    )
    .bind(like)
    .fetch_all(pool)
    .await
    .expect("per day");
    rows.into_iter().collect()
}

#[tokio::test]
async fn ninety_days_of_history_have_a_weekly_rhythm_growth_and_one_flag_spike() {
    let pool = seeded(90).await;
    let days = per_day(&pool, "%").await;
    assert_eq!(days.len(), 90, "every day has activity");
    assert_eq!(days.keys().next().map(String::as_str), Some("2026-09-09"));
    assert_eq!(days.keys().last().map(String::as_str), Some("2026-12-07"));
    let weekday = |d: &str| {
        time::Date::parse(d, time::macros::format_description!("[year]-[month]-[day]"))
            .expect("date")
            .weekday()
    };
    let mean = |pick: &dyn Fn(&str) -> bool| {
        let picked: Vec<i64> = days.iter().filter(|(d, _)| pick(d)).map(|(_, n)| *n).collect();
        picked.iter().sum::<i64>() as f64 / picked.len() as f64
    };
    let weekend = mean(&|d| matches!(weekday(d), time::Weekday::Saturday | time::Weekday::Sunday));
    let weekdays = mean(&|d| matches!(weekday(d), time::Weekday::Tuesday | time::Weekday::Wednesday));
    assert!(weekdays > 1.25 * weekend, "weekdays {weekdays:.0} vs weekends {weekend:.0}");
    let counts: Vec<i64> = days.values().copied().collect();
    // The last day ends at 17:00, so compare whole weeks before it.
    let (first, last): (i64, i64) = (counts[..28].iter().sum(), counts[61..89].iter().sum());
    assert!(last as f64 > 1.15 * first as f64, "growth: {first} then {last}");

    let flags = per_day(&pool, "%.didFlag").await;
    let mut sorted: Vec<i64> = flags.values().copied().collect();
    sorted.sort_unstable();
    let (median, max) = (sorted[sorted.len() / 2], sorted[sorted.len() - 1]);
    assert!(max >= 4 * median.max(1), "one spike: max {max}, median {median}");
    let spike = flags.iter().max_by_key(|(_, n)| **n).map(|(d, _)| d.clone()).expect("a spike");
    assert_eq!(spike, "2026-11-18", "about three weeks before the end");
    for name in [
        "user.didCreate",
        "v3.post.didCreate",
        "v3.comment.didCreate",
        "v3.post.didAddReaction",
        "v3.community.didJoin",
        "v3.post.didUnflag",
        "v3.post.didDelete",
        "user.didUpdate",
    ] {
        assert!(
            count(&pool, &format!("SELECT count(*) FROM history_events WHERE name = '{name}'")).await > 0,
            "{name}"
        );
    }
}

#[tokio::test]
async fn the_event_log_agrees_with_the_network_it_describes() {
    let pool = seeded(30).await;
    let end = crate::time_fmt::format(END);
    assert_eq!(count(&pool, &format!("SELECT count(*) FROM history_events WHERE at > '{end}'")).await, 0);
    let disordered = count(
        &pool,
        "SELECT count(*) FROM history_events a JOIN history_events b ON b.seq = a.seq + 1 WHERE b.at < a.at",
    )
    .await;
    assert_eq!(disordered, 0, "the log is in time order");
    let checks = [
        (
            "posts created when logged",
            "SELECT count(*) FROM history_events e LEFT JOIN posts p ON p.post_id = e.object_id \
          WHERE e.name = 'v3.post.didCreate' AND (p.created_at IS NULL OR p.created_at != e.at)",
        ),
        (
            "comments created when logged",
            "SELECT count(*) FROM history_events e LEFT JOIN comments c ON c.comment_id = e.object_id \
          WHERE e.name = 'v3.comment.didCreate' AND (c.created_at IS NULL OR c.created_at != e.at)",
        ),
        (
            "users created when logged",
            "SELECT count(*) FROM history_events e LEFT JOIN users u ON u.user_id = e.object_id \
          WHERE e.name = 'user.didCreate' AND (u.created_at IS NULL OR u.created_at != e.at)",
        ),
        (
            "joins are memberships",
            "SELECT count(*) FROM history_events e LEFT JOIN community_members m \
          ON m.community_id = e.object_id AND m.user_id = e.actor_id WHERE e.name = 'v3.community.didJoin' \
          AND (m.created_at IS NULL OR m.created_at != e.at)",
        ),
        (
            "flags counted",
            "SELECT count(*) FROM posts p WHERE p.flag_count != (SELECT count(*) FROM flags f \
          WHERE f.content_type = 'post' AND f.content_id = p.post_id)",
        ),
        (
            "deleted posts are deleted",
            "SELECT count(*) FROM history_events e JOIN posts p ON p.post_id = e.object_id \
          WHERE e.name = 'v3.post.didDelete' AND p.is_deleted = 0",
        ),
        (
            "flagged posts in the feed",
            "SELECT count(*) FROM history_events e LEFT JOIN moderation_feed f \
          ON f.content_id = e.object_id WHERE e.name = 'v3.post.didFlag' AND f.content_id IS NULL",
        ),
        (
            "members counted",
            "SELECT count(*) FROM communities c WHERE c.members_count != (SELECT count(*) \
          FROM community_members m WHERE m.community_id = c.community_id AND m.membership = 'member')",
        ),
        (
            "actors were last seen at or after their events",
            "SELECT count(*) FROM history_events e \
          JOIN users u ON u.user_id = e.actor_id LEFT JOIN user_activity a ON a.user_internal_id = u.internal_id \
          WHERE a.last_active_at IS NULL OR a.last_active_at < e.at",
        ),
    ];
    for (what, sql) in checks {
        assert_eq!(count(&pool, sql).await, 0, "{what}");
    }
    let spammers =
        count(&pool, "SELECT count(*) FROM users WHERE is_global_ban = 1 AND created_at > '2026-11-07'")
            .await;
    assert_eq!(spammers, 3, "the spam wave's accounts end banned");
}

#[tokio::test]
async fn the_same_options_and_end_give_the_same_history_and_no_history_changes_nothing_else() {
    let log = |pool: SqlitePool| async move {
        let rows: Vec<(i64, String, String, String)> =
            sqlx::query_as("SELECT seq, at, name, object_id FROM history_events ORDER BY seq")
                .fetch_all(&pool)
                .await
                .expect("log");
        rows
    };
    let first = log(seeded(14).await).await;
    assert!(first.len() > 500, "{} events in two weeks", first.len());
    assert_eq!(first, log(seeded(14).await).await);
    let none = seeded(0).await;
    assert_eq!(count(&none, "SELECT count(*) FROM history_events").await, 0);
    assert_eq!(count(&none, "SELECT count(*) FROM users").await, 1_000);
}
