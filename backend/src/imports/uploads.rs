//! CSV files uploaded without WASM (`POST /imports/upload`, a multipart form): stored so the
//! page can show their dry run and start the import from the stored copy. Each file belongs
//! to the account that uploaded it; files older than their retention (`retention.uploads`,
//! a day by default) cannot be used and are deleted by the periodic prune
//! ([`crate::retention`]).

use sqlx::{Row, SqlitePool};
use std::time::Duration;

/// An uploaded file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Upload {
    /// Its id (in the page URL).
    pub id: String,
    /// The name the browser sent.
    pub file_name: String,
    /// The content.
    pub csv: String,
}

/// Stores `csv` for `created_by`; answers its id.
pub async fn store(
    db: &SqlitePool,
    created_by: &str,
    file_name: &str,
    csv: &str,
) -> Result<String, sqlx::Error> {
    let id: String = crate::secure_random::bytes::<16>().iter().map(|b| format!("{b:02x}")).collect();
    let now = crate::jobs::now_ms();
    sqlx::query(
        "INSERT INTO import_uploads (id, created_by, file_name, csv, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(created_by)
    .bind(file_name)
    .bind(csv)
    .bind(now)
    .execute(db)
    .await?;
    Ok(id)
}

/// The upload `id` if `created_by` uploaded it less than `keep` ago.
pub async fn load(
    db: &SqlitePool,
    id: &str,
    created_by: &str,
    keep: Duration,
) -> Result<Option<Upload>, sqlx::Error> {
    let keep_ms = i64::try_from(keep.as_millis()).unwrap_or(i64::MAX);
    let row = sqlx::query(
        "SELECT id, file_name, csv FROM import_uploads WHERE id = ? AND created_by = ? AND created_at > ?",
    )
    .bind(id)
    .bind(created_by)
    .bind(crate::jobs::now_ms().saturating_sub(keep_ms))
    .fetch_optional(db)
    .await?;
    Ok(row.map(|row| Upload { id: row.get("id"), file_name: row.get("file_name"), csv: row.get("csv") }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn an_upload_is_read_back_only_by_the_account_that_stored_it() {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database");
        let id = store(&db, "ann", "users.csv", "userId\nu1\n").await.expect("stored");
        let day = Duration::from_secs(86_400);
        let upload = load(&db, &id, "ann", day).await.expect("read").expect("found");
        assert_eq!((upload.file_name.as_str(), upload.csv.as_str()), ("users.csv", "userId\nu1\n"));
        assert_eq!(load(&db, &id, "bob", day).await.expect("read"), None, "another account cannot use it");
        assert_eq!(load(&db, "nope", "ann", day).await.expect("read"), None);
        assert_eq!(load(&db, &id, "ann", Duration::ZERO).await.expect("read"), None, "past its retention");
    }
}
