//! Scheduled CSV exports of chosen metrics (issue 7 §6): the charts an operator names, over
//! the last N days, written as one long-format CSV (`chart,label,series,value`, one row per
//! value, so charts with different columns share one file) and kept with their history. The
//! values are the Analytics page's own ([`super::report`]), formatted as it shows them.

use super::{ReportError, report};
use crate::Error;
use sqlx::{Row, SqlitePool};
use std::time::Duration;
use types::{
    analytics::{AnalyticsQuery, Granularity, day, format_value},
    csv::line,
};

/// What a scheduled export contains.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportPlan {
    /// Chart ids (as on the Analytics page, e.g. `active_users`).
    pub charts: Vec<String>,
    /// Days up to today, today included.
    pub days: u32,
}

/// A stored export.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredExport {
    /// Its id.
    pub id: i64,
    /// When it was made (Unix ms).
    pub created_at: i64,
    /// Who asked (`schedule` for the scheduler).
    pub requested_by: String,
    /// The charts in it.
    pub charts: Vec<String>,
    /// First day, `YYYY-MM-DD`.
    pub from: String,
    /// Last day, `YYYY-MM-DD`.
    pub to: String,
    /// Value rows (the header not counted).
    pub rows: i64,
}

/// Builds the export of `plan` as of `today` (a UTC day number) and stores it.
pub async fn create(
    db: &SqlitePool,
    plan: &ExportPlan,
    today: i64,
    requested_by: &str,
) -> Result<StoredExport, Error> {
    let from = day::format(today - i64::from(plan.days.max(1)) + 1);
    let to = day::format(today);
    let query = AnalyticsQuery { from: from.clone(), to: to.clone(), granularity: Granularity::Daily };
    let view = report(db, &query, today).await.map_err(|error| match error {
        ReportError::Database(error) => Error::from(error),
        ReportError::Invalid { message, .. } => Error::Internal(message),
    })?;
    let unknown: Vec<&String> =
        plan.charts.iter().filter(|id| !view.charts.iter().any(|c| &c.id == *id)).collect();
    if !unknown.is_empty() {
        return Err(Error::Internal(format!("unknown charts in the metrics export: {unknown:?}")));
    }
    let mut csv = line(["chart", "label", "series", "value"]);
    let mut rows = 0_i64;
    for chart in view.charts.iter().filter(|c| plan.charts.contains(&c.id)) {
        for (index, label) in chart.labels.iter().enumerate() {
            for series in &chart.series {
                let value = format_value(series.values.get(index).copied().flatten());
                csv.push_str(&line([chart.id.as_str(), label, &series.name, &value]));
                rows += 1;
            }
        }
    }
    let created_at = super::now_ms();
    let charts = serde_json::to_string(&plan.charts).map_err(|e| Error::Internal(e.to_string()))?;
    let id: i64 = sqlx::query_scalar(
        "INSERT INTO metric_exports (created_at, requested_by, charts, from_day, to_day, row_count, csv) \
         VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
    )
    .bind(created_at)
    .bind(requested_by)
    .bind(&charts)
    .bind(&from)
    .bind(&to)
    .bind(rows)
    .bind(csv.into_bytes())
    .fetch_one(db)
    .await?;
    Ok(StoredExport {
        id,
        created_at,
        requested_by: requested_by.to_owned(),
        charts: plan.charts.clone(),
        from,
        to,
        rows,
    })
}

/// The stored exports, newest first.
pub async fn list(db: &SqlitePool, limit: i64) -> Result<Vec<StoredExport>, Error> {
    let found = sqlx::query(
        "SELECT id, created_at, requested_by, charts, from_day, to_day, row_count FROM metric_exports \
         ORDER BY id DESC LIMIT ?",
    )
    .bind(limit)
    .fetch_all(db)
    .await?;
    let mut exports = Vec::with_capacity(found.len());
    for row in found {
        let charts: String = row.try_get("charts")?;
        exports.push(StoredExport {
            id: row.try_get("id")?,
            created_at: row.try_get("created_at")?,
            requested_by: row.try_get("requested_by")?,
            charts: serde_json::from_str(&charts).unwrap_or_default(),
            from: row.try_get("from_day")?,
            to: row.try_get("to_day")?,
            rows: row.try_get("row_count")?,
        });
    }
    Ok(exports)
}

/// The stored CSV of export `id`, if there is one.
pub async fn csv(db: &SqlitePool, id: i64) -> Result<Option<Vec<u8>>, Error> {
    Ok(sqlx::query_scalar("SELECT csv FROM metric_exports WHERE id = ?").bind(id).fetch_optional(db).await?)
}

/// Makes the export every `every`, the first after `first_after`, for the life of the process.
pub async fn run_periodically(db: SqlitePool, plan: ExportPlan, first_after: Duration, every: Duration) {
    tokio::time::sleep(first_after).await;
    loop {
        match create(&db, &plan, super::today(), "schedule").await {
            Ok(export) => tracing::info!(id = export.id, rows = export.rows, "metrics export written"),
            Err(error) => tracing::warn!(%error, "the metrics export failed; the next run retries"),
        }
        tokio::time::sleep(every).await;
    }
}
