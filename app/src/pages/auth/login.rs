//! The sign-in page. A plain POST form: it works before (and without) WASM.

use super::api::get_sign_in_options;
use crate::components::ErrorView;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Messages for the `?error=` values the server's sign-in route redirects with.
fn error_message(code: &str) -> Option<&'static str> {
    match code {
        "invalid" => Some("Wrong user name or password."),
        "disabled" => Some("Sign-in with the bootstrap admin is disabled on this console."),
        "expired" => Some("Your session expired. Please sign in again."),
        "access_changed" => Some("Your access to this console changed. Please sign in again."),
        "missing" => Some("Enter a user name and a password."),
        "oidc" => Some("Single sign-on did not succeed. Please try again."),
        "oidc_state" => Some("That sign-in link was already used or has expired. Please sign in again."),
        "no_role" => {
            Some("You are signed in at your identity provider, but none of your groups may use this console.")
        }
        "idp_unavailable" => {
            Some("The identity provider cannot be reached right now. Please try again later.")
        }
        _ => None,
    }
}

/// `/login`.
#[component]
pub fn LoginPage() -> impl IntoView {
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_else(|| "/users".to_owned());
    let error = move || query.read().get("error").and_then(|code| error_message(&code));
    let signed_out = move || query.read().get("signed_out").is_some();
    let options = OnceResource::new(get_sign_in_options());
    view! {
        <Title text="Sign in" />
        <section class="auth">
            <div class="card auth__card">
                <h1>"Sign in"</h1>
                <Show when=signed_out>
                    <p class="alert alert--info" role="status">"You have signed out."</p>
                </Show>
                {move || error().map(|message| view! { <p class="alert alert--error" role="alert">{message}</p> })}
                <Suspense fallback=|| view! { <p>"Loading…"</p> }>
                    {move || Suspend::new(async move {
                        match options.await {
                            Ok(options) => match (options.sso_name, options.bootstrap_username) {
                                (Some(name), bootstrap) => view! {
                                    <SsoButton name next=next() />
                                    {bootstrap.map(|username| view! { <BootstrapForm username next=next() /> })}
                                }.into_any(),
                                (None, Some(username)) => view! { <BootstrapForm username next=next() /> }.into_any(),
                                (None, None) => view! {
                                    <div class="alert alert--warning" role="alert">
                                        <p class="alert__title">"No sign-in method is available"</p>
                                        <p>{options.bootstrap_disabled_reason.unwrap_or_default()}</p>
                                    </div>
                                }.into_any(),
                            },
                            Err(error) => view! { <ErrorView error /> }.into_any(),
                        }
                    })}
                </Suspense>
            </div>
        </section>
    }
}

/// A plain link: the server redirects to the provider, so it works without WASM too.
#[component]
fn SsoButton(name: String, next: String) -> impl IntoView {
    let href = format!("/auth/oidc/login?next={}", types::url::encode_component(&next));
    view! {
        <p>
            <a class="button button--primary" href=href rel="external">{format!("Sign in with {name}")}</a>
        </p>
    }
}

#[component]
fn BootstrapForm(username: String, next: String) -> impl IntoView {
    view! {
        <form method="post" action="/auth/login" class="form">
            <input type="hidden" name="next" value=next />
            <div class="field">
                <label for="username">"User name"</label>
                <input id="username" name="username" type="text" autocomplete="username" required value=username />
            </div>
            <div class="field">
                <label for="password">"Password"</label>
                <input id="password" name="password" type="password" autocomplete="current-password" required autofocus />
            </div>
            <button type="submit" class="button button--primary">"Sign in"</button>
            <p class="hint">
                "This is the console's local bootstrap admin. Its password is printed when the console starts, "
                "or set with " <code>"CONSOLE_BOOTSTRAP_PASSWORD"</code> "."
            </p>
        </form>
    }
}

#[cfg(test)]
mod tests {
    use super::error_message;

    #[test]
    fn every_error_code_the_server_sends_has_a_message() {
        let codes = [
            "invalid",
            "disabled",
            "expired",
            "access_changed",
            "missing",
            "oidc",
            "oidc_state",
            "no_role",
            "idp_unavailable",
        ];
        for code in codes {
            assert!(error_message(code).is_some(), "{code}");
        }
        assert_eq!(error_message("<script>"), None);
    }
}
