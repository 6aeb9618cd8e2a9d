//! Secrets the console stores (forward targets' signing secrets) are sealed with
//! XChaCha20-Poly1305 under a key that is not in the database, so a copy of the database
//! file alone does not give them away.
//!
//! The key comes from `database.secret_key` (`CONSOLE_DATABASE_SECRET_KEY`, 32 bytes as
//! Base64 or hex), else from the file `database.secret_key_file`, else from `secret.key` next
//! to the database, which is generated (0600) on the first start. A sealed value is
//! `v1:` + Base64(24-byte random nonce ‖ ciphertext ‖ tag); the associated data names what
//! the secret belongs to, so a sealed value copied to another row does not open.

use base64::Engine;
use chacha20poly1305::{
    XChaCha20Poly1305, XNonce,
    aead::{Aead, KeyInit, Payload},
};
use secrecy::{ExposeSecret, SecretString};
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

/// The prefix of a sealed value.
const PREFIX: &str = "v1:";
/// Bytes in a key.
const KEY_BYTES: usize = 32;
/// Bytes in a nonce.
const NONCE_BYTES: usize = 24;
/// The name of the generated key file, next to the database.
pub const GENERATED_KEY_FILE: &str = "secret.key";

/// Where the key comes from.
#[derive(Clone, Debug)]
pub enum KeySource {
    /// Given in the configuration (`database.secret_key`).
    Configured(SecretString),
    /// Read from this file (`database.secret_key_file`).
    File(PathBuf),
    /// Read from this file, generated there first if it does not exist.
    Generated(PathBuf),
}

/// Why a key could not be had, or a value not be opened.
#[derive(Debug, thiserror::Error)]
pub enum SecretBoxError {
    /// The key is not 32 bytes as Base64 or hex.
    #[error(
        "the secret key {0} is not 32 bytes written as Base64 or hex (generate one with `openssl rand -base64 32`)"
    )]
    BadKey(String),
    /// The key file could not be read or written.
    #[error("the secret key file {path}: {error}")]
    File {
        /// The file.
        path: String,
        /// What went wrong.
        error: std::io::Error,
    },
    /// The value was sealed under another key, for another owner, or is damaged.
    #[error("a stored secret could not be opened (another key, or damaged)")]
    Open,
}

/// Seals and opens stored secrets. Cheap to clone; never prints its key.
#[derive(Clone)]
pub struct SecretBox {
    cipher: Arc<XChaCha20Poly1305>,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox")
    }
}

/// 32 key bytes from Base64 (standard or URL-safe, padded or not) or hex text.
pub fn parse_key(text: &str) -> Option<[u8; KEY_BYTES]> {
    use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
    let text = text.trim();
    let hex = || {
        (text.len() == KEY_BYTES * 2 && text.is_ascii())
            .then(|| {
                (0..KEY_BYTES)
                    .map(|i| u8::from_str_radix(&text[i * 2..i * 2 + 2], 16).ok())
                    .collect::<Option<Vec<u8>>>()
            })
            .flatten()
    };
    let bytes = hex().or_else(|| {
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(text).ok())
    })?;
    bytes.try_into().ok()
}

impl SecretBox {
    /// A box with this key.
    pub fn new(key: &[u8; KEY_BYTES]) -> Self {
        Self { cipher: Arc::new(XChaCha20Poly1305::new(&(*key).into())) }
    }

