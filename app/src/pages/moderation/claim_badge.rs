//! Who is working on a case: "You" or the other moderator's name, for queue rows and the
//! case view.

use leptos::prelude::*;
use types::moderation::Claim;

/// A small badge; nothing when nobody holds the case.
#[component]
pub fn ClaimBadge(
    /// The case's claim, if any.
    claim: Option<Claim>,
    /// The signed-in console account id.
    #[prop(into)]
    me: String,
) -> impl IntoView {
    claim.map(|claim| {
        let mine = claim.claimed_by == me;
        let (class, text) = if mine {
            ("mod-claim mod-claim--mine", "You are on it".to_owned())
        } else {
            ("mod-claim mod-claim--other", format!("{} is on it", claim.claimed_name))
        };
        view! {
            <span class=class data-testid="claim-badge" title=format!("since {}", claim.claimed_at)>{text}</span>
        }
    })
}
