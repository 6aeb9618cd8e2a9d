//! Server functions of the sign-in flow. Both are readable without a session by design:
//! one tells the caller who they are (or that they are nobody), the other which sign-in
//! methods exist. Neither reveals anything about anyone else.

use crate::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use types::CurrentUser;

/// The signed-in user, or `None`.
#[server(endpoint = "get_current_user")]
pub async fn get_current_user() -> Result<Option<CurrentUser>, AppError> {
    Ok(crate::ctx::current_user())
}

/// What the sign-in page offers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignInOptions {
    /// The bootstrap admin's user name, when that sign-in is enabled.
    pub bootstrap_username: Option<String>,
    /// Why it is not, when it is not.
    pub bootstrap_disabled_reason: Option<String>,
    /// The identity provider's name, when OIDC sign-in is enabled.
    pub sso_name: Option<String>,
}

/// Put in every request by the server: the OIDC provider's display name, when enabled.
#[derive(Clone, Debug, Default)]
pub struct SsoOffer(pub Option<String>);

/// Which sign-in methods are enabled.
#[server(endpoint = "get_sign_in_options")]
pub async fn get_sign_in_options() -> Result<SignInOptions, AppError> {
    let services = crate::ctx::public_services()?;
    Ok(SignInOptions {
        bootstrap_username: services.bootstrap.as_ref().map(|b| b.username().to_owned()),
        bootstrap_disabled_reason: services.bootstrap_disabled_reason.clone(),
        sso_name: use_context::<http::request::Parts>()
            .and_then(|parts| parts.extensions.get::<SsoOffer>().cloned())
            .and_then(|offer| offer.0),
    })
}
