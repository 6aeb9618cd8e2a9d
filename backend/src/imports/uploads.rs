//! CSV files uploaded without WASM (`POST /imports/upload`, a multipart form): stored so the
//! page can show their dry run and start the import from the stored copy. Each file belongs
//! to the account that uploaded it; files older than [`KEEP_MS`] are dropped on the next upload.

use sqlx::{Row, SqlitePool};

/// How long an uploaded file is kept: a day.
pub const KEEP_MS: i64 = 24 * 60 * 60 * 1000;

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
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM import_uploads WHERE created_at < ?")
        .bind(now - KEEP_MS)
        .execute(&mut *tx)
        .await?;
    sqlx::query(
        "INSERT INTO import_uploads (id, created_by, file_name, csv, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(&id)
    .bind(created_by)
    .bind(file_name)
    .bind(csv)
    .bind(now)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The upload `id` if `created_by` uploaded it and it is still kept.
pub async fn load(db: &SqlitePool, id: &str, created_by: &str) -> Result<Option<Upload>, sqlx::Error> {
    let row = sqlx::query(
        "SELECT id, file_name, csv FROM import_uploads WHERE id = ? AND created_by = ? AND created_at >= ?",
    )
    .bind(id)
    .bind(created_by)
    .bind(crate::jobs::now_ms() - KEEP_MS)
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
        let upload = load(&db, &id, "ann").await.expect("read").expect("found");
        assert_eq!((upload.file_name.as_str(), upload.csv.as_str()), ("users.csv", "userId\nu1\n"));
        assert_eq!(load(&db, &id, "bob").await.expect("read"), None, "another account cannot use it");
        assert_eq!(load(&db, "nope", "ann").await.expect("read"), None);
    }
}
