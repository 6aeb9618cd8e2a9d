//! `POST /intake/appeals`: the network's own app (or a support tool) sends a member's appeal
//! to the console. There is no session: each request is signed with the shared secret
//! `appeals.secret` (`CONSOLE_APPEALS_SECRET`); without one configured the endpoint answers 404.
//!
//! Headers: `X-Appeal-Timestamp: <unix seconds>` (within 5 minutes of the console's clock) and
//! `X-Appeal-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>`.
//! Body: `{"userId": "...", "message": "...", "externalId": "..."}` (`externalId` optional; a
//! repeated one answers the appeal already filed, so retries are safe). Answers 201 with
//! `{"appealId": n, "status": "open"}`, 401 on a bad signature or stale timestamp, 422 when
//! there is nothing to appeal (no ban or warning of that user is on record).

use app::state::AppState;
use axum::{
    Extension, Json,
    body::Bytes,
    extract::State,
    http::{HeaderMap, StatusCode},
    response::{IntoResponse, Response},
};
use backend::moderation::appeals::{Refused, Source, file};
use hmac::{Hmac, Mac};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use serde_json::json;
use sha2::Sha256;

/// How far the sender's clock may be from ours.
const MAX_SKEW_SECS: i64 = 300;

/// The intake's configuration.
#[derive(Clone, Debug, Default)]
pub struct Intake {
    /// The shared secret; `None` disables the endpoint.
    pub secret: Option<SecretString>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct AppealIn {
    user_id: String,
    message: String,
    #[serde(default)]
    external_id: Option<String>,
}

fn refuse(status: StatusCode, message: &str) -> Response {
    (status, Json(json!({ "error": message }))).into_response()
}

/// Whether `signature` (`sha256=<hex>`) is the HMAC of `timestamp.body` under `secret`.
pub fn verify(secret: &[u8], timestamp: &str, body: &[u8], signature: &str) -> bool {
    let Some(expected) = signature.strip_prefix("sha256=").and_then(decode_hex) else {
        return false;
    };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else {
        return false;
    };
    mac.update(timestamp.as_bytes());
    mac.update(b".");
    mac.update(body);
    // Constant-time comparison.
    mac.verify_slice(&expected).is_ok()
}

fn decode_hex(hex: &str) -> Option<Vec<u8>> {
    if !hex.len().is_multiple_of(2) {
        return None;
    }
    (0..hex.len()).step_by(2).map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok()).collect()
}

/// The handler.
pub async fn intake(
    State(state): State<AppState>,
    Extension(intake): Extension<Intake>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let Some(secret) = intake.secret else {
        return refuse(StatusCode::NOT_FOUND, "appeal intake is not enabled");
    };
    let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).unwrap_or_default().to_owned();
    let (timestamp, signature) = (header("x-appeal-timestamp"), header("x-appeal-signature"));
    let fresh = timestamp
        .parse::<i64>()
        .is_ok_and(|at| (time::OffsetDateTime::now_utc().unix_timestamp() - at).abs() <= MAX_SKEW_SECS);
    if !fresh || !verify(secret.expose_secret().as_bytes(), &timestamp, &body, &signature) {
        tracing::warn!("appeal intake refused: bad signature or stale timestamp");
        return refuse(StatusCode::UNAUTHORIZED, "bad signature or stale timestamp");
    }
    let Ok(appeal) = serde_json::from_slice::<AppealIn>(&body) else {
        return refuse(StatusCode::BAD_REQUEST, "expected {\"userId\", \"message\", \"externalId\"?}");
    };
    let source = Source::Endpoint(appeal.external_id.as_deref().filter(|id| !id.is_empty()));
    match file(&state.services.db, appeal.user_id.trim(), &appeal.message, source).await {
        Ok(Ok(filed)) => (StatusCode::CREATED, Json(json!({ "appealId": filed.id, "status": filed.status })))
            .into_response(),
        Ok(Err(Refused(why))) => refuse(StatusCode::UNPROCESSABLE_ENTITY, &why),
        Err(error) => {
            tracing::error!(%error, "appeal intake failed");
            refuse(StatusCode::INTERNAL_SERVER_ERROR, "the console could not store the appeal")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sign(secret: &[u8], timestamp: &str, body: &[u8]) -> String {
        let mut mac = Hmac::<Sha256>::new_from_slice(secret).expect("key");
        mac.update(format!("{timestamp}.").as_bytes());
        mac.update(body);
        let bytes = mac.finalize().into_bytes();
        format!("sha256={}", bytes.iter().map(|b| format!("{b:02x}")).collect::<String>())
    }

    #[test]
    fn only_the_signature_of_this_timestamp_and_body_under_this_secret_verifies() {
        let good = sign(b"s3cret", "100", b"{}");
        assert!(verify(b"s3cret", "100", b"{}", &good));
        assert!(!verify(b"other", "100", b"{}", &good));
        assert!(!verify(b"s3cret", "101", b"{}", &good));
        assert!(!verify(b"s3cret", "100", b"{ }", &good));
        assert!(!verify(b"s3cret", "100", b"{}", "sha256=zz"));
        assert!(!verify(b"s3cret", "100", b"{}", good.trim_start_matches("sha256=")));
    }
}
