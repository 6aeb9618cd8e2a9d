//! Who is on each case: a column of the queue (refreshed every [`POLL_EVERY`]) and, on the case
//! view, Claim / Release / Take over. Taking a case from another moderator is always an
//! explicit button (audited by the server); a claim by someone else is shown by name.

use super::live::POLL_EVERY;
use crate::pages::{
    auth::api::get_current_user,
    moderation::{
        ClaimBadge,
        teamwork_api::{claim_case, list_claims, release_case},
    },
};
use leptos::{prelude::*, task::spawn_local};
use std::collections::BTreeMap;
use types::{
    CurrentUser, Permission,
    moderation::{Claim, ClaimOutcome},
};

/// Claims by case key.
pub type Claims = BTreeMap<String, Claim>;

/// The signed-in account, loaded after hydration, shared with the claim cells of a page.
#[derive(Clone, Copy)]
struct Me(RwSignal<Option<CurrentUser>>);

/// Loads the signed-in account into the page's context (claim badges say "You" by it).
pub fn provide_me() -> RwSignal<Option<CurrentUser>> {
    let me = RwSignal::new(None);
    provide_context(Me(me));
    Effect::new(move |_| {
        spawn_local(async move {
            if let Ok(Some(user)) = get_current_user().await {
                me.set(Some(user));
            }
        });
    });
    me
}

/// Replaces `claims` with the current claims of `keys` (errors keep what is shown).
pub fn refresh(keys: Vec<String>, claims: RwSignal<Claims>) {
    spawn_local(async move {
        if let Ok(list) = list_claims(keys).await {
            claims.set(list.into_iter().map(|claim| (claim.case_key.clone(), claim)).collect());
        }
    });
}

/// The queue's "On it" cell of one case.
#[component]
pub fn ClaimCell(case_key: String, claims: RwSignal<Claims>) -> impl IntoView {
    let me = use_context::<Me>();
    move || {
        let claim = claims.read().get(&case_key).cloned();
        let me = me.and_then(|Me(me)| me.get()).map(|user| user.id).unwrap_or_default();
        view! { <ClaimBadge claim me /> }
    }
}

/// The case view's claim panel: who is on it, and the buttons the caller may use.
#[component]
pub fn CaseClaim(case_key: String) -> impl IntoView {
    let me = provide_me();
    let claims = RwSignal::new(Claims::new());
    let loaded = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let key = StoredValue::new(case_key);
    let load = move || {
        let keys = vec![key.get_value()];
        spawn_local(async move {
            if let Ok(list) = list_claims(keys).await {
                claims.set(list.into_iter().map(|claim| (claim.case_key.clone(), claim)).collect());
                loaded.set(true);
            }
        });
    };
    // Polled like the queue, so a takeover by someone else shows without a reload.
    Effect::new(move |_| {
        load();
        let handle = set_interval_with_handle(load, POLL_EVERY).ok();
        on_cleanup(move || {
            if let Some(handle) = handle {
                handle.clear();
            }
        });
    });
    let show = move |claim: Option<Claim>| {
        claims.update(|all| {
            all.clear();
            if let Some(claim) = claim {
                all.insert(claim.case_key.clone(), claim);
            }
        });
    };
    let claim = move |takeover: bool| {
        let case_key = key.get_value();
        let previous = claims.with_untracked(|all| all.get(&case_key).map(|c| c.claimed_name.clone()));
        busy.set(true);
        spawn_local(async move {
            match claim_case(case_key, takeover).await {
                Ok(ClaimOutcome::Claimed { claim }) => {
                    message.set(Some("You are on this case.".into()));
                    show(Some(claim));
                }
                Ok(ClaimOutcome::HeldByOther { claim }) => {
                    let name = claim.claimed_name.clone();
                    message.set(Some(format!("{name} is on it: take it over to work on it.")));
                    show(Some(claim));
                }
                Ok(ClaimOutcome::TakenOver { claim, from }) => {
                    let from = previous.unwrap_or(from);
                    message.set(Some(format!("You took the case over from {from}.")));
                    show(Some(claim));
                }
                Err(error) => message.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };
    let release = move |_| {
        let case_key = key.get_value();
        busy.set(true);
        spawn_local(async move {
            match release_case(case_key).await {
                Ok(true) => {
                    message.set(Some("Released: the case is free for others.".into()));
                    show(None);
                }
                Ok(false) => message.set(Some("You no longer held this case.".into())),
                Err(error) => message.set(Some(error.to_string())),
            }
            busy.set(false);
        });
    };
    let panel = move || {
        if !loaded.get() {
            return view! { <p class="muted">"Checking who is on this case…"</p> }.into_any();
        }
        let me = me.get();
        let my_id = me.as_ref().map(|user| user.id.clone()).unwrap_or_default();
        let may_claim = me.as_ref().is_some_and(|user| user.can(Permission::ModerateContent));
        let current = claims.with(|all| all.get(&key.get_value()).cloned());
        let button = |label: String, on_click: Box<dyn Fn() + Send + Sync>| {
            view! {
                <button type="button" class="button" disabled=move || busy.get() on:click=move |_| on_click()>
                    {label}
                </button>
            }
        };
        let action = match &current {
            None => may_claim.then(|| button("Claim".into(), Box::new(move || claim(false)))),
            Some(held) if held.claimed_by == my_id => {
                Some(button("Release".into(), Box::new(move || release(()))))
            }
            Some(held) => may_claim.then(|| {
                let label = format!("Take over from {}", held.claimed_name);
                button(label, Box::new(move || claim(true)))
            }),
        };
        view! {
            {current.is_none().then_some(view! { <p class="muted">"Nobody is on this case."</p> })}
            <ClaimBadge claim=current me=my_id />
            {action}
        }
        .into_any()
    };
    view! {
        <section class="q2-claim" aria-labelledby="case-claim" data-testid="case-claim">
            <h2 id="case-claim">"Who is on it"</h2>
            <div class="q2-claim__row">{panel}</div>
            {move || message.get().map(|m| view! { <p class="q2-claim__message" role="status">{m}</p> })}
        </section>
    }
}
