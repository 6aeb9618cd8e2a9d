//! How long stored files are kept: last-activity reports, metrics exports and uploaded import
//! files each have a retention period, and a background task deletes what is older (the
//! activity a report imported into `events` stays; only the stored CSV goes).

use sqlx::SqlitePool;
use std::time::Duration;

/// Retention periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Retention {
    /// Stored last-activity reports.
    pub reports: Duration,
    /// Stored metrics exports.
    pub metrics_exports: Duration,
    /// Files uploaded for an import (their dry run and import need them only briefly).
    pub uploads: Duration,
}

impl Default for Retention {
    fn default() -> Self {
        Self {
            reports: Duration::from_secs(90 * 86_400),
            metrics_exports: Duration::from_secs(90 * 86_400),
            uploads: Duration::from_secs(86_400),
        }
    }
}

/// Rows deleted by one [`prune`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Pruned {
    /// Reports.
    pub reports: u64,
    /// Metrics exports.
    pub metrics_exports: u64,
    /// Uploads.
    pub uploads: u64,
}

/// A retention in words: "for 2 days", "for 6 hours", "for 30 minutes".
pub fn for_people(keep: Duration) -> String {
    let secs = keep.as_secs();
    let (n, unit) = if secs >= 86_400 && secs.is_multiple_of(86_400) {
        (secs / 86_400, "day")
    } else if secs >= 3_600 && secs.is_multiple_of(3_600) {
        (secs / 3_600, "hour")
    } else {
        (secs.div_ceil(60), "minute")
    };
    match (n, unit) {
        (1, "hour") => "for an hour".to_owned(),
        (1, unit) => format!("for a {unit}"),
        (n, unit) => format!("for {n} {unit}s"),
    }
}

fn cutoff(now_ms: i64, keep: Duration) -> i64 {
    now_ms.saturating_sub(i64::try_from(keep.as_millis()).unwrap_or(i64::MAX))
}

/// Deletes what is older than its retention as of `now_ms` (Unix ms).
pub async fn prune(db: &SqlitePool, retention: &Retention, now_ms: i64) -> Result<Pruned, sqlx::Error> {
    let reports = sqlx::query("DELETE FROM activity_reports WHERE fetched_at < ?")
        .bind(cutoff(now_ms, retention.reports))
        .execute(db)
        .await?
        .rows_affected();
    let metrics_exports = sqlx::query("DELETE FROM metric_exports WHERE created_at < ?")
        .bind(cutoff(now_ms, retention.metrics_exports))
        .execute(db)
        .await?
        .rows_affected();
    let uploads = sqlx::query("DELETE FROM import_uploads WHERE created_at < ?")
        .bind(cutoff(now_ms, retention.uploads))
        .execute(db)
        .await?
        .rows_affected();
    Ok(Pruned { reports, metrics_exports, uploads })
}

/// Prunes now and then every `every`, for the life of the process.
pub async fn run(db: SqlitePool, retention: Retention, every: Duration) {
    loop {
        match prune(&db, &retention, crate::jobs::now_ms()).await {
            Ok(pruned) if pruned != Pruned::default() => {
                tracing::info!(?pruned, "stored files past retention deleted")
            }
            Ok(_) => {}
            Err(error) => tracing::warn!(%error, "pruning stored files failed; the next run retries"),
        }
        tokio::time::sleep(every).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DAY_MS: i64 = 86_400_000;

    #[test]
    fn retentions_read_as_words() {
        assert_eq!(for_people(Duration::from_secs(86_400)), "for a day");
        assert_eq!(for_people(Duration::from_secs(3 * 3_600)), "for 3 hours");
        assert_eq!(for_people(Duration::from_secs(90)), "for 2 minutes");
    }

    #[tokio::test]
    async fn finding_6_reports_exports_and_uploads_older_than_their_retention_are_deleted() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database");
        let now = 1_000 * DAY_MS;
        for (age_days, name) in [(100, "old"), (10, "new")] {
            let at = now - age_days * DAY_MS;
            sqlx::query(
                "INSERT INTO activity_reports (fetched_at, requested_by, row_count, active_rows, imported, csv) \
                 VALUES (?, ?, 0, 0, 0, x'')",
            )
            .bind(at)
            .bind(name)
            .execute(&db)
            .await
            .expect("report");
            sqlx::query(
                "INSERT INTO metric_exports (created_at, requested_by, charts, from_day, to_day, row_count, csv) \
                 VALUES (?, ?, '[]', '', '', 0, x'')",
            )
            .bind(at)
            .bind(name)
            .execute(&db)
            .await
            .expect("export");
        }
        for (age_hours, id) in [(30, "old-upload"), (2, "new-upload")] {
            sqlx::query(
                "INSERT INTO import_uploads (id, created_by, file_name, csv, created_at) VALUES (?, 'ann', 'a.csv', '', ?)",
            )
            .bind(id)
            .bind(now - age_hours * 3_600_000)
            .execute(&db)
            .await
            .expect("upload");
        }

        let pruned = prune(&db, &Retention::default(), now).await.expect("pruned");
        assert_eq!(pruned, Pruned { reports: 1, metrics_exports: 1, uploads: 1 });
        let left = |table: &'static str, column: &'static str| {
            let db = db.clone();
            async move {
                sqlx::query_scalar::<_, String>(&format!("SELECT {column} FROM {table}"))
                    .fetch_all(&db)
                    .await
                    .expect("rows")
            }
        };
        assert_eq!(left("activity_reports", "requested_by").await, ["new"]);
        assert_eq!(left("metric_exports", "requested_by").await, ["new"]);
        assert_eq!(left("import_uploads", "id").await, ["new-upload"]);
        assert_eq!(prune(&db, &Retention::default(), now).await.expect("again"), Pruned::default());
    }
}
