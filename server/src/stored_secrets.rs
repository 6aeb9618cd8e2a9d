//! The key that seals secrets stored in the console database (issue 13 finding 9): where it
//! comes from (`[database] secret_key`, `secret_key_file`, else a generated `secret.key`
//! next to the database), and sealing rows stored in plain text by earlier versions.

use crate::config::DatabaseSettings;
use anyhow::Context;
use backend::secret_box::{GENERATED_KEY_FILE, KeySource, SecretBox, parse_key};
use secrecy::ExposeSecret;

/// Where the key comes from; a configured key that is not 32 bytes is added to `problems`.
pub fn key_source(database: &DatabaseSettings, problems: &mut Vec<String>) -> KeySource {
    match (&database.secret_key, &database.secret_key_file) {
        (Some(key), _) if !key.expose_secret().trim().is_empty() => {
            if parse_key(key.expose_secret()).is_none() {
                problems.push(
                    "database.secret_key (CONSOLE_DATABASE_SECRET_KEY) must be 32 bytes as Base64 or \
                     hex, e.g. the output of `openssl rand -base64 32`"
                        .into(),
                );
            }
            KeySource::Configured(key.clone())
        }
        (_, Some(file)) => KeySource::File(file.clone()),
        _ => {
            let dir = database.path.parent().unwrap_or_else(|| std::path::Path::new(""));
            KeySource::Generated(dir.join(GENERATED_KEY_FILE))
        }
    }
}

/// Loads (or generates) the key and seals the secrets stored in plain text before.
pub async fn open(source: &KeySource, db: &sqlx::SqlitePool) -> anyhow::Result<SecretBox> {
    let (secrets, generated) = SecretBox::load(source).context("loading the key for stored secrets")?;
    if let (true, KeySource::Generated(path)) = (generated, source) {
        tracing::warn!(
            file = %path.display(),
            "generated the key that seals stored secrets; keep it with backups of the database \
             (without it the forward targets' secrets cannot be read)"
        );
    }
    let sealed = backend::rules::forward::seal_plain_secrets(db, &secrets)
        .await
        .context("sealing forward targets' secrets stored in plain text")?;
    if sealed > 0 {
        tracing::info!(sealed, "sealed forward targets' secrets stored in plain text by an earlier version");
    }
    Ok(secrets)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    #[test]
    fn finding_9_files_the_key_comes_from_the_configuration_a_file_or_next_to_the_database() {
        let mut problems = Vec::new();
        let database = DatabaseSettings { path: "data/console.sqlite".into(), ..DatabaseSettings::default() };
        let source = key_source(&database, &mut problems);
        assert!(
            matches!(&source, KeySource::Generated(path) if path.as_path() == std::path::Path::new("data/secret.key"))
        );
        let from_file =
            DatabaseSettings { secret_key_file: Some("/run/key".into()), ..DatabaseSettings::default() };
        assert!(matches!(key_source(&from_file, &mut problems), KeySource::File(_)));
        assert!(problems.is_empty(), "{problems:?}");
        let bad = DatabaseSettings {
            secret_key: Some(SecretString::from("hunter2")),
            ..DatabaseSettings::default()
        };
        key_source(&bad, &mut problems);
        assert_eq!(problems.len(), 1);
        assert!(!problems[0].contains("hunter2"), "the key is not repeated: {problems:?}");
    }
}
