//! Server functions of the Events page. Reading needs `ViewEvents`; forward targets and
//! forwarding need `ManageSettings` (a target's secret is written once and never read back).

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::event_log::{DeliveryPage, EventPage, EventQuery, ForwardResult, ForwardTarget};

/// One page of stored events matching the query, newest first.
#[server(endpoint = "list_events", input = Json)]
pub async fn list_events(query: EventQuery) -> Result<EventPage, AppError> {
    use backend::event_stream::{PAGE_SIZE, page};
    let ctx = crate::ctx::require(types::Permission::ViewEvents)?;
    page(&ctx.services.db, &query, PAGE_SIZE).await.map_err(|e| ctx.fail(e.into()))
}

/// One page of the webhook delivery log, newest first.
#[server(endpoint = "list_deliveries", input = Json)]
pub async fn list_deliveries(before: Option<i64>) -> Result<DeliveryPage, AppError> {
    use backend::event_stream::{PAGE_SIZE, deliveries};
    let ctx = crate::ctx::require(types::Permission::ViewEvents)?;
    deliveries(&ctx.services.db, before, PAGE_SIZE).await.map_err(|e| ctx.fail(e.into()))
}

/// The places events can be forwarded to (names and URLs only).
#[server(endpoint = "list_forward_targets")]
pub async fn list_forward_targets() -> Result<Vec<ForwardTarget>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    backend::rules::forward::targets(&ctx.services.db).await.map_err(|e| ctx.fail(e.into()))
}

/// Adds a forward target (or replaces the one with the same name) with its signing secret.
#[server(endpoint = "save_forward_target")]
pub async fn save_forward_target(name: String, url: String, secret: String) -> Result<i64, AppError> {
    use backend::{
        audit::{Change, Outcome},
        rules::forward::{save_target, target_problem},
    };
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    if let Some((field, message)) = target_problem(&name, &url, &secret) {
        return Err(ctx.invalid(field, message));
    }
    ctx.services.outbound.check(&url).await.map_err(|message| ctx.invalid("url", message))?;
    let services = &ctx.services;
    let id = save_target(&services.db, &services.secrets, &name, &url, &secret, &ctx.actor.id)
        .await
        .map_err(|e| ctx.fail(e.into()))?;
    // The secret is not part of the audit entry.
    let after = serde_json::json!({ "name": name.trim(), "url": url.trim() });
    let change = Change { after: Some(after), ..Change::default() };
    ctx.record("forward_target_save", Some(&format!("forward_target:{id}")), Outcome::Success, change).await;
    Ok(id)
}

/// Removes a forward target.
#[server(endpoint = "delete_forward_target")]
pub async fn delete_forward_target(id: i64) -> Result<(), AppError> {
    use backend::audit::{Change, Outcome};
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    let removed =
        backend::rules::forward::delete_target(&ctx.services.db, id).await.map_err(|e| ctx.fail(e.into()))?;
    if !removed {
        return Err(ctx.not_found(format!("Forward target {id}")));
    }
    ctx.record(
        "forward_target_delete",
        Some(&format!("forward_target:{id}")),
        Outcome::Success,
        Change::default(),
    )
    .await;
    Ok(())
}

/// Forwards the events `event_ids` (numbers separated by commas or spaces) to the target,
/// each re-signed with the target's secret; answers one result per event (each audited).
#[server(endpoint = "forward_events")]
pub async fn forward_events(target_id: i64, event_ids: String) -> Result<Vec<ForwardResult>, AppError> {
    use backend::rules::forward::{Forwarder, Sender, forward};
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    let ids = types::event_log::parse_event_ids(&event_ids).map_err(|m| ctx.invalid("event_ids", m))?;
    let who = Forwarder {
        actor_id: &ctx.actor.id,
        actor_role: ctx.user.role.as_str(),
        request_id: &ctx.request_id,
    };
    let sender = Sender { outbound: &ctx.services.outbound, secrets: &ctx.services.secrets };
    match forward(&ctx.services.db, &sender, &who, target_id, &ids).await {
        Ok(Some(results)) => Ok(results),
        Ok(None) => Err(ctx.not_found(format!("Forward target {target_id}"))),
        Err(error) => Err(ctx.fail(error.into())),
    }
}
