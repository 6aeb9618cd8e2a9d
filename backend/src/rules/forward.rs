//! Sending events out: forwarding selected events to a target re-signed with the target's own
//! secret, and the rules' "notify a URL" action.
//!
//! The body is the webhook's own shape, `{"event": <name>, "data": <data>}`, signed as Social+
//! signs: `x-amity-signature` = Base64(HMAC-SHA256(secret, raw body)). Outbound requests are
//! SSRF-conscious: only `http`/`https` URLs, redirects never followed (a 3xx is reported, not
//! chased), and short connect and total timeouts.

use crate::{audit, event_stream};
use base64::Engine;
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::{Row, SqlitePool};
use std::time::Duration;
use types::event_log::{EventRow, ForwardResult, ForwardTarget};

/// The header Social+ signs webhooks with.
pub const SIGNATURE_HEADER: &str = "x-amity-signature";

/// The longest an outbound request may take.
const TIMEOUT: Duration = Duration::from_secs(5);

/// Base64(HMAC-SHA256(secret, body)).
pub fn sign(secret: &[u8], body: &[u8]) -> String {
    // HMAC takes keys of any length, so the `else` cannot be reached.
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return String::new() };
    mac.update(body);
    base64::engine::general_purpose::STANDARD.encode(mac.finalize().into_bytes())
}

/// The body an event is forwarded as.
pub fn webhook_body(event: &EventRow) -> Vec<u8> {
    let data = serde_json::from_str::<Value>(&event.data).unwrap_or(Value::Null);
    json!({ "event": event.name, "data": data }).to_string().into_bytes()
}

/// Why a URL may not be called.
pub fn url_problem(url: &str) -> Option<String> {
    match url::Url::parse(url.trim()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some() => None,
        Ok(_) => Some("Only http:// and https:// URLs with a host can be called.".into()),
        Err(_) => Some(format!("“{url}” is not a URL.")),
    }
}

/// The outbound client: no redirects, short timeouts, no proxy from the environment.
fn client() -> Result<reqwest::Client, String> {
    upstream::ensure_tls_provider();
    reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .connect_timeout(Duration::from_secs(3))
        .timeout(TIMEOUT)
        .no_proxy()
        .build()
        .map_err(|e| format!("could not build the HTTP client: {e}"))
}

/// POSTs `body` to `url`, signed with `secret` when given. Errors are sentences.
pub async fn post(url: &str, secret: Option<&[u8]>, body: Vec<u8>) -> (Option<u16>, Option<String>) {
    if let Some(problem) = url_problem(url) {
        return (None, Some(problem));
    }
    let client = match client() {
        Ok(client) => client,
        Err(error) => return (None, Some(error)),
    };
    let mut request = client.post(url.trim()).header("content-type", "application/json");
    if let Some(secret) = secret {
        request = request.header(SIGNATURE_HEADER, sign(secret, &body));
    }
    match request.body(body).send().await {
        Ok(response) => {
            let status = response.status().as_u16();
            let error = match status {
                200..=299 => None,
                300..=399 => Some(format!("answered a redirect ({status}); redirects are not followed")),
                _ => Some(format!("answered HTTP {status}")),
            };
            (Some(status), error)
        }
        Err(error) if error.is_timeout() => (None, Some(format!("no answer within {} s", TIMEOUT.as_secs()))),
        Err(error) if error.is_connect() => (None, Some("could not connect".into())),
        Err(_) => (None, Some("the request failed".into())),
    }
}

/// Forward targets, newest first (never their secrets).
pub async fn targets(db: &SqlitePool) -> Result<Vec<ForwardTarget>, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, url, created_by FROM forward_targets ORDER BY id DESC")
        .fetch_all(db)
        .await?;
    rows.iter()
        .map(|row| {
            Ok(ForwardTarget {
                id: row.try_get("id")?,
                name: row.try_get("name")?,
                url: row.try_get("url")?,
                created_by: row.try_get("created_by")?,
            })
        })
        .collect()
}

/// Why a target cannot be saved, as (field, sentence).
pub fn target_problem(name: &str, url: &str, secret: &str) -> Option<(&'static str, String)> {
    if name.trim().is_empty() || name.chars().count() > 100 {
        return Some(("name", "Give the target a name (up to 100 characters).".into()));
    }
    if let Some(problem) = url_problem(url) {
        return Some(("url", problem));
    }
    if secret.chars().count() < 16 {
        return Some(("secret", "The secret needs at least 16 characters.".into()));
    }
    None
}

