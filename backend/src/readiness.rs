//! What `/readyz` checks: the upstream answers an authenticated call, and the console
//! database accepts a write.

use crate::Services;
use serde_json::json;
use time::{OffsetDateTime, format_description::well_known::Rfc3339};
use upstream::endpoints::users::QueryUsers;
use upstream::query::UserQuery;

/// Result of one check; `Err` holds a message safe to show (no secrets).
pub type Check = Result<(), String>;

/// Both checks.
#[derive(Clone, Debug)]
pub struct Report {
    /// Social+ reachable and the admin token accepted.
    pub upstream: Check,
    /// Database writable.
    pub database: Check,
}

impl Report {
    /// Whether everything passed.
    pub fn is_ready(&self) -> bool {
        self.upstream.is_ok() && self.database.is_ok()
    }

    /// `{"status":"ready"|"not_ready","checks":{"upstream":"ok"|msg,"database":…}}`.
    pub fn to_json(&self) -> serde_json::Value {
        let show = |check: &Check| match check {
            Ok(()) => "ok".to_owned(),
            Err(message) => message.clone(),
        };
        json!({
            "status": if self.is_ready() { "ready" } else { "not_ready" },
            "checks": { "upstream": show(&self.upstream), "database": show(&self.database) },
        })
    }
}

/// Runs both checks concurrently.
pub async fn check(services: &Services) -> Report {
    let (upstream, database) = tokio::join!(check_upstream(services), check_database(services));
    Report { upstream, database }
}

async fn check_upstream(services: &Services) -> Check {
    let probe = UserQuery { limit: Some(1), ..UserQuery::default() };
    match services.upstream.send(&QueryUsers(&probe)).await {
        Ok(_) => Ok(()),
        Err(e) if e.is_unauthorized() => Err("Social+ refused the admin token (HTTP 401)".into()),
        Err(e) => Err(e.to_string()),
    }
}

async fn check_database(services: &Services) -> Check {
    let at = OffsetDateTime::now_utc().format(&Rfc3339).unwrap_or_default();
    sqlx::query(
        "INSERT INTO readiness_probe (id, at) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET at = excluded.at",
    )
    .bind(at)
    .execute(&services.db)
    .await
    .map(|_| ())
    .map_err(|e| format!("database not writable: {e}"))
}
