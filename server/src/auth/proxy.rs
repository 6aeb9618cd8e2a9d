//! Trusted-proxy sign-in (oauth2-proxy, Authelia, Pomerium, Cloudflare Access): the proxy
//! authenticated the person and says who they are in request headers.
//!
//! Those headers are believed **only** when the TCP peer is one of `proxy.trusted_proxies`.
//! From any other peer they are ignored and the attempt is logged (header names only, never
//! values, which may be tokens). From a trusted peer, a repeated identity header or an
//! underscore spelling of one (`x_forwarded_user`, which some servers fold into the dashed
//! name) is refused with 400, since it means something between the proxy and the console
//! added its own. With `proxy.jwt_header` set, only the signed assertion is believed.
//!
//! The headers are read on every request (issue 13, finding 5): a request whose identity or
//! role differs from the session's ends that session (audited) and signs in anew (new session
//! id, audited); a proxy session reached without the headers ends; a person whose groups map
//! to no role gets a 403 page, audited.

use super::{address, audit_trail::Attempt, context::SignInContext, recheck, session::ConsoleSession};
use axum::{
    Extension,
    extract::{ConnectInfo, Request},
    http::{HeaderMap, StatusCode},
    middleware::Next,
    response::{Html, IntoResponse, Response},
};
use backend::audit::Outcome;
use serde_json::json;
use std::{net::SocketAddr, sync::Arc};
use tower_sessions::Session;
use types::{CurrentUser, access::SignInMethod};

/// Who the proxy says is there.
#[derive(Debug, PartialEq, Eq)]
struct ProxyIdentity {
    user: String,
    email: Option<String>,
    groups: Vec<String>,
}

/// Signs in from proxy headers (an axum middleware between the session layer and the gate).
/// The headers are the truth on every request: a proxy session whose person or role they no
/// longer match is ended (and, with a role, signed in anew), and one that arrives without
/// them — or not through a trusted proxy, or after proxy sign-in was turned off — ends.
pub async fn sign_in_from_proxy(
    Extension(ctx): Extension<Arc<SignInContext>>,
    session: Session,
    request: Request,
    next: Next,
) -> Response {
    let console = ConsoleSession(session);
    let request_id = app::ctx::request_id_of(request.headers());
    let proxy_user = recheck::session_user(&console).await.filter(|u| u.method == SignInMethod::Proxy);
    let end = |reason: &'static str| {
        let (ctx, console, request_id) = (&ctx, &console, &request_id);
        let proxy_user = proxy_user.clone();
        async move {
            if let Some(user) = proxy_user {
                recheck::end_session(ctx, console, &user, reason, request_id).await;
            }
        }
    };
    if !ctx.proxy.enabled {
        end("proxy sign-in is turned off").await;
        return next.run(request).await;
    }
    let Some(ConnectInfo(peer)) = request.extensions().get::<ConnectInfo<SocketAddr>>().copied() else {
        return next.run(request).await;
    };
    let names = identity_header_names(&ctx);
    let present = present_identity_headers(request.headers(), &names);
    if !address::is_trusted(peer.ip(), &ctx.proxy) {
        if !present.is_empty() {
            tracing::warn!(
                peer = %peer.ip(), headers = ?present,
                "identity headers from an untrusted peer ignored"
            );
        }
        end("the request did not come through the trusted proxy").await;
        return next.run(request).await;
    }
    if let Some(problem) = ambiguous(request.headers(), &names) {
        tracing::warn!(peer = %peer.ip(), %problem, "identity headers refused");
        end("ambiguous identity headers").await;
        return (StatusCode::BAD_REQUEST, "Ambiguous identity headers.").into_response();
    }
    let identity = match identity(&ctx, request.headers()).await {
        Ok(Some(identity)) => identity,
        Ok(None) => {
            end("the proxy sent no identity").await;
            return next.run(request).await;
        }
        Err(why) => {
            tracing::warn!(peer = %peer.ip(), %why, "proxy identity refused");
            end("the proxy's identity assertion was refused").await;
            return (StatusCode::UNAUTHORIZED, "The proxy's identity assertion is not valid.")
                .into_response();
        }
    };
    let id = format!("proxy:{}", identity.user);
    let role = ctx.groups.role_for(&identity.groups);
    if let Some(user) = &proxy_user {
        if user.id == id && Some(user.role) == role {
            return next.run(request).await;
        }
        let reason = if user.id != id { "the proxy names another person" } else { "the role changed" };
        end(reason).await;
    }
    let attempt = Attempt { db: &ctx.db, request_id: &request_id, method: "proxy" };
    let Some(role) = role else {
        tracing::warn!(user = %identity.user, "no configured group; access denied");
        attempt.record(&id, None, Outcome::Denied, json!({"reason": "no configured group"})).await;
        return access_denied();
    };
    let user = CurrentUser {
        id,
        display_name: identity.email.clone().unwrap_or_else(|| identity.user.clone()),
        role,
        method: SignInMethod::Proxy,
    };
    if let Err(error) = console.sign_in(&user).await {
        tracing::error!(%error, "could not start a session");
        return (StatusCode::INTERNAL_SERVER_ERROR, "session store unavailable").into_response();
    }
    tracing::info!(user = %user.id, role = user.role.as_str(), "signed in by the trusted proxy");
    attempt.record(&user.id, Some(user.role.as_str()), Outcome::Success, json!({})).await;
    next.run(request).await
}

