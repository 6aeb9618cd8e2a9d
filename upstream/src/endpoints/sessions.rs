//! Sessions and auth tokens (`spec: v4/session/api.yaml`, `v3/session/api.yaml`,
//! `v4/authentication/api.yaml`). Registering a session needs the network's API key and an
//! auth token its server key; both are sent in their own header instead of the admin token.

use super::Request;
use crate::wire::{AuthTokenRequest, SessionRequest};
use secrecy::SecretString;

/// `POST /api/v4/sessions`: a user session (the user is created if missing). Each call issues a
/// new token, so it is not retried.
pub fn register_session(api_key: SecretString, session: &SessionRequest) -> Request {
    Request::post(&["api", "v4", "sessions"])
        .with_body(serde_json::to_value(session).unwrap_or_default())
        .with_key_header("x-api-key", api_key)
}

/// `POST /api/v4/authentication/token`: a short-lived token that lets `user_id` register a
/// session on a network in secure mode. Answers `text/plain`.
pub fn auth_token(server_key: SecretString, user_id: &str) -> Request {
    Request::post(&["api", "v4", "authentication", "token"])
        .with_body(serde_json::to_value(AuthTokenRequest { user_id: user_id.to_owned() }).unwrap_or_default())
        .with_key_header("x-server-key", server_key)
}

/// `GET /api/v3/sessions`: checks the caller's token.
pub fn verify_session() -> Request {
    Request::get(&["api", "v3", "sessions"])
}

/// `DELETE /api/v4/sessions`: with the admin token and a public user id, revokes every access
/// token of that user.
pub fn revoke_user_tokens(user_id: &str) -> Request {
    Request::delete(&["api", "v4", "sessions"]).with_query(vec![
        ("userId".to_owned(), user_id.to_owned()),
        ("isPublic".to_owned(), "true".to_owned()),
    ])
}

/// `DELETE /api/v4/sessions/users/{userId}`: the admin form of [`revoke_user_tokens`].
pub fn revoke_all_user_tokens(user_id: &str) -> Request {
    Request::delete(&["api", "v4", "sessions", "users", user_id])
        .with_query(vec![("isPublic".to_owned(), "true".to_owned())])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn session_registration_sends_the_api_key_not_the_admin_token() {
        let request = register_session(
            SecretString::from("key-1"),
            &SessionRequest { user_id: "u1".into(), device_id: "d1".into(), ..Default::default() },
        );
        assert_eq!(request.method, Method::Post);
        assert!(!request.idempotent);
        let key = request.key_header.as_ref().expect("a key header");
        assert_eq!(key.name, "x-api-key");
        assert!(!format!("{request:?}").contains("key-1"), "the key is never printed");
        assert_eq!(request.body, Some(serde_json::json!({"userId": "u1", "deviceId": "d1"})));
    }

    #[test]
    fn revocation_puts_the_user_in_the_query() {
        let request = revoke_user_tokens("ann");
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.body, None);
        assert!(request.query.contains(&("userId".to_owned(), "ann".to_owned())));
        assert_eq!(revoke_all_user_tokens("a/b").segments, vec!["api", "v4", "sessions", "users", "a/b"]);
        assert_eq!(auth_token(SecretString::from("s"), "u").key_header.map(|k| k.name), Some("x-server-key"));
    }
}
