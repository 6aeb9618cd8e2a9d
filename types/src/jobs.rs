//! Background jobs as the UI sees them: a job's state, its progress counts and its items.
//!
//! A job is bulk work (a bulk ban, a CSV import) that the server runs item by item after an
//! optional undo window. The browser polls [`JobView`] for the progress bar and pages through
//! [`JobItemView`]s for the per-row results.

use crate::Permission;
use serde::{Deserialize, Serialize};

/// Where a job is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// Submitted; starts once its undo window (`not_before`) has passed. Can be cancelled.
    Waiting,
    /// A runner is working through its items. Cancelling stops it before the next item.
    Running,
    /// Every item was tried (some may have failed: see the counts).
    Done,
    /// Someone cancelled it; items not yet started were skipped.
    Cancelled,
    /// The job as a whole could not go on (e.g. Social+ refused the admin token).
    Failed,
}

impl JobState {
    /// Every state, in life order.
    pub const ALL: [JobState; 5] =
        [JobState::Waiting, JobState::Running, JobState::Done, JobState::Cancelled, JobState::Failed];

    /// Stable lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Waiting => "waiting",
            JobState::Running => "running",
            JobState::Done => "done",
            JobState::Cancelled => "cancelled",
            JobState::Failed => "failed",
        }
    }

    /// The state named `name` (as stored), if any.
    pub fn parse(name: &str) -> Option<JobState> {
        JobState::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// Whether the job will not change any more.
    pub fn is_finished(self) -> bool {
        matches!(self, JobState::Done | JobState::Cancelled | JobState::Failed)
    }
}

/// Where one item of a job is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemStatus {
    /// Not started yet.
    Pending,
    /// Started; its outcome is not recorded yet.
    Running,
    /// Succeeded.
    Done,
    /// Failed; the message says why.
    Failed,
    /// Never started because the job was cancelled or stopped.
    Skipped,
}

impl ItemStatus {
    /// Every status.
    pub const ALL: [ItemStatus; 5] =
        [ItemStatus::Pending, ItemStatus::Running, ItemStatus::Done, ItemStatus::Failed, ItemStatus::Skipped];

    /// Stable lower-case name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ItemStatus::Pending => "pending",
            ItemStatus::Running => "running",
            ItemStatus::Done => "done",
            ItemStatus::Failed => "failed",
            ItemStatus::Skipped => "skipped",
        }
    }

    /// The status named `name` (as stored), if any.
    pub fn parse(name: &str) -> Option<ItemStatus> {
        ItemStatus::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How many items are in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobCounts {
    /// All items.
    pub total: u32,
    /// Not started.
    pub pending: u32,
    /// In flight.
    pub running: u32,
    /// Succeeded.
    pub done: u32,
    /// Failed.
    pub failed: u32,
    /// Skipped (cancelled or stopped).
    pub skipped: u32,
}

impl JobCounts {
    /// Items with a final outcome, for the progress bar.
    pub fn finished(&self) -> u32 {
        self.done + self.failed + self.skipped
    }

    /// Whole percent of items finished (100 for an empty job).
    pub fn percent(&self) -> u32 {
        if self.total == 0 {
            return 100;
        }
        let finished = u64::from(self.finished()) * 100 / u64::from(self.total);
        u32::try_from(finished).unwrap_or(100)
    }
}

/// What the shared upstream request budget did while the job ran (the budget is shared with
/// everything else the console does, so this is an upper bound of the job's own use).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BudgetReport {
    /// The configured rate, `None` when unlimited.
    pub per_second: Option<u32>,
    /// Requests that went through the budget while the job ran.
    pub attempts: u64,
    /// Of those, how many had to wait for their turn.
    pub delayed: u64,
    /// Total waiting, in milliseconds.
    pub waited_ms: u64,
}

/// A job's summary, polled by the progress bar.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobView {
    /// Opaque id.
    pub id: String,
    /// What kind of work (`user_import`, `bulk_action`…), as registered by its module.
    pub kind: String,
    /// The console account that submitted it.
    pub created_by: String,
    /// The permission its creator needed; reading or cancelling it needs the same.
    pub permission: Permission,
    /// When it was submitted (RFC 3339).
    pub created_at: String,
    /// When it may start (RFC 3339): the end of its undo window.
    pub not_before: String,
    /// When a runner first picked it up.
    pub started_at: Option<String>,
    /// When it finished.
    pub finished_at: Option<String>,
    /// Where it is.
    pub state: JobState,
    /// Why it failed or was stopped, when it did.
    pub error: Option<String>,
    /// Who cancelled it, when someone did.
    pub cancelled_by: Option<String>,
    /// Items per status.
    pub counts: JobCounts,
    /// What the request budget did while it ran, once it has run.
    pub budget: Option<BudgetReport>,
}

impl JobView {
    /// Whether cancelling still changes something.
    pub fn cancellable(&self) -> bool {
        matches!(self.state, JobState::Waiting | JobState::Running)
    }
}

/// One item's status and outcome.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobItemView {
    /// Position in the job, from 0.
    pub seq: u32,
    /// What the item is about, e.g. a user id or "row 12".
    pub key: String,
    /// Where it is.
    pub status: ItemStatus,
    /// What happened, in words (the error for a failed item).
    pub message: Option<String>,
    /// The handler's result as JSON text, when it produced one.
    pub result: Option<String>,
}

/// Which items of a job to list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobItemsQuery {
    /// Only items in this status.
    pub status: Option<ItemStatus>,
    /// Items from this position on.
    pub offset: u32,
    /// At most this many (capped by the server).
    pub limit: u32,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_and_statuses_round_trip_through_their_stored_names() {
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
        }
        for status in ItemStatus::ALL {
            assert_eq!(ItemStatus::parse(status.as_str()), Some(status));
        }
        assert_eq!(JobState::parse("paused"), None);
    }

    #[test]
    fn progress_counts_finished_items_only() {
        let counts = JobCounts { total: 8, pending: 3, running: 1, done: 2, failed: 1, skipped: 1 };
        assert_eq!(counts.finished(), 4);
        assert_eq!(counts.percent(), 50);
        assert_eq!(JobCounts::default().percent(), 100);
    }
}
