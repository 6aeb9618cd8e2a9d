//! The network's keys: the API key (`x-api-key`, session registration) and the server key
//! (`x-server-key`, auth tokens). Generated with the seed from the OS's secure random source
//! and kept in the database, so a stand-in on a file keeps them across restarts.

use crate::{admin_token::constant_time_eq, error::ApiError};
use axum::http::HeaderMap;
use sqlx::{Sqlite, SqlitePool, Transaction};

/// The two keys of the network.
#[derive(Clone, PartialEq, Eq)]
pub struct NetworkKeys {
    /// Sent as `x-api-key` by SDKs registering sessions.
    pub api_key: String,
    /// Sent as `x-server-key` by the customer's backend asking for auth tokens.
    pub server_key: String,
}

impl std::fmt::Debug for NetworkKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("NetworkKeys(…)")
    }
}

/// Which key a request must carry.
#[derive(Clone, Copy, Debug)]
pub enum KeyKind {
    /// `x-api-key`.
    Api,
    /// `x-server-key`.
    Server,
}

/// Reads the keys (present once the database is seeded).
pub async fn load(db: &SqlitePool) -> anyhow::Result<NetworkKeys> {
    let (api_key, server_key): (String, String) =
        sqlx::query_as("SELECT api_key, server_key FROM network_keys WHERE id = 1").fetch_one(db).await?;
    Ok(NetworkKeys { api_key, server_key })
}

/// Stores fresh keys (the seed calls this).
pub async fn generate(tx: &mut Transaction<'_, Sqlite>) -> anyhow::Result<()> {
    sqlx::query("INSERT INTO network_keys (id, api_key, server_key) VALUES (1, ?, ?)")
        .bind(crate::generate_token())
        .bind(crate::generate_token())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// 401 unless the request carries the key of `kind` (compared in constant time).
pub async fn require(db: &SqlitePool, headers: &HeaderMap, kind: KeyKind) -> Result<(), ApiError> {
    let header = match kind {
        KeyKind::Api => "x-api-key",
        KeyKind::Server => "x-server-key",
    };
    let presented = headers.get(header).and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or_default();
    let keys = load(db).await.map_err(ApiError::unexpected)?;
    let expected = match kind {
        KeyKind::Api => keys.api_key,
        KeyKind::Server => keys.server_key,
    };
    if !presented.is_empty() && constant_time_eq(presented.as_bytes(), expected.as_bytes()) {
        Ok(())
    } else {
        Err(ApiError::unauthorized())
    }
}
