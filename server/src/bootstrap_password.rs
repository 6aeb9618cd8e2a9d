//! The bootstrap admin at start: its password configured or generated, and the start banner's
//! line on how to sign in.
//!
//! With the embedded stand-in a generated password is printed in the banner (demo data on
//! one machine). Against a real network (break-glass) it is written to a file only the
//! console's user can read (0600, next to the database) and the banner names the file, not
//! the password: start output lands in service logs, read by more people than should sign in.

use crate::config::BootstrapConfig;
use backend::bootstrap::BootstrapAdmin;
use secrecy::ExposeSecret;
use std::{
    path::{Path, PathBuf},
    sync::Arc,
};

/// The file's name, in the console database's folder.
pub const FILE_NAME: &str = "bootstrap-password";

/// Where a generated password is written in region mode.
pub fn file_for(database_path: &Path) -> PathBuf {
    database_path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new(".")).join(FILE_NAME)
}

/// The bootstrap admin (when enabled) and the banner's line about it.
pub fn bootstrap_admin(
    config: &BootstrapConfig,
    is_remote: bool,
    database_path: &Path,
) -> anyhow::Result<(Option<Arc<BootstrapAdmin>>, String)> {
    if let Some(reason) = &config.disabled_reason {
        tracing::warn!(%reason, "bootstrap admin disabled");
        return Ok((None, "The bootstrap admin is disabled (region mode without SSO).".to_owned()));
    }
    let (password, note) = match &config.password {
        Some(password) => (password.clone(), "the password from CONSOLE_BOOTSTRAP_PASSWORD".to_owned()),
        None if is_remote => {
            let generated = backend::bootstrap::generate_password();
            let file = file_for(database_path);
            backend::admin_token::write_atomically(&file, generated.expose_secret()).map_err(|e| {
                anyhow::anyhow!("writing the generated bootstrap password to {}: {e}", file.display())
            })?;
            let note = format!(
                "the password in {} (generated for this run, readable only by this user; set \
                 CONSOLE_BOOTSTRAP_PASSWORD to choose one)",
                file.display()
            );
            (generated, note)
        }
        None => {
            let generated = backend::bootstrap::generate_password();
            let note = format!(
                "password {} (generated for this run; set CONSOLE_BOOTSTRAP_PASSWORD to choose one)",
                generated.expose_secret()
            );
            (generated, note)
        }
    };
    if is_remote {
        tracing::error!(
            "BREAK-GLASS: the bootstrap admin is enabled against a real Social+ network \
             (bootstrap.break_glass); every sign-in with it is logged and audited"
        );
    }
    let admin = BootstrapAdmin::new(&config.username, &password)?;
    Ok((Some(Arc::new(admin)), format!("Sign in as `{}` with {note}", config.username)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn config(password: Option<&str>) -> BootstrapConfig {
        BootstrapConfig {
            username: "admin".into(),
            password: password.map(|p| SecretString::from(p.to_owned())),
            disabled_reason: None,
            break_glass: true,
        }
    }

    #[test]
    fn finding_13_a_generated_break_glass_password_goes_to_a_private_file_not_the_banner() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("console.sqlite");
        let (admin, note) = bootstrap_admin(&config(None), true, &database).expect("built");
        assert!(admin.is_some());
        let file = dir.path().join(FILE_NAME);
        let password = std::fs::read_to_string(&file).expect("the file is written");
        let password = password.trim();
        assert_eq!(password.len(), 20);
        assert!(!note.contains(password), "{note}");
        assert!(note.contains(&file.display().to_string()), "{note}");
        let mode = std::fs::metadata(&file).expect("metadata").permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    #[test]
    fn the_embedded_default_still_prints_its_generated_password() {
        let dir = tempfile::tempdir().expect("temp dir");
        let (_, note) =
            bootstrap_admin(&config(None), false, &dir.path().join("console.sqlite")).expect("built");
        assert!(note.starts_with("Sign in as `admin` with password "), "{note}");
        assert!(!dir.path().join(FILE_NAME).exists(), "no file for the stand-in");
    }

    #[test]
    fn a_configured_password_is_neither_printed_nor_written() {
        let dir = tempfile::tempdir().expect("temp dir");
        let database = dir.path().join("console.sqlite");
        let (_, note) =
            bootstrap_admin(&config(Some("configured-pass-123")), true, &database).expect("built");
        assert!(!note.contains("configured-pass-123"));
        assert!(!dir.path().join(FILE_NAME).exists());
    }
}
