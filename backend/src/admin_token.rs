//! The network's admin token on the console's side: one shared [`TokenSource`] the upstream
//! client reads on every request, a watcher that picks up a rotated secret file, and the
//! regeneration use-case (Social+ issues a new token → it is written to the secret file
//! atomically → swapped in memory → audited, [`regenerate_for`]).
//!
//! The watcher polls the file's modification time every few seconds instead of using the
//! `notify` crate: one `stat` per interval costs nothing, needs no new dependency (notify
//! pulls in inotify/kqueue/FSEvents back-ends), and works on the bind-mounted and symlinked
//! secret files of Kubernetes and Docker, where inotify events are unreliable.

use crate::Error;
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::{
    path::{Path, PathBuf},
    sync::{Arc, RwLock},
    time::{Duration, SystemTime},
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use types::admin_token::AdminTokenInfo;
use upstream::endpoints::admin_token::RegenerateAdminToken;
use upstream::{Client, TokenSource};

/// Where the token comes from, which decides whether the console may regenerate it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TokenOrigin {
    /// A secret file the console may rewrite (and watches).
    File(PathBuf),
    /// An environment variable: a new token could not be stored, so regeneration is refused.
    Environment,
    /// The embedded stand-in, which lives as long as the process: the new token is kept in
    /// memory only.
    EmbeddedStandIn,
}

/// The admin token and what the console knows about it. Cheap to clone.
#[derive(Clone, Debug)]
pub struct AdminToken {
    source: TokenSource,
    origin: TokenOrigin,
    /// Expiry reported by the last regeneration (for tokens that do not carry their own).
    known_expiry: Arc<RwLock<Option<String>>>,
}

/// Why a regeneration did not happen or did not finish.
#[derive(Debug, thiserror::Error)]
pub enum RegenerateError {
    /// The token comes from the environment; the operator must store a new one.
    #[error(
        "The admin token comes from the CONSOLE_UPSTREAM_ADMIN_TOKEN environment variable, where the \
         console cannot store a new one. Regenerating it here would leave the console with a token \
         nobody could keep. Configure a secret file (CONSOLE_UPSTREAM_ADMIN_TOKEN_FILE) to regenerate \
         from the console, or regenerate it in the Social+ console and update the variable."
    )]
    NotStorable,
    /// Social+ refused or failed.
    #[error(transparent)]
    Upstream(#[from] upstream::Error),
    /// The new token is in use but could not be written to the secret file.
    #[error(
        "Social+ issued a new token and the console is using it, but it could not be written to the \
         secret file ({0}). The old token no longer works: store the new token before the console \
         restarts (regenerate again once the file is writable)."
    )]
    NotSaved(String),
}

impl From<RegenerateError> for Error {
    fn from(error: RegenerateError) -> Self {
        match error {
            RegenerateError::Upstream(e) => Error::from(e),
            other => Error::Internal(other.to_string()),
        }
    }
}

impl AdminToken {
    /// The token in `source`, read from `origin`.
    pub fn new(source: TokenSource, origin: TokenOrigin) -> Self {
        Self { source, origin, known_expiry: Arc::new(RwLock::new(None)) }
    }

    /// The shared slot the upstream client reads.
    pub fn source(&self) -> &TokenSource {
        &self.source
    }

    /// Where the token comes from.
    pub fn origin(&self) -> &TokenOrigin {
        &self.origin
    }

    /// What the Settings page shows.
    pub fn info(&self) -> AdminTokenInfo {
        let token = self.source.current();
        let known = self.known_expiry.read().map(|g| g.clone()).unwrap_or_default();
        AdminTokenInfo {
            fingerprint: fingerprint(token.expose_secret()),
            expires_at: jwt_expiry(token.expose_secret()).or(known),
            source: match &self.origin {
                TokenOrigin::File(path) => format!("secret file {}", path.display()),
                TokenOrigin::Environment => "environment variable CONSOLE_UPSTREAM_ADMIN_TOKEN".into(),
                TokenOrigin::EmbeddedStandIn => "embedded stand-in (kept in memory)".into(),
            },
            regenerate_refused: (self.origin == TokenOrigin::Environment)
                .then(|| RegenerateError::NotStorable.to_string()),
        }
    }

