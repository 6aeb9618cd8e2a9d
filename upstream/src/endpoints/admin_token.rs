//! The network's admin token (CONTRACT.md §a; response schema from
//! `spec/apidocs-pre-2024-05-console-admin/v1/admin/`).

use super::Request;

/// `POST /api/v1/admin-token`.
///
/// Issues a new admin token and invalidates the one that sent the request. Not idempotent
/// and never retried: a retry after a lost answer would find the old token already dead.
pub fn regenerate_admin_token() -> Request {
    Request::post(&["api", "v1", "admin-token"]).idempotent(false)
}
