//! Reports (docs only; see `docs/contract-notes.md`).

use crate::{Client, Error, endpoints::reports, wire::LastActivity};
use async_trait::async_trait;

/// Report downloads.
#[async_trait]
pub trait ReportsApi: Send + Sync {
    /// `GET /api/v1/reports/user-last-activity`: every user's last activity, parsed from CSV.
    async fn user_last_activity(&self) -> Result<Vec<LastActivity>, Error>;
}

#[async_trait]
impl ReportsApi for Client {
    async fn user_last_activity(&self) -> Result<Vec<LastActivity>, Error> {
        self.send(&reports::GetUserLastActivity).await
    }
}
