//! One page of a longer list, with opaque cursors to its neighbours.

use serde::{Deserialize, Serialize};

/// A page of items. `next` and `previous` are opaque cursors (the upstream's paging tokens);
/// `None` means there is no page in that direction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Page<T> {
    /// The items on this page, in display order.
    pub items: Vec<T>,
    /// Cursor of the following page.
    pub next: Option<String>,
    /// Cursor of the preceding page.
    pub previous: Option<String>,
}

impl<T> Page<T> {
    /// Whether the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}
