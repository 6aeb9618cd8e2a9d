//! Reading stored events for the Events page and its live stream, and the webhook delivery log.
//!
//! `events.id` only grows, so it is the cursor everywhere: the paged list goes down from
//! `before`, the live stream goes up from its last id (`Last-Event-ID` on a reconnect).

use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use types::event_log::{DeliveryPage, DeliveryRow, EventFilter, EventPage, EventQuery, EventRow};

/// Events per page of the list.
pub const PAGE_SIZE: u32 = 50;

/// Most events one read of the live stream returns (the rest come on the next read).
pub const STREAM_BATCH: u32 = 200;

const EVENT_COLUMNS: &str = "id, name, occurred_at, source, actor_user_id, subject_user_id, community_id, \
                             channel_id, object_kind, object_id, data";

/// Unix milliseconds as RFC 3339 (UTC).
pub fn ms_to_rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_else(|| ms.to_string())
}

/// Now in Unix milliseconds.
pub fn now_ms() -> i64 {
    (OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000) as i64
}

/// Maps a row selected with [`EVENT_COLUMNS`].
pub fn event_row(row: &SqliteRow) -> Result<EventRow, sqlx::Error> {
    Ok(EventRow {
        id: row.try_get("id")?,
        name: row.try_get("name")?,
        occurred_at: ms_to_rfc3339(row.try_get("occurred_at")?),
        source: row.try_get("source")?,
        actor_user_id: row.try_get("actor_user_id")?,
        subject_user_id: row.try_get("subject_user_id")?,
        community_id: row.try_get("community_id")?,
        channel_id: row.try_get("channel_id")?,
        object_kind: row.try_get("object_kind")?,
        object_id: row.try_get("object_id")?,
        data: row.try_get("data")?,
    })
}

/// Adds the filter's conditions (each `AND …`) to a query that already has a `WHERE`.
fn push_filter(query: &mut QueryBuilder<'_, Sqlite>, filter: &EventFilter) {
    let event_type = filter.event_type.trim().to_owned();
    if let Some(prefix) = event_type.strip_suffix('*') {
        if !prefix.is_empty() {
            query.push(" AND substr(name, 1, ").push_bind(prefix.chars().count() as i64);
            query.push(") = ").push_bind(prefix.to_owned());
        }
    } else if !event_type.is_empty() {
        query.push(" AND name = ").push_bind(event_type);
    }
    let user = filter.user.trim().to_owned();
    if !user.is_empty() {
        query.push(" AND (actor_user_id = ").push_bind(user.clone());
        query.push(" OR subject_user_id = ").push_bind(user).push(")");
    }
    let community = filter.community.trim().to_owned();
    if !community.is_empty() {
        query.push(" AND community_id = ").push_bind(community);
    }
}

/// Whether `row` passes `filter`: the same answer as the SQL [`push_filter`] writes, for rows
/// the live streams get from the shared poller.
pub fn passes(filter: &EventFilter, row: &EventRow) -> bool {
    let user = filter.user.trim();
    let community = filter.community.trim();
    filter.matches_type(&row.name)
        && (user.is_empty()
            || row.actor_user_id.as_deref() == Some(user)
            || row.subject_user_id.as_deref() == Some(user))
        && (community.is_empty() || row.community_id.as_deref() == Some(community))
}

/// The newest event id (0 when there are none).
pub async fn newest_id(db: &SqlitePool) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM events").fetch_one(db).await
}

/// One page of the list, newest first.
pub async fn page(db: &SqlitePool, query: &EventQuery, limit: u32) -> Result<EventPage, sqlx::Error> {
    let newest = newest_id(db).await?;
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {EVENT_COLUMNS} FROM events WHERE id <= "));
    sql.push_bind(query.before.map_or(newest, |before| before - 1));
    push_filter(&mut sql, &query.filter);
    sql.push(" ORDER BY id DESC LIMIT ").push_bind(i64::from(limit) + 1);
    let rows = sql.build().fetch_all(db).await?;
    let mut items = rows.iter().map(event_row).collect::<Result<Vec<_>, _>>()?;
    let next_before = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|e| e.id)
    } else {
        None
    };
    let names =
        sqlx::query_scalar("SELECT DISTINCT name FROM events ORDER BY name LIMIT 200").fetch_all(db).await?;
    Ok(EventPage { items, next_before, newest_id: newest, names })
}

/// Events after `cursor` that pass `filter`, oldest first (the live stream's next batch).
pub async fn after(
    db: &SqlitePool,
    cursor: i64,
    filter: &EventFilter,
    limit: u32,
) -> Result<Vec<EventRow>, sqlx::Error> {
    after_in(db, cursor, filter, None, limit).await
}

/// [`after`], narrowed to the events for which the SQL condition `scope` on the `events` row
/// holds (a constant such as [`crate::queue::events::QUEUE_EVENTS_SQL`], never user input).
pub async fn after_in(
    db: &SqlitePool,
    cursor: i64,
    filter: &EventFilter,
    scope: Option<&'static str>,
    limit: u32,
) -> Result<Vec<EventRow>, sqlx::Error> {
    between_in(db, cursor, i64::MAX, filter, scope, limit).await
}

