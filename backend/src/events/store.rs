//! Writing `events` rows. Every source goes through [`insert`], which ignores a row whose
//! `dedupe_key` is already stored: the first source to report a happening keeps it.

use super::normalise::NewEvent;
use sqlx::SqliteConnection;

/// The UTC day number of a Unix-millisecond time (the unit of daily rollups).
pub fn day_of(at_ms: i64) -> i64 {
    at_ms.div_euclid(86_400_000)
}

/// Inserts `event` unless its happening is already stored; whether it was new.
pub async fn insert(connection: &mut SqliteConnection, event: &NewEvent) -> Result<bool, sqlx::Error> {
    let inserted = sqlx::query(
        "INSERT INTO events (name, occurred_at, day, source, delivery_id, dedupe_key, actor_user_id, \
         subject_user_id, community_id, channel_id, object_kind, object_id, data) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (dedupe_key) DO NOTHING",
    )
    .bind(&event.name)
    .bind(event.occurred_at)
    .bind(day_of(event.occurred_at))
    .bind(event.source.as_str())
    .bind(event.delivery_id)
    .bind(&event.dedupe_key)
    .bind(&event.actor_user_id)
    .bind(&event.subject_user_id)
    .bind(&event.community_id)
    .bind(&event.channel_id)
    .bind(&event.object_kind)
    .bind(&event.object_id)
    .bind(&event.data)
    .execute(connection)
    .await?
    .rows_affected();
    Ok(inserted > 0)
}