/// Stores a target (validate with [`target_problem`] first). A name already used is replaced.
pub async fn save_target(
    db: &SqlitePool,
    name: &str,
    url: &str,
    secret: &str,
    created_by: &str,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO forward_targets (name, url, secret, created_by, created_at) VALUES (?, ?, ?, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET url = excluded.url, secret = excluded.secret, \
         created_by = excluded.created_by, created_at = excluded.created_at RETURNING id",
    )
    .bind(name.trim())
    .bind(url.trim())
    .bind(secret)
    .bind(created_by)
    .bind(event_stream::now_ms())
    .fetch_one(db)
    .await
}

/// Removes a target; answers whether there was one.
pub async fn delete_target(db: &SqlitePool, id: i64) -> Result<bool, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM forward_targets WHERE id = ?").bind(id).execute(db).await?.rows_affected()
        > 0)
}

/// Who forwards, for the audit trail.
pub struct Forwarder<'a> {
    /// Console account id.
    pub actor_id: &'a str,
    /// Their role.
    pub actor_role: &'a str,
    /// The request.
    pub request_id: &'a str,
}

/// Forwards the events `ids` to the target `target_id`, one request per event, each audited.
/// `None` when the target does not exist. Ids that are not stored events are reported.
pub async fn forward(
    db: &SqlitePool,
    who: &Forwarder<'_>,
    target_id: i64,
    ids: &[i64],
) -> Result<Option<Vec<ForwardResult>>, sqlx::Error> {
    let Some(row) = sqlx::query("SELECT name, url, secret FROM forward_targets WHERE id = ?")
        .bind(target_id)
        .fetch_optional(db)
        .await?
    else {
        return Ok(None);
    };
    let (name, url, secret): (String, String, String) =
        (row.try_get("name")?, row.try_get("url")?, row.try_get("secret")?);
    let events = event_stream::by_ids(db, ids).await?;
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let result = match events.iter().find(|e| e.id == *id) {
            Some(event) => {
                let (status, error) = post(&url, Some(secret.as_bytes()), webhook_body(event)).await;
                ForwardResult { event_id: *id, status, error }
            }
            None => ForwardResult { event_id: *id, status: None, error: Some("no such event".into()) },
        };
        let entry = audit::Entry {
            actor_id: who.actor_id,
            actor_role: Some(who.actor_role),
            action: "forward_event",
            target: Some(&format!("event:{id}")),
            outcome: if result.delivered() { audit::Outcome::Success } else { audit::Outcome::Failed },
            request_id: Some(who.request_id),
            details: json!({ "target": name, "url": url, "status": result.status, "error": result.error }),
        };
        audit::append(db, &entry).await?;
        results.push(result);
    }
    Ok(Some(results))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_signature_is_base64_hmac_sha256_of_the_raw_body() {
        // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?".
        let expected = base64::engine::general_purpose::STANDARD
            .encode(hex_bytes("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
        assert_eq!(sign(b"Jefe", b"what do ya want for nothing?"), expected);
    }

    fn hex_bytes(hex: &str) -> Vec<u8> {
        (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex")).collect()
    }

    #[test]
    fn only_http_and_https_urls_with_a_host_are_called() {
        assert!(url_problem("https://hooks.example/x").is_none());
        assert!(url_problem("http://127.0.0.1:9/x").is_none());
        assert!(url_problem("file:///etc/passwd").is_some());
        assert!(url_problem("gopher://x").is_some());
        assert!(url_problem("not a url").is_some());
    }

    #[test]
    fn targets_need_a_name_a_url_and_a_long_enough_secret() {
        assert!(target_problem("crm", "https://x.example", "0123456789abcdef").is_none());
        assert_eq!(target_problem("", "https://x.example", "0123456789abcdef").map(|p| p.0), Some("name"));
        assert_eq!(target_problem("crm", "ftp://x", "0123456789abcdef").map(|p| p.0), Some("url"));
        assert_eq!(target_problem("crm", "https://x.example", "short").map(|p| p.0), Some("secret"));
    }
}
