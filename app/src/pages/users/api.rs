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
    backend::users::list_users(ctx.services.upstream.as_ref(), &query).await.map_err(|e| ctx.fail(e))
}

/// One user by public id.
#[server(endpoint = "get_user", input = Json)]
pub async fn get_user(user_id: String) -> Result<UserDetail, AppError> {
    let ctx = crate::ctx::require(types::Permission::ViewUsers)?;
    match backend::users::get_user(ctx.services.upstream.as_ref(), &user_id).await {
        Ok(Some(user)) => Ok(user),
        Ok(None) => Err(ctx.not_found(format!("User “{user_id}”"))),
        Err(e) => Err(ctx.fail(e)),
    }
}
