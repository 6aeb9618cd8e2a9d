//! The console database (SQLite, WAL) and its migrations, in files only the console's user
//! can read: the folder is created 0700 and the database with its `-wal` and `-shm` files is
//! 0600 (SQLite gives those companions the main file's mode, so the main file is created
//! 0600 before SQLite opens it).

use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::{path::Path, time::Duration};

/// Opens the database file (creating it and its folder if needed) and migrates it.
pub async fn open(path: &Path) -> Result<SqlitePool, sqlx::Error> {
    private_database_files(path).map_err(sqlx::Error::Io)?;
    let options = SqliteConnectOptions::new()
        .filename(path)
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .busy_timeout(Duration::from_secs(5));
    let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
    sqlx::migrate!("./migrations").run(&pool).await?;
    Ok(pool)
}

/// Options that create a file only its owner may read or write (0600 on Unix).
pub fn private_file_options() -> std::fs::OpenOptions {
    let mut options = std::fs::OpenOptions::new();
    options.write(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options
}

/// Creates `dir` and its parents 0700 when missing. An existing folder is left as it is,
/// with a warning when others may read it.
pub fn private_dir(dir: &Path) -> std::io::Result<()> {
    if dir.as_os_str().is_empty() {
        return Ok(());
    }
    if dir.exists() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir)?.permissions().mode();
            if mode & 0o077 != 0 {
                tracing::warn!(
                    dir = %dir.display(),
                    mode = format!("{:o}", mode & 0o777),
                    "the data folder is open to other users; `chmod 700` it"
                );
            }
        }
        return Ok(());
    }
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
}

/// Makes `path` (an SQLite database) and its `-wal`, `-shm` and `-journal` files, those that
/// exist, readable by their owner only; creates the folder (0700) and an empty 0600 file
/// when there is none, so SQLite never creates them with its default 0644.
pub fn private_database_files(path: &Path) -> std::io::Result<()> {
    if let Some(parent) = path.parent() {
        private_dir(parent)?;
    }
    private_file_options().create(true).truncate(false).open(path)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let mut name = path.as_os_str().to_owned();
            name.push(suffix);
            let file = std::path::PathBuf::from(name);
            if file.exists() {
                std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600))?;
            }
        }
    }
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).expect("exists").permissions().mode() & 0o777
    }

    #[tokio::test]
    async fn finding_9_files_the_data_folder_is_0700_and_the_database_files_0600() {
        let root = tempfile::tempdir().expect("dir");
        let dir = root.path().join("data");
        let path = dir.join("console.sqlite");
        let db = open(&path).await.expect("opens");
        sqlx::query("CREATE TABLE probe (x)").execute(&db).await.expect("a write makes the WAL");
        assert_eq!(mode(&dir), 0o700);
        for suffix in ["", "-wal", "-shm"] {
            let file = dir.join(format!("console.sqlite{suffix}"));
            assert_eq!(mode(&file), 0o600, "{}", file.display());
        }
    }

    #[tokio::test]
    async fn finding_9_files_an_existing_readable_database_is_made_private() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("console.sqlite");
        std::fs::write(&path, b"").expect("an empty file is a new database to SQLite");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
        drop(open(&path).await.expect("opens"));
        assert_eq!(mode(&path), 0o600);
    }
}
