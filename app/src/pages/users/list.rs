//! `/users`: the network's members, searchable, filterable, sortable, paged.
//!
//! Everything lives in the URL (`?q=&filter=&sort=&role=&hide=&cursor=`; `hide` is the
//! columns chooser, so the choice is remembered in links and bookmarks): the search form is a GET form
//! and paging uses links, so it all works without WASM. After hydration the router turns
//! them into client-side navigations, and typing in the search box updates the list after a
//! short pause without a full reload.
//!
//! Roles that may ban or manage roles get a checkbox per row (and one for the whole page)
//! and the bulk action bar ([`super::bulk`]); the selection is kept while the list reloads
//! and cleared when the search, filter, sort or page changes.

use super::{
    api::list_users,
    bulk::{BulkBar, BulkRights},
    forms::CreateUserForm,
};
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
    Page, Permission,
    users::{MAX_KEYWORD_CHARS, UserColumn, UserFilter, UserListQuery, UserRow, UserSort},
};

/// How long typing must pause before the list follows.
const SEARCH_DEBOUNCE: Duration = Duration::from_millis(250);

/// The Users page.
#[component]
pub fn UsersPage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let mut pairs: Vec<(&str, String)> = ["q", "filter", "sort", "role", "cursor"]
            .into_iter()
            .filter_map(|key| map.get(key).map(|value| (key, value)))
            .collect();
        // Checkboxes send one `hide` per column; links carry them comma-separated.
        pairs.push(("hide", map.get_all("hide").unwrap_or_default().join(",")));
        UserListQuery::from_pairs(pairs.iter().map(|(key, value)| (*key, value.as_str())))
    });
    let hidden = Memo::new(move |_| query.read().hidden.clone());
    let me = OnceResource::new(crate::pages::auth::api::get_current_user());
    // The columns do not change which users are listed: choosing them does not reload.
    let rows_query = Memo::new(move |_| UserListQuery { hidden: Vec::new(), ..query.get() });
    // The selected rows of the bulk actions; another list empties it.
    let selected = RwSignal::new(Vec::<String>::new());
    Effect::new(move |previous: Option<UserListQuery>| {
        let current = rows_query.get();
        if previous.is_some_and(|p| p != current) {
            selected.set(Vec::new());
        }
        current
    });
    // Bumped when a bulk job finishes, so the table shows the new state.
    let reload = RwSignal::new(0u32);
    let rights = move |me: &Result<Option<types::CurrentUser>, crate::AppError>| {
        let user = me.as_ref().ok().and_then(Option::as_ref);
        BulkRights {
            ban: user.is_some_and(|u| u.can(Permission::BanUsers)),
            roles: user.is_some_and(|u| u.can(Permission::ManageRoles)),
        }
    };
    // The answer carries the query it answers, so links are built from the right one.
    let users = Resource::new(
        move || (rows_query.get(), reload.get()),
        |(query, _)| async move {
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
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    // Offered only to roles that may create users (the server checks again).
                    let me = me.await;
                    let may_create = me.as_ref().ok().and_then(Option::as_ref).is_some_and(|user| user.can(Permission::EditUsers));
                    may_create.then(|| view! { <CreateUserForm /> })
                })}
            </Suspense>
            <SearchForm query />
            <Suspense fallback=|| ()>
                {move || Suspend::new(async move {
                    let rights = rights(&me.await);
                    let on_finished = Callback::new(move |()| reload.update(|r| *r = r.wrapping_add(1)));
                    rights.any().then(|| view! { <BulkBar selected rights on_finished /> })
                })}
            </Suspense>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading users…"</p> }>
                {move || {
                    let hidden = hidden.get();
                    Suspend::new(async move {
                        let (rows_query, result) = users.await;
                        let selectable = rights(&me.await).any().then_some(selected);
                        let query = UserListQuery { hidden, ..rows_query };
                        match result {
                            Ok(page) => view! { <UserTable page query selectable /> }.into_any(),
                            Err(error) => view! { <ErrorView error /> }.into_any(),
                        }
                    })
                }}
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
    let pick_sort = {
        let show = show.clone();
        move |sort: UserSort| show(UserListQuery { sort, ..current() })
    };
    let role = RwSignal::new(query.get_untracked().role);
    let pick_role = {
        let show = show.clone();
        move |ev: leptos::ev::Event| {
            role.set(event_target_value(&ev));
            show(UserListQuery { role: role.get_untracked().trim().to_owned(), ..current() })
        }
    };
    let toggle_column = move |column: UserColumn, hide: bool| {
        // The column choice keeps the page: it only changes what is shown.
        let mut next = UserListQuery { cursor: query.get_untracked().cursor, ..current() };
        next.hidden.retain(|c| *c != column);
        if hide {
            next.hidden.push(column);
        }
        next.hidden = UserColumn::ALL.into_iter().filter(|c| next.hidden.contains(c)).collect();
        show(next)
    };

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
                <div class="field">
                    <label for="user-role">"Role"</label>
                    <input
                        id="user-role"
                        name="role"
                        type="text"
                        placeholder="Any role"
                        autocomplete="off"
                        maxlength="100"
                        prop:value=move || role.get()
                        value=query.get_untracked().role
                        on:change=pick_role
                    />
                </div>
                <button type="submit" class="button">"Search"</button>
                <details class="users-columns">
                    <summary>"Columns"</summary>
                    <fieldset>
                        <legend>"Hide columns"</legend>
                        {UserColumn::ALL.into_iter().map(|column| {
                            let toggle_column = toggle_column.clone();
                            view! {
                                <label>
                                    <input
                                        type="checkbox"
                                        name="hide"
                                        value=column.as_str()
                                        checked=query.get_untracked().hidden.contains(&column)
                                        prop:checked=move || query.read().hidden.contains(&column)
                                        on:change=move |ev| toggle_column(column, event_target_checked(&ev))
                                    />
                                    " " {column.label()}
                                </label>
                            }
                        }).collect_view()}
                    </fieldset>
                </details>
            </Form>
        </div>
    }
}