    /// Loads the key from `source`, generating the key file if that is the source and it
    /// does not exist yet. Answers the box and whether a key was generated now.
    pub fn load(source: &KeySource) -> Result<(Self, bool), SecretBoxError> {
        let read = |path: &Path| {
            std::fs::read_to_string(path)
                .map_err(|error| SecretBoxError::File { path: path.display().to_string(), error })
        };
        let from_text = |text: &str, origin: String| {
            parse_key(text).map(|key| Self::new(&key)).ok_or(SecretBoxError::BadKey(origin))
        };
        match source {
            KeySource::Configured(key) => {
                Ok((from_text(key.expose_secret(), "database.secret_key".into())?, false))
            }
            KeySource::File(path) => Ok((from_text(&read(path)?, format!("in {}", path.display()))?, false)),
            KeySource::Generated(path) => match generate_key_file(path) {
                Ok(key) => Ok((Self::new(&key), true)),
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
                    Ok((from_text(&read(path)?, format!("in {}", path.display()))?, false))
                }
                Err(error) => Err(SecretBoxError::File { path: path.display().to_string(), error }),
            },
        }
    }

    /// Seals `plain` for `owner` (e.g. `forward_target:crm`).
    pub fn seal(&self, plain: &str, owner: &str) -> String {
        let nonce = crate::secure_random::bytes::<NONCE_BYTES>();
        let payload = Payload { msg: plain.as_bytes(), aad: owner.as_bytes() };
        // Encryption fails only for messages longer than the cipher's limit (256 GiB).
        let sealed = self.cipher.encrypt(&XNonce::from(nonce), payload).unwrap_or_default();
        let mut bytes = nonce.to_vec();
        bytes.extend_from_slice(&sealed);
        format!("{PREFIX}{}", base64::engine::general_purpose::STANDARD.encode(bytes))
    }

    /// Opens a value [`Self::seal`]ed for `owner`.
    pub fn open(&self, sealed: &str, owner: &str) -> Result<SecretString, SecretBoxError> {
        let encoded = sealed.strip_prefix(PREFIX).ok_or(SecretBoxError::Open)?;
        let bytes =
            base64::engine::general_purpose::STANDARD.decode(encoded).map_err(|_| SecretBoxError::Open)?;
        if bytes.len() < NONCE_BYTES {
            return Err(SecretBoxError::Open);
        }
        let (nonce, ciphertext) = bytes.split_at(NONCE_BYTES);
        let nonce: [u8; NONCE_BYTES] = nonce.try_into().map_err(|_| SecretBoxError::Open)?;
        let payload = Payload { msg: ciphertext, aad: owner.as_bytes() };
        let plain = self.cipher.decrypt(&XNonce::from(nonce), payload).map_err(|_| SecretBoxError::Open)?;
        String::from_utf8(plain).map(SecretString::from).map_err(|_| SecretBoxError::Open)
    }
}

/// Writes a new random key to `path` (0600, created only if absent) and returns it.
fn generate_key_file(path: &Path) -> std::io::Result<[u8; KEY_BYTES]> {
    use std::io::Write;
    let key = crate::secure_random::bytes::<KEY_BYTES>();
    let mut file = crate::db::private_file_options().create_new(true).open(path)?;
    writeln!(file, "{}", base64::engine::general_purpose::STANDARD.encode(key))?;
    file.sync_all()?;
    Ok(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finding_9_files_a_sealed_secret_opens_only_with_its_key_and_owner() {
        let sealed_box = SecretBox::new(&[7; KEY_BYTES]);
        let sealed = sealed_box.seal("target-secret-0123456789", "forward_target:crm");
        assert!(sealed.starts_with("v1:") && !sealed.contains("target-secret"), "{sealed}");
        assert_ne!(sealed, sealed_box.seal("target-secret-0123456789", "forward_target:crm"), "fresh nonce");
        let opened = sealed_box.open(&sealed, "forward_target:crm").expect("opens");
        assert_eq!(opened.expose_secret(), "target-secret-0123456789");
        assert!(sealed_box.open(&sealed, "forward_target:other").is_err(), "bound to its owner");
        assert!(SecretBox::new(&[8; KEY_BYTES]).open(&sealed, "forward_target:crm").is_err());
        assert!(sealed_box.open("target-secret-0123456789", "forward_target:crm").is_err());
    }

    #[test]
    fn keys_are_read_as_base64_or_hex() {
        let key = [0xab_u8; KEY_BYTES];
        let base64 = base64::engine::general_purpose::STANDARD.encode(key);
        assert_eq!(parse_key(&format!(" {base64}\n")), Some(key));
        assert_eq!(parse_key(&"ab".repeat(KEY_BYTES)), Some(key));
        assert_eq!(parse_key("too short"), None);
        assert_eq!(parse_key(&base64::engine::general_purpose::STANDARD.encode([1_u8; 16])), None);
    }

    #[cfg(unix)]
    #[test]
    fn finding_9_files_the_generated_key_file_is_0600_and_reused() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join(GENERATED_KEY_FILE);
        let (first, generated) = SecretBox::load(&KeySource::Generated(path.clone())).expect("generated");
        assert!(generated);
        let mode = std::fs::metadata(&path).expect("file").permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "only the console's user reads the key");
        let (second, generated) = SecretBox::load(&KeySource::Generated(path)).expect("read back");
        assert!(!generated, "the second start reads the key it made");
        let sealed = first.seal("s", "o");
        assert_eq!(second.open(&sealed, "o").expect("same key").expose_secret(), "s");
    }
}
