//! Server function of the Analytics page.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::analytics::{AnalyticsQuery, AnalyticsView};

/// The charts for `query`, read from the daily rollups (brought up to date in the background).
#[server(endpoint = "analytics_report", input = Json)]
pub async fn analytics_report(query: AnalyticsQuery) -> Result<AnalyticsView, AppError> {
    use backend::analytics::{self, ReportError};
    let ctx = crate::ctx::require(types::Permission::ViewAnalytics)?;
    let view =
        analytics::report(&ctx.services.db, &query, analytics::today()).await.map_err(
            |error| match error {
                ReportError::Invalid { field, message } => ctx.invalid(field, message),
                ReportError::Database(e) => ctx.fail(e.into()),
            },
        )?;
    Ok(AnalyticsView { may_rebuild: ctx.actor.can(types::Permission::ManageSettings), ..view })
}

/// Asks for the rollups to be emptied and computed again from the stored events (admins;
/// audited). It runs in the background, in short write turns with the webhook intake, and
/// the page shows how far it got; a second request while one is under way is refused.
#[server(endpoint = "rebuild_analytics")]
pub async fn rebuild_analytics() -> Result<(), AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    Ok(backend::analytics::start_rebuild(&ctx.services, &ctx.actor).await?)
}
