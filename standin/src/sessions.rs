//! User access tokens: issued by `POST /api/v4/sessions`, checked by [`crate::auth`], revoked
//! by `DELETE /api/v4/sessions`. A token is `<token_id>.<secret>`; the id finds the row and
//! the secret is compared in constant time, so a lookup does not reveal a token by timing.

use crate::{admin_token::constant_time_eq, error::ApiError, time_fmt};
use sqlx::{Row, SqlitePool};
use time::{Duration, OffsetDateTime};

/// How long an access token lives (spec: "accessToken expiry 30 days").
pub const ACCESS_TOKEN_LIFETIME: Duration = Duration::days(30);

/// The user behind a live access token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionUser {
    /// The token's id (the part before the dot).
    pub token_id: String,
    /// The user's internal id.
    pub internal_id: String,
    /// The user's public id.
    pub user_id: String,
    /// Whether the user is globally banned now.
    pub is_global_ban: bool,
}

/// A freshly issued token.
#[derive(Clone, Debug)]
pub struct Issued {
    /// `<token_id>.<secret>`.
    pub access_token: String,
    /// Renewal token.
    pub refresh_token: String,
    /// Issue time (API format).
    pub issued_at: String,
    /// Expiry (API format).
    pub expires_at: String,
}

/// Device details of a session.
#[derive(Clone, Debug, Default)]
pub struct Device<'a> {
    /// `deviceId`.
    pub id: &'a str,
    /// `deviceInfo.kind`.
    pub kind: Option<&'a str>,
    /// `deviceInfo.model`.
    pub model: Option<&'a str>,
    /// `deviceInfo.sdkVersion`.
    pub sdk_version: Option<&'a str>,
}

/// The live, unrevoked, unexpired session behind `token`, if any.
pub async fn resolve(db: &SqlitePool, token: &str) -> Result<Option<SessionUser>, ApiError> {
    let Some((token_id, secret)) = token.split_once('.') else {
        return Ok(None);
    };
    let row = sqlx::query(
        "SELECT s.secret, s.expires_at, s.revoked_at, u.internal_id, u.user_id, u.is_global_ban, u.is_deleted \
         FROM sessions s JOIN users u ON u.internal_id = s.user_internal_id WHERE s.token_id = ?",
    )
    .bind(token_id)
    .fetch_optional(db)
    .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let stored: String = row.get("secret");
    let live = row.get::<Option<String>, _>("revoked_at").is_none()
        && row.get::<String, _>("expires_at") > now()
        && !row.get::<bool, _>("is_deleted");
    if !constant_time_eq(stored.as_bytes(), secret.as_bytes()) || !live {
        return Ok(None);
    }
    Ok(Some(SessionUser {
        token_id: token_id.to_owned(),
        internal_id: row.get("internal_id"),
        user_id: row.get("user_id"),
        is_global_ban: row.get("is_global_ban"),
    }))
}

/// Issues an access token for the user.
pub async fn issue(db: &SqlitePool, user_internal_id: &str, device: &Device<'_>) -> Result<Issued, ApiError> {
    let token_id = crate::generate_token()[..24].to_owned();
    let secret = crate::generate_token();
    let issued = OffsetDateTime::now_utc();
    let issued_at = time_fmt::format(issued);
    let expires_at = time_fmt::format(issued + ACCESS_TOKEN_LIFETIME);
    let refresh_token = crate::generate_token();
    sqlx::query(
        "INSERT INTO sessions (token_id, secret, refresh_token, user_internal_id, device_id, device_kind, \
         device_model, sdk_version, issued_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&token_id)
    .bind(&secret)
    .bind(&refresh_token)
    .bind(user_internal_id)
    .bind(device.id)
    .bind(device.kind)
    .bind(device.model)
    .bind(device.sdk_version)
    .bind(&issued_at)
    .bind(&expires_at)
    .execute(db)
    .await?;
    touch(db, user_internal_id).await?;
    Ok(Issued { access_token: format!("{token_id}.{secret}"), refresh_token, issued_at, expires_at })
}

/// Revokes every live token of the user; returns how many.
pub async fn revoke_user(db: &SqlitePool, user_internal_id: &str) -> Result<u64, ApiError> {
    let done =
        sqlx::query("UPDATE sessions SET revoked_at = ? WHERE user_internal_id = ? AND revoked_at IS NULL")
            .bind(now())
            .bind(user_internal_id)
            .execute(db)
            .await?;
    Ok(done.rows_affected())
}

/// Revokes one token.
pub async fn revoke_token(db: &SqlitePool, token_id: &str) -> Result<(), ApiError> {
    sqlx::query("UPDATE sessions SET revoked_at = ? WHERE token_id = ? AND revoked_at IS NULL")
        .bind(now())
        .bind(token_id)
        .execute(db)
        .await?;
    Ok(())
}

/// Records that the user was active now (the last-activity report reads it).
pub async fn touch(db: &SqlitePool, user_internal_id: &str) -> Result<(), ApiError> {
    sqlx::query(
        "INSERT INTO user_activity (user_internal_id, last_active_at) VALUES (?, ?) \
         ON CONFLICT (user_internal_id) DO UPDATE SET last_active_at = excluded.last_active_at",
    )
    .bind(user_internal_id)
    .bind(now())
    .execute(db)
    .await?;
    Ok(())
}

fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}
