//! The local bootstrap admin: one account whose password comes from the environment or is
//! generated at start. It exists for the embedded default; in region mode it is refused
//! unless explicitly enabled (SSO is the way in there).

use crate::{Error, secure_random};
use argon2::{
    Argon2, PasswordHash, PasswordHasher, PasswordVerifier,
    password_hash::{SaltString, rand_core::OsRng},
};
use secrecy::{ExposeSecret, SecretString};
use types::{CurrentUser, Role, access::SignInMethod};

/// The bootstrap account. Only an Argon2id hash of the password is kept.
pub struct BootstrapAdmin {
    username: String,
    password_hash: String,
}

impl std::fmt::Debug for BootstrapAdmin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BootstrapAdmin").field("username", &self.username).finish_non_exhaustive()
    }
}

/// A fresh password for when none is configured: 20 readable characters (≈ 116 bits).
pub fn generate_password() -> SecretString {
    SecretString::from(secure_random::readable_secret(20))
}

impl BootstrapAdmin {
    /// Hashes the password; slow on purpose (Argon2id), so call it once at start.
    pub fn new(username: &str, password: &SecretString) -> Result<Self, Error> {
        let salt = SaltString::generate(&mut OsRng);
        let password_hash = Argon2::default()
            .hash_password(password.expose_secret().as_bytes(), &salt)
            .map_err(|e| Error::Internal(format!("hashing the bootstrap password: {e}")))?
            .to_string();
        Ok(Self { username: username.to_owned(), password_hash })
    }

    /// The account name.
    pub fn username(&self) -> &str {
        &self.username
    }

    /// The signed-in user if both name and password match. Runs the hash off the async
    /// threads; takes the same time whether or not the name matches.
    pub async fn verify(
        self: &std::sync::Arc<Self>,
        username: &str,
        password: SecretString,
    ) -> Result<Option<CurrentUser>, Error> {
        let admin = self.clone();
        let username = username.to_owned();
        tokio::task::spawn_blocking(move || {
            let parsed = PasswordHash::new(&admin.password_hash)
                .map_err(|e| Error::Internal(format!("stored hash unreadable: {e}")))?;
            let password_ok =
                Argon2::default().verify_password(password.expose_secret().as_bytes(), &parsed).is_ok();
            let name_ok = username == admin.username;
            Ok((password_ok && name_ok).then(|| CurrentUser {
                id: format!("bootstrap:{}", admin.username),
                display_name: admin.username.clone(),
                role: Role::Admin,
                method: SignInMethod::Bootstrap,
            }))
        })
        .await
        .map_err(|e| Error::Internal(format!("password check task: {e}")))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[tokio::test]
    async fn only_the_right_name_and_password_sign_in() {
        let admin =
            Arc::new(BootstrapAdmin::new("admin", &SecretString::from("correct horse")).expect("hash"));
        let ok = admin.verify("admin", SecretString::from("correct horse")).await.expect("verify");
        assert_eq!(ok.map(|u| u.role), Some(Role::Admin));
        assert!(admin.verify("admin", SecretString::from("wrong")).await.expect("verify").is_none());
        assert!(admin.verify("root", SecretString::from("correct horse")).await.expect("verify").is_none());
    }

    #[test]
    fn debug_output_never_shows_the_hash() {
        let admin = BootstrapAdmin::new("admin", &SecretString::from("pw")).expect("hash");
        assert!(!format!("{admin:?}").contains("argon2"));
    }
}
