//! `/settings`: the network's admin token, shown only as a masked fingerprint and its
//! expiry, with a form to regenerate it (typed confirmation, optional reason).
//!
//! The form is an `ActionForm` over a server function, so it posts without WASM too.

use super::api::{RegenerateAdminToken, get_admin_token_info};
use crate::components::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use types::admin_token::{AdminTokenInfo, REGENERATE_CONFIRMATION};

/// The Settings page.
#[component]
pub fn SettingsPage() -> impl IntoView {
    let regenerate = ServerAction::<RegenerateAdminToken>::new();
    let info = Resource::new(move || regenerate.version().get(), |_| get_admin_token_info());
    view! {
        <Title text="Settings" />
        <section class="page">
            <header class="page__header">
                <h1>"Settings"</h1>
                <p class="page__lede">"The network's admin token. The console never shows it: only a fingerprint to tell tokens apart."</p>
            </header>
            <Transition fallback=|| view! { <p class="loading" role="status">"Loading settings…"</p> }>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(info) => view! { <TokenPanel info regenerate /> }.into_any(),
                        Err(error) => view! { <ErrorView error /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn TokenPanel(info: AdminTokenInfo, regenerate: ServerAction<RegenerateAdminToken>) -> impl IntoView {
    let result = regenerate.value();
    view! {
        <section class="card" aria-labelledby="admin-token-title">
            <h2 id="admin-token-title">"Admin token"</h2>
            <dl class="facts">
                <dt>"Fingerprint"</dt>
                <dd><code data-testid="token-fingerprint">{info.fingerprint.clone()}</code></dd>
                <dt>"Expires"</dt>
                <dd>{info.expires_at.clone().unwrap_or_else(|| "unknown".into())}</dd>
                <dt>"Kept in"</dt>
                <dd>{info.source.clone()}</dd>
            </dl>
            {move || result.get().map(|outcome| match outcome {
                Ok(_) => view! { <p class="alert alert--success" role="status">"A new admin token is in use. The previous one no longer works."</p> }.into_any(),
                Err(error) => view! { <ErrorView error /> }.into_any(),
            })}
            {match info.regenerate_refused.clone() {
                Some(why) => view! { <p class="notice" role="note">{why}</p> }.into_any(),
                None => view! {
                    <div class="form">
                    <ActionForm action=regenerate>
                        <p>"Regenerating asks Social+ for a new token. The current token stops working immediately, everywhere it is used."</p>
                        <div class="field">
                            <label for="regenerate-reason">"Reason (for the audit trail)"</label>
                            <input id="regenerate-reason" name="reason" type="text" maxlength="500" autocomplete="off" />
                        </div>
                        <div class="field">
                            <label for="regenerate-confirmation">{format!("Type “{REGENERATE_CONFIRMATION}” to confirm")}</label>
                            <input id="regenerate-confirmation" name="confirmation" type="text" required autocomplete="off" />
                        </div>
                        <button type="submit" class="button button--danger">"Regenerate admin token"</button>
                    </ActionForm>
                    </div>
                }.into_any(),
            }}
        </section>
    }
}
