//! The network's admin token (CONTRACT.md §a; response schema from
//! `spec/apidocs-pre-2024-05-console-admin/v1/admin/`).

use super::{Endpoint, Request};
use crate::wire::AdminTokenResponse;

/// `POST /api/v1/admin-token`.
///
/// Issues a new admin token and invalidates the one that sent the request. Not idempotent
/// and never retried: a retry after a lost answer would find the old token already dead.
#[derive(Clone, Copy, Debug)]
pub struct RegenerateAdminToken;

impl Endpoint for RegenerateAdminToken {
    type Response = AdminTokenResponse;
    fn request(&self) -> Request {
        Request::post(&["api", "v1", "admin-token"]).idempotent(false)
    }
}
