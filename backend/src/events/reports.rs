//! The user last-activity report: fetched from the network on demand or on a schedule,
//! kept with its history in `activity_reports` (downloadable as CSV), and imported into
//! `events` as `source = 'report'` activity — one `report.userLastActivity` row per user and
//! last-active time, keyed so a re-fetched report adds only what changed.

use super::{
    normalise::{NewEvent, Source, parse_time},
    store,
};
use crate::{Error, Services};
use serde_json::json;
use std::time::Duration;
use upstream::endpoints::reports::GetUserLastActivity;
use upstream::wire::last_activity_csv;

/// The `events.name` of a report row (no webhook has this name).
pub const EVENT_NAME: &str = "report.userLastActivity";

/// A stored report, without its CSV.
#[derive(Clone, Debug, PartialEq, Eq, sqlx::FromRow)]
pub struct StoredReport {
    /// Its id.
    pub id: i64,
    /// When it was fetched (Unix ms).
    pub fetched_at: i64,
    /// Who asked (`schedule` for the scheduler).
    pub requested_by: String,
    /// Users in it.
    pub row_count: i64,
    /// Users with a last-activity time.
    pub active_rows: i64,
    /// New `events` rows it added.
    pub imported: i64,
}

/// Fetches the report now, stores it and imports its activity.
pub async fn fetch(services: &Services, requested_by: &str) -> Result<StoredReport, Error> {
    let rows = services.upstream.send(&GetUserLastActivity).await?;
    let fetched_at = super::now_ms();
    let mut tx = services.db.begin().await?;
    let (mut active, mut imported) = (0_i64, 0_i64);
    for row in &rows {
        let Some(at) = parse_time(row.last_active_utc.trim()) else { continue };
        active += 1;
        let user = if row.user_public_id.is_empty() { &row.user_id } else { &row.user_public_id };
        let event = NewEvent {
            name: EVENT_NAME.into(),
            occurred_at: at,
            source: Source::Report,
            delivery_id: None,
            dedupe_key: format!("{EVENT_NAME}:{user}:{at}"),
            actor_user_id: Some(user.clone()),
            subject_user_id: Some(user.clone()),
            community_id: None,
            channel_id: None,
            object_kind: Some("user".into()),
            object_id: Some(user.clone()),
            data: json!({ "userId": row.user_id, "userPublicId": row.user_public_id,
                "displayName": row.display_name, "lastActiveUtc": row.last_active_utc })
            .to_string(),
        };
        if store::insert(&mut tx, &event).await? {
            imported += 1;
        }
    }
    let row_count = i64::try_from(rows.len()).unwrap_or(i64::MAX);
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO activity_reports (fetched_at, requested_by, row_count, active_rows, imported, csv) \
         VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(fetched_at)
    .bind(requested_by)
    .bind(row_count)
    .bind(active)
    .bind(imported)
    .bind(last_activity_csv(&rows).into_bytes())
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(StoredReport {
        id,
        fetched_at,
        requested_by: requested_by.to_owned(),
        row_count,
        active_rows: active,
        imported,
    })
}

/// The stored reports, newest first.
pub async fn list(db: &sqlx::SqlitePool, limit: i64) -> Result<Vec<StoredReport>, Error> {
    Ok(sqlx::query_as(
        "SELECT id, fetched_at, requested_by, row_count, active_rows, imported FROM activity_reports \
         ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?)
}

/// One stored report's CSV.
pub async fn csv(db: &sqlx::SqlitePool, id: i64) -> Result<Option<Vec<u8>>, Error> {
    Ok(sqlx::query_scalar("SELECT csv FROM activity_reports WHERE id = ?")
        .bind(id)
        .fetch_optional(db)
        .await?)
}

/// Fetches the report every `every`, the first time after `first_after`.
pub async fn run_periodically(services: Services, first_after: Duration, every: Duration) {
    tokio::time::sleep(first_after).await;
    loop {
        match fetch(&services, "schedule").await {
            Ok(report) => {
                tracing::info!(id = report.id, imported = report.imported, "last-activity report fetched")
            }
            Err(error) => {
                tracing::warn!(%error, "fetching the last-activity report failed; the next run retries")
            }
        }
        tokio::time::sleep(every).await;
    }
}