/// [`after_in`], up to the id `upto` (included).
pub async fn between_in(
    db: &SqlitePool,
    cursor: i64,
    upto: i64,
    filter: &EventFilter,
    scope: Option<&'static str>,
    limit: u32,
) -> Result<Vec<EventRow>, sqlx::Error> {
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {EVENT_COLUMNS} FROM events WHERE id > "));
    sql.push_bind(cursor);
    sql.push(" AND id <= ").push_bind(upto);
    push_filter(&mut sql, filter);
    if let Some(scope) = scope {
        sql.push(" AND ").push(scope);
    }
    sql.push(" ORDER BY id LIMIT ").push_bind(i64::from(limit));
    sql.build().fetch_all(db).await?.iter().map(event_row).collect()
}

/// The events with these ids (those that exist), in id order.
pub async fn by_ids(db: &SqlitePool, ids: &[i64]) -> Result<Vec<EventRow>, sqlx::Error> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {EVENT_COLUMNS} FROM events WHERE id IN ("));
    let mut list = sql.separated(", ");
    for id in ids {
        list.push_bind(*id);
    }
    sql.push(") ORDER BY id");
    sql.build().fetch_all(db).await?.iter().map(event_row).collect()
}

/// The newest `limit` events, newest first (dry runs scan these).
pub async fn newest(db: &SqlitePool, limit: u32) -> Result<Vec<EventRow>, sqlx::Error> {
    let sql = format!("SELECT {EVENT_COLUMNS} FROM events ORDER BY id DESC LIMIT ?");
    sqlx::query(&sql).bind(i64::from(limit)).fetch_all(db).await?.iter().map(event_row).collect()
}

/// One page of the delivery log, newest first.
pub async fn deliveries(
    db: &SqlitePool,
    before: Option<i64>,
    limit: u32,
) -> Result<DeliveryPage, sqlx::Error> {
    let rows = sqlx::query(
        "SELECT id, received_at, event_name, secret_label, signature_kind, state, attempts, last_error, \
         duplicates, processed_at FROM webhook_deliveries WHERE id < ? ORDER BY id DESC LIMIT ?",
    )
    .bind(before.unwrap_or(i64::MAX))
    .bind(i64::from(limit) + 1)
    .fetch_all(db)
    .await?;
    let mut items = rows
        .iter()
        .map(|row| {
            Ok(DeliveryRow {
                id: row.try_get("id")?,
                received_at: ms_to_rfc3339(row.try_get("received_at")?),
                event_name: row.try_get("event_name")?,
                secret_label: row.try_get("secret_label")?,
                signature_kind: row.try_get("signature_kind")?,
                state: row.try_get("state")?,
                attempts: row.try_get("attempts")?,
                last_error: row.try_get("last_error")?,
                duplicates: row.try_get("duplicates")?,
                processed_at: row.try_get::<Option<i64>, _>("processed_at")?.map(ms_to_rfc3339),
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    let next_before = if items.len() > limit as usize {
        items.truncate(limit as usize);
        items.last().map(|d| d.id)
    } else {
        None
    };
    Ok(DeliveryPage { items, next_before })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_in_memory_filter_gives_the_same_answer_as_the_sql_one() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("db");
        let rows = [
            ("v3.post.didCreate", Some("ann"), None, Some("c1")),
            ("v3.post.didFlag", Some("bob"), Some("ann"), Some("c2")),
            ("v3.comment.didCreate", Some("bob"), None, None),
            ("v3.user.didBan", None, Some("cid"), None),
        ];
        for (n, (name, actor, subject, community)) in rows.iter().enumerate() {
            sqlx::query(
                "INSERT INTO events (name, occurred_at, day, source, dedupe_key, actor_user_id, subject_user_id, \
                 community_id, data) VALUES (?, 0, 0, 'webhook', ?, ?, ?, ?, '{}')",
            )
            .bind(name)
            .bind(n.to_string())
            .bind(actor)
            .bind(subject)
            .bind(community)
            .execute(&db)
            .await
            .expect("row");
        }
        let every = after(&db, 0, &EventFilter::default(), 100).await.expect("all");
        let filter = |event_type: &str, user: &str, community: &str| EventFilter {
            event_type: event_type.into(),
            user: user.into(),
            community: community.into(),
        };
        for filter in [
            filter("", "", ""),
            filter("v3.post.*", "", ""),
            filter("v3.post.didFlag", "", ""),
            filter("*", "", ""),
            filter("", " ann ", ""),
            filter("", "", "c2"),
            filter("v3.*", "bob", ""),
            filter("v3.user.didBan", "cid", "c1"),
        ] {
            let by_sql: Vec<i64> =
                after(&db, 0, &filter, 100).await.expect("query").iter().map(|r| r.id).collect();
            let in_memory: Vec<i64> = every.iter().filter(|r| passes(&filter, r)).map(|r| r.id).collect();
            assert_eq!(by_sql, in_memory, "{filter:?}");
        }
    }
}
