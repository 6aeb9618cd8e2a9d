//! Server function of the Analytics page.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::analytics::{AnalyticsQuery, AnalyticsView};

/// The charts for `query`, read from the daily rollups (brought up to date in the background).
#[server(endpoint = "analytics_report", input = Json)]
pub async fn analytics_report(query: AnalyticsQuery) -> Result<AnalyticsView, AppError> {
    use backend::analytics::{self, ReportError};
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    analytics::report(&ctx.services.db, &query, analytics::today()).await.map_err(|error| match error {
        ReportError::Invalid { field, message } => ctx.invalid(field, message),
        ReportError::Database(e) => ctx.fail(e.into()),
    })
}
