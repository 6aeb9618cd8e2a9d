//! Users (`spec: v3/user/api.yaml`).

use crate::{
    Client, Error,
    endpoints::users::{self, DeleteUserOptions},
    query::UserQuery,
    wire::{Success, User, UserEnvelope, UserUpdate},
};
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

    /// `PUT /api/v3/users`: changes a user; answers the user after the change.
    async fn update_user(&self, update: &UserUpdate) -> Result<UserEnvelope, Error>;

    /// `DELETE /api/v4/users/{userId}`: deletes a user, and with `options` their content.
    async fn delete_user(&self, user_id: &str, options: DeleteUserOptions) -> Result<Success, Error>;

    /// `POST /api/v2/users/ban`: bans a user from the network.
    async fn ban_user(&self, user_id: &str) -> Result<(), Error>;

    /// `POST /api/v2/users/unban`: lifts a global ban.
    async fn unban_user(&self, user_id: &str) -> Result<(), Error>;

    /// `DELETE /api/v2/users/{userId}/flags`: clears a user's flags; answers the bare user.
    async fn clear_user_flags(&self, user_id: &str) -> Result<User, Error>;
}

#[async_trait]
impl UsersApi for Client {
    async fn query_users(&self, query: &UserQuery) -> Result<UserEnvelope, Error> {
        self.send(&users::QueryUsers(query)).await
    }

    async fn get_user(&self, user_id: &str) -> Result<UserEnvelope, Error> {
        self.send(&users::GetUser { user_id }).await
    }

    async fn list_users_by_ids(&self, user_ids: &[String]) -> Result<UserEnvelope, Error> {
        self.send(&users::ListUsersByIds { user_ids }).await
    }

    async fn update_user(&self, update: &UserUpdate) -> Result<UserEnvelope, Error> {
        self.send(&users::UpdateUser(update)).await
    }

    async fn delete_user(&self, user_id: &str, options: DeleteUserOptions) -> Result<Success, Error> {
        self.send(&users::DeleteUser { user_id, options }).await
    }

    async fn ban_user(&self, user_id: &str) -> Result<(), Error> {
        // The spec defines no body for the 200; whatever comes is ignored.
        self.send(&users::BanUser { user_id }).await
    }

    async fn unban_user(&self, user_id: &str) -> Result<(), Error> {
        self.send(&users::UnbanUser { user_id }).await
    }

    async fn clear_user_flags(&self, user_id: &str) -> Result<User, Error> {
        self.send(&users::ClearUserFlags { user_id }).await
    }
}
