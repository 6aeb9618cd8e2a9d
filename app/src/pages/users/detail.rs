//! `/users/:id`: everything Social+ says about one member.

use super::{api::get_user, list::roles_view};
use crate::components::{ErrorView, time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::users::UserDetail;

/// The user detail page.
#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || params.read().get("id").unwrap_or_default();
    let user = Resource::new(user_id, get_user);
    view! {
        <section class="page">
            <p class="breadcrumb"><a href="/users">"← Users"</a></p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading user…"</p> }>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(user) => view! { <UserDetailView user /> }.into_any(),
                        Err(error) => view! { <Title text="User" /> <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn UserDetailView(user: UserDetail) -> impl IntoView {
    let row = user.row.clone();
    let name = row.shown_name().to_owned();
    let status = match (row.is_deleted, row.is_global_ban) {
        (true, _) => Some(("Deleted", "badge badge--muted")),
        (false, true) => Some(("Banned", "badge badge--ban")),
        (false, false) => None,
    };
    let avatar = match (&user.avatar, &user.avatar_custom_url) {
        (Some(file), _) => {
            let mut text = file.name.clone().unwrap_or_else(|| file.file_id.clone());
            if let Some(mime) = &file.mime_type {
                text.push_str(&format!(" · {mime}"));
            }
            if let Some(size) = file.size {
                text.push_str(&format!(" · {} KB", size.div_ceil(1024)));
            }
            text
        }
        (None, Some(url)) => url.clone(),
        (None, None) => "None".to_owned(),
    };
    let permissions =
        if user.permissions.is_empty() { "None".to_owned() } else { user.permissions.join(", ") };
    view! {
        <Title text=name.clone() />
        <header class="page__header">
            <h1>
                {name}
                {status.map(|(label, class)| view! { " " <span class=class>{label}</span> })}
                {user.is_brand.then(|| view! { " " <span class="badge">"Brand"</span> })}
            </h1>
            <p class="page__lede"><code>{row.user_id.clone()}</code></p>
        </header>
        <div class="detail-grid">
            <section class="card" aria-labelledby="profile-heading">
                <h2 id="profile-heading">"Profile"</h2>
                <dl class="facts">
                    <dt>"Description"</dt>
                    <dd>{if user.description.is_empty() { "—".to_owned() } else { user.description.clone() }}</dd>
                    <dt>"Roles"</dt>
                    <dd>{roles_view(&row.roles)}</dd>
                    <dt>"Permissions"</dt>
                    <dd>{permissions}</dd>
                    <dt>"Flags"</dt>
                    <dd>{row.flag_count}</dd>
                    <dt>"Globally banned"</dt>
                    <dd>{if row.is_global_ban { "Yes" } else { "No" }}</dd>
                    <dt>"Avatar"</dt>
                    <dd>{avatar}</dd>
                </dl>
            </section>
            <section class="card" aria-labelledby="ids-heading">
                <h2 id="ids-heading">"Identifiers and dates"</h2>
                <dl class="facts">
                    <dt>"User id"</dt>
                    <dd><code>{row.user_id.clone()}</code></dd>
                    <dt>"Public id"</dt>
                    <dd><code>{user.user_public_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
                    <dt>"Internal id"</dt>
                    <dd><code>{user.user_internal_id.clone().unwrap_or_else(|| "—".into())}</code></dd>
                    <dt>"Created"</dt>
                    <dd><time datetime=row.created_at.clone()>{time::date_time(&row.created_at)}</time></dd>
                    <dt>"Updated"</dt>
                    <dd><time datetime=user.updated_at.clone()>{time::date_time(&user.updated_at)}</time></dd>
                </dl>
            </section>
            <section class="card card--wide" aria-labelledby="metadata-heading">
                <h2 id="metadata-heading">"Metadata"</h2>
                <pre class="code-block">{user.metadata_json.clone()}</pre>
            </section>
        </div>
    }
}
