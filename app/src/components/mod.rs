//! Small building blocks shared by pages.

mod empty_state;
mod error_view;
mod pager;
pub mod time;

pub use empty_state::EmptyState;
pub use error_view::ErrorView;
pub use pager::Pager;
