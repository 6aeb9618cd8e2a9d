//! Server functions of the Reports page (`ViewAnalytics`). Fetching calls Social+ once and is
//! audited; the stored CSVs are downloaded from `/reports/last-activity/{id}`. Fetching and
//! exporting store a file, so each person waits a cooldown between two (`[limits]`); stored
//! files are deleted after their retention.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::reports::{ActivityReport, MetricExport};

/// How many stored reports the page lists.
pub const LISTED: i64 = 50;

#[cfg(feature = "ssr")]
fn shown(report: backend::events::reports::StoredReport) -> ActivityReport {
    ActivityReport {
        id: report.id,
        fetched_at: backend::event_stream::ms_to_rfc3339(report.fetched_at),
        requested_by: report.requested_by,
        rows: report.row_count,
        active_rows: report.active_rows,
        imported: report.imported,
    }
}

/// The stored reports, newest first.
#[server(endpoint = "list_activity_reports", input = Json)]
pub async fn list_activity_reports() -> Result<Vec<ActivityReport>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    let stored = backend::events::reports::list(&ctx.services.db, LISTED).await.map_err(|e| ctx.fail(e))?;
    Ok(stored.into_iter().map(shown).collect())
}

/// Fetches the report from Social+ now, stores it and imports its activity (audited).
#[server(endpoint = "fetch_activity_report")]
pub async fn fetch_activity_report() -> Result<ActivityReport, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    let _running = ctx.throttled(backend::throttle::Work::ReportFetch)?;
    match backend::events::reports::fetch(&ctx.services, &ctx.actor.id).await {
        Ok(report) => {
            let report = shown(report);
            let after = serde_json::to_value(&report).ok();
            let target = report.id.to_string();
            ctx.record(
                "fetch_activity_report",
                Some(&target),
                Outcome::Success,
                Change { after, ..Default::default() },
            )
            .await;
            Ok(report)
        }
        Err(error) => {
            ctx.record("fetch_activity_report", None, Outcome::Failed, Change::default()).await;
            Err(ctx.fail(error))
        }
    }
}

#[cfg(feature = "ssr")]
fn shown_export(export: backend::analytics::exports::StoredExport) -> MetricExport {
    MetricExport {
        id: export.id,
        created_at: backend::event_stream::ms_to_rfc3339(export.created_at),
        requested_by: export.requested_by,
        charts: export.charts,
        from: export.from,
        to: export.to,
        rows: export.rows,
    }
}

/// The stored metrics exports, newest first.
#[server(endpoint = "list_metric_exports", input = Json)]
pub async fn list_metric_exports() -> Result<Vec<MetricExport>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    let stored =
        backend::analytics::exports::list(&ctx.services.db, LISTED).await.map_err(|e| ctx.fail(e))?;
    Ok(stored.into_iter().map(shown_export).collect())
}

/// Writes the metrics export now, with the configured charts and days (audited).
#[server(endpoint = "export_metrics_now")]
pub async fn export_metrics_now() -> Result<MetricExport, AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    let _running = ctx.throttled(backend::throttle::Work::MetricsExport)?;
    let services = &ctx.services;
    let today = backend::analytics::today();
    match backend::analytics::exports::create(&services.db, &services.metrics_export, today, &ctx.actor.id)
        .await
    {
        Ok(export) => {
            let export = shown_export(export);
            let after = serde_json::to_value(&export).ok();
            let target = export.id.to_string();
            ctx.record(
                "export_metrics",
                Some(&target),
                Outcome::Success,
                Change { after, ..Default::default() },
            )
            .await;
            Ok(export)
        }
        Err(error) => {
            ctx.record("export_metrics", None, Outcome::Failed, Change::default()).await;
            Err(ctx.fail(error))
        }
    }
}
