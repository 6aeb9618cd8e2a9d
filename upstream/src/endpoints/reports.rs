//! Reports. The user last-activity CSV is documented (`generate-user-last-activity-report.mdx`)
//! but in no spec; see `docs/contract-notes.md`.

use super::Request;

/// `GET /api/v1/reports/user-last-activity`: CSV `user_id, user_public_id, display_name,
/// last_active_utc`.
pub fn user_last_activity() -> Request {
    Request::get(&["api", "v1", "reports", "user-last-activity"])
}
