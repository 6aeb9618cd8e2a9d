//! The operations the console needs from Social+, as a trait so the real client, the
//! stand-in (through the same client) and test doubles are interchangeable.

use crate::{Error, query::UserQuery, wire::UserEnvelope};
use async_trait::async_trait;

/// The Social+ API as the console uses it.
#[async_trait]
pub trait UpstreamApi: Send + Sync + 'static {
    /// `GET /api/v3/users`: search and page through users.
    async fn query_users(&self, query: &UserQuery) -> Result<UserEnvelope, Error>;

    /// `GET /api/v3/users/{userId}`: one user by public id.
    async fn get_user(&self, user_id: &str) -> Result<UserEnvelope, Error>;

    /// `GET /api/v3/users/list?userIds[]=`: up to 100 users by public id.
    async fn list_users_by_ids(&self, user_ids: &[String]) -> Result<UserEnvelope, Error>;
}
