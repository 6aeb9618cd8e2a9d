//! `POST /theme`: remembers the theme choice in a cookie (the no-WASM path of the toggle).

use crate::auth::safe_next;
use axum::{
    Form,
    http::{HeaderValue, header::SET_COOKIE},
    response::{IntoResponse, Redirect, Response},
};
use serde::Deserialize;

/// The toggle form.
#[derive(Deserialize)]
pub struct ThemeForm {
    theme: String,
    #[serde(default)]
    next: String,
}

/// Sets `theme=<light|dark|system>` for a year and goes back.
pub async fn set_theme(Form(form): Form<ThemeForm>) -> Response {
    let theme = app::layout::theme::Theme::parse(&form.theme);
    let mut response = Redirect::to(&safe_next(&form.next)).into_response();
    if let Ok(value) = HeaderValue::from_str(&theme.cookie()) {
        response.headers_mut().insert(SET_COOKIE, value);
    }
    response
}
