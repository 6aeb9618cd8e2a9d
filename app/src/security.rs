//! The Content-Security-Policy of the console's pages.
//!
//! The server mints a fresh nonce per request (see the `server` crate's security layer),
//! stores it as [`CspNonce`] in the request, and sends the policy below. The shell hands the
//! same nonce to Leptos, which stamps it on its inline hydration and streaming scripts, so
//! no `'unsafe-inline'` is needed. `'wasm-unsafe-eval'` lets the browser compile the WASM.

/// The per-request nonce, stored in the request's extensions by the server.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CspNonce(pub String);

/// The policy for HTML pages, with the request's nonce.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The policy for everything that is not a page (JSON, files): nothing may run or embed it.
pub const NON_PAGE_POLICY: &str = "default-src 'none'; frame-ancestors 'none'";

/// Gives Leptos the nonce the server put in this request, so its inline scripts carry it.
#[cfg(feature = "ssr")]
pub fn provide_request_nonce() {
    use leptos::prelude::*;
    let nonce =
        use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(CspNonce(value)) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(value));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_page_policy_allows_only_nonced_inline_scripts_and_forbids_framing() {
        let policy = page_policy("abc123");
        assert!(policy.contains("script-src 'self' 'nonce-abc123' 'wasm-unsafe-eval'"));
        assert!(policy.contains("frame-ancestors 'none'"));
        assert!(policy.contains("object-src 'none'"));
        assert!(!policy.contains("unsafe-inline"));
    }
}
