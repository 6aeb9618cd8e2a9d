//! Server function of the Audit page.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::audit::{AuditQuery, AuditView};

/// One page of the audit trail matching `query`, and the action codes to filter by.
#[server(endpoint = "list_audit", input = Json)]
pub async fn list_audit(query: AuditQuery) -> Result<AuditView, AppError> {
    use backend::audit::query::{self, PAGE_SIZE, QueryError};
    let ctx = crate::ctx::require(types::Permission::ViewAudit)?;
    let fail = |error: QueryError| match error {
        QueryError::Invalid { field, message } => ctx.invalid(field, message),
        QueryError::Database(e) => ctx.fail(e.into()),
    };
    let entries = query::page(&ctx.services.db, &query, PAGE_SIZE).await.map_err(fail)?;
    let actions = query::actions(&ctx.services.db).await.map_err(fail)?;
    Ok(AuditView { entries, actions })
}
