//! The Analytics page's charts for a range and granularity, read from the rollups (a 90-day
//! range is 90 rows of `analytics_daily`, plus small grouped reads for the rankings).

use std::collections::HashMap;
use types::analytics::{
    AnalyticsQuery, AnalyticsView, Chart, ChartKind, Granularity, MAX_RANGE_DAYS, RebuildProgress, Series,
    day::{self, DAY_MS},
};

/// How many names a ranking lists.
pub const RANKING_SIZE: i64 = 10;

/// Why a report could not be made.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// The range is malformed.
    #[error("{field}: {message}")]
    Invalid {
        /// Which field.
        field: &'static str,
        /// What is wrong.
        message: String,
    },
    /// The database failed.
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
}

/// The first and last day of the range `query` asks for, defaults applied.
pub fn resolve_range(query: &AnalyticsQuery, today: i64) -> Result<(i64, i64), ReportError> {
    let date = |field: &'static str, text: &str| -> Result<Option<i64>, ReportError> {
        if text.trim().is_empty() {
            return Ok(None);
        }
        day::parse(text)
            .map(Some)
            .ok_or_else(|| ReportError::Invalid { field, message: "Use a date like 2026-01-31.".into() })
    };
    let to = date("to", &query.to)?.unwrap_or(today);
    let default_days = match query.granularity {
        Granularity::Daily => 30,
        Granularity::Weekly => 84,
    };
    let from = date("from", &query.from)?.unwrap_or(to - default_days + 1);
    if from > to {
        return Err(ReportError::Invalid {
            field: "from",
            message: "The range starts after it ends.".into(),
        });
    }
    if to - from + 1 > MAX_RANGE_DAYS {
        return Err(ReportError::Invalid {
            field: "from",
            message: format!("A range covers at most {MAX_RANGE_DAYS} days."),
        });
    }
    Ok((from, to))
}

/// One row of `analytics_daily`.
#[derive(Clone, Copy, Debug, Default, sqlx::FromRow)]
struct Daily {
    dau: i64,
    wau: i64,
    mau: i64,
    new_users: i64,
    posts: i64,
    comments: i64,
    messages: i64,
    reactions: i64,
    flags: i64,
    backlog: i64,
}

