//! Opening the stand-in's SQLite database and applying its schema.

use crate::Storage;
use sqlx::{
    SqlitePool,
    sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous},
};
use std::time::Duration;

/// Opens the database (creating the file if needed) and migrates it.
pub async fn open(storage: &Storage) -> anyhow::Result<SqlitePool> {
    let options = match storage {
        Storage::File(path) => {
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent)?;
            }
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
