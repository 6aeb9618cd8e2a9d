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
    /// A page of a keyset-paged list read with one item more than `limit`: that extra item
    /// only says there is a next page, which starts after the last item kept (`cursor` of it).
    pub fn from_one_extra(mut items: Vec<T>, limit: usize, cursor: impl Fn(&T) -> String) -> Self {
        let next = if items.len() > limit {
            items.truncate(limit);
            items.last().map(cursor)
        } else {
            None
        };
        Page { items, next, previous: None }
    }

    /// Whether the page holds no items.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_extra_item_means_a_next_page_after_the_last_kept() {
        let page = Page::from_one_extra(vec![9, 8, 7], 2, i32::to_string);
        assert_eq!((page.items, page.next), (vec![9, 8], Some("8".to_owned())));
        let last = Page::from_one_extra(vec![9, 8], 2, i32::to_string);
        assert_eq!((last.items, last.next), (vec![9, 8], None));
    }
}
