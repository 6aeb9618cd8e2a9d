//! Signing in and out. The form posts to the server's `/auth/login` route (a plain HTTP
//! handler, so the session id can be cycled there); these are the page and its data.

pub mod api;
pub mod login;
