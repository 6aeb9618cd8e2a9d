//! Previous / next links for cursor-paged lists. Plain links, so paging works without WASM
//! and every page has a URL.

use leptos::prelude::*;

/// Previous/next navigation. `None` hrefs render as disabled.
#[component]
pub fn Pager(
    /// Link to the previous page.
    previous: Option<String>,
    /// Link to the next page.
    next: Option<String>,
    /// What is being paged, for screen readers ("Users pages").
    #[prop(into)]
    label: String,
) -> impl IntoView {
    let link = |href: Option<String>, rel: &'static str, text: &'static str| match href {
        Some(href) => view! { <a class="button" rel=rel href=href>{text}</a> }.into_any(),
        None => view! { <span class="button button--disabled" aria-disabled="true">{text}</span> }.into_any(),
    };
    view! {
        <nav class="pager" aria-label=label>
            {link(previous, "prev", "← Previous")}
            {link(next, "next", "Next →")}
        </nav>
    }
}
