//! Forwarding selected events to another URL, re-signed with that target's own secret
//! (`ManageSettings`; the panel stays hidden for other roles). Targets are saved with their
//! secret, which is never shown again. The forms post without WASM; after hydration the
//! event ids field follows the boxes ticked in the table.

use super::{
    api::{DeleteForwardTarget, ForwardEvents, SaveForwardTarget, list_forward_targets},
    page::Selection,
};
use crate::{AppError, components::ErrorView};
use leptos::prelude::*;
use types::event_log::{ForwardResult, ForwardTarget};

/// The forward panel under the events list.
#[component]
pub fn ForwardPanel() -> impl IntoView {
    let save = ServerAction::<SaveForwardTarget>::new();
    let delete = ServerAction::<DeleteForwardTarget>::new();
    let targets =
        Resource::new(move || (save.version().get(), delete.version().get()), |_| list_forward_targets());
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                match targets.await {
                    Ok(targets) => view! { <Panel targets save delete /> }.into_any(),
                    Err(AppError::Forbidden) => ().into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn Panel(
    targets: Vec<ForwardTarget>,
    save: ServerAction<SaveForwardTarget>,
    delete: ServerAction<DeleteForwardTarget>,
) -> impl IntoView {
    let forward = ServerAction::<ForwardEvents>::new();
    let selection = use_context::<Selection>();
    let picked = move || {
        selection
            .map(|Selection(ids)| ids.get().iter().map(i64::to_string).collect::<Vec<_>>().join(", "))
            .unwrap_or_default()
    };
    let has_targets = !targets.is_empty();
    let options: Vec<(i64, String)> =
        targets.iter().map(|t| (t.id, format!("{} — {}", t.name, t.url))).collect();
    view! {
        <section class="card events-forward" aria-labelledby="events-forward-title">
            <h2 id="events-forward-title">"Forward events"</h2>
            <p class="muted">"Sends each selected event to the target as a webhook (" <code>"{\"event\", \"data\"}"</code> "), signed with the target's secret in " <code>"x-amity-signature"</code> " (Base64 HMAC-SHA256). Only public addresses can be targets (an operator may allow private hosts); redirects are not followed; each attempt is audited."</p>
            {has_targets.then(|| view! {
                <ActionForm action=forward>
                    <div class="field">
                        <label for="forward-target">"Target"</label>
                        <select id="forward-target" name="target_id">
                            {options.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="forward-ids">"Event ids (tick events above, or type them)"</label>
                        <input id="forward-ids" name="event_ids" type="text" prop:value=picked autocomplete="off" />
                    </div>
                    <button type="submit" class="button">"Forward"</button>
                </ActionForm>
            })}
            {move || forward.value().get().map(|outcome| match outcome {
                Ok(results) => view! { <ForwardResults results /> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            <h3>"Targets"</h3>
            <ul class="events-targets">
                {targets.into_iter().map(|t| view! {
                    <li>
                        <strong>{t.name.clone()}</strong>" "<code>{t.url.clone()}</code>
                        <ActionForm action=delete>
                            <input type="hidden" name="id" value=t.id />
                            <button type="submit" class="button button--quiet">{format!("Remove {}", t.name)}</button>
                        </ActionForm>
                    </li>
                }).collect_view()}
            </ul>
            <details class="events-target-form">
                <summary>"Add a target"</summary>
                <ActionForm action=save>
                    <div class="field">
                        <label for="target-name">"Name"</label>
                        <input id="target-name" name="name" type="text" required maxlength="100" autocomplete="off" />
                    </div>
                    <div class="field">
                        <label for="target-url">"URL (http or https)"</label>
                        <input id="target-url" name="url" type="url" required autocomplete="off" />
                    </div>
                    <div class="field">
                        <label for="target-secret">"Signing secret (at least 16 characters; not shown again)"</label>
                        <input id="target-secret" name="secret" type="password" required minlength="16" autocomplete="new-password" />
                    </div>
                    <button type="submit" class="button">"Save target"</button>
                </ActionForm>
                {move || save.value().get().map(|outcome| match outcome {
                    Ok(_) => view! { <p class="alert alert--success" role="status">"Target saved."</p> }.into_any(),
                    Err(error) => view! { <ErrorView error /> }.into_any(),
                })}
            </details>
        </section>
    }
}

#[component]
fn ForwardResults(results: Vec<ForwardResult>) -> impl IntoView {
    view! {
        <ul class="events-forward-results" aria-label="Forward results">
            {results.into_iter().map(|r| {
                let text = match (&r.error, r.status) {
                    (None, Some(status)) => format!("event {}: delivered (HTTP {status})", r.event_id),
                    (Some(error), _) => format!("event {}: not delivered — {error}", r.event_id),
                    (None, None) => format!("event {}: no answer", r.event_id),
                };
                let class = if r.delivered() { "events-forward--ok" } else { "events-forward--failed" };
                view! { <li class=class>{text}</li> }
            }).collect_view()}
        </ul>
    }
}
