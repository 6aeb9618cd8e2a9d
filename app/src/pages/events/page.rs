//! `/events`: the network's events, newest first, filtered by type, user and community (in the
//! URL, a GET form: works without WASM, paged with `?before=`), and the webhook delivery log
//! (`?view=deliveries`). After hydration the first page goes live: new events stream in over
//! SSE above the list ([`super::live`]), with pause/resume.

use super::{
    api::list_events, deliveries::DeliveryLog, forward::ForwardPanel, live::LiveEvents, table::EventsTable,
};
use crate::components::{EmptyState, ErrorView, Pager};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::{components::Form, hooks::use_query_map};
use types::event_log::{EventFilter, EventPage, EventQuery, EventRow};

/// The events a person ticked for forwarding (after hydration).
#[derive(Clone, Copy)]
pub struct Selection(pub RwSignal<Vec<i64>>);

/// The Events page.
#[component]
pub fn EventsPage() -> impl IntoView {
    let query_map = use_query_map();
    let deliveries = Memo::new(move |_| query_map.read().get_str("view") == Some("deliveries"));
    let before = Memo::new(move |_| query_map.read().get_str("before").and_then(|b| b.parse::<i64>().ok()));
    let selection = Selection(RwSignal::new(Vec::new()));
    provide_context(selection);
    let query = Memo::new(move |_| {
        let map = query_map.read();
        let get = |key: &str| map.get_str(key).unwrap_or_default().to_owned();
        EventQuery {
            filter: EventFilter { event_type: get("type"), user: get("user"), community: get("community") },
            before: before.get(),
        }
    });
    let tab = |active: bool, href: &'static str, label: &'static str| {
        view! { <a class="events-tabs__tab" href=href aria-current=active.then_some("page")>{label}</a> }
    };
    view! {
        <Title text="Events" />
        <section class="page">
            <header class="page__header">
                <h1>"Events"</h1>
                <p class="page__lede">"What happened on the network, as the console stored it: signed webhook deliveries, the periodic backfill and the last-activity report. New events appear live."</p>
            </header>
            <nav class="events-tabs" aria-label="Events views">
                {move || tab(!deliveries.get(), "/events", "Events")}
                {move || tab(deliveries.get(), "/events?view=deliveries", "Delivery log")}
            </nav>
            {move || if deliveries.get() {
                view! { <DeliveryLog before=before.get() /> }.into_any()
            } else {
                view! { <EventList query=query.get() /> }.into_any()
            }}
        </section>
    }
}

#[component]
fn EventList(query: EventQuery) -> impl IntoView {
    let page = Resource::new(
        move || query.clone(),
        |query| async move {
            let result = list_events(query.clone()).await;
            (query, result)
        },
    );
    view! {
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading events…"</p> }>
            {move || Suspend::new(async move {
                let (query, result) = page.await;
                match result {
                    Ok(page) => view! { <EventFilters filter=query.filter.clone() names=page.names.clone() /> <EventResults page query /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
        <ForwardPanel />
    }
}

/// The GET filter form.
#[component]
fn EventFilters(filter: EventFilter, names: Vec<String>) -> impl IntoView {
    view! {
        <div class="toolbar" role="search">
            <Form method="GET" action="/events">
                <div class="field">
                    <label for="events-type">"Event type"</label>
                    <input id="events-type" name="type" type="text" list="events-type-names" value=filter.event_type.clone()
                        placeholder="v3.post.* or v3.post.didCreate" autocomplete="off" />
                    <datalist id="events-type-names">
                        {names.into_iter().map(|name| view! { <option value=name /> }).collect_view()}
                    </datalist>
                </div>
                <div class="field">
                    <label for="events-user">"User"</label>
                    <input id="events-user" name="user" type="text" value=filter.user.clone() autocomplete="off" />
                </div>
                <div class="field">
                    <label for="events-community">"Community"</label>
                    <input id="events-community" name="community" type="text" value=filter.community.clone() autocomplete="off" />
                </div>
                <button type="submit" class="button">"Filter"</button>
            </Form>
        </div>
    }
}

#[component]
fn EventResults(page: EventPage, query: EventQuery) -> impl IntoView {
    let base = query.filter.query_string();
    let with = |extra: String| match (base.is_empty(), extra.is_empty()) {
        (true, true) => "/events".to_owned(),
        (true, false) => format!("/events?{extra}"),
        (false, true) => format!("/events?{base}"),
        (false, false) => format!("/events?{base}&{extra}"),
    };
    let next = page.next_before.map(|before| with(format!("before={before}")));
    let newest = with(String::new());
    let back = newest.clone();
    let first_page = query.before.is_none();
    let live = RwSignal::new(Vec::<EventRow>::new());
    let stored = page.items;
    let empty = stored.is_empty();
    view! {
        {first_page.then(|| view! { <LiveEvents filter=query.filter.clone() after=page.newest_id rows=live /> })}
        {if empty && !first_page {
            view! { <EmptyState title="No older events match."><a href=back>"Back to the newest"</a></EmptyState> }.into_any()
        } else {
            view! {
                <EventsTable live stored />
                {(empty).then(|| view! { <p class="muted events-empty">"No stored events match yet. New ones appear here as they arrive."</p> })}
            }.into_any()
        }}
        <Pager previous=(!first_page).then_some(newest) next label="Event pages" />
    }
}
