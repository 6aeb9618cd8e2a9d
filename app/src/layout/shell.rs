//! Header with the section navigation and the user menu, around the page content.

use super::theme::ThemeToggle;
use crate::pages::auth::api::get_current_user;
use leptos::prelude::*;
use leptos_router::components::A;
use types::{CurrentUser, Permission};

/// The console's sections, in navigation order: (path, label).
pub const SECTIONS: [(&str, &str); 11] = [
    ("/queue", "Queue"),
    ("/users", "Users"),
    ("/roles", "Roles"),
    ("/imports", "Imports"),
    ("/analytics", "Analytics"),
    ("/reports", "Reports"),
    ("/events", "Events"),
    ("/rules", "Rules"),
    ("/settings", "Settings"),
    ("/audit", "Audit"),
    ("/appeals", "Appeals"),
];

/// What a role needs to see a section in the navigation. Hiding is cosmetic: every server
/// function checks the permission again.
pub fn section_permission(path: &str) -> Permission {
    match path {
        "/queue" => Permission::ViewQueue,
        "/analytics" | "/reports" => Permission::ViewAnalytics,
        "/events" => Permission::ViewEvents,
        "/settings" => Permission::ManageSettings,
        "/rules" => Permission::ManageSettings,
        "/audit" => Permission::ViewAudit,
        "/appeals" => Permission::DecideAppeals,
        "/roles" => Permission::ManageRoles,
        "/imports" => Permission::EditUsers,
        _ => Permission::ViewUsers,
    }
}

/// Page frame. The navigation shows only to a signed-in user.
#[component]
pub fn Shell(children: Children) -> impl IntoView {
    // Blocking: the header is part of the first HTML chunk, not streamed in later.
    let user = OnceResource::new_blocking(get_current_user());
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="topbar">
            <a class="topbar__brand" href="/users">
                <span class="topbar__logo" aria-hidden="true">"S+"</span>
                "Social+ Console"
            </a>
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! { <SignedInHeader user /> }.into_any(),
                        _ => view! { <div class="topbar__end"><ThemeToggle /></div> }.into_any(),
                    }
                })}
            </Suspense>
        </header>
        <main id="main" class="main" tabindex="-1">
            {children()}
        </main>
    }
}

#[component]
fn SignedInHeader(user: CurrentUser) -> impl IntoView {
    view! {
        <nav class="topbar__nav" aria-label="Sections">
            <ul>
                {SECTIONS
                    .into_iter()
                    .filter(|(href, _)| user.can(section_permission(href)))
                    .map(|(href, label)| view! { <li><A href=href>{label}</A></li> })
                    .collect_view()}
            </ul>
        </nav>
        <div class="topbar__end">
            <ThemeToggle />
            <span class="topbar__user" title=format!("Signed in as {} ({})", user.display_name, user.role.as_str())>
                <span class="topbar__user-name">{user.display_name.clone()}</span>
                <span class="badge badge--role">{user.role.as_str()}</span>
            </span>
            <form method="post" action="/auth/logout" class="topbar__signout">
                <button type="submit" class="button button--quiet">"Sign out"</button>
            </form>
        </div>
    }
}
