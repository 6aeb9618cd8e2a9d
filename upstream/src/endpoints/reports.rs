//! Reports. The user last-activity CSV is documented (`generate-user-last-activity-report.mdx`)
//! but in no spec; see `docs/contract-notes.md`.

use super::{Endpoint, Request};
use crate::wire::LastActivity;

/// `GET /api/v1/reports/user-last-activity`: CSV `user_id, user_public_id, display_name,
/// last_active_utc`.
#[derive(Clone, Copy, Debug)]
pub struct GetUserLastActivity;

impl Endpoint for GetUserLastActivity {
    type Response = Vec<LastActivity>;
    fn request(&self) -> Request {
        Request::get(&["api", "v1", "reports", "user-last-activity"])
    }
}
