//! Internal notes on cases and users: what moderators tell each other. Append-only here
//! too (a note is part of the record of a decision).

use super::now_rfc3339;
use sqlx::SqlitePool;
use types::moderation::Note;

/// Adds a note; answers it.
pub async fn add(
    db: &SqlitePool,
    subject: &str,
    author_id: &str,
    author_name: &str,
    body: &str,
) -> Result<Note, sqlx::Error> {
    let created_at = now_rfc3339();
    let id = sqlx::query(
        "INSERT INTO moderation_notes (subject, author_id, author_name, body, created_at) VALUES (?, ?, ?, ?, ?)",
    )
    .bind(subject)
    .bind(author_id)
    .bind(author_name)
    .bind(body)
    .bind(&created_at)
    .execute(db)
    .await?
    .last_insert_rowid();
    Ok(Note {
        id,
        subject: subject.to_owned(),
        author_id: author_id.to_owned(),
        author_name: author_name.to_owned(),
        body: body.to_owned(),
        created_at,
    })
}

/// The notes on `subject`, oldest first (a conversation).
pub async fn of_subject(db: &SqlitePool, subject: &str) -> Result<Vec<Note>, sqlx::Error> {
    let rows = sqlx::query_as::<_, (i64, String, String, String, String, String)>(
        "SELECT id, subject, author_id, author_name, body, created_at FROM moderation_notes \
         WHERE subject = ? ORDER BY id LIMIT 500",
    )
    .bind(subject)
    .fetch_all(db)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, subject, author_id, author_name, body, created_at)| Note {
            id,
            subject,
            author_id,
            author_name,
            body,
            created_at,
        })
        .collect())
}
