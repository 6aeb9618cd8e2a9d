//! The network's admin token. `POST /api/v1/admin-token` replaces it while the stand-in runs,
//! so it lives behind a lock rather than in a plain string.

use std::sync::{Arc, RwLock};

/// The current admin token, shared by every handler.
#[derive(Clone)]
pub struct AdminToken(Arc<RwLock<Arc<str>>>);

impl std::fmt::Debug for AdminToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("AdminToken(…)")
    }
}

impl AdminToken {
    /// Starts with `token`.
    pub fn new(token: &str) -> Self {
        Self(Arc::new(RwLock::new(Arc::from(token))))
    }

    /// Whether `presented` is the current token (constant time in its length).
    pub fn matches(&self, presented: &str) -> bool {
        constant_time_eq(presented.as_bytes(), self.current().as_bytes())
    }

    /// The current token.
    pub fn current(&self) -> Arc<str> {
        // A poisoned lock only means a writer panicked mid-swap of an `Arc`; the value is whole.
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Makes `token` the only valid one.
    pub fn replace(&self, token: &str) {
        let mut guard = match self.0.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = Arc::from(token);
    }
}

/// Compares without stopping at the first difference, so timing does not reveal the token.
pub(crate) fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_only_when_every_byte_matches() {
        assert!(constant_time_eq(b"secret", b"secret"));
        assert!(!constant_time_eq(b"secret", b"secreT"));
        assert!(!constant_time_eq(b"secret", b"secret2"));
    }

    #[test]
    fn a_replaced_token_stops_matching() {
        let token = AdminToken::new("old");
        assert!(token.matches("old"));
        token.replace("new");
        assert!(!token.matches("old"));
        assert!(token.matches("new"));
    }
}
