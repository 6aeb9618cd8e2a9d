//! What a list shows when it has nothing to show.

use leptos::prelude::*;

/// A friendly "nothing here" panel with an optional way out.
#[component]
pub fn EmptyState(
    /// Headline.
    #[prop(into)]
    title: String,
    /// What to do about it.
    children: Children,
) -> impl IntoView {
    view! {
        <div class="empty-state" role="status">
            <p class="empty-state__title">{title}</p>
            <div class="empty-state__body">{children()}</div>
        </div>
    }
}