    /// Asks Social+ for a new token, stores it, and starts using it. Returns the
    /// fingerprints before and after. Never returns the token.
    pub async fn regenerate(&self, upstream: &Client) -> Result<(String, String), RegenerateError> {
        if self.origin == TokenOrigin::Environment {
            return Err(RegenerateError::NotStorable);
        }
        let before = fingerprint(self.source.current().expose_secret());
        let issued = upstream.send(&RegenerateAdminToken).await?;
        let token = SecretString::from(issued.admin_token.trim().to_owned());
        let after = fingerprint(token.expose_secret());
        let saved = match &self.origin {
            TokenOrigin::File(path) => {
                write_atomically(path, token.expose_secret()).map_err(|e| e.to_string())
            }
            _ => Ok(()),
        };
        // Swap even when saving failed: the old token is already dead upstream.
        self.source.replace(token);
        if let Ok(mut known) = self.known_expiry.write() {
            *known = issued.expires_at.clone();
        }
        saved.map_err(RegenerateError::NotSaved)?;
        Ok((before, after))
    }

    /// Watches the secret file (if any) every `every` and swaps in a changed token, calling
    /// `on_change(before, after)` with the fingerprints. Runs until the task is dropped.
    pub async fn watch(self, every: Duration, on_change: impl Fn(String, String) + Send + 'static) {
        let TokenOrigin::File(path) = self.origin.clone() else {
            return;
        };
        let mut seen = modified(&path);
        let mut ticker = tokio::time::interval(every);
        ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            ticker.tick().await;
            let now = modified(&path);
            if now == seen {
                continue;
            }
            seen = now;
            match read_token_file(&path) {
                Ok(token) if token.expose_secret() != self.source.current().expose_secret() => {
                    let before = fingerprint(self.source.current().expose_secret());
                    let after = fingerprint(token.expose_secret());
                    self.source.replace(token);
                    tracing::info!(path = %path.display(), %before, %after, "admin token file changed; using the new token");
                    on_change(before, after);
                }
                Ok(_) => {}
                Err(why) => {
                    tracing::warn!(path = %path.display(), %why, "admin token file changed but cannot be used; keeping the current token");
                }
            }
        }
    }
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

/// Reads a token file: trimmed, non-empty.
pub fn read_token_file(path: &Path) -> Result<SecretString, String> {
    let text = std::fs::read_to_string(path).map_err(|e| e.to_string())?;
    let token = text.trim();
    if token.is_empty() {
        return Err("the file is empty".into());
    }
    Ok(SecretString::from(token.to_owned()))
}

/// Writes `token` to `path` so that readers see the old file or the new one, never half of
/// one: a temporary file in the same folder (mode 0600), synced, then renamed over `path`.
pub fn write_atomically(path: &Path, token: &str) -> std::io::Result<()> {
    use std::io::Write;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "token".into());
    let temp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let written = options.open(&temp).and_then(|mut file| {
        file.write_all(token.as_bytes())?;
        file.write_all(b"\n")?;
        file.sync_all()
    });
    let renamed = written.and_then(|()| std::fs::rename(&temp, path));
    if renamed.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    renamed
}

/// First 4 hex digits of the SHA-256 and the length: enough to tell tokens apart, useless
/// for guessing one.
pub fn fingerprint(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    format!("{:02x}{:02x}… ({} characters)", digest[0], digest[1], token.chars().count())
}

/// The `exp` claim of a JWT, as RFC 3339; `None` for anything that is not a JWT with one.
/// The signature is not checked: this is for display only.
pub fn jwt_expiry(token: &str) -> Option<String> {
    let mut parts = token.split('.');
    let (_header, payload, _signature) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some() {
        return None;
    }
    let claims: serde_json::Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()?;
    let exp = claims.get("exp")?.as_i64()?;
    OffsetDateTime::from_unix_timestamp(exp).ok()?.format(&Rfc3339).ok()
}

