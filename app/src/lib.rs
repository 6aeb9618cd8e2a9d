//! The console's user interface: a Leptos app rendered on the server and hydrated in the
//! browser. Pages live in [`pages`], shared pieces in [`components`] and [`layout`].
//!
//! Server functions are thin adapters: check the caller's permission ([`ctx::require`]),
//! call a `backend` use-case, map its error to an [`AppError`]. With the `ssr` feature the
//! crate also carries the router state ([`state::AppState`]).

// The audit table's view type is deep enough to exceed the default limit when the
// hydrate build computes its layout.
#![recursion_limit = "256"]

pub mod components;
pub mod error;
#[cfg(feature = "hydrate")]
pub mod event_source;
pub mod layout;
pub mod pages;
pub mod security;

#[cfg(feature = "ssr")]
pub mod ctx;
#[cfg(feature = "ssr")]
pub mod state;

pub use error::AppError;

use leptos::prelude::*;
use leptos_meta::{MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::{
    SsrMode,
    components::{Redirect, Route, Router, Routes},
    path,
};

/// The HTML document around the app. Rendered on the server only.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::provide_request_nonce();
    let theme = layout::theme::theme_from_request();
    view! {
        <!DOCTYPE html>
        <html lang="en" data-theme=theme.as_str()>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="color-scheme" content="light dark" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The app: layout, routes and the hydration marker end-to-end tests wait for.
///
/// Every route renders in `Async` mode: the server waits for the page's data and sends
/// complete HTML, so pages read and work without any script.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Effects run only in the browser, after hydration: tests wait for this attribute.
    Effect::new(move |_| {
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("data-hydrated", "true");
        }
    });
    view! {
        <Stylesheet id="console-css" href="/pkg/console.css" />
        <Title formatter=|page: String| {
            if page.is_empty() { "Social+ Console".to_owned() } else { format!("{page} · Social+ Console") }
        } />
        <Router>
            <layout::Shell>
                <Routes fallback=pages::not_found::NotFound>
                    <Route path=path!("") view=|| view! { <Redirect path="/users" /> } />
                    <Route path=path!("/login") view=pages::auth::login::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("/users") view=pages::users::list::UsersPage ssr=SsrMode::Async />
                    <Route path=path!("/users/:id") view=pages::users::detail::UserDetailPage ssr=SsrMode::Async />
                    <Route path=path!("/queue") view=pages::queue::list::QueuePage ssr=SsrMode::Async />
                    <Route path=path!("/queue/case/:kind/:id") view=pages::queue::case::CasePage ssr=SsrMode::Async />
                    <Route path=path!("/moderation") view=|| view! { <Redirect path="/queue" /> } />
                    <Route path=path!("/analytics") view=pages::analytics::page::AnalyticsPage ssr=SsrMode::Async />
                    <Route path=path!("/events") view=pages::events::page::EventsPage ssr=SsrMode::Async />
                    <Route path=path!("/rules") view=pages::rules::page::RulesPage ssr=SsrMode::Async />
                    <Route path=path!("/rules/:id") view=pages::rules::detail::RulePage ssr=SsrMode::Async />
                    <Route path=path!("/settings") view=pages::settings::page::SettingsPage ssr=SsrMode::Async />
                    <Route path=path!("/imports") view=pages::imports::page::ImportsPage ssr=SsrMode::Async />
                    <Route path=path!("/imports/:id") view=pages::imports::detail::ImportPage ssr=SsrMode::Async />
                    <Route path=path!("/roles") view=pages::roles::page::RolesPage ssr=SsrMode::Async />
                    <Route path=path!("/audit") view=pages::audit::log::AuditPage ssr=SsrMode::Async />
                    <Route path=path!("/appeals") view=pages::appeals::page::AppealsPage ssr=SsrMode::Async />
                    <Route path=path!("/reports") view=pages::reports::page::ReportsPage ssr=SsrMode::Async />
                </Routes>
            </layout::Shell>
        </Router>
    }
}
