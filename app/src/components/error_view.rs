//! How a failed load is shown: the readable message, and a way to try again.

use crate::AppError;
use leptos::prelude::*;

/// An alert box for an [`AppError`].
#[component]
pub fn ErrorView(
    /// The failure to explain.
    error: AppError,
) -> impl IntoView {
    let title = match &error {
        AppError::Unauthenticated => "Signed out",
        AppError::Forbidden => "You do not have access",
        AppError::NotFound { .. } => "Not found",
        AppError::Conflict { .. } => "Not done",
        AppError::Upstream { .. } => "Social+ did not answer as expected",
        AppError::InvalidInput { .. } => "Invalid request",
        AppError::TooManyRequests { .. } => "Please wait",
        AppError::Internal { .. } | AppError::Transport { .. } => "Something went wrong",
    };
    let action = match &error {
        AppError::Unauthenticated => view! { <a class="button" href="/login">"Sign in"</a> }.into_any(),
        AppError::NotFound { .. } | AppError::Forbidden => ().into_any(),
        _ => view! { <a class="button" href="" rel="external">"Try again"</a> }.into_any(),
    };
    view! {
        <div class="alert alert--error" role="alert">
            <p class="alert__title">{title}</p>
            <p class="alert__message">{error.to_string()}</p>
            {action}
        </div>
    }
}
