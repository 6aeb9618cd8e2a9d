//! The queue's notice while actions are on their way. "Act and next" sends an action and moves
//! on without waiting, so several answers can be outstanding at once; the notice counts them
//! all (not only the last one to answer) and keeps a failure visible until the batch is over.

/// Actions sent since the notice last had nothing outstanding, and how they ended.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InFlight {
    /// Sent, not answered yet.
    pub waiting: u32,
    /// Answered: every step applied.
    pub applied: u32,
    /// Answered: not (or not fully) applied, or the request failed.
    pub failed: u32,
}

impl InFlight {
    /// One more action sent. A new batch starts when nothing was outstanding.
    pub fn sent(&mut self) {
        if self.waiting == 0 {
            *self = Self::default();
        }
        self.waiting += 1;
    }

    /// One answer came back.
    pub fn answered(&mut self, applied: bool) {
        self.waiting = self.waiting.saturating_sub(1);
        if applied {
            self.applied += 1;
        } else {
            self.failed += 1;
        }
    }

    /// The notice: `last` (what just happened, a sentence) and what is still outstanding or
    /// went wrong in this batch.
    pub fn notice(&self, last: &str) -> String {
        let answers = |n: u32| if n == 1 { "1 answer".to_owned() } else { format!("{n} answers") };
        match (self.waiting, self.failed) {
            (0, 0) => last.to_owned(),
            (0, failed) => {
                format!("{last} {failed} of {} actions not applied: see the report.", self.applied + failed)
            }
            (waiting, 0) => format!("{last} Waiting for {} from Social+.", answers(waiting)),
            (waiting, failed) => {
                format!("{last} Waiting for {}; {failed} not applied so far.", answers(waiting))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outstanding_answer_is_counted_not_only_the_last() {
        let mut flight = InFlight::default();
        for _ in 0..3 {
            flight.sent();
        }
        flight.answered(true);
        assert_eq!(flight.notice("Kept post p1."), "Kept post p1. Waiting for 2 answers from Social+.");
        flight.answered(false);
        assert_eq!(
            flight.notice("Not applied to post p2."),
            "Not applied to post p2. Waiting for 1 answer; 1 not applied so far."
        );
        flight.answered(true);
        assert_eq!(
            flight.notice("Kept post p3."),
            "Kept post p3. 1 of 3 actions not applied: see the report.",
            "a failure earlier in the batch stays visible after the last answer"
        );
    }

    #[test]
    fn a_batch_that_all_applied_ends_with_the_plain_sentence_and_the_next_starts_afresh() {
        let mut flight = InFlight::default();
        flight.sent();
        flight.answered(false);
        flight.sent();
        assert_eq!((flight.waiting, flight.failed), (1, 0), "a new batch after everything answered");
        flight.answered(true);
        assert_eq!(flight.notice("Deleted comment c1."), "Deleted comment c1.");
    }
}
