//! Light/dark theme: follows the OS unless the person picks one. The choice is a cookie so
//! the server renders the right theme from the first byte (no flash), and the toggle is a
//! form, so it works without WASM; after hydration it switches instantly.

use leptos::prelude::*;

/// The theme preference.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Theme {
    /// Follow `prefers-color-scheme`.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    /// Cookie and `data-theme` value.
    pub fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    /// Reads a cookie value; anything else is `System`.
    pub fn parse(value: &str) -> Self {
        match value {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }

    /// The next theme when the toggle is pressed.
    pub fn next(self) -> Self {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    fn label(self) -> &'static str {
        match self {
            Theme::System => "Theme: system",
            Theme::Light => "Theme: light",
            Theme::Dark => "Theme: dark",
        }
    }

    /// A `Set-Cookie` / `document.cookie` value remembering this choice for a year.
    pub fn cookie(self) -> String {
        format!("theme={}; Path=/; Max-Age=31536000; SameSite=Lax", self.as_str())
    }

    /// The value of the `theme` cookie in a `Cookie` header.
    pub fn from_cookie_header(header: &str) -> Self {
        header
            .split(';')
            .filter_map(|pair| pair.trim().split_once('='))
            .find(|(name, _)| *name == "theme")
            .map(|(_, value)| Theme::parse(value))
            .unwrap_or_default()
    }
}

/// The theme asked for by the current request's cookie (server); `System` elsewhere.
pub fn theme_from_request() -> Theme {
    #[cfg(feature = "ssr")]
    {
        use_context::<http::request::Parts>()
            .and_then(|parts| {
                parts.headers.get(http::header::COOKIE)?.to_str().ok().map(Theme::from_cookie_header)
            })
            .unwrap_or_default()
    }
    #[cfg(not(feature = "ssr"))]
    {
        current_document_theme()
    }
}

#[cfg(not(feature = "ssr"))]
fn current_document_theme() -> Theme {
    document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"))
        .map(|value| Theme::parse(&value))
        .unwrap_or_default()
}

/// A button that cycles system → light → dark.
#[component]
pub fn ThemeToggle() -> impl IntoView {
    let theme = RwSignal::new(theme_from_request());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        #[cfg(feature = "hydrate")]
        {
            ev.prevent_default();
            let next = theme.get_untracked().next();
            apply_theme(next);
            theme.set(next);
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = ev;
    };
    let location = leptos_router::hooks::use_location();
    // Where to come back to after the no-WASM form post.
    let here = move || {
        let search = location.search.get();
        let search = search.trim_start_matches('?');
        if search.is_empty() {
            location.pathname.get()
        } else {
            format!("{}?{search}", location.pathname.get())
        }
    };
    view! {
        <form method="post" action="/theme" class="theme-toggle" on:submit=on_submit>
            <input type="hidden" name="theme" value=move || theme.get().next().as_str() />
            <input type="hidden" name="next" value=here />
            <button type="submit" class="button button--quiet" aria-label=move || format!("{} (change)", theme.get().label())>
                <span aria-hidden="true">{move || match theme.get() { Theme::System => "◐", Theme::Light => "☀", Theme::Dark => "☾" }}</span>
                <span class="theme-toggle__label">{move || theme.get().label()}</span>
            </button>
        </form>
    }
}

/// Sets `data-theme` on `<html>` and remembers the choice for a year.
#[cfg(feature = "hydrate")]
fn apply_theme(theme: Theme) {
    use wasm_bindgen::JsCast;
    if let Some(root) = document().document_element() {
        let _ = root.set_attribute("data-theme", theme.as_str());
    }
    if let Ok(html) = document().dyn_into::<web_sys::HtmlDocument>() {
        let _ = html.set_cookie(&theme.cookie());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_theme_cookie_is_found_among_others() {
        assert_eq!(Theme::from_cookie_header("id=abc; theme=dark; x=1"), Theme::Dark);
        assert_eq!(Theme::from_cookie_header("id=abc"), Theme::System);
        assert_eq!(Theme::from_cookie_header("theme=purple"), Theme::System);
    }

    #[test]
    fn the_toggle_cycles_through_all_three() {
        assert_eq!(Theme::System.next().next().next(), Theme::System);
    }
}
