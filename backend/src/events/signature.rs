//! `x-amity-signature`: Base64(HMAC-SHA256(key = the webhook secret, msg = the raw body)).
//! One documentation page shows the digest as hex, so hex is accepted after Base64. Several
//! secrets may be configured at once while one is being rotated; each has a label so the
//! delivery log can say which one verified a body without ever showing the secret.

use base64::{Engine, engine::general_purpose::STANDARD};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

/// A configured webhook secret.
#[derive(Clone)]
pub struct WebhookSecret {
    /// A name for logs and the delivery log (`current`, `2026-q3`, `embedded`…).
    pub label: String,
    /// The HMAC key, as the network issued it.
    pub key: SecretString,
}

impl std::fmt::Debug for WebhookSecret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookSecret").field("label", &self.label).finish_non_exhaustive()
    }
}

/// How the signature header was written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SignatureKind {
    /// Base64, as the network sends it.
    Base64,
    /// Lowercase or uppercase hex.
    Hex,
}

impl SignatureKind {
    /// The value stored in `webhook_deliveries.signature_kind`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Base64 => "base64",
            Self::Hex => "hex",
        }
    }
}

/// Which secret verified a body, and how the signature was written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// The label of the secret that matched.
    pub label: String,
    /// Base64 or hex.
    pub kind: SignatureKind,
}

const DIGEST_LEN: usize = 32;

/// Checks `header` against `body` under each secret in turn (constant-time comparison per
/// secret). `None` when the header is malformed or no secret matches.
pub fn verify(secrets: &[WebhookSecret], body: &[u8], header: &str) -> Option<Verified> {
    let header = header.trim();
    let (digest, kind) = match STANDARD.decode(header) {
        Ok(bytes) if bytes.len() == DIGEST_LEN => (bytes, SignatureKind::Base64),
        _ => (decode_hex(header).filter(|bytes| bytes.len() == DIGEST_LEN)?, SignatureKind::Hex),
    };
    secrets
        .iter()
        .find(|secret| matches(secret, body, &digest))
        .map(|secret| Verified { label: secret.label.clone(), kind })
}

fn matches(secret: &WebhookSecret, body: &[u8], digest: &[u8]) -> bool {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret.key.expose_secret().as_bytes()) else {
        return false;
    };
    mac.update(body);
    mac.verify_slice(digest).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) || !hex.is_ascii() {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// The Base64 signature the network would send for `body` under `key` (tests, forwarding).
pub fn sign_base64(key: &[u8], body: &[u8]) -> String {
    STANDARD.encode(digest(key, body))
}

/// The same digest as lowercase hex.
pub fn sign_hex(key: &[u8], body: &[u8]) -> String {
    digest(key, body).iter().map(|b| format!("{b:02x}")).collect()
}

fn digest(key: &[u8], body: &[u8]) -> Vec<u8> {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(key) else {
        unreachable!("HMAC accepts keys of any length");
    };
    mac.update(body);
    mac.finalize().into_bytes().to_vec()
}

/// Lowercase hex SHA-256 of a body: the inbox's dedupe key.
pub fn body_sha256(body: &[u8]) -> String {
    Sha256::digest(body).iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secret(label: &str, key: &str) -> WebhookSecret {
        WebhookSecret { label: label.into(), key: SecretString::from(key) }
    }

    const BODY: &[u8] = br#"{"event":"v3.post.didCreate","data":{"posts":[]}}"#;

    #[test]
    fn a_known_vector_verifies_in_base64_and_hex() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let key = "Jefe";
        let data = b"what do ya want for nothing?";
        let hex = "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843";
        assert_eq!(sign_hex(key.as_bytes(), data), hex);
        let secrets = [secret("current", key)];
        assert_eq!(
            verify(&secrets, data, &sign_base64(key.as_bytes(), data)),
            Some(Verified { label: "current".into(), kind: SignatureKind::Base64 })
        );
        assert_eq!(
            verify(&secrets, data, hex),
            Some(Verified { label: "current".into(), kind: SignatureKind::Hex })
        );
        assert_eq!(verify(&secrets, data, &hex.to_uppercase()).map(|v| v.kind), Some(SignatureKind::Hex));
    }

    #[test]
    fn a_tampered_body_a_wrong_secret_or_a_malformed_header_is_refused() {
        let secrets = [secret("current", "s3cret")];
        let good = sign_base64(b"s3cret", BODY);
        assert!(verify(&secrets, BODY, &good).is_some());
        assert_eq!(verify(&secrets, br#"{"event":"v3.post.didCreate","data":{"posts":[1]}}"#, &good), None);
        assert_eq!(verify(&[secret("current", "other")], BODY, &good), None);
        assert_eq!(verify(&secrets, BODY, ""), None);
        assert_eq!(verify(&secrets, BODY, "not a signature"), None);
        assert_eq!(verify(&secrets, BODY, &good[..good.len() - 4]), None, "truncated");
        assert_eq!(verify(&secrets, BODY, &sign_hex(b"s3cret", BODY)[2..]), None, "odd hex");
        assert_eq!(verify(&[], BODY, &good), None, "no secret configured");
    }

    #[test]
    fn during_rotation_either_secret_verifies_and_says_which() {
        let secrets = [secret("old", "first-secret"), secret("new", "second-secret")];
        let by_old = verify(&secrets, BODY, &sign_base64(b"first-secret", BODY)).expect("old verifies");
        let by_new = verify(&secrets, BODY, &sign_hex(b"second-secret", BODY)).expect("new verifies");
        assert_eq!((by_old.label.as_str(), by_new.label.as_str()), ("old", "new"));
        assert_eq!(by_new.kind, SignatureKind::Hex);
        assert_eq!(verify(&secrets[1..], BODY, &sign_base64(b"first-secret", BODY)), None, "retired");
    }

    #[test]
    fn the_debug_form_never_shows_the_key() {
        let debug = format!("{:?}", secret("current", "hunter2-hunter2"));
        assert!(debug.contains("current") && !debug.contains("hunter2"), "{debug}");
    }
}
