//! Sections whose features are not built yet. Each says so plainly and shows no numbers,
//! so nobody mistakes a placeholder for data.

use leptos::prelude::*;
use leptos_meta::Title;

#[component]
fn NotBuiltYet(title: &'static str, what: &'static str, children: Children) -> impl IntoView {
    view! {
        <Title text=title />
        <section class="page">
            <header class="page__header"><h1>{title}</h1></header>
            <div class="notice" role="status">
                <p class="notice__title">"Not built yet"</p>
                <p>{what}</p>
                <ul class="notice__list">{children()}</ul>
            </div>
        </section>
    }
}

/// `/analytics`.
#[component]
pub fn Analytics() -> impl IntoView {
    view! {
        <NotBuiltYet title="Analytics" what="Charts of daily, weekly and monthly active users, content volume and moderation metrics, computed by the console from the network's webhook events.">
            <li>"Every metric will state its definition"</li>
            <li>"CSV export of every chart"</li>
        </NotBuiltYet>
    }
}
