//! Server functions of the queue. JSON in and out (another site cannot make a browser send a
//! JSON body), read-only, `ViewQueue` for both.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::queue::{CaseDetail, CaseKind, QueueQuery, QueueView};

/// One page of the queue matching `query`, with the filter menus' options.
#[server(endpoint = "list_queue", input = Json)]
pub async fn list_queue(query: QueueQuery) -> Result<QueueView, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    let services = &ctx.services;
    let now = backend::queue::now();
    backend::queue::list_queue(&services.upstream, &services.queue_sweep, &services.db, &query, now)
        .await
        .map_err(|e| ctx.fail(e))
}

/// One case with its context; `feed` is the message feed of a message case.
#[server(endpoint = "get_case", input = Json)]
pub async fn get_case(kind: CaseKind, id: String, feed: Option<String>) -> Result<CaseDetail, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewQueue)?;
    let (upstream, db) = (ctx.services.upstream.as_ref(), &ctx.services.db);
    let now = backend::queue::now();
    match backend::queue::context::case_detail(upstream, db, kind, &id, feed.as_deref(), now).await {
        Ok(Some(detail)) => Ok(detail),
        Ok(None) => Err(ctx.not_found(format!("Case “{}/{id}”", kind.as_url()))),
        Err(e) => Err(ctx.fail(e)),
    }
}