/// The charts for `query`, `today` being the default end of the range.
pub async fn report(
    db: &sqlx::SqlitePool,
    query: &AnalyticsQuery,
    today: i64,
) -> Result<AnalyticsView, ReportError> {
    let (from, to) = resolve_range(query, today)?;
    // The state first: a rebuild clears its mark in the same transaction that writes its last
    // rollups, so once this reads "no rebuild" the charts read below are complete. Read after
    // them, it could say "over" next to charts read while the rollups were still empty.
    let (events_counted, refreshed_at, rebuild_requested, rebuild_target): (
        i64,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    ) = sqlx::query_as(
        "SELECT last_event_id, refreshed_at, rebuild_requested_at, rebuild_target FROM analytics_state \
         WHERE id = 1",
    )
    .fetch_one(db)
    .await?;
    let buckets = buckets(from, to, query.granularity);
    let rows: Vec<(i64, Daily)> = sqlx::query_as::<_, DailyRow>(
        "SELECT day, dau, wau, mau, new_users, posts, comments, messages, reactions, flags, backlog \
         FROM analytics_daily WHERE day >= ? AND day <= ?",
    )
    .bind(from)
    .bind(to)
    .fetch_all(db)
    .await?
    .into_iter()
    .map(DailyRow::split)
    .collect();
    let daily: HashMap<i64, Daily> = rows.into_iter().collect();
    let on = |d: i64| daily.get(&d).copied().unwrap_or_default();
    let sum = |field: fn(&Daily) -> i64| -> Vec<Option<f64>> {
        buckets.iter().map(|(a, b)| Some(count((*a..=*b).map(|d| field(&on(d))).sum()))).collect()
    };
    let at_end = |field: fn(&Daily) -> i64| -> Vec<Option<f64>> {
        buckets.iter().map(|(_, b)| Some(count(field(&on(*b))))).collect()
    };
    let mean = |field: fn(&Daily) -> i64| -> Vec<Option<f64>> {
        buckets
            .iter()
            .map(|(a, b)| {
                let total: i64 = (*a..=*b).map(|d| field(&on(d))).sum();
                Some(tenths(count(total) / count(b - a + 1)))
            })
            .collect()
    };
    let weekly = query.granularity == Granularity::Weekly;
    let labels: Vec<String> = buckets.iter().map(|(a, _)| day::format(*a)).collect();
    let time_chart = |id: &str, title: &str, definition: &str, series: Vec<Series>| Chart {
        id: id.into(),
        title: title.into(),
        definition: definition.into(),
        kind: ChartKind::Time,
        label_heading: if weekly { "week_from".into() } else { "date".into() },
        labels: labels.clone(),
        series,
    };
    let series = |name: &str, values: Vec<Option<f64>>| Series { name: name.into(), values };

    let actions_per_day = moderation_per_day(db, from, to).await?;
    let actions: Vec<Option<f64>> = buckets
        .iter()
        .map(|(a, b)| Some(count((*a..=*b).map(|d| actions_per_day.get(&d).copied().unwrap_or(0)).sum())))
        .collect();
    let medians = median_hours(db, &buckets).await?;

    let dau_definition = if weekly {
        "Distinct users with any activity (an event they caused) in the day (DAU, averaged over the week), in the 7 days (WAU) and in the 30 days (MAU) up to the week's last day in the range."
    } else {
        "Distinct users with any activity (an event they caused: a post, comment, message, reaction, flag, join…) in the day (DAU), in the 7 days (WAU) and in the 30 days (MAU) ending that day."
    };
    let charts = vec![
        time_chart(
            "active_users",
            "Active users",
            dau_definition,
            vec![
                series("DAU", if weekly { mean(|d| d.dau) } else { sum(|d| d.dau) }),
                series("WAU", at_end(|d| d.wau)),
                series("MAU", at_end(|d| d.mau)),
            ],
        ),
        time_chart(
            "new_users",
            "New users",
            "Users created (from the backfill of the users list: Social+ sends no webhook for it).",
            vec![series("New users", sum(|d| d.new_users))],
        ),
        time_chart(
            "content",
            "Content",
            "Posts, comments (replies included), chat messages and reactions created.",
            vec![
                series("Posts", sum(|d| d.posts)),
                series("Comments", sum(|d| d.comments)),
                series("Messages", sum(|d| d.messages)),
                series("Reactions", sum(|d| d.reactions)),
            ],
        ),
        time_chart(
            "flags",
            "Flags",
            "Flags raised by members on posts, comments, messages and users.",
            vec![series("Flags", sum(|d| d.flags))],
        ),
        time_chart(
            "moderation_actions",
            "Moderation actions",
            "Actions taken from the console that were applied (fully or in part), one per action request.",
            vec![series("Actions", actions)],
        ),
        time_chart(
            "backlog",
            "Open backlog",
            "Flagged cases still open at the end of the period: flagged and not yet acted on, unflagged, deleted, approved or declined.",
            vec![series("Open cases", at_end(|d| d.backlog))],
        ),
        time_chart(
            "time_to_action",
            "Median time to action",
            "For the cases closed in the period: the median time from a case's first flag to the first action that closed it, in hours.",
            vec![series("Median hours", medians)],
        ),
        ranking(
            "moderators",
            "Actions per moderator",
            "Applied console actions in the range, by the moderator who took them.",
            "moderator",
            "Actions",
            moderators(db, from, to).await?,
        ),
        ranking(
            "flagged_communities",
            "Most flagged communities",
            "Flags raised in the range on content in each community.",
            "community",
            "Flags",
            top_flagged(db, "community", from, to).await?,
        ),
        ranking(
            "flagged_users",
            "Most flagged users",
            "Flags raised in the range on each user or on content they wrote.",
            "user",
            "Flags",
            top_flagged(db, "user", from, to).await?,
        ),
    ];
    let rebuild = match (rebuild_requested, rebuild_target) {
        (_, Some(of)) => Some(RebuildProgress { read: events_counted, of }),
        (Some(_), None) => Some(RebuildProgress { read: 0, of: 0 }),
        (None, None) => None,
    };
    Ok(AnalyticsView {
        from: day::format(from),
        to: day::format(to),
        granularity: query.granularity,
        refreshed_at: refreshed_at.map(rfc3339),
        events_counted,
        charts,
        rebuild,
        may_rebuild: false,
    })
}

#[derive(sqlx::FromRow)]
struct DailyRow {
    day: i64,
    #[sqlx(flatten)]
    values: Daily,
}

impl DailyRow {
    fn split(self) -> (i64, Daily) {
        (self.day, self.values)
    }
}

