//! `/users`: the network's members, searchable, filterable, sortable, paged.
//!
//! Everything lives in the URL (`?q=&filter=&sort=&cursor=`): the search form is a GET form
//! and paging uses links, so it all works without WASM. After hydration the router turns
//! them into client-side navigations, and typing in the search box updates the list after a
//! short pause without a full reload.

use super::api::list_users;
use crate::components::{ChoiceField, EmptyState, ErrorView, Pager, time};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::Form,
    hooks::{use_navigate, use_query_map},
};
use std::time::Duration;
use types::{
    Page,
    users::{MAX_KEYWORD_CHARS, UserFilter, UserListQuery, UserRow, UserSort},
};

/// How long typing must pause before the list follows.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The Users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        UserListQuery::from_pairs(
            ["q", "filter", "sort", "cursor"]
                .into_iter()
                .filter_map(|key| map.get_str(key).map(|value| (key, value))),
        )
    });
    // The answer carries the query it answers, so links are built from the right one.
    let users = Resource::new(
        move || query.get(),
        |query| async move {
            let result = list_users(query.clone()).await;
            (query, result)
        },
    );
    view! {
        <Title text="Users" />
        <section class="page">
            <header class="page__header">
                <h1>"Users"</h1>
                <p class="page__lede">"Members of the network, read live from Social+."</p>
            </header>
            <SearchForm query />
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading users…"</p> }>
                {move || Suspend::new(async move {
                    let (query, result) = users.await;
                    match result {
                        Ok(page) => view! { <UserTable page query /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Search box, filter and sort. A GET form; live after hydration.
#[component]
fn SearchForm(query: Memo<UserListQuery>) -> impl IntoView {
    let navigate = use_navigate();
    let keyword = RwSignal::new(query.get_untracked().keyword);
    let pending_search = StoredValue::new(None::<TimeoutHandle>);

    // Follow the URL (back/forward buttons) unless a search is about to be sent.
    Effect::new(move |_| {
        let from_url = query.read().keyword.clone();
        if pending_search.get_value().is_none() && keyword.get_untracked() != from_url {
            keyword.set(from_url);
        }
    });

    // Any change of search, filter or sort starts again at the first page.
    let current = move || UserListQuery {
        keyword: keyword.get_untracked().trim().to_owned(),
        cursor: None,
        ..query.get_untracked()
    };
    let show = move |next: UserListQuery| {
        navigate(
            &format!("/users{}", next.to_query_string()),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        )
    };

    let on_input = {
        let show = show.clone();
        move |ev: leptos::ev::Event| {
            keyword.set(event_target_value(&ev));
            if let Some(handle) = pending_search.get_value() {
                handle.clear();
            }
            let show = show.clone();
            let handle = set_timeout_with_handle(
                move || {
                    pending_search.set_value(None);
                    show(current());
                },
                SEARCH_DEBOUNCE,
            )
            .ok();
            pending_search.set_value(handle);
        }
    };
    let pick_filter = {
        let show = show.clone();
        move |filter: UserFilter| show(UserListQuery { filter, ..current() })
    };
    let pick_sort = move |sort: UserSort| show(UserListQuery { sort, ..current() });

    view! {
        <div class="toolbar" role="search">
            <Form method="GET" action="/users">
                <div class="field field--grow">
                    <label for="user-search">"Search"</label>
                    <input
                        id="user-search"
                        name="q"
                        type="search"
                        placeholder="Display name or user id"
                        autocomplete="off"
                        maxlength=MAX_KEYWORD_CHARS.to_string()
                        prop:value=move || keyword.get()
                        value=query.get_untracked().keyword
                        on:input=on_input
                    />
                </div>
                <ChoiceField
                    id="user-filter"
                    label="Show"
                    name="filter"
                    selected=Signal::derive(move || query.read().filter)
                    on_pick=pick_filter
                />
                <ChoiceField
                    id="user-sort"
                    label="Sort"
                    name="sort"
                    selected=Signal::derive(move || query.read().sort)
                    on_pick=pick_sort
                />
                <button type="submit" class="button">"Search"</button>
            </Form>
        </div>
    }
}

/// The table, its empty state, and the pager.
#[component]
fn UserTable(page: Page<UserRow>, query: UserListQuery) -> impl IntoView {
    let href =
        |cursor: Option<String>| cursor.map(|c| format!("/users{}", query.at(Some(c)).to_query_string()));
    let previous = href(page.previous.clone());
    let next = href(page.next.clone());
    if page.is_empty() {
        return view! { <NoUsers query /> }.into_any();
    }
    let count = page.items.len();
    view! {
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{format!("Users, {count} on this page")}</caption>
                <thead>
                    <tr>
                        <th scope="col">"Display name"</th>
                        <th scope="col">"User id"</th>
                        <th scope="col">"Roles"</th>
                        <th scope="col" class="num">"Flags"</th>
                        <th scope="col">"Banned"</th>
                        <th scope="col">"Created"</th>
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|user| view! { <UserRowView user /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager previous next label="Users pages" />
    }
    .into_any()
}

#[component]
fn UserRowView(user: UserRow) -> impl IntoView {
    let href = format!("/users/{}", types::url::encode_component(&user.user_id));
    let name = user.shown_name().to_owned();
    view! {
        <tr>
            <th scope="row"><a href=href>{name}</a></th>
            <td><code>{user.user_id.clone()}</code></td>
            <td>{roles_view(&user.roles)}</td>
            <td class="num">
                {(user.flag_count > 0).then(|| view! { <span class="badge badge--flag">{user.flag_count}</span> })}
                {(user.flag_count == 0).then_some("0")}
            </td>
            <td>{if user.is_global_ban { view! { <span class="badge badge--ban">"Banned"</span> }.into_any() } else { view! { <span class="muted">"No"</span> }.into_any() }}</td>
            <td><time datetime=user.created_at.clone()>{time::date(&user.created_at)}</time></td>
        </tr>
    }
}

/// Role badges, or a dash.
pub fn roles_view(roles: &[String]) -> AnyView {
    if roles.is_empty() {
        return view! { <span class="muted">"—"</span> }.into_any();
    }
    roles.iter().map(|r| view! { <span class="badge">{r.clone()}</span> " " }).collect_view().into_any()
}

#[component]
fn NoUsers(query: UserListQuery) -> impl IntoView {
    let title = match (query.keyword.is_empty(), query.filter) {
        (true, UserFilter::All) => "This network has no users yet.".to_owned(),
        (true, UserFilter::Flagged) => "No user is flagged.".to_owned(),
        (false, _) => format!("No users match “{}”.", query.keyword),
    };
    let searching = !query.keyword.is_empty() || query.filter != UserFilter::All;
    view! {
        <EmptyState title>
            {searching.then(|| view! { <a href="/users">"Clear the search and filters"</a> })}
        </EmptyState>
    }
}
