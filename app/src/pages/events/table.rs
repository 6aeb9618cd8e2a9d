//! The events table: live rows (streamed in after hydration) above the stored page, each with
//! its links, a payload viewer (the JSON as text, never as HTML) and a box to select it for
//! forwarding.

use super::page::Selection;
use crate::components::time;
use leptos::prelude::*;
use types::event_log::EventRow;

/// Live rows first, then the stored page.
#[component]
pub fn EventsTable(live: RwSignal<Vec<EventRow>>, stored: Vec<EventRow>) -> impl IntoView {
    view! {
        <div class="table-wrap">
            <table class="table events-table">
                <caption class="visually-hidden">"Events, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col"><span class="visually-hidden">"Select"</span></th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Time"</th>
                        <th scope="col">"Source"</th>
                        <th scope="col">"Who"</th>
                        <th scope="col">"Where"</th>
                        <th scope="col">"Payload"</th>
                    </tr>
                </thead>
                <tbody class="events-live" aria-live="polite">
                    <For each=move || live.get() key=|row| row.id children=|row| view! { <EventLine row fresh=true /> } />
                </tbody>
                <tbody>
                    {stored.into_iter().map(|row| view! { <EventLine row fresh=false /> }).collect_view()}
                </tbody>
            </table>
        </div>
    }
}

#[component]
fn EventLine(row: EventRow, fresh: bool) -> impl IntoView {
    let selection = use_context::<Selection>();
    let id = row.id;
    let toggle = move |ev: leptos::ev::Event| {
        let checked = event_target_checked(&ev);
        if let Some(Selection(selected)) = selection {
            selected.update(|ids| {
                ids.retain(|x| *x != id);
                if checked {
                    ids.push(id);
                }
            });
        }
    };
    let link = row.link();
    let who = [row.actor_user_id.clone().map(|u| ("by", u)), row.subject_user_id.clone().map(|u| ("to", u))];
    let place = row
        .community_id
        .clone()
        .map(|c| format!("community {c}"))
        .or(row.channel_id.clone().map(|c| format!("channel {c}")));
    let object = row.object_kind.clone().zip(row.object_id.clone()).map(|(k, i)| format!("{k} {i}"));
    view! {
        <tr class:events-row--fresh=fresh data-event-id=id data-event-name=row.name.clone()>
            <td><input type="checkbox" class="events-pick" aria-label=format!("Select event {id}") on:change=toggle /></td>
            <th scope="row">
                <code class="events-name">{row.name.clone()}</code>
                <span class="muted">{format!(" #{id}")}</span>
                {object.map(|o| view! { <br /><span class="muted">{o}</span> })}
                {link.map(|(href, label)| view! { <br /><a href=href>{label}</a> })}
            </th>
            <td><time datetime=row.occurred_at.clone()>{time::date_time(&row.occurred_at)}</time></td>
            <td><span class=format!("badge events-source events-source--{}", row.source)>{row.source.clone()}</span></td>
            <td>
                {who.into_iter().flatten().map(|(dir, user)| view! {
                    <span class="events-who">{dir}" "<a href=format!("/users/{}", types::url::encode_component(&user))>{user.clone()}</a></span>" "
                }).collect_view()}
            </td>
            <td>{place.unwrap_or_else(|| "—".into())}</td>
            <td>
                <details class="events-payload">
                    <summary>"Payload"</summary>
                    <pre>{row.pretty_data()}</pre>
                </details>
            </td>
        </tr>
    }
}