/// The identity headers this console reads.
fn identity_header_names(ctx: &SignInContext) -> Vec<String> {
    let proxy = &ctx.proxy;
    let mut names = vec![proxy.user_header.clone(), proxy.email_header.clone(), proxy.groups_header.clone()];
    if let Some(assertion) = &ctx.assertion {
        names.push(assertion.header().to_owned());
    }
    names
}

/// Which identity headers (or their underscore spellings) a request carries, by name.
fn present_identity_headers(headers: &HeaderMap, names: &[String]) -> Vec<String> {
    names
        .iter()
        .flat_map(|name| [name.clone(), name.replace('-', "_")])
        .filter(|name| headers.contains_key(name.as_str()))
        .collect()
}

/// Why the identity headers cannot be believed even from a trusted peer, if they cannot.
fn ambiguous(headers: &HeaderMap, names: &[String]) -> Option<String> {
    names.iter().find_map(|name| {
        let underscore = name.replace('-', "_");
        if underscore != *name && headers.contains_key(underscore.as_str()) {
            Some(format!("underscore variant of {name}"))
        } else if headers.get_all(name.as_str()).iter().count() > 1 {
            Some(format!("{name} sent more than once"))
        } else {
            None
        }
    })
}

/// The identity in the request: from the verified assertion when one is configured,
/// else from the plain headers. `None` when the proxy sent none.
async fn identity(ctx: &SignInContext, headers: &HeaderMap) -> Result<Option<ProxyIdentity>, String> {
    let text =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).map(str::trim).filter(|v| !v.is_empty());
    if let Some(verifier) = &ctx.assertion {
        let Some(jwt) = text(verifier.header()) else { return Ok(None) };
        let asserted = verifier.verify(jwt).await?;
        return Ok(Some(ProxyIdentity {
            user: asserted.subject,
            email: asserted.email,
            groups: asserted.groups,
        }));
    }
    let Some(user) = text(&ctx.proxy.user_header) else { return Ok(None) };
    Ok(Some(ProxyIdentity {
        user: user.chars().take(256).collect(),
        email: text(&ctx.proxy.email_header).map(str::to_owned),
        groups: text(&ctx.proxy.groups_header).map(super::claims::split_list).unwrap_or_default(),
    }))
}

/// The page for someone the proxy let through but no group admits.
fn access_denied() -> Response {
    (
        StatusCode::FORBIDDEN,
        Html(
            "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Access denied</title></head>\
             <body><h1>Access denied</h1><p>You are signed in, but none of your groups is allowed to use \
             this console. Ask an administrator to add you to one of the console's groups.</p></body></html>",
        ),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn names() -> Vec<String> {
        vec!["x-forwarded-user".into(), "x-forwarded-groups".into()]
    }

    #[test]
    fn underscore_variants_and_repeats_are_ambiguous() {
        let mut headers = HeaderMap::new();
        headers.insert("x-forwarded-user", HeaderValue::from_static("ann"));
        assert_eq!(ambiguous(&headers, &names()), None);
        headers.insert("x_forwarded_user", HeaderValue::from_static("eve"));
        assert!(ambiguous(&headers, &names()).is_some_and(|p| p.contains("underscore")));
        let mut repeated = HeaderMap::new();
        repeated.append("x-forwarded-groups", HeaderValue::from_static("a"));
        repeated.append("x-forwarded-groups", HeaderValue::from_static("admins"));
        assert!(ambiguous(&repeated, &names()).is_some_and(|p| p.contains("more than once")));
    }

    #[test]
    fn present_headers_are_reported_by_name() {
        let mut headers = HeaderMap::new();
        headers.insert("x_forwarded_user", HeaderValue::from_static("secret-value"));
        assert_eq!(present_identity_headers(&headers, &names()), ["x_forwarded_user"]);
    }
}
