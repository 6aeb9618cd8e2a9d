//! Where the client reads its admin token from on every request. The token can be replaced
//! while the console runs (a rotated secret file, a regeneration from the Settings page), so
//! every clone of a [`TokenSource`] shares one slot.

use secrecy::SecretString;
use std::sync::{Arc, RwLock};

/// A shared, replaceable admin token.
#[derive(Clone)]
pub struct TokenSource(Arc<RwLock<SecretString>>);

impl std::fmt::Debug for TokenSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenSource([redacted])")
    }
}

impl From<SecretString> for TokenSource {
    fn from(token: SecretString) -> Self {
        Self(Arc::new(RwLock::new(token)))
    }
}

impl TokenSource {
    /// The token to send now.
    pub fn current(&self) -> SecretString {
        // A poisoned lock only means a writer panicked while assigning; the value is whole.
        match self.0.read() {
            Ok(guard) => guard.clone(),
            Err(poisoned) => poisoned.into_inner().clone(),
        }
    }

    /// Makes `token` the one every clone sends from now on.
    pub fn replace(&self, token: SecretString) {
        let mut guard = match self.0.write() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        *guard = token;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn every_clone_sees_a_replacement() {
        let source = TokenSource::from(SecretString::from("old"));
        let clone = source.clone();
        source.replace(SecretString::from("new"));
        assert_eq!(clone.current().expose_secret(), "new");
        assert!(!format!("{clone:?}").contains("new"));
    }
}