/// The buckets of `from..=to`: single days, or ISO weeks cut to the range.
pub fn buckets(from: i64, to: i64, granularity: Granularity) -> Vec<(i64, i64)> {
    match granularity {
        Granularity::Daily => (from..=to).map(|d| (d, d)).collect(),
        Granularity::Weekly => {
            let mut out = Vec::new();
            let mut start = from;
            while start <= to {
                let end = (day::week_start(start) + 6).min(to);
                out.push((start, end));
                start = end + 1;
            }
            out
        }
    }
}

fn ranking(
    id: &str,
    title: &str,
    definition: &str,
    label_heading: &str,
    series: &str,
    rows: Vec<(String, i64)>,
) -> Chart {
    Chart {
        id: id.into(),
        title: title.into(),
        definition: definition.into(),
        kind: ChartKind::Ranking,
        label_heading: label_heading.into(),
        labels: rows.iter().map(|(label, _)| label.clone()).collect(),
        series: vec![Series {
            name: series.into(),
            values: rows.iter().map(|(_, n)| Some(count(*n))).collect(),
        }],
    }
}

/// Applied console actions per UTC day.
async fn moderation_per_day(
    db: &sqlx::SqlitePool,
    from: i64,
    to: i64,
) -> Result<HashMap<i64, i64>, sqlx::Error> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT at_unix / 86400, COUNT(*) FROM moderation_actions \
         WHERE at_unix >= ? AND at_unix < ? AND outcome IN ('applied', 'partial') GROUP BY 1",
    )
    .bind(from * 86_400)
    .bind((to + 1) * 86_400)
    .fetch_all(db)
    .await?;
    Ok(rows.into_iter().collect())
}

async fn moderators(db: &sqlx::SqlitePool, from: i64, to: i64) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT actor_id, COUNT(*) AS n FROM moderation_actions \
         WHERE at_unix >= ? AND at_unix < ? AND outcome IN ('applied', 'partial') \
         GROUP BY actor_id ORDER BY n DESC, actor_id LIMIT ?",
    )
    .bind(from * 86_400)
    .bind((to + 1) * 86_400)
    .bind(RANKING_SIZE)
    .fetch_all(db)
    .await
}

async fn top_flagged(
    db: &sqlx::SqlitePool,
    dimension: &str,
    from: i64,
    to: i64,
) -> Result<Vec<(String, i64)>, sqlx::Error> {
    sqlx::query_as(
        "SELECT key, SUM(flags) AS n FROM analytics_flag_counts WHERE dimension = ? AND day >= ? AND day <= ? \
         GROUP BY key ORDER BY n DESC, key LIMIT ?",
    )
    .bind(dimension)
    .bind(from)
    .bind(to)
    .bind(RANKING_SIZE)
    .fetch_all(db)
    .await
}

/// The median hours from first flag to resolution of the cases resolved in each bucket.
async fn median_hours(
    db: &sqlx::SqlitePool,
    buckets: &[(i64, i64)],
) -> Result<Vec<Option<f64>>, sqlx::Error> {
    let (Some((from, _)), Some((_, to))) = (buckets.first(), buckets.last()) else {
        return Ok(Vec::new());
    };
    let cases: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT resolved_at, resolved_at - first_flag_at FROM analytics_cases \
         WHERE resolved_at >= ? AND resolved_at < ?",
    )
    .bind(from * DAY_MS)
    .bind((to + 1) * DAY_MS)
    .fetch_all(db)
    .await?;
    Ok(buckets
        .iter()
        .map(|(a, b)| {
            let mut waits: Vec<i64> = cases
                .iter()
                .filter(|(at, _)| (*a..=*b).contains(&day::of_unix_ms(*at)))
                .map(|(_, wait)| *wait)
                .collect();
            median(&mut waits).map(|ms| tenths(ms / 3_600_000.0))
        })
        .collect())
}

/// The median of `values` (the mean of the middle two for an even count).
pub fn median(values: &mut [i64]) -> Option<f64> {
    values.sort_unstable();
    let n = values.len();
    let middle = |i: usize| values.get(i).map(|v| count(*v));
    match n {
        0 => None,
        _ if n % 2 == 1 => middle(n / 2),
        _ => Some((middle(n / 2 - 1)? + middle(n / 2)?) / 2.0),
    }
}

/// Rounded to one decimal, the precision the page shows.
fn tenths(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// A count as a chart value (counts stay far below 2^53, so the conversion is exact).
fn count(value: i64) -> f64 {
    value as f64
}

fn rfc3339(ms: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&time::format_description::well_known::Rfc3339).ok())
        .unwrap_or_default()
}
