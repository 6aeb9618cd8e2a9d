//! What automation rules did: run counts per rule and the runs themselves, as the Rules pages
//! show them (rows of `event_rule_runs`, one per rule per matching event).

use crate::rules::{DryRunReport, Rule};
use serde::{Deserialize, Serialize};

/// How a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RunState {
    /// Claimed, acting now (or the console stopped mid-way; such runs are later failed).
    Running,
    /// The action was done.
    Done,
    /// The action failed; the run's detail says why. Never retried.
    Failed,
}

impl RunState {
    /// Reads the stored state; anything unknown counts as failed (never as done).
    pub fn parse(state: &str) -> Self {
        match state {
            "running" => RunState::Running,
            "done" => RunState::Done,
            _ => RunState::Failed,
        }
    }

    /// Lower-case name, as stored and used in CSS classes.
    pub fn as_str(self) -> &'static str {
        match self {
            RunState::Running => "running",
            RunState::Done => "done",
            RunState::Failed => "failed",
        }
    }
}

/// How a rule's runs ended so far.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCounts {
    /// Runs whose action was done.
    pub done: u64,
    /// Runs whose action failed.
    pub failed: u64,
    /// Runs still acting.
    pub running: u64,
    /// When the newest run started (RFC 3339), if the rule ever ran.
    pub last_run_at: Option<String>,
}

impl RunCounts {
    /// "3 done, 1 failed, 0 running; last run …" without the time (the page formats it).
    pub fn summary(&self) -> String {
        format!("{} done, {} failed, {} running", self.done, self.failed, self.running)
    }
}

/// A rule with what it did, for the rules list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleSummary {
    /// The rule.
    pub rule: Rule,
    /// Its runs.
    pub runs: RunCounts,
}

/// One rule in full, for its own page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleDetail {
    /// The rule.
    pub rule: Rule,
    /// Its runs.
    pub runs: RunCounts,
    /// The report of the dry run of its current definition, if one was run.
    pub last_dry_run: Option<DryRunReport>,
}

/// One run of a rule on one event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RuleRun {
    /// The event (`events.id`).
    pub event_id: i64,
    /// Its name, e.g. `v3.post.didCreate`.
    pub event_name: String,
    /// When the event happened (RFC 3339).
    pub occurred_at: String,
    /// How the run stands.
    pub state: RunState,
    /// What was done, or why it failed.
    pub detail: String,
    /// When the run started (RFC 3339).
    pub started_at: String,
    /// When it ended (RFC 3339), unless still running.
    pub finished_at: Option<String>,
}

impl RuleRun {
    /// The outcome in a sentence for the person at the screen.
    pub fn outcome(&self) -> String {
        let detail = self.detail.trim();
        match self.state {
            RunState::Done if detail.is_empty() => "Done.".into(),
            RunState::Done => format!("Done: {detail}."),
            RunState::Running => "Acting now…".into(),
            RunState::Failed if detail.is_empty() => {
                "Failed, for a reason the console did not record.".into()
            }
            RunState::Failed => {
                format!("Failed: {detail}. It is not retried; act by hand if it is still needed.")
            }
        }
    }

    /// Where the Events page shows this run's event at the top: its type, from its id down.
    pub fn event_href(&self) -> String {
        format!(
            "/events?type={}&before={}",
            crate::url::encode_component(&self.event_name),
            self.event_id.saturating_add(1)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(state: RunState, detail: &str) -> RuleRun {
        RuleRun {
            event_id: 41,
            event_name: "v3.post.didCreate".into(),
            occurred_at: "2026-11-26T10:00:00Z".into(),
            state,
            detail: detail.into(),
            started_at: "2026-11-26T10:00:01Z".into(),
            finished_at: None,
        }
    }

    #[test]
    fn outcomes_read_as_sentences_and_failures_say_they_are_not_retried() {
        assert_eq!(
            run(RunState::Done, "opened a case for post p1").outcome(),
            "Done: opened a case for post p1."
        );
        let failed = run(RunState::Failed, "notifying https://x: answered HTTP 500").outcome();
        assert!(failed.starts_with("Failed: notifying https://x: answered HTTP 500."), "{failed}");
        assert!(failed.contains("not retried"));
        assert_eq!(RunState::parse("weird"), RunState::Failed, "unknown is never done");
    }

    #[test]
    fn the_event_link_opens_the_events_page_at_that_event() {
        assert_eq!(run(RunState::Done, "").event_href(), "/events?type=v3.post.didCreate&before=42");
    }
}
