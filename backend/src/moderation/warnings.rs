//! Warnings: a recorded message to a user, written from a template. Social+ has no warning
//! endpoint, so the console keeps them; the user's page and appeals read them from here.

use super::now_rfc3339;
use sqlx::SqlitePool;
use types::moderation::Warning;

/// Stores a warning; answers its id.
pub async fn record(
    db: &SqlitePool,
    user_id: &str,
    template: &str,
    message: &str,
    reason: &str,
    created_by: &str,
    action_id: i64,
) -> Result<i64, sqlx::Error> {
    let id = sqlx::query(
        "INSERT INTO moderation_warnings (user_id, template, message, reason, created_by, created_at, action_id) \
         VALUES (?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(user_id)
    .bind(template)
    .bind(message)
    .bind(reason)
    .bind(created_by)
    .bind(now_rfc3339())
    .bind(action_id)
    .execute(db)
    .await?
    .last_insert_rowid();
    Ok(id)
}

/// A user's warnings, newest first.
pub async fn of_user(db: &SqlitePool, user_id: &str) -> Result<Vec<Warning>, sqlx::Error> {
    sqlx::query_as::<_, (i64, String, String, String, String, String, String)>(
        "SELECT id, user_id, template, message, reason, created_by, created_at FROM moderation_warnings \
         WHERE user_id = ? ORDER BY id DESC LIMIT 100",
    )
    .bind(user_id)
    .fetch_all(db)
    .await
    .map(|rows| {
        rows.into_iter()
            .map(|(id, user_id, template, message, reason, created_by, created_at)| Warning {
                id,
                user_id,
                template,
                message,
                reason,
                created_by,
                created_at,
            })
            .collect()
    })
}
