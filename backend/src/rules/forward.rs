//! Sending events out: forwarding selected events to a target re-signed with the target's own
//! secret, and the rules' "notify a URL" action.
//!
//! The body is the webhook's own shape, `{"event": <name>, "data": <data>}`, signed as Social+
//! signs: `x-amity-signature` = Base64(HMAC-SHA256(secret, raw body)). Outbound requests go
//! through [`crate::outbound`]: only public addresses (or the configured private exceptions),
//! checked when a target is saved and again on the lookup each request connects with;
//! redirects never followed (a 3xx is reported, not chased); short timeouts. A target's
//! secret is stored sealed ([`crate::secret_box`]).

use crate::{audit, event_stream, outbound::Outbound, secret_box::SecretBox};
use base64::Engine;
use hmac::{Hmac, Mac};
use secrecy::ExposeSecret;
use serde_json::{Value, json};
use sha2::Sha256;
use sqlx::{Row, SqlitePool};
use types::event_log::{EventRow, ForwardResult, ForwardTarget};

/// The header Social+ signs webhooks with.
pub const SIGNATURE_HEADER: &str = "x-amity-signature";

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

/// Why a URL may not be called, by its form alone ([`Outbound::check`] looks at where it
/// leads).
pub fn url_problem(url: &str) -> Option<String> {
    match url::Url::parse(url.trim()) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host_str().is_some() => None,
        Ok(_) => Some("Only http:// and https:// URLs with a host can be called.".into()),
        Err(_) => Some(format!("“{url}” is not a URL.")),
    }
}

