//! Opening the stand-in's SQLite database and applying its schema.

use crate::Storage;
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::time::Duration;

/// Creates the folder (0700) and the database file (0600) when missing and makes the file
/// and its `-wal`/`-shm` companions 0600: SQLite gives the companions the main file's mode.
/// (The console's own database does the same in `backend::db`.)
fn private_files(path: &std::path::Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty() && !p.exists()) {
        let mut builder = std::fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
        builder.create(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path)?;
    #[cfg(unix)]
    for suffix in ["", "-wal", "-shm", "-journal"] {
        use std::os::unix::fs::PermissionsExt;
        let mut name = path.as_os_str().to_owned();
        name.push(suffix);
        let file = std::path::PathBuf::from(name);
        if file.exists() {
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    Ok(())
}

/// Opens the database (creating the file if needed) and migrates it.
pub async fn open(storage: &Storage) -> anyhow::Result<SqlitePool> {
    let options = match storage {
        Storage::File(path) => {
            private_files(path)?;
            SqliteConnectOptions::new()
                .filename(path)
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
        }
        // A shared-cache in-memory database lives as long as one connection does; keep the
        // pool at one connection that never idles out so the data survives.
        Storage::Memory => SqliteConnectOptions::new().in_memory(true),
    }
    .busy_timeout(Duration::from_secs(5));
    let max_connections = match storage {
        Storage::File(_) => 8,
        Storage::Memory => 1,
    };
    let pool = SqlitePoolOptions::new()
        .max_connections(max_connections)
        .min_connections(1)
        .idle_timeout(None)
        .max_lifetime(None)
        .connect_with(options)
        .await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[tokio::test]
    async fn finding_9_files_the_stand_ins_database_is_private_to_its_user() {
        let root = tempfile::tempdir().expect("dir");
        let dir = root.path().join("data");
        let path = dir.join("standin.sqlite");
        let pool = open(&Storage::File(path.clone())).await.expect("opens");
        sqlx::query("CREATE TABLE probe (x)").execute(&pool).await.expect("a write");
        let mode = |p: &std::path::Path| std::fs::metadata(p).expect("exists").permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        for suffix in ["", "-wal", "-shm"] {
            assert_eq!(mode(&dir.join(format!("standin.sqlite{suffix}"))), 0o600, "{suffix}");
        }
    }
}
