//! New cases without a reload: the hydrated page polls the first page of the same query every
//! few seconds and counts cases it has not shown yet; the same poll refreshes who is on each
//! case shown ([`super::claims`]). They appear only when the moderator
//! asks (the "N new" button), inserted above, with the cursor moved along so the row under
//! it stays current and in place.
//!
//! Polling, not SSE: the queue is read from Social+'s feed, which pushes nothing to the
//! console until webhook events are stored (the events issue); a poll through the same
//! server function reuses its permission check and the upstream request budget, and the
//! per-community sweep it triggers is cached server-side.

use super::{
    api::list_queue,
    claims::{self, Claims},
};
use leptos::prelude::*;
use std::{collections::BTreeSet, time::Duration};
use types::queue::{Case, QueueQuery};

/// How often the page looks for new cases.
pub const POLL_EVERY: Duration = Duration::from_secs(5);

/// The "N new" button; polls while mounted, and refreshes `claims` of the rows shown.
#[component]
pub fn LiveCounter(
    query: QueueQuery,
    rows: RwSignal<Vec<Case>>,
    cursor: RwSignal<usize>,
    claims: RwSignal<Claims>,
) -> impl IntoView {
    let fresh = RwSignal::new(Vec::<Case>::new());
    // Cases shown once stay "seen" even after an action removed them from the table.
    let seen = StoredValue::new(rows.with_untracked(|r| r.iter().map(Case::key).collect::<BTreeSet<_>>()));
    Effect::new(move |_| {
        let query = query.clone();
        let refresh_claims =
            move || claims::refresh(rows.with_untracked(|r| r.iter().map(Case::key).collect()), claims);
        refresh_claims();
        let poll = move || {
            refresh_claims();
            let query = query.clone();
            leptos::task::spawn_local(async move {
                let Ok(view) = list_queue(query).await else { return };
                let new: Vec<Case> = seen.with_value(|seen| {
                    view.cases.items.into_iter().filter(|c| !seen.contains(&c.key())).collect()
                });
                fresh.set(new);
            });
        };
        let handle = set_interval_with_handle(poll, POLL_EVERY).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    let show = move |_| {
        let new = fresh.get_untracked();
        if new.is_empty() {
            return;
        }
        seen.update_value(|seen| seen.extend(new.iter().map(Case::key)));
        let added = new.len();
        rows.update(|rows| {
            let mut merged = new;
            merged.append(rows);
            *rows = merged;
        });
        cursor.update(|at| *at += added);
        fresh.set(Vec::new());
    };
    view! {
        <button
            type="button"
            class="button button--quiet queue-live"
            hidden=move || fresh.read().is_empty()
            on:click=show
        >
            {move || format!("{} new", fresh.read().len())}
        </button>
    }
}
