//! The answer of `POST /api/v1/admin-token` (schema `AdminTokenResponse` of
//! `spec/apidocs-pre-2024-05-console-admin/v1/admin/response.yaml`).

use serde::{Deserialize, Serialize};

/// A freshly issued admin token. `Debug` never prints the token.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
#[non_exhaustive]
pub struct AdminTokenResponse {
    /// The new token; the previous one stops working.
    pub admin_token: String,
    /// When it was issued (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<String>,
    /// When it expires (ISO-8601).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<String>,
}

impl AdminTokenResponse {
    /// A response (for the stand-in, which builds it).
    pub fn new(admin_token: String, issued_at: Option<String>, expires_at: Option<String>) -> Self {
        Self { admin_token, issued_at, expires_at }
    }
}

impl std::fmt::Debug for AdminTokenResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AdminTokenResponse")
            .field("admin_token", &"[redacted]")
            .field("issued_at", &self.issued_at)
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_spec_shape_and_never_debug_prints_the_token() {
        let body = r#"{"adminToken":"tok-123","issuedAt":"2026-01-01T00:00:00.000Z","expiresAt":"2027-01-01T00:00:00.000Z","extra":1}"#;
        let response: AdminTokenResponse = serde_json::from_str(body).expect("decodes");
        assert_eq!(response.admin_token, "tok-123");
        assert_eq!(response.expires_at.as_deref(), Some("2027-01-01T00:00:00.000Z"));
        assert!(!format!("{response:?}").contains("tok-123"));
    }
}
