//! Users (`spec: v3/user/api.yaml`).

use crate::{Client, Error, endpoints::users, query::UserQuery, wire::UserEnvelope};
use async_trait::async_trait;

/// The user operations.
#[async_trait]
pub trait UsersApi: Send + Sync {
    /// `GET /api/v3/users`: search and page through users.
    async fn query_users(&self, query: &UserQuery) -> Result<UserEnvelope, Error>;

    /// `GET /api/v3/users/{userId}`: one user by public id.
    async fn get_user(&self, user_id: &str) -> Result<UserEnvelope, Error>;

    /// `GET /api/v3/users/list?userIds[]=`: up to 100 users by public id.
    async fn list_users_by_ids(&self, user_ids: &[String]) -> Result<UserEnvelope, Error>;
}

#[async_trait]
impl UsersApi for Client {
    async fn query_users(&self, query: &UserQuery) -> Result<UserEnvelope, Error> {
        self.send(&users::query_users(query)).await
    }

    async fn get_user(&self, user_id: &str) -> Result<UserEnvelope, Error> {
        self.send(&users::get_user(user_id)).await
    }

    async fn list_users_by_ids(&self, user_ids: &[String]) -> Result<UserEnvelope, Error> {
        self.send(&users::list_users_by_ids(user_ids)).await
    }
}
