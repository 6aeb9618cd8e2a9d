//! What the sign-in routes and middlewares share, put in every request as an `Extension`.

use super::{
    address,
    assertion::AssertionVerifier,
    attempts::AttemptLog,
    groups::GroupRoles,
    oidc::OidcProvider,
    rate_limit::{PasswordWork, SignInLimiter, Tarpit},
    settings::ProxyConfig,
};
use axum::http::HeaderMap;
use sqlx::SqlitePool;
use std::{
    collections::HashSet,
    net::{IpAddr, SocketAddr},
    sync::{Arc, Mutex},
    time::Duration,
};

/// The sign-in configuration and state.
pub struct SignInContext {
    /// The console database (audit trail).
    pub db: SqlitePool,
    /// OIDC, when enabled.
    pub oidc: Option<OidcProvider>,
    /// Trusted proxies and identity header names.
    pub proxy: ProxyConfig,
    /// Signed-assertion verifier, when configured.
    pub assertion: Option<AssertionVerifier>,
    /// Group → role table.
    pub groups: GroupRoles,
    /// Sign-in attempt limits.
    pub limiter: SignInLimiter,
    /// Refused attempts, aggregated into the audit trail.
    pub attempts: Arc<AttemptLog>,
    /// The ceiling on password checks running at once.
    pub password_work: PasswordWork,
    /// Late answers for flooding networks.
    pub tarpit: Tarpit,
    /// The bootstrap admin is enabled against a real network (break-glass).
    pub break_glass: bool,
    /// How often an OIDC session's role is re-read at most.
    pub recheck: Duration,
    /// Absolute lifetime of an admin session.
    pub admin_session: Duration,
    /// Sessions whose OIDC role is being re-read right now (one refresh per session at a time:
    /// a second would spend a refresh token the first already rotated).
    pub rechecking: Mutex<HashSet<String>>,
}

impl SignInContext {
    /// The client's address: the TCP peer, or what a trusted proxy says it is.
    pub fn client_ip(&self, peer: SocketAddr, headers: &HeaderMap) -> IpAddr {
        address::client_ip(peer, headers, &self.proxy)
    }
}
