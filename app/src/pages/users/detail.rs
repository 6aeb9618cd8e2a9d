//! `/users/:id`: everything Social+ says about one member, and the forms that change them.
//!
//! The page's resource follows every form's action, so after a change the page shows the
//! state Social+ answers with (without WASM the form post redirects back here).

use super::{
    api::get_user,
    detail_extras::{BanHistory, CommunitiesCard, FlagEvents, LastActivityFacts},
    forms::{ClearFlagsForm, DeleteUserForm, ProfileForm, SanctionForms},
    list::roles_view,
    manage_api::{ClearUserFlags, DeleteUser, SanctionUser, UpdateUserProfile},
};
use crate::{
    components::{ErrorView, time},
    pages::moderation::NotesPanel,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;
use types::{Permission, users::UserDetail};

/// The forms' actions, shared by the page (to reload) and the forms.
#[derive(Clone, Copy)]
struct Actions {
    profile: ServerAction<UpdateUserProfile>,
    clear_flags: ServerAction<ClearUserFlags>,
    delete: ServerAction<DeleteUser>,
    sanction: ServerAction<SanctionUser>,
}

/// The user detail page.
#[component]
pub fn UserDetailPage() -> impl IntoView {
    let params = use_params_map();
    let user_id = move || params.read().get("id").unwrap_or_default();
    let actions = Actions {
        profile: ServerAction::new(),
        clear_flags: ServerAction::new(),
        delete: ServerAction::new(),
        sanction: ServerAction::new(),
    };
    provide_context(actions);
    let versions = move || {
        (
            actions.profile.version().get(),
            actions.clear_flags.version().get(),
            actions.delete.version().get(),
            actions.sanction.version().get(),
        )
    };
    let user = Resource::new(move || (user_id(), versions()), |(id, _)| get_user(id));
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
    let actions = use_context::<Actions>();
    let may = |permission: Permission| user.your_permissions.contains(&permission);
    let (may_edit, may_delete, may_audit, may_ban, may_notes) = (
        may(Permission::EditUsers),
        may(Permission::DeleteUsers),
        may(Permission::ViewAudit),
        may(Permission::BanUsers),
        may(Permission::ViewQueue),
    );
    let row = user.row.clone();
    let notes_subject = types::moderation::Target::User { id: row.user_id.clone() }.key();
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
                    <dd>
                        <span data-testid="flag-count">{row.flag_count}</span>
                        <span class="users-hint" data-testid="flaggers-note">
                            " (who flagged: Social+ does not name a user's flaggers to admins — no endpoint or user webhook carries them)"
                        </span>
                        <FlagEvents events=user.flag_events.clone() />
                    </dd>
                    <dt>"Last activity"</dt>
                    <LastActivityFacts activity=user.last_activity.clone() />
                    <dt>"Globally banned"</dt>
                    <dd data-testid="ban-state">{if row.is_global_ban { "Yes" } else { "No" }}</dd>
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
                <pre class="code-block" data-testid="metadata">{user.metadata_json.clone()}</pre>
            </section>
            <CommunitiesCard communities=user.communities.clone() />
            <BanHistory entries=user.ban_history.clone() />
            <TimedBans bans=user.timed_bans.clone() />
            {may_notes.then(|| view! { <NotesPanel subject=notes_subject.clone() /> })}
            <RecentPosts posts=user.recent_posts.clone() />
            {may_audit.then(|| view! { <UserAudit entries=user.audit.clone() /> })}
            {match (actions, row.is_deleted) {
                (Some(actions), false) => view! {
                    {may_ban.then(|| view! {
                        <SanctionForms user_id=row.user_id.clone() banned=row.is_global_ban action=actions.sanction />
                    })}
                    {may_edit.then(|| view! {
                        <section class="card" aria-labelledby="flags-heading">
                            <h2 id="flags-heading">"Flags"</h2>
                            <ClearFlagsForm user_id=row.user_id.clone() flag_count=row.flag_count action=actions.clear_flags />
                        </section>
                        <ProfileForm user=user.clone() action=actions.profile />
                    })}
                    {may_delete.then(|| view! { <DeleteUserForm user_id=row.user_id.clone() action=actions.delete /> })}
                }.into_any(),
                (Some(actions), true) => view! {
                    <p class="notice" role="note">"This user is deleted; nothing more can be changed."</p>
                    {move || actions.delete.value().get().and_then(Result::ok).map(|done| view! {
                        <p class="alert alert--success" role="status">{done.summary}</p>
                    })}
                }.into_any(),
                (None, _) => ().into_any(),
            }}
        </div>
    }
}

/// The latest posts on the user's own feed.
#[component]
fn RecentPosts(posts: Vec<types::users::ContentLine>) -> impl IntoView {
    view! {
        <section class="card card--wide" aria-labelledby="posts-heading">
            <h2 id="posts-heading">"Recent posts on their feed"</h2>
            {if posts.is_empty() {
                view! { <p class="muted">"No posts on their feed."</p> }.into_any()
            } else {
                view! {
                    <ul class="users-content">
                        {posts.into_iter().map(|post| view! {
                            <li>
                                <time datetime=post.created_at.clone()>{time::date_time(&post.created_at)}</time>
                                " "
                                {post.excerpt}
                                {(post.flag_count > 0).then(|| view! { " " <span class="badge badge--flag">{format!("{} flags", post.flag_count)}</span> })}
                                {post.is_deleted.then(|| view! { " " <span class="badge badge--muted">"Deleted"</span> })}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any()
            }}
        </section>
    }
}

/// What the console did to this user: the audit entries with their target, newest first.
/// This is also the ban history (bans and unbans are audited like every other change).
#[component]
fn UserAudit(entries: Vec<types::audit::AuditEntry>) -> impl IntoView {
    view! {
        <section class="card card--wide" aria-labelledby="user-audit-heading">
            <h2 id="user-audit-heading">"History in the audit trail"</h2>
            {if entries.is_empty() {
                view! { <p class="muted">"The console has not changed this user."</p> }.into_any()
            } else {
                view! {
                    <table class="table users-audit">
                        <thead><tr><th scope="col">"When"</th><th scope="col">"Who"</th><th scope="col">"Action"</th><th scope="col">"Outcome"</th><th scope="col">"Reason"</th></tr></thead>
                        <tbody>
                            {entries.into_iter().map(|entry| view! {
                                <tr>
                                    <td><time datetime=entry.at.clone()>{time::date_time(&entry.at)}</time></td>
                                    <td>{entry.actor_id}</td>
                                    <td><code>{entry.action}</code></td>
                                    <td>{entry.outcome}</td>
                                    <td>{entry.reason.unwrap_or_default()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                }.into_any()
            }}
        </section>
    }
}

/// The console's timed bans of this user: when each ends and whether it was lifted.
#[component]
fn TimedBans(bans: Vec<types::moderation::TimedBan>) -> impl IntoView {
    (!bans.is_empty()).then(|| {
        view! {
            <section class="card" aria-labelledby="timed-bans-heading">
                <h2 id="timed-bans-heading">"Timed bans"</h2>
                <ul class="users-content" data-testid="timed-bans">
                    {bans.into_iter().map(|ban| view! {
                        <li>
                            {format!("{} until ", ban.scope.key())}
                            <time datetime=ban.until.clone()>{time::date_time(&ban.until)}</time>
                            {format!(" — {} (by {})", ban.status, ban.created_by)}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        }
    })
}
