//! `Authorization: Bearer <token>` on every API route (a file download also takes it from the
//! `t` query parameter or the `upstra-access-token` cookie). The admin token may call everything;
//! a user access token (from `POST /api/v4/sessions`) only the routes in [`USER_ROUTES`], and
//! not at all while its user is globally banned (403 / 400312) or after it was revoked (401).
//! Handlers read who called from the [`Caller`] request extension.

use crate::{State, error::ApiError, sessions};
use axum::{
    extract::{Request, State as AxumState},
    http::{
        Method,
        header::{AUTHORIZATION, COOKIE},
    },
    middleware::Next,
    response::{IntoResponse, Response},
};

/// Who is calling.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Caller {
    /// The network's admin token.
    Admin,
    /// A user's access token.
    User(sessions::SessionUser),
}

/// Routes a user token may call (method, path; a trailing `/*` matches anything below), as
/// the spec allows user auth there. Everything else needs the admin token. Content routes
/// join this list as they are built.
pub const USER_ROUTES: &[(&str, &str)] = &[
    ("GET", "/api/v3/users"),
    ("GET", "/api/v3/users/*"),
    ("GET", "/api/v3/sessions"),
    ("DELETE", "/api/v4/sessions"),
    ("POST", "/api/v4/me/flags/*"),
    ("DELETE", "/api/v4/me/flags/*"),
    ("GET", "/api/v3/files/*"),
];

/// The spec's other ways to pass a token to a download, for `<img>` tags: the `t` query
/// parameter and the `upstra-access-token` cookie. Only this route takes them.
fn download_token(request: &Request) -> Option<String> {
    let path = request.uri().path();
    let is_download =
        request.method() == Method::GET && path.starts_with("/api/v3/files/") && path.ends_with("/download");
    if !is_download {
        return None;
    }
    let from_query = form_urlencoded::parse(request.uri().query().unwrap_or_default().as_bytes())
        .find(|(key, _)| key == "t")
        .map(|(_, value)| value.into_owned());
    let from_cookie = || {
        request.headers().get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).find_map(|cookies| {
            cookies.split(';').find_map(|pair| {
                let (name, value) = pair.trim().split_once('=')?;
                (name == "upstra-access-token").then(|| value.to_owned())
            })
        })
    };
    from_query.or_else(from_cookie).filter(|token| !token.is_empty())
}

fn user_may_call(method: &Method, path: &str) -> bool {
    USER_ROUTES.iter().any(|(m, pattern)| {
        *m == method.as_str()
            && match pattern.strip_suffix('*') {
                Some(prefix) => path.starts_with(prefix) && path.len() > prefix.len(),
                None => path == *pattern,
            }
    })
}

/// Admits the admin token everywhere and live, unbanned user tokens on [`USER_ROUTES`];
/// answers 401 / 400100 otherwise (403 / 400301 for a user token on an admin route).
pub async fn authenticate(AxumState(state): AxumState<State>, mut request: Request, next: Next) -> Response {
    let presented = request
        .headers()
        .get(AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Bearer "))
        .map(str::trim)
        .map(str::to_owned)
        .or_else(|| download_token(&request));
    let Some(token) = presented else {
        return ApiError::unauthorized().into_response();
    };
    if state.admin_token.matches(&token) {
        request.extensions_mut().insert(Caller::Admin);
        return next.run(request).await;
    }
    let user = match sessions::resolve(&state.db, &token).await {
        Ok(Some(user)) => user,
        Ok(None) => return ApiError::unauthorized().into_response(),
        Err(error) => return error.into_response(),
    };
    if !user_may_call(request.method(), request.uri().path()) {
        return ApiError::permission_denied().into_response();
    }
    if user.is_global_ban {
        return ApiError::global_ban().into_response();
    }
    tracing::debug!(user = %user.user_id, "user token");
    if let Err(error) = sessions::touch(&state.db, &user.internal_id).await {
        return error.into_response();
    }
    request.extensions_mut().insert(Caller::User(user));
    next.run(request).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_tokens_reach_only_the_listed_routes() {
        assert!(user_may_call(&Method::GET, "/api/v3/users"));
        assert!(user_may_call(&Method::GET, "/api/v3/users/abc"));
        assert!(!user_may_call(&Method::GET, "/api/v3/usersx"));
        assert!(!user_may_call(&Method::PUT, "/api/v3/users"));
        assert!(user_may_call(&Method::POST, "/api/v4/me/flags/bob"));
        assert!(!user_may_call(&Method::DELETE, "/api/v4/sessions/users/bob"));
        assert!(!user_may_call(&Method::GET, "/api/v3/network-settings/prehook"));
        assert!(user_may_call(&Method::GET, "/api/v3/files/abc/download"));
        assert!(!user_may_call(&Method::DELETE, "/api/v3/files/abc"));
    }

    fn request(uri: &str, cookie: Option<&str>) -> Request {
        let mut builder = axum::http::Request::get(uri);
        if let Some(cookie) = cookie {
            builder = builder.header(COOKIE, cookie);
        }
        builder.body(axum::body::Body::empty()).expect("request")
    }

    #[test]
    fn a_download_takes_its_token_from_the_query_or_the_cookie_and_nothing_else_does() {
        let query = request("/api/v3/files/f1/download?size=small&t=tok%2B1", None);
        assert_eq!(download_token(&query).as_deref(), Some("tok+1"));
        let cookie = request("/api/v3/files/f1/download", Some("a=b; upstra-access-token=tok2"));
        assert_eq!(download_token(&cookie).as_deref(), Some("tok2"));
        assert_eq!(download_token(&request("/api/v3/files/f1?t=tok", None)), None);
        assert_eq!(download_token(&request("/api/v3/users?t=tok", Some("upstra-access-token=x"))), None);
    }
}
