//! Server functions of the Users section. JSON in and out: a JSON body is not a
//! CORS-safelisted request, so another site cannot make a browser send one.

use crate::AppError;
use leptos::{prelude::*, server_fn::codec::Json};
use types::{
    Page,
    users::{UserDetail, UserListQuery, UserRow},
};

/// One page of the network's users matching `query`.
#[server(endpoint = "list_users", input = Json)]
pub async fn list_users(query: UserListQuery) -> Result<Page<UserRow>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewUsers)?;
    match backend::users::list_users(ctx.services.upstream.as_ref(), &query).await {
        // The cursor comes from the page's URL, which anyone can edit: one Social+ cannot read
        // is the link's fault (422), not Social+ failing (502).
        Err(error) if error.upstream_status() == Some(400) && query.cursor.is_some() => Err(ctx.invalid(
            "cursor",
            "This page link is not valid any more; start again from the first page.".into(),
        )),
        result => result.map_err(|e| ctx.fail(e)),
    }
}

/// One user by public id.
#[server(endpoint = "get_user", input = Json)]
pub async fn get_user(user_id: String) -> Result<UserDetail, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewUsers)?;
    let upstream = ctx.services.upstream.as_ref();
    match backend::users::get_user(upstream, &user_id).await {
        Ok(Some(mut user)) => {
            // The side panels are extras: a failure there is logged, the profile still shows.
            // The trail is shown only to roles that may read the audit trail anyway.
            let may_audit = ctx.actor.can(types::Permission::ViewAudit);
            let (posts, audit) = tokio::join!(backend::users::recent_posts(upstream, &user_id), async {
                if may_audit {
                    backend::users::audit_entries(&ctx.services.db, &user_id).await
                } else {
                    Ok(Vec::new())
                }
            },);
            user.recent_posts = posts.unwrap_or_else(|error| {
                tracing::warn!(%error, request_id = %ctx.request_id, "recent posts unavailable");
                Vec::new()
            });
            user.audit = audit.unwrap_or_else(|error| {
                tracing::warn!(%error, request_id = %ctx.request_id, "user audit entries unavailable");
                Vec::new()
            });
            user.timed_bans = backend::moderation::bans::of_user(&ctx.services.db, &user_id)
                .await
                .unwrap_or_else(|error| {
                    tracing::warn!(%error, request_id = %ctx.request_id, "timed bans unavailable");
                    Vec::new()
                });
            backend::users::activity::enrich(upstream, &ctx.services.db, &mut user).await;
            user.your_permissions = ctx.user.role.permissions();
            Ok(user)
        }
        Ok(None) => Err(ctx.not_found(format!("User “{user_id}”"))),
        Err(e) => Err(ctx.fail(e)),
    }
}
