//! `/queue/case/:kind/:id` (`?feed=` for messages): one case with its thread, community and
//! author panel. Every piece of user text is a text node, never HTML.

use super::{act, api::get_case, claims::CaseClaim, keys::Command};
use crate::{
    components::{ErrorView, time},
    pages::moderation::{ActionReportView, NotesPanel, ReasonPicker, api::apply_action},
};
use leptos::{prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use types::{
    moderation::{Action, ActionReport, ActionRequest, BanScope, Reason},
    queue::{AuthorPanel, Case, CaseDetail, CaseKind, ContextItem},
};

/// The case view.
#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let key = move || {
        let params = params.read();
        (
            params.get("kind").unwrap_or_default(),
            params.get("id").unwrap_or_default(),
            query.read().get("feed"),
        )
    };
    let detail = Resource::new(key, |(kind, id, feed)| async move {
        let kind = CaseKind::from_url(&kind).unwrap_or_default();
        get_case(kind, id, feed).await
    });
    view! {
        <section class="page queue-case">
            <p class="breadcrumb"><a href="/queue">"← Queue"</a></p>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading the case…"</p> }>
                {move || Suspend::new(async move {
                    match detail.await {
                        Ok(detail) => view! { <CaseView detail /> }.into_any(),
                        Err(error) => view! { <Title text="Case" /> <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn CaseView(detail: CaseDetail) -> impl IntoView {
    let case = detail.case;
    let title = format!("{} {}", case.kind.as_url(), case.id);
    let community = detail
        .community
        .map(|(id, name)| view! { <p>"Community: " <strong>{name}</strong> " " <code>{id}</code></p> });
    view! {
        <Title text=title.clone() />
        <header class="page__header">
            <h1>{format!("Case: {title}")}</h1>
            <p class="page__lede">
                {format!("{} flags from {} reporters", case.flag_count, case.reporter_count)}
                {case.last_flagged_at.as_deref().map(|at| format!(" · last flagged {}", time::date_time(at)))}
            </p>
        </header>
        <div class="queue-case__grid">
            <div class="queue-case__main">
                <CaseClaim case_key=case.key() />
                <CaseActions case=case.clone() />
                {community}
                {(!case.ai.is_empty()).then(|| view! {
                    <section aria-labelledby="case-ai"><h2 id="case-ai">"AI moderation"</h2>
                        <ul class="queue-ai">{case.ai.iter().map(|s| view! { <li>{s.category.clone()} ": " {format!("{:.0}%", s.score * 100.0)}</li> }).collect_view()}</ul>
                    </section>
                })}
                <section aria-labelledby="case-thread">
                    <h2 id="case-thread">"Thread"</h2>
                    {if detail.thread.is_empty() {
                        view! { <p class="muted">{case.excerpt.clone()}</p> }.into_any()
                    } else {
                        view! { <ol class="queue-thread">{detail.thread.into_iter().map(|item| view! { <ThreadItem item /> }).collect_view()}</ol> }.into_any()
                    }}
                </section>
                <NotesPanel subject=case.key() id="case-notes" title="Notes on this case" />
            </div>
            {detail.author.map(|author| view! { <AuthorView author /> })}
        </div>
    }
}

/// Buttons for the case's actions (the same as the queue's keys, plus a global ban), with
/// the reason picker and the step report of the last action.
#[component]
fn CaseActions(case: Case) -> impl IntoView {
    let reason = RwSignal::new(Reason::default());
    let report = RwSignal::new(None::<ActionReport>);
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let run = move |actions: Vec<Action>, case: &Case| {
        let request = ActionRequest { target: act::target(case), actions, reason: reason.get_untracked() };
        busy.set(true);
        spawn_local(async move {
            match apply_action(request).await {
                Ok(answer) => {
                    report.set(Some(answer));
                    error.set(None);
                }
                Err(e) => error.set(Some(e.to_string())),
            }
            busy.set(false);
        });
    };
    let button = move |label: &'static str, actions: Result<Vec<Action>, &'static str>, case: Case| {
        actions.ok().map(|actions| {
            view! {
                <button type="button" class="button" disabled=move || busy.get()
                    on:click=move |_| run(actions.clone(), &case)>{label}</button>
            }
        })
    };
    let (keep, delete) = (act::plan(&case, Command::Keep), act::plan(&case, Command::Delete));
    let keep_label = if keep == Ok(vec![Action::Approve]) { "Approve" } else { "Keep (clear flags)" };
    let delete_label = if delete == Ok(vec![Action::Decline]) { "Decline" } else { "Delete" };
    let community_ban = match act::ban_scope(&case) {
        BanScope::Community { id } => {
            Ok(vec![Action::Ban { scope: BanScope::Community { id }, until: None }])
        }
        BanScope::Global => Err("no community"),
    };
    let global_ban = Ok(vec![Action::Ban { scope: BanScope::Global, until: None }]);
    view! {
        <section class="queue-act" aria-labelledby="case-actions">
            <h2 id="case-actions">"Actions"</h2>
            <ReasonPicker id="case-reason" reason />
            <div class="queue-act__buttons">
                {button(keep_label, keep, case.clone())}
                {button(delete_label, delete, case.clone())}
                {button("Ban in the community", community_ban, case.clone())}
                {button("Ban from the network", global_ban, case)}
            </div>
            {move || error.get().map(|e| view! { <p class="field__error" role="alert">{e}</p> })}
            {move || report.get().map(|report| view! { <ActionReportView report /> })}
        </section>
    }
}

#[component]
fn ThreadItem(item: ContextItem) -> impl IntoView {
    let class =
        if item.is_subject { "queue-thread__item queue-thread__item--subject" } else { "queue-thread__item" };
    view! {
        <li class=class aria-current=item.is_subject.then_some("true")>
            <p class="queue-thread__meta">
                <span class="badge">{item.kind.as_url()}</span> " "
                <strong>{item.author}</strong> " · " {time::date_time(&item.created_at)}
                {(item.flag_count > 0).then(|| view! { " · " <span class="badge badge--flag">{format!("{} flags", item.flag_count)}</span> })}
                {item.is_deleted.then(|| view! { " " <span class="badge badge--muted">"Deleted"</span> })}
            </p>
            // A text node: `<script>` in a post shows as the characters it is.
            <p class="queue-thread__text">{item.text}</p>
        </li>
    }
}

#[component]
fn AuthorView(author: AuthorPanel) -> impl IntoView {
    let href = format!("/users/{}", types::url::encode_component(&author.user_id));
    let name =
        if author.display_name.is_empty() { author.user_id.clone() } else { author.display_name.clone() };
    view! {
        <aside class="queue-author" aria-labelledby="case-author">
            <h2 id="case-author">"Author"</h2>
            <p><a href=href>{name}</a> " " <code>{author.user_id.clone()}</code></p>
            {(!author.description.is_empty()).then(|| view! { <p class="muted">{author.description.clone()}</p> })}
            <dl class="queue-author__facts">
                <dt>"Roles"</dt><dd>{if author.roles.is_empty() { "—".to_owned() } else { author.roles.join(", ") }}</dd>
                <dt>"Account age"</dt><dd>{format!("{} days (since {})", author.account_age_days, time::date(&author.created_at))}</dd>
                <dt>"Flags on the user"</dt><dd>{author.flag_count}</dd>
                <dt>"Ban state"</dt><dd>{ban_state(&author)}</dd>
            </dl>
            <NotesPanel subject=format!("user:{}", author.user_id) id="author-notes" title="Notes on the author" />
            <h3>"Flag history"</h3>
            {if author.flag_history.is_empty() {
                view! { <p class="muted">"No flagged content."</p> }.into_any()
            } else {
                view! { <ul class="queue-author__list">{author.flag_history.into_iter().map(|c| view! {
                    <li><a href=c.href()>{format!("{} · {} flags", c.kind.as_url(), c.flag_count)}</a> " " {c.excerpt}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            <h3>"Prior actions"</h3>
            {if author.prior_actions.is_empty() {
                view! { <p class="muted">"None recorded by this console."</p> }.into_any()
            } else {
                view! { <ul class="queue-author__list">{author.prior_actions.into_iter().map(|a| view! {
                    <li>{format!("{} · {} by {} ({})", time::date_time(&a.at), a.action, a.actor_id, a.outcome)}
                        {a.reason.map(|r| view! { " — " {r} })}</li>
                }).collect_view()}</ul> }.into_any()
            }}
            <h3>"Recent posts"</h3>
            {if author.recent_content.is_empty() {
                view! { <p class="muted">"No posts on their own feed."</p> }.into_any()
            } else {
                view! { <ul class="queue-author__list">{author.recent_content.into_iter().map(|p| view! {
                    <li>{time::date(&p.created_at)} " · " {p.text}</li>
                }).collect_view()}</ul> }.into_any()
            }}
        </aside>
    }
}

fn ban_state(author: &AuthorPanel) -> &'static str {
    match (author.is_deleted, author.is_global_ban, author.is_community_banned) {
        (true, _, _) => "Deleted",
        (false, true, _) => "Banned from the network",
        (false, false, true) => "Banned in this community",
        (false, false, false) => "Not banned",
    }
}
