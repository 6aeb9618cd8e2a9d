//! Sign-in — the local bootstrap admin of the embedded default, OpenID Connect, a trusted
//! reverse proxy — the typed session, the group → role table, sign-in limits, the IP
//! allowlist, and the gate that keeps every page and server function behind a session.

pub mod address;
mod assertion;
mod audit_trail;
mod claims;
pub mod context;
mod gate;
pub mod groups;
mod handlers;
pub mod oidc;
mod oidc_http;
mod proxy;
mod rate_limit;
mod recheck;
mod session;
pub mod settings;

pub use assertion::AssertionVerifier;
pub use gate::{GateConfig, require_session};
pub use handlers::{login, logout};
pub use proxy::sign_in_from_proxy;
pub use rate_limit::SignInLimiter;
pub use session::ConsoleSession;

/// Where to go after signing in (or toggling the theme): a local path only, never
/// `//host`, `/\host` or an absolute URL (open-redirect defence). Defaults to `/users`.
pub fn safe_next(next: &str) -> String {
    let next = next.trim();
    let is_local = next.starts_with('/')
        && !next.starts_with("//")
        && !next.starts_with("/\\")
        && !next.contains(['\r', '\n'])
        && next.len() <= 2_000;
    if is_local && !next.starts_with("/login") && !next.starts_with("/auth/") {
        next.to_owned()
    } else {
        "/users".to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn only_local_paths_are_followed() {
        assert_eq!(safe_next("/users?q=ann"), "/users?q=ann");
        assert_eq!(safe_next("/users/a%2Fb"), "/users/a%2Fb");
        for evil in [
            "//evil.example",
            "/\\evil.example",
            "https://evil.example/",
            "javascript:alert(1)",
            "",
            "users",
            "/login?next=/x",
            "/x\r\nSet-Cookie: a=b",
        ] {
            assert_eq!(safe_next(evil), "/users", "{evil:?}");
        }
    }
}
