//! The router state shared by page rendering and server functions.

use axum::extract::FromRef;
use backend::Services;
use leptos::config::LeptosOptions;

/// What every handler and server function can reach.
#[derive(Clone)]
pub struct AppState {
    /// Leptos runtime options (from `Leptos.toml`).
    pub leptos_options: LeptosOptions,
    /// The use-cases' dependencies.
    pub services: Services,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
