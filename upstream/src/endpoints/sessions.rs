//! Sessions and auth tokens (`spec: v4/session/api.yaml`, `v3/session/api.yaml`,
//! `v4/authentication/api.yaml`). Registering a session needs the network's API key and an
//! auth token its server key; both are sent in their own header instead of the admin token.

use super::{Endpoint, Request};
use crate::wire::{AuthTokenRequest, Session, SessionCheck, SessionRequest, Success};
use secrecy::SecretString;

/// `POST /api/v4/sessions`: a user session (the user is created if missing). Each call issues a
/// new token, so it is not retried.
#[derive(Clone, Debug)]
pub struct RegisterSession<'a> {
    /// The network's API key, sent as `x-api-key`.
    pub api_key: SecretString,
    /// The user and device.
    pub session: &'a SessionRequest,
}

impl Endpoint for RegisterSession<'_> {
    type Response = Session;
    fn request(&self) -> Request {
        Request::post(&["api", "v4", "sessions"])
            .with_body(serde_json::to_value(self.session).unwrap_or_default())
            .with_key_header("x-api-key", self.api_key.clone())
    }
}

/// `POST /api/v4/authentication/token`: a short-lived token that lets `user_id` register a
/// session on a network in secure mode. Answers `text/plain`.
#[derive(Clone, Debug)]
pub struct CreateAuthToken<'a> {
    /// The network's server key, sent as `x-server-key`.
    pub server_key: SecretString,
    /// Public id of the user the token is for.
    pub user_id: &'a str,
}

impl Endpoint for CreateAuthToken<'_> {
    type Response = String;
    fn request(&self) -> Request {
        Request::post(&["api", "v4", "authentication", "token"])
            .with_body(
                serde_json::to_value(AuthTokenRequest { user_id: self.user_id.to_owned() })
                    .unwrap_or_default(),
            )
            .with_key_header("x-server-key", self.server_key.clone())
    }
}

/// `GET /api/v3/sessions`: checks the caller's token.
#[derive(Clone, Copy, Debug)]
pub struct VerifySession;

impl Endpoint for VerifySession {
    type Response = SessionCheck;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "sessions"])
    }
}

/// `DELETE /api/v4/sessions`: with the admin token and a public user id, revokes every access
/// token of that user.
#[derive(Clone, Copy, Debug)]
pub struct RevokeUserTokens<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for RevokeUserTokens<'_> {
    type Response = Success;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "sessions"]).with_query(vec![
            ("userId".to_owned(), self.user_id.to_owned()),
            ("isPublic".to_owned(), "true".to_owned()),
        ])
    }
}

/// `DELETE /api/v4/sessions/users/{userId}`: the admin form of [`RevokeUserTokens`].
#[derive(Clone, Copy, Debug)]
pub struct RevokeAllUserTokens<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for RevokeAllUserTokens<'_> {
    type Response = Success;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "sessions", "users", self.user_id])
            .with_query(vec![("isPublic".to_owned(), "true".to_owned())])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        endpoints::Method,
        testing::{Canned, ScriptedTransport},
    };

    #[test]
    fn session_registration_sends_the_api_key_not_the_admin_token() {
        let session = SessionRequest { user_id: "u1".into(), device_id: "d1".into(), ..Default::default() };
        let request = RegisterSession { api_key: SecretString::from("key-1"), session: &session }.request();
        assert_eq!(request.method, Method::Post);
        assert!(!request.idempotent);
        let key = request.key_header.as_ref().expect("a key header");
        assert_eq!(key.name, "x-api-key");
        assert!(!format!("{request:?}").contains("key-1"), "the key is never printed");
        assert_eq!(request.body, Some(serde_json::json!({"userId": "u1", "deviceId": "d1"})));
    }

    #[test]
    fn revocation_puts_the_user_in_the_query() {
        let request = RevokeUserTokens { user_id: "ann" }.request();
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.body, None);
        assert!(request.query.contains(&("userId".to_owned(), "ann".to_owned())));
        assert_eq!(
            RevokeAllUserTokens { user_id: "a/b" }.request().segments,
            vec!["api", "v4", "sessions", "users", "a/b"]
        );
        let token = CreateAuthToken { server_key: SecretString::from("s"), user_id: "u" }.request();
        assert_eq!(token.key_header.map(|k| k.name), Some("x-server-key"));
    }

    #[tokio::test]
    async fn an_auth_token_is_the_plain_text_answer_without_its_newline() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Post, "/api/v4/authentication/token", Canned::raw(200, "token-1\n"));
        let token = client
            .send(&CreateAuthToken { server_key: SecretString::from("s"), user_id: "u" })
            .await
            .expect("a token");
        assert_eq!(token, "token-1");
        assert_eq!(script.requests()[0].credential, "x-server-key");
    }
}
