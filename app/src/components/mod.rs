//! Small building blocks shared by pages.

mod choice_field;
mod date_range;
mod empty_state;
mod error_view;
mod pager;
pub mod time;

pub use choice_field::ChoiceField;
pub use date_range::DateRangeFields;
pub use empty_state::EmptyState;
pub use error_view::ErrorView;
pub use pager::Pager;
