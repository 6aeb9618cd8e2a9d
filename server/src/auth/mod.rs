//! Sign-in — the local bootstrap admin of the embedded default, OpenID Connect, a trusted
//! reverse proxy — the typed session, the group → role table, sign-in limits, the IP
//! allowlist, and the gate that keeps every page and server function behind a session.

pub mod address;
mod assertion;
pub mod attempts;
mod audit_trail;
mod claims;
pub mod context;
mod gate;
pub mod groups;
mod handlers;
mod next;
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
pub use next::safe_next;
pub use proxy::sign_in_from_proxy;
pub use rate_limit::{PasswordWork, SignInLimiter};
pub use session::ConsoleSession;
