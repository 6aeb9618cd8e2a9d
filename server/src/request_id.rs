//! Request ids are always made here (`MakeRequestUuid`). A client's own `x-request-id` is
//! never taken as the id — that would let anyone choose the id their requests are logged and
//! audited under, or reuse someone else's. It is kept, cleaned and capped, as the span field
//! `client_request_id`, so a caller's logs can still be matched with ours.

use axum::{extract::Request, middleware::Next, response::Response};

/// What the client sent as `x-request-id`: printable ASCII only, at most [`LONGEST`] bytes.
#[derive(Clone, Debug)]
pub struct ClientRequestId(pub String);

/// Longest client id kept.
pub const LONGEST: usize = 64;

/// Moves a client's `x-request-id` out of the headers into [`ClientRequestId`].
pub async fn set_aside_client_id(mut request: Request, next: Next) -> Response {
    if let Some(value) = request.headers_mut().remove("x-request-id") {
        let cleaned: String = value
            .as_bytes()
            .iter()
            .filter(|b| b.is_ascii_graphic())
            .take(LONGEST)
            .map(|b| char::from(*b))
            .collect();
        request.extensions_mut().insert(ClientRequestId(cleaned));
    }
    next.run(request).await
}
