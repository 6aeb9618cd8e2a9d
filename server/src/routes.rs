//! The router: pages and server functions (Leptos), sign-in, health, static files, and the
//! layers every request passes through, outermost first: request id (always ours; the
//! client's is only logged) → trace span → HSTS (https only) → security headers → timeout →
//! IP allowlist → cross-site check → session → trusted-proxy sign-in → session gate → body
//! size limit.

use crate::{analytics_export, audit_export, auth, health, job_results, security, theme, users_export};
use app::{App, shell, state::AppState};
use axum::{
    Extension, Router,
    http::{HeaderName, HeaderValue, Request, StatusCode, header},
    middleware,
    routing::{get, post},
};
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::{sync::Arc, time::Duration};
use tower::ServiceBuilder;
use tower_http::{
    limit::RequestBodyLimitLayer,
    request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer},
    services::{ServeDir, ServeFile},
    set_header::SetResponseHeaderLayer,
    timeout::TimeoutLayer,
    trace::TraceLayer,
};
use tower_sessions::{SessionManagerLayer, SessionStore};

/// What the router needs besides the app state.
pub struct RouterParts<Store: SessionStore + Clone> {
    /// Session manager (store, cookie settings).
    pub sessions: SessionManagerLayer<Store>,
    /// Session gate settings.
    pub gate: auth::GateConfig,
    /// The console's public origin for the cross-site check.
    pub allowed_origin: security::AllowedOrigin,
    /// Request timeout.
    pub request_timeout: Duration,
    /// Sign-in methods, limits and the group table.
    pub sign_in: Arc<auth::context::SignInContext>,
    /// IP allowlist.
    pub allowed_ips: auth::address::AllowedIps,
    /// Largest request body.
    pub max_body_bytes: usize,
    /// The signed appeal intake endpoint.
    pub appeals: crate::appeals::Intake,
    /// Send `Strict-Transport-Security` (the public URL is https).
    pub hsts: bool,
}

/// One year; no `includeSubDomains`, which would bind sites this console does not own.
const HSTS: &str = "max-age=31536000";

/// Builds the whole HTTP surface.
pub fn router<Store: SessionStore + Clone>(state: AppState, parts: RouterParts<Store>) -> Router {
    let options = state.leptos_options.clone();
    let site_root = std::path::PathBuf::from(options.site_root.as_ref());
    let pkg_dir = site_root.join(options.site_pkg_dir.as_ref());
    let static_files = ServeDir::new(pkg_dir).precompressed_br().precompressed_gzip();
    let request_id = HeaderName::from_static("x-request-id");

    Router::new()
        .route("/healthz", get(health::healthz))
        .route("/readyz", get(health::readyz))
        .route("/auth/login", post(auth::login))
        .route("/auth/logout", post(auth::logout))
        .route("/auth/oidc/login", get(auth::oidc::start))
        .route("/auth/oidc/callback", get(auth::oidc::callback))
        .route("/theme", post(theme::set_theme))
        .route("/audit/export.csv", get(audit_export::export_csv))
        .route("/audit/export.json", get(audit_export::export_json))
        .route("/intake/appeals", post(crate::appeals::intake))
        .route("/users/export.csv", get(users_export::export_csv))
        .route("/analytics/export.csv", get(analytics_export::export_csv))
        .route("/jobs/{id}/results.csv", get(job_results::results_csv))
        .route("/events/stream", get(crate::event_sse::stream))
        .route("/reports/last-activity", get(crate::reports::list).post(crate::reports::fetch))
        .route("/reports/last-activity/{id}", get(crate::reports::download))
        .route("/reports/metrics/{id}", get(crate::reports::download_metrics))
        .route("/backfill", post(crate::event_sync::backfill_now))
        .route("/imports/upload", post(crate::import_upload::upload))
        .leptos_routes(&state, generate_route_list(App), {
            let options = options.clone();
            move || shell(options.clone())
        })
        .nest_service("/pkg", static_files)
        .route_service("/favicon.svg", ServeFile::new(site_root.join("favicon.svg")))
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        // Innermost, so the middlewares below see plain bodies; an oversized Content-Length
        // is answered with 413 before anything reads it, a longer stream fails when read.
        .layer(RequestBodyLimitLayer::new(parts.max_body_bytes))
        .layer(
            ServiceBuilder::new()
                .layer(middleware::from_fn(crate::request_id::set_aside_client_id))
                .layer(SetRequestIdLayer::new(request_id.clone(), MakeRequestUuid))
                .layer(TraceLayer::new_for_http().make_span_with(|request: &Request<_>| {
                    let id =
                        request.headers().get("x-request-id").and_then(|v| v.to_str().ok()).unwrap_or("-");
                    let span = tracing::info_span!(
                        "request", method = %request.method(), path = %request.uri().path(), request_id = %id,
                        client_request_id = tracing::field::Empty,
                    );
                    if let Some(client) = request.extensions().get::<crate::request_id::ClientRequestId>() {
                        span.record("client_request_id", client.0.as_str());
                    }
                    span
                }))
                .layer(PropagateRequestIdLayer::new(request_id))
                .option_layer(parts.hsts.then(|| {
                    SetResponseHeaderLayer::overriding(
                        header::STRICT_TRANSPORT_SECURITY,
                        HeaderValue::from_static(HSTS),
                    )
                }))
                // Outside the timeout, so a 408 carries the security headers too.
                .layer(middleware::from_fn(security::headers))
                .layer(TimeoutLayer::with_status_code(StatusCode::REQUEST_TIMEOUT, parts.request_timeout))
                .layer(Extension(parts.sign_in.clone()))
                .layer(Extension(app::pages::auth::api::SsoOffer(
                    parts.sign_in.oidc.as_ref().map(|p| p.display_name().to_owned()),
                )))
                .layer(Extension(parts.allowed_ips))
                .layer(Extension(parts.appeals))
                .layer(middleware::from_fn(auth::address::allowlist))
                .layer(middleware::from_fn_with_state(parts.allowed_origin, security::reject_cross_site))
                .layer(parts.sessions)
                .layer(middleware::from_fn(auth::sign_in_from_proxy))
                .layer(middleware::from_fn_with_state(parts.gate, auth::require_session))
                .layer(Extension(health::ReadinessCache::default())),
        )
        .with_state(state)
}
