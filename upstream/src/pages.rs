//! One pagination abstraction for every paged read: follow the envelope's `paging.next`
//! cursor as a stream of pages, and stop with an error instead of looping forever when the
//! API hands back a cursor already followed.

use crate::{Client, Decode, Error, endpoints::Request, wire::UserEnvelope};
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

/// Where a request carries its page cursor. Most Social+ reads take `options[token]`.
pub type WithCursor = fn(Request, &str) -> Request;

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
    with_cursor: WithCursor,
    seen: &mut HashSet<String>,
) -> Result<Option<Request>, Error> {
    let Some(cursor) = cursor else { return Ok(None) };
    if !seen.insert(cursor.to_owned()) {
        return Err(Error::Decode {
            path: "paging.next".into(),
            message: "the cursor did not advance (the API returned a page token already followed)".into(),
        });
    }
    Ok(Some(with_cursor(request, cursor)))
}

impl Client {
    /// Every page of `first` and its successors, in order. Each page goes through the one
    /// send path (budget, retry, decoding). The stream ends after the last page, or with
    /// one error (a failed call or a cursor that repeats).
    pub fn pages<'a, T>(
        &'a self,
        first: Request,
        with_cursor: WithCursor,
    ) -> impl Stream<Item = Result<T, Error>> + 'a
    where
        T: Paged + Decode + 'a,
    {
        let walk = Walk { next: Some(first), seen: HashSet::new() };
        stream::try_unfold(walk, move |mut walk| async move {
            let Some(request) = walk.next.take() else { return Ok(None) };
            let page: T = self.send_request(&request).await?;
            walk.next = advance(request, page.next_cursor(), with_cursor, &mut walk.seen)?;
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
        let second = advance(first, Some("t1"), options_token, &mut seen).expect("ok").expect("more");
        let third = advance(second, Some("t2"), options_token, &mut seen).expect("ok").expect("more");
        assert_eq!(
            third.query,
            vec![("keyword".to_owned(), "ann".to_owned()), ("options[token]".to_owned(), "t2".to_owned())]
        );
    }

    #[test]
    fn no_cursor_ends_the_walk() {
        let mut seen = HashSet::new();
        let request = Request::get(&["api", "v3", "users"]);
        assert_eq!(advance(request, None, options_token, &mut seen).expect("ok"), None);
    }

    #[test]
    fn a_cursor_seen_before_is_an_error_not_a_loop() {
        let mut seen = HashSet::new();
        let request = Request::get(&["api", "v3", "users"]);
        let next = advance(request, Some("same"), options_token, &mut seen).expect("ok").expect("more");
        let err = advance(next, Some("same"), options_token, &mut seen).expect_err("must stop");
        assert!(matches!(err, Error::Decode { ref path, .. } if path == "paging.next"), "{err:?}");
    }
}
