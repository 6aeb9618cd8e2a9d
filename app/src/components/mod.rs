//! Small building blocks shared by pages.

mod choice_field;
mod empty_state;
mod error_view;
mod pager;
pub mod time;

pub use choice_field::ChoiceField;
pub use empty_state::EmptyState;
pub use error_view::ErrorView;
pub use pager::Pager;