/// An admin regenerating the token, as one use-case: `confirmation` must be the word
/// [`types::admin_token::REGENERATE_CONFIRMATION`]; the outcome is audited as
/// `regenerate_admin_token` with the fingerprints before and after and `reason` (cut to 500
/// characters). Answers the new token's fingerprint and expiry, never the token.
pub async fn regenerate_for(
    services: &crate::Services,
    actor: &crate::Actor,
    confirmation: &str,
    reason: &str,
) -> Result<AdminTokenInfo, Error> {
    use crate::audit::{self, Change, Outcome};
    use types::admin_token::REGENERATE_CONFIRMATION;
    if confirmation.trim() != REGENERATE_CONFIRMATION {
        return Err(Error::invalid("confirmation", format!("type “{REGENERATE_CONFIRMATION}” to confirm")));
    }
    let reason = reason.trim().chars().take(500).collect::<String>();
    let reason = (!reason.is_empty()).then_some(reason.as_str());
    let token = &services.admin_token;
    let (outcome, change, result) = match token.regenerate(services.upstream.as_ref()).await {
        Ok((before, after)) => {
            let change = Change {
                reason,
                before: Some(serde_json::json!({ "fingerprint": before })),
                after: Some(serde_json::json!({ "fingerprint": after })),
                upstream_status: Some(200),
            };
            (Outcome::Success, change, Ok(token.info()))
        }
        Err(RegenerateError::NotStorable) => {
            let change = Change { reason, ..Default::default() };
            let refused = Error::invalid("admin_token", RegenerateError::NotStorable.to_string());
            (Outcome::Denied, change, Err(refused))
        }
        Err(RegenerateError::Upstream(error)) => {
            let change = Change { reason, upstream_status: error.status(), ..Default::default() };
            (Outcome::Failed, change, Err(error.into()))
        }
        Err(not_saved @ RegenerateError::NotSaved(_)) => {
            tracing::error!(request_id = ?actor.request_id, error = %not_saved, "new admin token not saved");
            let change = Change { reason, upstream_status: Some(200), ..Default::default() };
            (Outcome::Failed, change, Err(Error::invalid("admin_token_file", not_saved.to_string())))
        }
    };
    audit::record(&services.db, actor, "regenerate_admin_token", Some("admin_token"), outcome, change).await;
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &str) -> String {
        format!("eyJhbGciOiJIUzI1NiJ9.{}.c2ln", URL_SAFE_NO_PAD.encode(claims))
    }

    #[test]
    fn the_fingerprint_shows_four_hex_digits_and_the_length_never_the_token() {
        let token = "abcdefghijklmnopqrstuvwxyz0123456789";
        let print = fingerprint(token);
        assert!(print.ends_with("… (36 characters)"), "{print}");
        assert_eq!(print.split('…').next().map(str::len), Some(4));
        assert!(!print.contains("abcd"));
        assert_ne!(fingerprint("a"), fingerprint("b"));
    }

    #[test]
    fn the_expiry_of_a_jwt_is_read_from_its_exp_claim() {
        assert_eq!(jwt_expiry(&jwt(r#"{"exp":1798761600}"#)).as_deref(), Some("2027-01-01T00:00:00Z"));
        assert_eq!(jwt_expiry(&jwt(r#"{"sub":"x"}"#)), None);
        assert_eq!(jwt_expiry("64-hex-characters-not-a-jwt"), None);
        assert_eq!(jwt_expiry("a.b.c.d"), None);
    }

    #[test]
    fn an_atomic_write_leaves_only_the_new_token_readable_by_the_owner() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "old").expect("write");
        write_atomically(&path, "new-token").expect("written");
        assert_eq!(read_token_file(&path).expect("read").expose_secret(), "new-token");
        let leftovers = std::fs::read_dir(dir.path()).expect("list").count();
        assert_eq!(leftovers, 1, "no temporary file is left behind");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).expect("stat").permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[tokio::test]
    async fn the_watcher_swaps_in_a_rotated_file_and_ignores_an_empty_one() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("token");
        std::fs::write(&path, "first\n").expect("write");
        let source = TokenSource::from(SecretString::from("first"));
        let token = AdminToken::new(source.clone(), TokenOrigin::File(path.clone()));
        let (sender, mut changes) = tokio::sync::mpsc::unbounded_channel();
        let watcher = tokio::spawn(token.watch(Duration::from_millis(20), move |before, after| {
            let _ = sender.send((before, after));
        }));
        tokio::time::sleep(Duration::from_millis(60)).await;
        std::fs::write(&path, "").expect("truncate");
        tokio::time::sleep(Duration::from_millis(60)).await;
        assert_eq!(source.current().expose_secret(), "first", "an empty file is ignored");
        write_atomically(&path, "second").expect("rotate");
        let (before, after) = tokio::time::timeout(Duration::from_secs(5), changes.recv())
            .await
            .expect("noticed")
            .expect("change");
        assert_eq!((before, after), (fingerprint("first"), fingerprint("second")));
        assert_eq!(source.current().expose_secret(), "second");
        watcher.abort();
    }
}
