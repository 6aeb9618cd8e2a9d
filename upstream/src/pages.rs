//! One pagination abstraction for every paged read: follow the envelope's `paging.next`
//! cursor as a stream of pages, and stop with an error instead of looping forever when the
//! API hands back a cursor already followed.

use crate::{
    Client, Error,
    endpoints::{Endpoint, Request, users::QueryUsers},
    wire::UserEnvelope,
};
use futures::stream::{self, Stream};
use std::collections::HashSet;

/// An answer that may point at a following page.
pub trait Paged {
    /// The cursor of the next page, if there is one.
    fn next_cursor(&self) -> Option<&str>;
}

impl Paged for UserEnvelope {
    fn next_cursor(&self) -> Option<&str> {
        self.paging.as_ref().and_then(|p| p.next.as_deref()).filter(|t| !t.is_empty())
    }
}

/// An endpoint whose following pages are its request with `options[token]` set to the cursor
/// of the page before (most Social+ reads).
pub trait TokenPaged: Endpoint<Response: Paged> {}

impl TokenPaged for QueryUsers<'_> {}

/// Sets `options[token]`, replacing any earlier one (and any `options[limit]`, which the
/// cursor already encodes).
pub fn options_token(request: Request, cursor: &str) -> Request {
    request.replace_query("options[token]", cursor)
}

/// What the page walker knows between pages.
struct Walk {
    next: Option<Request>,
    seen: HashSet<String>,
}

/// Checks a page's cursor and builds the request for the page after it.
fn advance(
    request: Request,
    cursor: Option<&str>,
    seen: &mut HashSet<String>,
) -> Result<Option<Request>, Error> {
    let Some(cursor) = cursor else { return Ok(None) };
    if !seen.insert(cursor.to_owned()) {
        return Err(Error::Decode {
            path: "paging.next".into(),
            message: "the cursor did not advance (the API returned a page token already followed)".into(),
        });
    }
    Ok(Some(options_token(request, cursor)))
}

impl Client {
    /// Every page of `first` and its successors, in order. Each page goes through the one
    /// send path (budget, retry, decoding). The stream ends after the last page, or with
    /// one error (a failed call or a cursor that repeats).
    pub fn pages<'a, E>(&'a self, first: &E) -> impl Stream<Item = Result<E::Response, Error>> + 'a
    where
        E: TokenPaged,
        E::Response: 'a,
    {
        let walk = Walk { next: Some(first.request()), seen: HashSet::new() };
        stream::try_unfold(walk, move |mut walk| async move {
            let Some(request) = walk.next.take() else { return Ok(None) };
            let page: E::Response = self.send_request(&request).await?;
            walk.next = advance(request, page.next_cursor(), &mut walk.seen)?;
            Ok(Some((page, walk)))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_cursor_replaces_the_previous_one_and_the_limit() {
        let first = Request::get(&["api", "v3", "users"])
            .with_query(vec![("keyword".into(), "ann".into()), ("options[limit]".into(), "100".into())]);
        let mut seen = HashSet::new();
        let second = advance(first, Some("t1"), &mut seen).expect("ok").expect("more");
        let third = advance(second, Some("t2"), &mut seen).expect("ok").expect("more");
        assert_eq!(
            third.query,
            vec![("keyword".to_owned(), "ann".to_owned()), ("options[token]".to_owned(), "t2".to_owned())]
        );
    }

    #[test]
    fn no_cursor_ends_the_walk() {
        let mut seen = HashSet::new();
        let request = Request::get(&["api", "v3", "users"]);
        assert_eq!(advance(request, None, &mut seen).expect("ok"), None);
    }

    #[test]
    fn a_cursor_seen_before_is_an_error_not_a_loop() {
        let mut seen = HashSet::new();
        let request = Request::get(&["api", "v3", "users"]);
        let next = advance(request, Some("same"), &mut seen).expect("ok").expect("more");
        let err = advance(next, Some("same"), &mut seen).expect_err("must stop");
        assert!(matches!(err, Error::Decode { ref path, .. } if path == "paging.next"), "{err:?}");
    }
}
