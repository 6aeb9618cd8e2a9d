//! Moderation actions: server functions and the pieces other pages mount (the reason
//! picker, the step report, the notes panel, the claim badge). The queue page itself lives in `pages/queue`.

pub mod action_report;
pub mod api;
pub mod claim_badge;
pub mod notes_panel;
pub mod reason_picker;
pub mod teamwork_api;

pub use action_report::ActionReportView;
pub use claim_badge::ClaimBadge;
pub use notes_panel::NotesPanel;
pub use reason_picker::ReasonPicker;
