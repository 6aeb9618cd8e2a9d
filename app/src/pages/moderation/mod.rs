//! Moderation actions: server functions and the pieces other pages mount (the reason
//! picker, the step report). The queue page itself lives in `pages/queue`.

pub mod action_report;
pub mod api;
pub mod reason_picker;

pub use action_report::ActionReportView;
pub use reason_picker::ReasonPicker;
