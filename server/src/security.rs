//! Response hardening and cross-site request defence.
//!
//! * [`headers`]: a fresh CSP nonce per request (handed to Leptos through the request, see
//!   `app::security`), the page or non-page CSP, `nosniff`, `frame-ancestors 'none'` plus
//!   `X-Frame-Options`, a same-origin referrer policy, COOP/CORP, a minimal
//!   Permissions-Policy, and `Cache-Control: no-store` (`no-cache` for the static bundle).
//! * [`reject_cross_site`]: every state-changing request must come from the console's own
//!   pages — judged by `Sec-Fetch-Site`, or by `Origin` for older browsers (the algorithm of
//!   Go's `CrossOriginProtection`). Leptos server functions do no such check themselves.

use app::security::{CspNonce, NON_PAGE_POLICY, page_policy};
use axum::{
    extract::{Request, State},
    http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header},
    middleware::Next,
    response::{IntoResponse, Response},
};
use base64::{Engine, engine::general_purpose::URL_SAFE_NO_PAD};

/// Adds the security headers and the per-request CSP nonce.
pub async fn headers(mut request: Request, next: Next) -> Response {
    let nonce = new_nonce();
    let is_static = request.uri().path().starts_with("/pkg/");
    request.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut response = next.run(request).await;
    let is_html = response
        .headers()
        .get(header::CONTENT_TYPE)
        .is_some_and(|value| value.as_bytes().starts_with(b"text/html"));
    let policy = if is_html { page_policy(&nonce) } else { NON_PAGE_POLICY.to_owned() };
    let headers = response.headers_mut();
    set(headers, header::CONTENT_SECURITY_POLICY, &policy);
    set(headers, header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    set(headers, header::X_FRAME_OPTIONS, "DENY");
    set(headers, header::REFERRER_POLICY, "same-origin");
    set(headers, HeaderName::from_static("cross-origin-opener-policy"), "same-origin");
    set(headers, HeaderName::from_static("cross-origin-resource-policy"), "same-origin");
    set(
        headers,
        HeaderName::from_static("permissions-policy"),
        "camera=(), microphone=(), geolocation=(), payment=()",
    );
    if !headers.contains_key(header::CACHE_CONTROL) {
        // Pages and data are per-person: never cached. The bundle may be cached but must be
        // revalidated, so a new release never meets an old WASM.
        set(headers, header::CACHE_CONTROL, if is_static { "no-cache" } else { "no-store" });
    }
    response
}

fn set(headers: &mut HeaderMap, name: HeaderName, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        headers.insert(name, value);
    }
}

/// 128 random bits, URL-safe base64.
fn new_nonce() -> String {
    URL_SAFE_NO_PAD.encode(backend::secure_random::bytes::<16>())
}

/// The console's own origin, to compare with `Origin`.
#[derive(Clone, Debug)]
pub struct AllowedOrigin(pub Option<String>);

/// Refuses cross-site state-changing requests with 403.
pub async fn reject_cross_site(
    State(allowed): State<AllowedOrigin>,
    request: Request,
    next: Next,
) -> Response {
    if is_same_site_enough(request.method(), request.headers(), allowed.0.as_deref()) {
        next.run(request).await
    } else {
        tracing::warn!(
            method = %request.method(), path = %request.uri().path(),
            origin = ?request.headers().get(header::ORIGIN),
            "cross-site request refused"
        );
        (StatusCode::FORBIDDEN, "Cross-site requests are not allowed.").into_response()
    }
}

/// The decision of [`reject_cross_site`], as a pure function.
fn is_same_site_enough(method: &Method, headers: &HeaderMap, public_origin: Option<&str>) -> bool {
    if matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS) {
        return true;
    }
    if let Some(site) = headers.get("sec-fetch-site") {
        return matches!(site.as_bytes(), b"same-origin" | b"none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        // Neither header: not a browser (browsers send Origin on every POST), so no CSRF risk.
        return true;
    };
    match public_origin {
        Some(expected) => origin == expected,
        None => {
            let host = headers.get(header::HOST).and_then(|v| v.to_str().ok());
            host.is_some_and(|host| {
                origin.strip_prefix("http://").or_else(|| origin.strip_prefix("https://")) == Some(host)
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.insert(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn safe_methods_always_pass() {
        assert!(is_same_site_enough(&Method::GET, &headers(&[("sec-fetch-site", "cross-site")]), None));
    }

    #[test]
    fn fetch_metadata_decides_when_present() {
        assert!(is_same_site_enough(&Method::POST, &headers(&[("sec-fetch-site", "same-origin")]), None));
        assert!(!is_same_site_enough(&Method::POST, &headers(&[("sec-fetch-site", "same-site")]), None));
        assert!(!is_same_site_enough(&Method::POST, &headers(&[("sec-fetch-site", "cross-site")]), None));
    }

    #[test]
    fn origin_must_match_the_public_origin_or_the_host() {
        let evil = headers(&[("origin", "https://evil.example"), ("host", "console.example")]);
        assert!(!is_same_site_enough(&Method::POST, &evil, None));
        assert!(!is_same_site_enough(&Method::POST, &evil, Some("https://console.example")));
        let good = headers(&[("origin", "https://console.example"), ("host", "console.example")]);
        assert!(is_same_site_enough(&Method::POST, &good, Some("https://console.example")));
        assert!(is_same_site_enough(&Method::POST, &good, None));
    }

    #[test]
    fn non_browser_clients_without_either_header_pass() {
        assert!(is_same_site_enough(&Method::POST, &HeaderMap::new(), None));
    }

    #[test]
    fn nonces_are_fresh_and_long_enough() {
        let (a, b) = (new_nonce(), new_nonce());
        assert_ne!(a, b);
        assert_eq!(a.len(), 22);
    }
}
