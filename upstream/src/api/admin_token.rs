//! The network's admin token.

use crate::{Client, Error, endpoints::admin_token, wire::AdminTokenResponse};
use async_trait::async_trait;

/// Admin-token operations.
#[async_trait]
pub trait AdminTokenApi: Send + Sync {
    /// `POST /api/v1/admin-token`: issue a new token; the current one stops working.
    async fn regenerate_admin_token(&self) -> Result<AdminTokenResponse, Error>;
}

#[async_trait]
impl AdminTokenApi for Client {
    async fn regenerate_admin_token(&self) -> Result<AdminTokenResponse, Error> {
        self.send(&admin_token::RegenerateAdminToken).await
    }
}