/// The table, its empty state, and the pager.
#[component]
fn UserTable(
    page: Page<UserRow>,
    query: UserListQuery,
    /// The bulk selection, when the person may use bulk actions.
    selectable: Option<RwSignal<Vec<String>>>,
) -> impl IntoView {
    let href =
        |cursor: Option<String>| cursor.map(|c| format!("/users{}", query.at(Some(c)).to_query_string()));
    let previous = href(page.previous.clone());
    let next = href(page.next.clone());
    if page.is_empty() {
        return view! { <NoUsers query /> }.into_any();
    }
    let count = page.items.len();
    let page_ids: Vec<String> = page.items.iter().map(|u| u.user_id.clone()).collect();
    let shown: Vec<UserColumn> = UserColumn::ALL.into_iter().filter(|c| !query.hidden.contains(c)).collect();
    let scan_note = query.scans().then(|| view! {
        <p class="users-hint" role="note">
            "Social+ cannot filter by ban state or role, so the console reads up to 1,000 users per page and keeps the matching ones; a page may show fewer rows while more follow."
        </p>
    });
    view! {
        {scan_note}
        <div class="table-wrap">
            <table class="table">
                <caption class="visually-hidden">{format!("Users, {count} on this page")}</caption>
                <thead>
                    <tr>
                        {selectable.map(|selected| view! { <SelectPageHeader selected ids=page_ids.clone() /> })}
                        <th scope="col">"Display name"</th>
                        {shown.iter().map(|column| {
                            let class = (*column == UserColumn::Flags).then_some("num");
                            view! { <th scope="col" class=class>{column.label()}</th> }
                        }).collect_view()}
                    </tr>
                </thead>
                <tbody>
                    {page.items.into_iter().map(|user| view! { <UserRowView user shown=shown.clone() selectable /> }).collect_view()}
                </tbody>
            </table>
        </div>
        <Pager previous next label="Users pages" />
    }
    .into_any()
}