/// POSTs `body` to `url` through `outbound`, signed with `secret` when given. Errors are
/// sentences for people (see [`Outbound::post`]).
pub async fn post(
    outbound: &Outbound,
    url: &str,
    secret: Option<&[u8]>,
    body: Vec<u8>,
) -> (Option<u16>, Option<String>) {
    if let Some(problem) = url_problem(url) {
        return (None, Some(problem));
    }
    let headers: Vec<(&str, String)> =
        secret.map(|secret| (SIGNATURE_HEADER, sign(secret, &body))).into_iter().collect();
    outbound.post(url, &headers, body).await
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

/// What a target's sealed secret is bound to.
fn secret_owner(name: &str) -> String {
    format!("forward_target:{name}")
}

/// Stores a target with its secret sealed (validate with [`target_problem`] and
/// [`Outbound::check`] first). A name already used is replaced.
pub async fn save_target(
    db: &SqlitePool,
    secrets: &SecretBox,
    name: &str,
    url: &str,
    secret: &str,
    created_by: &str,
) -> Result<i64, sqlx::Error> {
    let name = name.trim();
    sqlx::query_scalar(
        "INSERT INTO forward_targets (name, url, secret, secret_sealed, created_by, created_at) \
         VALUES (?, ?, ?, 1, ?, ?) \
         ON CONFLICT (name) DO UPDATE SET url = excluded.url, secret = excluded.secret, secret_sealed = 1, \
         created_by = excluded.created_by, created_at = excluded.created_at RETURNING id",
    )
    .bind(name)
    .bind(url.trim())
    .bind(secrets.seal(secret, &secret_owner(name)))
    .bind(created_by)
    .bind(event_stream::now_ms())
    .fetch_one(db)
    .await
}

/// Seals the secrets of targets stored before secrets were sealed (migration 0014); answers
/// how many. Run at start, before anything forwards.
pub async fn seal_plain_secrets(db: &SqlitePool, secrets: &SecretBox) -> Result<u64, sqlx::Error> {
    let rows = sqlx::query("SELECT id, name, secret FROM forward_targets WHERE secret_sealed = 0")
        .fetch_all(db)
        .await?;
    let mut sealed = 0;
    for row in rows {
        let (id, name, plain): (i64, String, String) =
            (row.try_get("id")?, row.try_get("name")?, row.try_get("secret")?);
        sealed += sqlx::query(
            "UPDATE forward_targets SET secret = ?, secret_sealed = 1 WHERE id = ? AND secret_sealed = 0",
        )
        .bind(secrets.seal(&plain, &secret_owner(&name)))
        .bind(id)
        .execute(db)
        .await?
        .rows_affected();
    }
    Ok(sealed)
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

/// What forwarding needs besides the database.
pub struct Sender<'a> {
    /// Where requests may go.
    pub outbound: &'a Outbound,
    /// Opens the targets' secrets.
    pub secrets: &'a SecretBox,
}

/// Forwards the events `ids` to the target `target_id`, one request per event, each audited.
/// `None` when the target does not exist. Ids that are not stored events are reported.
pub async fn forward(
    db: &SqlitePool,
    sender: &Sender<'_>,
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
    let (name, url, sealed): (String, String, String) =
        (row.try_get("name")?, row.try_get("url")?, row.try_get("secret")?);
    let secret = sender.secrets.open(&sealed, &secret_owner(&name));
    if let Err(error) = &secret {
        tracing::error!(%error, target = target_id, "a forward target's secret cannot be opened");
    }
    let events = event_stream::by_ids(db, ids).await?;
    let mut results = Vec::with_capacity(ids.len());
    for id in ids {
        let result = match (events.iter().find(|e| e.id == *id), &secret) {
            (Some(event), Ok(secret)) => {
                let signing = Some(secret.expose_secret().as_bytes());
                let (status, error) = post(sender.outbound, &url, signing, webhook_body(event)).await;
                ForwardResult { event_id: *id, status, error }
            }
            (Some(_), Err(_)) => ForwardResult {
                event_id: *id,
                status: None,
                error: Some(
                    "the target's secret cannot be read with this console's key; save the target again"
                        .into(),
                ),
            },
            (None, _) => ForwardResult { event_id: *id, status: None, error: Some("no such event".into()) },
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

    #[tokio::test]
    async fn finding_9_files_forward_secrets_are_stored_sealed_and_old_plain_rows_are_sealed_at_start() {
        let dir = tempfile::tempdir().expect("dir");
        let db = crate::db::open(&dir.path().join("console.sqlite")).await.expect("db");
        let secrets = SecretBox::new(&[3; 32]);
        save_target(&db, &secrets, "crm", "https://x.example", "new-secret-0123456789", "ann")
            .await
            .expect("saved");
        // A row from before migration 0014: the secret in plain text.
        sqlx::query(
            "INSERT INTO forward_targets (name, url, secret, created_by, created_at) \
             VALUES ('old', 'https://y.example', 'old-secret-0123456789', 'bob', 0)",
        )
        .execute(&db)
        .await
        .expect("old row");

        assert_eq!(seal_plain_secrets(&db, &secrets).await.expect("sealed"), 1);
        assert_eq!(seal_plain_secrets(&db, &secrets).await.expect("again"), 0, "once only");
        let stored: Vec<(String, String)> =
            sqlx::query_as("SELECT name, secret FROM forward_targets ORDER BY name")
                .fetch_all(&db)
                .await
                .expect("rows");
        for (name, stored) in &stored {
            assert!(!stored.contains("secret-0123456789"), "{name} is not in plain text");
        }
        let opened: Vec<String> = stored
            .iter()
            .map(|(name, sealed)| {
                secrets.open(sealed, &secret_owner(name)).expect("opens").expose_secret().to_owned()
            })
            .collect();
        assert_eq!(opened, ["new-secret-0123456789", "old-secret-0123456789"]);
    }

    #[test]
    fn targets_need_a_name_a_url_and_a_long_enough_secret() {
        assert!(target_problem("crm", "https://x.example", "0123456789abcdef").is_none());
        assert_eq!(target_problem("", "https://x.example", "0123456789abcdef").map(|p| p.0), Some("name"));
        assert_eq!(target_problem("crm", "ftp://x", "0123456789abcdef").map(|p| p.0), Some("url"));
        assert_eq!(target_problem("crm", "https://x.example", "short").map(|p| p.0), Some("secret"));
    }
}
