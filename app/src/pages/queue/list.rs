//! `/queue`: tabs, filters and sort in the URL (GET forms and links, so it works without
//! WASM), a dense table, and after hydration the keyboard (see [`super::keys`]) and a live
//! counter of new cases ([`super::live`]).
//!
//! The row under the cursor never moves on its own: new cases wait behind the counter, and
//! after an action the cursor keeps its place so the next case becomes current.

use super::{
    act,
    api::list_queue,
    claims::ClaimCell,
    in_flight::InFlight,
    keys::{self, Command, SHORTCUTS},
    live::LiveCounter,
    reviewed::ReviewedTab,
};
use crate::components::{ChoiceField, EmptyState, ErrorView, Pager, time};
use crate::pages::{
    jobs::progress::JobProgress,
    moderation::{
        ActionReportView, ReasonPicker,
        api::{apply_action, preview_bulk, submit_bulk},
    },
};
use leptos::{html, prelude::*, task::spawn_local};
use leptos_meta::Title;
use leptos_router::{
    NavigateOptions,
    components::Form,
    hooks::{use_navigate, use_query_map},
};
use std::collections::{BTreeMap, BTreeSet};
use types::{
    Choice,
    moderation::{
        Action, ActionReport, ActionRequest, BanScope, BulkPreview, BulkRequest, BulkSelection, Claim,
        Reason, Target,
    },
    queue::{
        AgeFilter, Case, KindFilter, MAX_SEARCH_CHARS, QueueQuery, QueueSort, QueueTab, QueueView,
        ReviewState,
    },
};

/// The URL keys of [`QueueQuery`].
const URL_KEYS: [&str; 9] = ["tab", "type", "community", "ai", "min_flags", "age", "sort", "q", "cursor"];

/// The Queue page.
#[component]
pub fn QueuePage() -> impl IntoView {
    let query_map = use_query_map();
    let query = Memo::new(move |_| {
        let map = query_map.read();
        QueueQuery::from_pairs(URL_KEYS.into_iter().filter_map(|key| map.get_str(key).map(|v| (key, v))))
    });
    // Only a change of tab swaps the panel; filters reload the data inside it.
    let reviewed = Memo::new(move |_| query.read().tab == QueueTab::Reviewed);
    let help_open = RwSignal::new(false);
    view! {
        <Title text="Queue" />
        <section class="page queue">
            <header class="page__header">
                <h1>"Queue"</h1>
                <p class="page__lede">
                    "Flagged content and users, posts waiting for approval. Press "
                    <kbd>"?"</kbd>" for the keyboard shortcuts."
                </p>
            </header>
            <Tabs query />
            {move || if reviewed.get() {
                view! { <ReviewedTab /> }.into_any()
            } else {
                view! { <OpenCases query help_open /> }.into_any()
            }}
            <ShortcutsDialog open=help_open />
        </section>
    }
}

