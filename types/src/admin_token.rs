//! What the Settings page may know about the network's admin token: never the token, only a
//! fingerprint to tell two tokens apart, its expiry, and where it is kept.

use serde::{Deserialize, Serialize};

/// The admin token as the Settings page shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminTokenInfo {
    /// First 4 hex digits of the token's SHA-256 and its length, e.g. `3fa9… (64 characters)`.
    pub fingerprint: String,
    /// When it expires (RFC 3339), if known: from the token itself when it is a JWT, else from
    /// the answer of the last regeneration.
    pub expires_at: Option<String>,
    /// Where the console reads it from, in words.
    pub source: String,
    /// Why it cannot be regenerated from the console, when it cannot.
    pub regenerate_refused: Option<String>,
}

/// The words to type to confirm a regeneration.
pub const REGENERATE_CONFIRMATION: &str = "regenerate";
