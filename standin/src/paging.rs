//! Paging tokens as the real API issues them: base64 of `{"skip":n,"limit":m}`
//! (e.g. `eyJza2lwIjoxMCwibGltaXQiOjEwfQ==`). Clients treat them as opaque.

use base64::{Engine, engine::general_purpose::STANDARD};
use serde::{Deserialize, Serialize};

/// The decoded content of a paging token.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PageToken {
    /// Rows to skip.
    pub skip: u64,
    /// Page size.
    pub limit: u32,
}

impl PageToken {
    /// The token text.
    pub fn encode(self) -> String {
        // Serializing two integers cannot fail.
        let json = serde_json::to_vec(&self).unwrap_or_default();
        STANDARD.encode(json)
    }

    /// Reads a token; `None` if it is not one of ours.
    pub fn decode(token: &str) -> Option<Self> {
        let bytes = STANDARD.decode(token.trim()).ok()?;
        let token: Self = serde_json::from_slice(&bytes).ok()?;
        (1..=100).contains(&token.limit).then_some(token)
    }

    /// Token of the page after this one, if `has_more`.
    pub fn next(self, has_more: bool) -> Option<Self> {
        has_more.then(|| Self { skip: self.skip + u64::from(self.limit), limit: self.limit })
    }

    /// Token of the page before this one, if this is not the first.
    pub fn previous(self) -> Option<Self> {
        (self.skip > 0)
            .then(|| Self { skip: self.skip.saturating_sub(u64::from(self.limit)), limit: self.limit })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_documented_example_token_decodes() {
        let token = PageToken::decode("eyJza2lwIjoxMCwibGltaXQiOjEwfQ==");
        assert_eq!(token, Some(PageToken { skip: 10, limit: 10 }));
    }

    #[test]
    fn tokens_round_trip() {
        let token = PageToken { skip: 120, limit: 20 };
        assert_eq!(PageToken::decode(&token.encode()), Some(token));
        assert!(token.encode().len() <= 100, "the spec caps paging tokens at 100 chars");
    }

    #[test]
    fn garbage_and_out_of_range_limits_are_rejected() {
        assert_eq!(PageToken::decode("not base64!"), None);
        assert_eq!(PageToken::decode(&STANDARD.encode("{\"skip\":0}")), None);
        assert_eq!(PageToken::decode(&PageToken { skip: 0, limit: 500 }.encode()), None);
    }

    #[test]
    fn neighbours_move_by_one_page_and_stop_at_the_ends() {
        let first = PageToken { skip: 0, limit: 10 };
        assert_eq!(first.previous(), None);
        assert_eq!(first.next(false), None);
        let second = first.next(true).expect("has more");
        assert_eq!(second, PageToken { skip: 10, limit: 10 });
        assert_eq!(second.previous(), Some(first));
        let odd = PageToken { skip: 5, limit: 10 };
        assert_eq!(odd.previous(), Some(PageToken { skip: 0, limit: 10 }));
    }
}
