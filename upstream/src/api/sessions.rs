//! Sessions and tokens (`spec: v4/session/api.yaml`, `v4/authentication/api.yaml`).

use crate::{
    Client, Error,
    endpoints::sessions,
    wire::{Session, SessionRequest, Success},
};
use async_trait::async_trait;
use secrecy::SecretString;

/// Session operations: registering needs the network's API key, auth tokens its server key;
/// revocation uses the admin token.
#[async_trait]
pub trait SessionsApi: Send + Sync {
    /// `POST /api/v4/sessions`: a user session (creates the user if missing).
    async fn register_session(
        &self,
        api_key: SecretString,
        session: &SessionRequest,
    ) -> Result<Session, Error>;

    /// `POST /api/v4/authentication/token`: a token that lets `user_id` register a session in
    /// secure mode.
    async fn auth_token(&self, server_key: SecretString, user_id: &str) -> Result<String, Error>;

    /// `DELETE /api/v4/sessions?userId=`: revokes every access token of a user.
    async fn revoke_user_tokens(&self, user_id: &str) -> Result<Success, Error>;

    /// `DELETE /api/v4/sessions/users/{userId}`: the same, by path.
    async fn revoke_all_user_tokens(&self, user_id: &str) -> Result<Success, Error>;
}

#[async_trait]
impl SessionsApi for Client {
    async fn register_session(
        &self,
        api_key: SecretString,
        session: &SessionRequest,
    ) -> Result<Session, Error> {
        self.send(&sessions::RegisterSession { api_key, session }).await
    }

    async fn auth_token(&self, server_key: SecretString, user_id: &str) -> Result<String, Error> {
        self.send(&sessions::CreateAuthToken { server_key, user_id }).await
    }

    async fn revoke_user_tokens(&self, user_id: &str) -> Result<Success, Error> {
        self.send(&sessions::RevokeUserTokens { user_id }).await
    }

    async fn revoke_all_user_tokens(&self, user_id: &str) -> Result<Success, Error> {
        self.send(&sessions::RevokeAllUserTokens { user_id }).await
    }
}