/// The To review and Pending approval tabs: cases read from Social+.
#[component]
fn OpenCases(query: Memo<QueueQuery>, help_open: RwSignal<bool>) -> impl IntoView {
    let queue = Resource::new(
        move || query.get(),
        |query| async move {
            let result = list_queue(query.clone()).await;
            (query, result)
        },
    );
    let search_ref = NodeRef::<html::Input>::new();
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading the queue…"</p> }>
            {move || Suspend::new(async move {
                let (query, result) = queue.await;
                match result {
                    Ok(view) => view! { <Filters query=query.clone() view=view.clone() search_ref /> <QueueTable view query help_open search_ref /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Tabs(query: Memo<QueueQuery>) -> impl IntoView {
    view! {
        <nav class="queue-tabs" aria-label="Queue tabs">
            {QueueTab::ALL
                .iter()
                .copied()
                .map(|tab| {
                    let href = move || {
                        format!("/queue{}", query.read().for_tab(tab).to_query_string())
                    };
                    let current = move || (query.read().tab == tab).then_some("page");
                    view! { <a class="queue-tabs__tab" href=href aria-current=current>{tab.label()}</a> }
                })
                .collect_view()}
        </nav>
    }
}

/// Filters and sort: a GET form (without WASM) that navigates as soon as a menu changes.
#[component]
fn Filters(query: QueueQuery, view: QueueView, search_ref: NodeRef<html::Input>) -> impl IntoView {
    let navigate = use_navigate();
    let base = query.clone();
    let show = move |next: QueueQuery| {
        navigate(
            &format!("/queue{}", next.to_query_string()),
            NavigateOptions { replace: true, scroll: false, ..Default::default() },
        )
    };
    let pick_kind = {
        let (show, base) = (show.clone(), base.clone());
        move |kind: KindFilter| show(QueueQuery { kind, cursor: None, ..base.clone() })
    };
    let pick_age = {
        let (show, base) = (show.clone(), base.clone());
        move |age: AgeFilter| show(QueueQuery { age, cursor: None, ..base.clone() })
    };
    let pick_sort = {
        let (show, base) = (show.clone(), base.clone());
        move |sort: QueueSort| show(QueueQuery { sort, cursor: None, ..base.clone() })
    };
    let on_community = {
        let (show, base) = (show.clone(), base.clone());
        move |ev| show(QueueQuery { community: event_target_value(&ev), cursor: None, ..base.clone() })
    };
    let on_ai = {
        let (show, base) = (show.clone(), base.clone());
        move |ev| show(QueueQuery { ai_category: event_target_value(&ev), cursor: None, ..base.clone() })
    };
    let community = query.community.clone();
    let ai = query.ai_category.clone();
    view! {
        <div class="toolbar queue-filters" role="search">
            <Form method="GET" action="/queue">
                <input type="hidden" name="tab" value=query.tab.as_str() />
                <div class="field field--grow">
                    <label for="queue-search">"Search"</label>
                    <input id="queue-search" name="q" type="search" autocomplete="off" node_ref=search_ref
                        placeholder="Text, author or id" maxlength=MAX_SEARCH_CHARS.to_string() value=query.search.clone() />
                </div>
                <ChoiceField id="queue-type" label="Type" name="type" selected=Signal::stored(query.kind) on_pick=pick_kind />
                <div class="field">
                    <label for="queue-community">"Community"</label>
                    <select id="queue-community" name="community" on:change=on_community>
                        <option value="" selected=community.is_empty()>"All communities"</option>
                        {view.communities.into_iter().map(|(id, name)| {
                            let selected = id == community;
                            view! { <option value=id selected=selected>{name}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="queue-ai">"AI category"</label>
                    <select id="queue-ai" name="ai" on:change=on_ai>
                        <option value="" selected=ai.is_empty()>"Any"</option>
                        {view.ai_categories.into_iter().map(|name| {
                            let selected = name == ai;
                            let label = name.clone();
                            view! { <option value=name selected=selected>{label}</option> }
                        }).collect_view()}
                    </select>
                </div>
                <div class="field field--narrow">
                    <label for="queue-min-flags">"Min flags"</label>
                    <input id="queue-min-flags" name="min_flags" type="number" min="0" inputmode="numeric"
                        value=(query.min_flags > 0).then(|| query.min_flags.to_string()) />
                </div>
                <ChoiceField id="queue-age" label="Flagged" name="age" selected=Signal::stored(query.age) on_pick=pick_age />
                <ChoiceField id="queue-sort" label="Sort" name="sort" selected=Signal::stored(query.sort) on_pick=pick_sort />
                <button type="submit" class="button">"Apply"</button>
            </Form>
        </div>
    }
}

/// The table and the keyboard that drives it.
#[component]
fn QueueTable(
    view: QueueView,
    query: QueueQuery,
    help_open: RwSignal<bool>,
    search_ref: NodeRef<html::Input>,
) -> impl IntoView {
    let href =
        |cursor: Option<String>| cursor.map(|c| format!("/queue{}", query.at(Some(c)).to_query_string()));
    let (previous, next) = (href(view.cases.previous.clone()), href(view.cases.next.clone()));
    if view.cases.is_empty() {
        return view! { <EmptyState title="Nothing to review here.".to_owned()>
            <a href="/queue">"Show the whole queue"</a>
        </EmptyState> }
        .into_any();
    }
    let rows = RwSignal::new(view.cases.items);
    let cursor = RwSignal::new(0_usize);
    let selected = RwSignal::new(BTreeSet::<String>::new());
    let anchor = RwSignal::new(None::<usize>);
    let notice = RwSignal::new(String::new());
    let reason = RwSignal::new(Reason::default());
    let report = RwSignal::new(None::<ActionReport>);
    let undo = RwSignal::new(None::<Undo>);
    let job = RwSignal::new(None::<String>);
    let in_flight = RwSignal::new(InFlight::default());
    let all_matching = RwSignal::new(false);
    let preview = RwSignal::new(None::<(BulkRequest, BulkPreview)>);
    let claims = RwSignal::new(BTreeMap::<String, Claim>::new());
    // Claim badges say "You" for the signed-in moderator's own claims.
    super::claims::provide_me();
    let current_key = move || rows.with(|r| r.get(cursor.get()).map(Case::key));

    let kb = Keyboard {
        rows,
        cursor,
        selected,
        anchor,
        notice,
        help_open,
        search_ref,
        reason,
        report,
        undo,
        job,
        in_flight,
        all_matching,
        preview,
        query: StoredValue::new(query.at(None)),
    };
    install_keyboard(kb);
    focus_follows_cursor(Signal::derive(current_key));

    let total = if view.truncated { format!("{}+", view.total) } else { view.total.to_string() };
    let first_page_query = query.at(None);
    let matching_label = format!("Select all {total} matching");
    let toggle_matching = move |_| {
        all_matching.update(|on| *on = !*on);
        selected.set(BTreeSet::new());
        preview.set(None);
    };
    view! {
        <div class="queue-bar">
            <p class="queue-bar__count" role="status">
                {format!("{total} cases")}
                {move || { let n = selected.read().len(); (n > 0).then(|| format!(" · {n} selected")) }}
                {move || all_matching.get().then(|| format!(" · all {total} matching selected"))}
            </p>
            <button type="button" class="button button--quiet" aria-pressed=move || all_matching.get().to_string()
                on:click=toggle_matching>
                {move || if all_matching.get() { "Clear the selection".to_owned() } else { matching_label.clone() }}
            </button>
            <LiveCounter query=first_page_query rows cursor claims />
            <p class="queue-bar__notice" role="status" aria-live="polite">{move || notice.get()}</p>
        </div>
        <div class="queue-act">
            <ReasonPicker id="queue-reason" reason />
            <p class="queue-act__hint">
                "The reason applies to every action until you change it: "
                <kbd>"a"</kbd>" keep, "<kbd>"d"</kbd>" delete, "<kbd>"b"</kbd>" ban, "<kbd>"u"</kbd>" undo."
            </p>
            {move || preview.get().map(|(request, preview)| view! { <BulkPreviewPanel kb request preview /> })}
            {move || report.get().map(|report| view! { <ActionReportView report /> })}
            {move || job.get().map(|job_id| view! { <JobProgress job_id /> })}
        </div>
        <div class="table-wrap">
            <table class="table table--dense queue-table" aria-label="Cases">
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Selected"</span></th>
                        <th scope="col">"Type"</th>
                        <th scope="col">"Content"</th>
                        <th scope="col">"Author"</th>
                        <th scope="col">"Community"</th>
                        <th scope="col" class="num">"Flags"</th>
                        <th scope="col">"AI"</th>
                        <th scope="col">"Last flagged"</th>
                        <th scope="col">"On it"</th>
                    </tr>
                </thead>
                <tbody>
                    <For each=move || rows.get() key=Case::key let:case>
                        <CaseRow case rows cursor selected claims />
                    </For>
                </tbody>
            </table>
        </div>
        <Pager previous next label="Queue pages" />
    }
    .into_any()
}

#[component]
fn CaseRow(
    case: Case,
    rows: RwSignal<Vec<Case>>,
    cursor: RwSignal<usize>,
    selected: RwSignal<BTreeSet<String>>,
    claims: RwSignal<BTreeMap<String, Claim>>,
) -> impl IntoView {
    let key = case.key();
    let claim_key = key.clone();
    let is_current = {
        let key = key.clone();
        Signal::derive(move || rows.with(|r| r.get(cursor.get()).is_some_and(|c| c.key() == key)))
    };
    let is_selected = {
        let key = key.clone();
        Signal::derive(move || selected.read().contains(&key))
    };
    let on_click = {
        let key = key.clone();
        move |_| {
            if let Some(at) = rows.with(|r| r.iter().position(|c| c.key() == key)) {
                cursor.set(at);
            }
        }
    };
    let state = match case.state {
        ReviewState::Open => None,
        ReviewState::Pending => Some("Pending"),
        ReviewState::Kept => Some("Kept"),
        ReviewState::Deleted => Some("Deleted"),
    };
    let ai = case.top_ai().map(|s| format!("{} {:.0}%", s.category, s.score * 100.0));
    view! {
        <tr
            id=row_id(&key)
            class="queue-row"
            class:queue-row--current=is_current
            class:queue-row--selected=is_selected
            aria-current=move || is_current.get().then_some("true")
            aria-selected=move || is_selected.get().to_string()
            tabindex="-1"
            data-key=key.clone()
            on:click=on_click
        >
            <td>{move || if is_selected.get() { "☑" } else { "☐" }}</td>
            <td><span class="badge">{case.kind.as_url()}</span> {state.map(|s| view! { <span class="badge badge--muted">{s}</span> })}</td>
            // Plain text nodes: user text is never parsed as HTML.
            <td class="queue-row__excerpt"><a href=case.href()>{if case.excerpt.is_empty() { "(no text)".to_owned() } else { case.excerpt.clone() }}</a></td>
            <td>{if case.author_name.is_empty() { case.author_id.clone() } else { case.author_name.clone() }}</td>
            <td>{case.community_name.clone().unwrap_or_else(|| "—".into())}</td>
            <td class="num" title=format!("{} reporters", case.reporter_count)>{case.flag_count}</td>
            <td>{ai.unwrap_or_else(|| "—".into())}</td>
            <td>{case.last_flagged_at.as_deref().map(time::date_time).unwrap_or_else(|| "—".into())}</td>
            <td><ClaimCell case_key=claim_key claims /></td>
        </tr>
    }
}

/// The DOM id of a case's row.
pub fn row_id(key: &str) -> String {
    let safe: String = key.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    format!("case-{safe}")
}

/// Moves keyboard focus to the current row whenever it changes, unless the person is typing
/// in a field: focus is never lost after an action, and the row is scrolled into view.
fn focus_follows_cursor(current: Signal<Option<String>>) {
    Effect::new(move |_| {
        let Some(key) = current.get() else { return };
        let document = document();
        let typing = document
            .active_element()
            .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if typing {
            return;
        }
        if let Some(row) = document.get_element_by_id(&row_id(&key)) {
            use leptos::wasm_bindgen::JsCast;
            if let Ok(row) = row.dyn_into::<leptos::web_sys::HtmlElement>() {
                let _ = row.focus();
            }
        }
    });
}

/// What the keyboard handler works on.
#[derive(Clone, Copy)]
struct Keyboard {
    rows: RwSignal<Vec<Case>>,
    cursor: RwSignal<usize>,
    selected: RwSignal<BTreeSet<String>>,
    anchor: RwSignal<Option<usize>>,
    notice: RwSignal<String>,
    help_open: RwSignal<bool>,
    search_ref: NodeRef<html::Input>,
    reason: RwSignal<Reason>,
    report: RwSignal<Option<ActionReport>>,
    undo: RwSignal<Option<Undo>>,
    job: RwSignal<Option<String>>,
    in_flight: RwSignal<InFlight>,
    all_matching: RwSignal<bool>,
    preview: RwSignal<Option<(BulkRequest, BulkPreview)>>,
    /// The table's query (first page): what "all matching" acts on.
    query: StoredValue<QueueQuery>,
}

/// How to take back the last action.
#[derive(Clone)]
enum Undo {
    /// Lift the ban `b` placed, and show the case again.
    Unban { target: Target, scope: BanScope, restore: Vec<(usize, Case)> },
    /// Cancel a bulk job inside its undo window, and show its cases again.
    CancelJob { job_id: String, restore: Vec<(usize, Case)> },
}

fn install_keyboard(kb: Keyboard) {
    let navigate = use_navigate();
    let handle = window_event_listener(leptos::ev::keydown, move |ev| {
        use leptos::wasm_bindgen::JsCast;
        let field = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlElement>().ok())
            .filter(|el| matches!(el.tag_name().as_str(), "INPUT" | "SELECT" | "TEXTAREA"));
        if let Some(field) = field {
            // Typing goes to the field; Escape leaves it so the shortcuts work again.
            if ev.key() == "Escape" {
                let _ = field.blur();
            }
            return;
        }
        let Some(command) =
            keys::command(&ev.key(), ev.shift_key(), ev.ctrl_key() || ev.alt_key() || ev.meta_key())
        else {
            return;
        };
        ev.prevent_default();
        run(kb, command, &navigate);
    });
    on_cleanup(move || handle.remove());
}

fn run(kb: Keyboard, command: Command, navigate: &impl Fn(&str, NavigateOptions)) {
    let len = kb.rows.with(Vec::len);
    let at = kb.cursor.get_untracked().min(len.saturating_sub(1));
    let current = kb.rows.with_untracked(|r| r.get(at).cloned());
    match command {
        Command::Next => kb.cursor.set((at + 1).min(len.saturating_sub(1))),
        Command::Previous => kb.cursor.set(at.saturating_sub(1)),
        Command::Open => {
            if let Some(case) = current {
                navigate(&case.href(), NavigateOptions::default());
            }
        }
        Command::Select => {
            if let Some(case) = current {
                kb.selected.update(|s| {
                    if !s.remove(&case.key()) {
                        s.insert(case.key());
                    }
                });
                kb.anchor.set(Some(at));
            }
        }
        Command::SelectRange => {
            let from = kb.anchor.get_untracked().unwrap_or(at);
            let (lo, hi) = (from.min(at), from.max(at));
            let keys: Vec<String> =
                kb.rows.with_untracked(|r| r.iter().skip(lo).take(hi - lo + 1).map(Case::key).collect());
            kb.selected.update(|s| s.extend(keys));
            kb.anchor.set(Some(at));
        }
        Command::Keep | Command::Delete | Command::Ban => act_on(kb, command),
        Command::Undo => undo_last(kb),
        Command::Search => {
            if let Some(input) = kb.search_ref.get_untracked() {
                let _ = input.focus();
            }
        }
        Command::Help => kb.help_open.update(|open| *open = !*open),
        Command::Escape => {
            if kb.help_open.get_untracked() {
                kb.help_open.set(false);
            } else {
                kb.selected.set(BTreeSet::new());
                kb.all_matching.set(false);
                kb.preview.set(None);
            }
        }
    }
}

/// Removes the rows with these keys (optimistically, before the server answers) and keeps
/// the cursor on the same position, so the next case becomes current.
fn take_rows(kb: Keyboard, keys: &BTreeSet<String>) -> Vec<(usize, Case)> {
    let mut taken = Vec::new();
    kb.rows.update(|rows| {
        let mut index = 0;
        rows.retain(|case| {
            let keep = !keys.contains(&case.key());
            if !keep {
                taken.push((index, case.clone()));
            }
            index += 1;
            keep
        });
    });
    let len = kb.rows.with_untracked(Vec::len);
    let before_cursor = taken.iter().filter(|(i, _)| *i < kb.cursor.get_untracked()).count();
    kb.cursor.update(|at| *at = at.saturating_sub(before_cursor).min(len.saturating_sub(1)));
    taken
}

/// Puts rows back where they were (an action failed or was undone).
fn restore_rows(kb: Keyboard, restore: Vec<(usize, Case)>) {
    kb.rows.update(|rows| {
        for (index, case) in restore {
            rows.insert(index.min(rows.len()), case);
        }
    });
}

fn focus_reason() {
    if let Some(select) = document().get_element_by_id("queue-reason-code") {
        use leptos::wasm_bindgen::JsCast;
        if let Ok(select) = select.dyn_into::<leptos::web_sys::HtmlElement>() {
            let _ = select.focus();
        }
    }
}

/// Keep, delete or ban: the selection as a bulk job when there is one, else the current case.
fn act_on(kb: Keyboard, command: Command) {
    let reason = kb.reason.get_untracked();
    if let Some(problem) = reason.problem() {
        kb.notice.set(format!("Choose a reason first. {problem}"));
        focus_reason();
        return;
    }
    if kb.all_matching.get_untracked() {
        return preview_matching(kb, command, reason);
    }
    let selected = kb.selected.get_untracked();
    if !selected.is_empty() {
        return act_on_selection(kb, command, selected, reason);
    }
    let at = kb.cursor.get_untracked();
    let Some(case) = kb.rows.with_untracked(|r| r.get(at).cloned()) else { return };
    let actions = match act::plan(&case, command) {
        Ok(actions) => actions,
        Err(why) => return kb.notice.set(why.to_owned()),
    };
    let target = act::target(&case);
    let request = ActionRequest { target: target.clone(), actions: actions.clone(), reason };
    let restore = take_rows(kb, &BTreeSet::from([case.key()]));
    kb.in_flight.update(InFlight::sent);
    let sending = format!("{} {} {}…", act::done(command), case.kind.as_url(), case.id);
    kb.notice.set(kb.in_flight.with_untracked(|f| f.notice(&sending)));
    spawn_local(async move {
        let answer = apply_action(request).await;
        let applied = matches!(&answer, Ok(report) if report.succeeded());
        kb.in_flight.update(|f| f.answered(applied));
        let last = match answer {
            Ok(report) => {
                let last = if applied {
                    kb.undo.set(match actions.into_iter().next() {
                        Some(Action::Ban { scope, .. }) => Some(Undo::Unban { target, scope, restore }),
                        _ => None,
                    });
                    format!("{} {} {}.", act::done(command), case.kind.as_url(), case.id)
                } else {
                    restore_rows(kb, restore);
                    format!("Not applied to {} {}: see the report.", case.kind.as_url(), case.id)
                };
                // A failed report stays on screen until the batch is over.
                if !applied || kb.in_flight.with_untracked(|f| f.failed == 0) {
                    kb.report.set(Some(report));
                }
                last
            }
            Err(error) => {
                restore_rows(kb, restore);
                format!("{} {}: {error}", case.kind.as_url(), case.id)
            }
        };
        kb.notice.set(kb.in_flight.with_untracked(|f| f.notice(&last)));
    });
}

/// "All matching": asks the server what the command would do to every case of the table's
/// query, and shows it before anything is sent.
fn preview_matching(kb: Keyboard, command: Command, reason: Reason) {
    let Some(actions) = act::bulk_plan(command) else { return };
    let request =
        BulkRequest { selection: BulkSelection::Matching { query: kb.query.get_value() }, actions, reason };
    kb.notice.set("Reading every matching case…".into());
    spawn_local(async move {
        match preview_bulk(request.clone()).await {
            Ok(preview) => {
                kb.notice.set(format!("{} cases would change: check the preview.", preview.total));
                kb.preview.set(Some((request, preview)));
            }
            Err(error) => kb.notice.set(error.to_string()),
        }
    });
}

/// What an "all matching" bulk action will do, with Run and Cancel.
#[component]
fn BulkPreviewPanel(kb: Keyboard, request: BulkRequest, preview: BulkPreview) -> impl IntoView {
    let blocked = preview.problems > 0 || preview.total == 0;
    let run = move |_| {
        let request = request.clone();
        kb.preview.set(None);
        kb.all_matching.set(false);
        spawn_local(async move {
            match submit_bulk(request).await {
                Ok(submitted) => {
                    kb.notice.set(format!(
                        "Submitted {} cases; the calls start in {} s. Press u to undo.",
                        submitted.total, submitted.undo_seconds
                    ));
                    kb.job.set(Some(submitted.job_id.clone()));
                    kb.undo.set(Some(Undo::CancelJob { job_id: submitted.job_id, restore: Vec::new() }));
                }
                Err(error) => kb.notice.set(error.to_string()),
            }
        });
    };
    let more = preview.total as usize > preview.items.len();
    view! {
        <section class="q2-preview card" data-testid="bulk-preview" aria-labelledby="q2-preview-title">
            <h2 id="q2-preview-title">{format!("All matching: {} cases", preview.total)}</h2>
            <p>
                {format!("At most {} calls to Social+, through the request budget.", preview.upstream_calls)}
                {preview.truncated.then_some(" More matched than one bulk action may touch; only the first are included.")}
                {(preview.problems > 0).then(|| format!(" {} cannot run: change the filters or the action.", preview.problems))}
            </p>
            <ul class="q2-preview__items">
                {preview.items.into_iter().map(|item| view! {
                    <li>{item.change}{item.problem.map(|p| view! { " — " <strong>{p}</strong> })}</li>
                }).collect_view()}
            </ul>
            {more.then_some(view! { <p class="muted">"…and the rest the same way."</p> })}
            <div class="queue-act__buttons">
                <button type="button" class="button button--primary" disabled=blocked on:click=run>"Run"</button>
                <button type="button" class="button" on:click=move |_| kb.preview.set(None)>"Cancel"</button>
            </div>
        </section>
    }
}

fn act_on_selection(kb: Keyboard, command: Command, selected: BTreeSet<String>, reason: Reason) {
    let Some(actions) = act::bulk_plan(command) else { return };
    let cases: Vec<Case> =
        kb.rows.with_untracked(|r| r.iter().filter(|c| selected.contains(&c.key())).cloned().collect());
    let request = BulkRequest {
        selection: BulkSelection::Targets { targets: cases.iter().map(act::target).collect() },
        actions,
        reason,
    };
    let restore = take_rows(kb, &selected);
    kb.selected.set(BTreeSet::new());
    spawn_local(async move {
        match submit_bulk(request).await {
            Ok(submitted) => {
                kb.notice.set(format!(
                    "{} {} cases in {} s. Press u to undo.",
                    act::done(command),
                    submitted.total,
                    submitted.undo_seconds
                ));
                kb.job.set(Some(submitted.job_id.clone()));
                kb.undo.set(Some(Undo::CancelJob { job_id: submitted.job_id, restore }));
            }
            Err(error) => {
                kb.notice.set(error.to_string());
                restore_rows(kb, restore);
            }
        }
    });
}

fn undo_last(kb: Keyboard) {
    let Some(undo) = kb.undo.get_untracked() else {
        kb.notice.set("Nothing to undo: keeping and deleting cannot be taken back once sent.".into());
        return;
    };
    kb.undo.set(None);
    let reason = kb.reason.get_untracked();
    spawn_local(async move {
        match undo {
            Undo::Unban { target, scope, restore } => {
                let request = ActionRequest { target, actions: vec![Action::Unban { scope }], reason };
                match apply_action(request).await {
                    Ok(report) if report.succeeded() => {
                        kb.report.set(Some(report));
                        kb.notice.set("Undone: the ban is lifted.".into());
                        restore_rows(kb, restore);
                    }
                    Ok(report) => kb.report.set(Some(report)),
                    Err(error) => kb.notice.set(error.to_string()),
                }
            }
            Undo::CancelJob { job_id, restore } => match crate::pages::jobs::api::cancel_job(job_id).await {
                Ok(view) if view.state == types::jobs::JobState::Cancelled => {
                    kb.notice.set("Undone: nothing was sent.".into());
                    restore_rows(kb, restore);
                }
                Ok(_) => kb.notice.set("Too late to undo: the job had already started.".into()),
                Err(error) => kb.notice.set(error.to_string()),
            },
        }
    });
}

#[component]
fn ShortcutsDialog(open: RwSignal<bool>) -> impl IntoView {
    view! {
        <dialog class="queue-help" open=move || open.get() aria-labelledby="queue-help-title">
            <h2 id="queue-help-title">"Keyboard shortcuts"</h2>
            <dl class="queue-help__list">
                {SHORTCUTS.iter().map(|(keys, what)| view! { <dt><kbd>{*keys}</kbd></dt><dd>{*what}</dd> }).collect_view()}
            </dl>
            <button type="button" class="button" on:click=move |_| open.set(false)>"Close"</button>
        </dialog>
    }
}
