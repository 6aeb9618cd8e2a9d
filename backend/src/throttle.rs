//! Per-person limits on work a role may start but that spends the shared Social+ request
//! budget or fills the console database: the users export, fetching the last-activity report,
//! writing a metrics export, an import's dry run. Each kind has a cooldown between two starts
//! by the same person and a cap on how many of theirs run at once; beyond either the caller
//! answers 429 with the wait. Counted in memory per console instance (behind a load balancer
//! each instance counts on its own, which still bounds every person).

use std::{
    collections::HashMap,
    sync::{Arc, Mutex},
    time::{Duration, Instant},
};

/// What one person may start of one kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Least time between two starts (zero: none).
    pub cooldown: Duration,
    /// Most running at once (at least one).
    pub at_once: u32,
}

/// The limited kinds of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Work {
    /// `GET /users/export.csv`: pages through the users list upstream.
    UsersExport,
    /// Fetching the last-activity report from Social+ (stored, imported into analytics).
    ReportFetch,
    /// Writing a metrics export (stored).
    MetricsExport,
    /// An import's dry run (looks every row's user up upstream).
    ImportPreview,
}

impl Work {
    /// What it is, for the refusal's sentence.
    fn noun(self) -> &'static str {
        match self {
            Work::UsersExport => "users export",
            Work::ReportFetch => "report fetch",
            Work::MetricsExport => "metrics export",
            Work::ImportPreview => "dry run",
        }
    }
}

/// The limits of each kind of work.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Users exports.
    pub users_export: Limit,
    /// Last-activity report fetches.
    pub report_fetch: Limit,
    /// Metrics exports.
    pub metrics_export: Limit,
    /// Import dry runs.
    pub import_preview: Limit,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            users_export: Limit { cooldown: Duration::from_secs(10), at_once: 2 },
            report_fetch: Limit { cooldown: Duration::from_secs(600), at_once: 1 },
            metrics_export: Limit { cooldown: Duration::from_secs(60), at_once: 1 },
            import_preview: Limit { cooldown: Duration::ZERO, at_once: 1 },
        }
    }
}

impl Limits {
    fn of(&self, work: Work) -> Limit {
        match work {
            Work::UsersExport => self.users_export,
            Work::ReportFetch => self.report_fetch,
            Work::MetricsExport => self.metrics_export,
            Work::ImportPreview => self.import_preview,
        }
    }
}

/// Why a start was refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Refused {
    /// When to try again, rounded up to whole seconds (at least 1).
    pub retry_after_secs: u64,
    /// The reason, in words for the person.
    pub message: String,
}

#[derive(Default)]
struct Slot {
    last_start: Option<Instant>,
    running: u32,
}

type Key = (String, Work);

/// The counters, cheap to clone (shared).
#[derive(Clone, Default)]
pub struct Throttle {
    limits: Limits,
    slots: Arc<Mutex<HashMap<Key, Slot>>>,
}

/// A running piece of work; dropping it frees its place.
#[must_use = "the work counts as running until the permit is dropped"]
pub struct Permit {
    slots: Arc<Mutex<HashMap<Key, Slot>>>,
    key: Key,
}

impl Drop for Permit {
    fn drop(&mut self) {
        if let Ok(mut slots) = self.slots.lock()
            && let Some(slot) = slots.get_mut(&self.key)
        {
            slot.running = slot.running.saturating_sub(1);
        }
    }
}

/// Slots kept before idle ones are dropped.
const TIDY_ABOVE: usize = 1_000;

impl Throttle {
    /// Counters enforcing `limits`.
    pub fn new(limits: Limits) -> Self {
        Self { limits, slots: Arc::default() }
    }

    /// Starts `work` for `person`, or says why not and when to try again.
    pub fn start(&self, person: &str, work: Work) -> Result<Permit, Refused> {
        self.start_at(person, work, Instant::now())
    }

    fn start_at(&self, person: &str, work: Work, now: Instant) -> Result<Permit, Refused> {
        let limit = self.limits.of(work);
        let mut slots = self.slots.lock().map_err(|_| Refused {
            retry_after_secs: 1,
            message: "The console is busy; try again in a moment.".into(),
        })?;
        if slots.len() > TIDY_ABOVE {
            slots.retain(|(_, kind), slot| {
                slot.running > 0
                    || slot
                        .last_start
                        .is_some_and(|at| now.duration_since(at) < self.limits.of(*kind).cooldown)
            });
        }
        let key = (person.to_owned(), work);
        let slot = slots.entry(key.clone()).or_default();
        if slot.running >= limit.at_once.max(1) {
            let n = limit.at_once.max(1);
            let runs = if n == 1 {
                format!("A {} of yours is", work.noun())
            } else {
                format!("{n} of your {}s are", work.noun())
            };
            return Err(Refused {
                retry_after_secs: 5,
                message: format!("{runs} still running; wait for it to finish, then try again."),
            });
        }
        if let Some(at) = slot.last_start {
            let since = now.duration_since(at);
            if since < limit.cooldown {
                let wait = (limit.cooldown - since).as_secs_f64().ceil().max(1.0) as u64;
                return Err(Refused {
                    retry_after_secs: wait,
                    message: format!(
                        "You started a {} {} s ago; you can start another in {wait} s.",
                        work.noun(),
                        since.as_secs()
                    ),
                });
            }
        }
        slot.last_start = Some(now);
        slot.running += 1;
        Ok(Permit { slots: self.slots.clone(), key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn throttle(cooldown_secs: u64, at_once: u32) -> Throttle {
        let limit = Limit { cooldown: Duration::from_secs(cooldown_secs), at_once };
        Throttle::new(Limits { users_export: limit, ..Limits::default() })
    }

    #[test]
    fn a_second_start_within_the_cooldown_is_refused_with_the_wait() {
        let throttle = throttle(10, 5);
        let t0 = Instant::now();
        drop(throttle.start_at("ann", Work::UsersExport, t0).expect("first"));
        let refused =
            throttle.start_at("ann", Work::UsersExport, t0 + Duration::from_secs(3)).err().expect("refused");
        assert_eq!(refused.retry_after_secs, 7);
        assert!(refused.message.contains("in 7 s"), "{}", refused.message);
        assert!(throttle.start_at("bob", Work::UsersExport, t0).is_ok(), "another person is not held up");
        assert!(throttle.start_at("ann", Work::UsersExport, t0 + Duration::from_secs(10)).is_ok());
    }

    #[test]
    fn at_most_the_cap_run_at_once_and_a_finished_one_frees_its_place() {
        let throttle = throttle(0, 2);
        let first = throttle.start("ann", Work::UsersExport).expect("first");
        let _second = throttle.start("ann", Work::UsersExport).expect("second");
        let refused = throttle.start("ann", Work::UsersExport).err().expect("third refused");
        assert!(refused.message.contains("2 of your users exports are still running"), "{}", refused.message);
        drop(first);
        assert!(throttle.start("ann", Work::UsersExport).is_ok());
    }

    #[test]
    fn kinds_of_work_are_counted_apart() {
        let throttle = Throttle::new(Limits::default());
        let _export = throttle.start("ann", Work::UsersExport).expect("export");
        let _preview = throttle.start("ann", Work::ImportPreview).expect("preview");
        assert!(throttle.start("ann", Work::ImportPreview).is_err(), "one dry run at a time");
    }
}