#[component]
fn UserRowView(
    user: UserRow,
    shown: Vec<UserColumn>,
    selectable: Option<RwSignal<Vec<String>>>,
) -> impl IntoView {
    let href = format!("/users/{}", types::url::encode_component(&user.user_id));
    let name = user.shown_name().to_owned();
    let select = selectable.map(|selected| {
        let id = user.user_id.clone();
        let label = format!("Select {name}");
        let toggle = {
            let id = id.clone();
            move |ev: leptos::ev::Event| {
                let on = event_target_checked(&ev);
                selected.update(|s| {
                    s.retain(|x| *x != id);
                    if on {
                        s.push(id.clone());
                    }
                });
            }
        };
        view! {
            <td class="users-select">
                <input type="checkbox" aria-label=label data-testid="select-user"
                    prop:checked=move || selected.with(|s| s.contains(&id)) on:change=toggle />
            </td>
        }
    });
    let cell = move |column: UserColumn| {
        match column {
        UserColumn::UserId => view! { <td><code>{user.user_id.clone()}</code></td> }.into_any(),
        UserColumn::Roles => view! { <td>{roles_view(&user.roles)}</td> }.into_any(),
        UserColumn::Flags => view! {
            <td class="num">
                {(user.flag_count > 0).then(|| view! { <span class="badge badge--flag">{user.flag_count}</span> })}
                {(user.flag_count == 0).then_some("0")}
            </td>
        }
        .into_any(),
        UserColumn::Banned => view! {
            <td>{match (user.is_deleted, user.is_global_ban) {
                (true, _) => view! { <span class="badge badge--muted">"Deleted"</span> }.into_any(),
                (false, true) => view! { <span class="badge badge--ban">"Banned"</span> }.into_any(),
                (false, false) => view! { <span class="muted">"No"</span> }.into_any(),
            }}</td>
        }
        .into_any(),
        UserColumn::Created => view! { <td><time datetime=user.created_at.clone()>{time::date(&user.created_at)}</time></td> }.into_any(),
    }
    };
    view! {
        <tr>
            {select}
            <th scope="row"><a href=href>{name}</a></th>
            {shown.into_iter().map(cell).collect_view()}
        </tr>
    }
}

/// The header cell that selects (or unselects) every row of the page.
#[component]
fn SelectPageHeader(selected: RwSignal<Vec<String>>, ids: Vec<String>) -> impl IntoView {
    let ids = StoredValue::new(ids);
    let all = move || {
        selected.with(|s| ids.with_value(|ids| !ids.is_empty() && ids.iter().all(|id| s.contains(id))))
    };
    let toggle = move |ev: leptos::ev::Event| {
        let on = event_target_checked(&ev);
        selected.update(|s| {
            ids.with_value(|ids| {
                s.retain(|x| !ids.contains(x));
                if on {
                    s.extend(ids.iter().cloned());
                }
            })
        });
    };
    view! {
        <th scope="col" class="users-select">
            <input type="checkbox" aria-label="Select all users on this page" data-testid="select-page"
                prop:checked=all on:change=toggle />
        </th>
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
        (true, UserFilter::Banned) => "No user is banned.".to_owned(),
        (true, UserFilter::Deleted) => "No user is deleted.".to_owned(),
        (false, _) => format!("No users match “{}”.", query.keyword),
    };
    let title = match query.role.is_empty() {
        true => title,
        false => format!("{title} (role “{}”)", query.role),
    };
    let searching = !query.keyword.is_empty() || query.filter != UserFilter::All || !query.role.is_empty();
    view! {
        <EmptyState title>
            {searching.then(|| view! { <a href="/users">"Clear the search and filters"</a> })}
        </EmptyState>
    }
}
