//! The delivery log (`/events?view=deliveries`): every webhook delivery the console accepted,
//! newest first — which secret verified its signature and how, and how processing went.

use super::api::list_deliveries;
use crate::components::{EmptyState, ErrorView, Pager, time};
use leptos::prelude::*;
use types::event_log::{DeliveryPage, DeliveryRow};

/// The log, from `before` down.
#[component]
pub fn DeliveryLog(before: Option<i64>) -> impl IntoView {
    let page = Resource::new(move || before, list_deliveries);
    view! {
        <p class="muted">"Only deliveries with a valid signature are stored; rejected ones are answered 4xx and never written. Identical redeliveries are counted, not stored twice."</p>
        <Transition fallback=|| view! { <p class="loading" role="status">"Loading deliveries…"</p> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <DeliveryTable page first=before.is_none() /> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DeliveryTable(page: DeliveryPage, first: bool) -> impl IntoView {
    if page.items.is_empty() {
        return view! { <EmptyState title="No webhook deliveries yet."><a href="/events">"Back to events"</a></EmptyState> }.into_any();
    }
    let next = page.next_before.map(|b| format!("/events?view=deliveries&before={b}"));
    let previous = (!first).then(|| "/events?view=deliveries".to_owned());
    view! {
        <div class="table-wrap">
            <table class="table events-deliveries">
                <caption class="visually-hidden">"Webhook deliveries, newest first"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Received"</th>
                        <th scope="col">"Event"</th>
                        <th scope="col">"Signature"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Attempts"</th>
                        <th scope="col">"Duplicates"</th>
                        <th scope="col">"Error"</th>
                    </tr>
                </thead>
                <tbody>{page.items.into_iter().map(|row| view! { <DeliveryLine row /> }).collect_view()}</tbody>
            </table>
        </div>
        <Pager previous next label="Delivery pages" />
    }
    .into_any()
}

#[component]
fn DeliveryLine(row: DeliveryRow) -> impl IntoView {
    view! {
        <tr data-delivery-id=row.id>
            <td><time datetime=row.received_at.clone()>{time::date_time(&row.received_at)}</time></td>
            <th scope="row"><code>{row.event_name.clone()}</code><span class="muted">{format!(" #{}", row.id)}</span></th>
            <td>{format!("valid ({}), secret “{}”", row.signature_kind, row.secret_label)}</td>
            <td>
                <span class=format!("badge events-state events-state--{}", row.state)>{row.state.clone()}</span>
                {row.processed_at.clone().map(|at| view! { <br /><span class="muted">{time::date_time(&at)}</span> })}
            </td>
            <td>{row.attempts}</td>
            <td>{row.duplicates}</td>
            <td>{row.last_error.clone().unwrap_or_else(|| "—".into())}</td>
        </tr>
    }
}
