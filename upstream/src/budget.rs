//! The client-side request budget: a GCRA rate limiter (the `governor` crate) in front of
//! every attempt, so the console stays under the network's limit (the docs give 100
//! requests per 5 s; the default budget of 10 per second leaves room for the apps' own
//! traffic). Callers over budget wait their turn instead of failing, which is what bulk
//! work wants. The budget also counts what it did, for benchmarks and the bulk-job UI.

use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use std::{
    num::NonZeroU32,
    sync::atomic::{AtomicU64, Ordering},
    time::{Duration, Instant},
};

/// How many requests per second the client may send.
#[derive(Debug)]
pub struct RequestBudget {
    limiter: Option<DefaultDirectRateLimiter>,
    per_second: Option<NonZeroU32>,
    attempts: AtomicU64,
    delayed: AtomicU64,
    waited_micros: AtomicU64,
}

/// What the budget has done so far.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct BudgetUsage {
    /// The configured rate, `None` when unlimited.
    pub per_second: Option<u32>,
    /// Attempts that went through the budget (retries count again).
    pub attempts: u64,
    /// Attempts that had to wait for their turn.
    pub delayed: u64,
    /// Total time spent waiting.
    pub waited: Duration,
}

impl RequestBudget {
    /// At most `per_second` requests per second, with bursts of up to that many.
    /// `None` means unlimited (benchmarks of the console itself, or a private stand-in).
    pub fn new(per_second: Option<NonZeroU32>) -> Self {
        Self {
            limiter: per_second.map(|n| RateLimiter::direct(Quota::per_second(n))),
            per_second,
            attempts: AtomicU64::new(0),
            delayed: AtomicU64::new(0),
            waited_micros: AtomicU64::new(0),
        }
    }

    /// Waits until one more request fits in the budget.
    pub async fn acquire(&self) {
        self.attempts.fetch_add(1, Ordering::Relaxed);
        let Some(limiter) = &self.limiter else { return };
        if limiter.check().is_ok() {
            return;
        }
        let started = Instant::now();
        limiter.until_ready().await;
        self.delayed.fetch_add(1, Ordering::Relaxed);
        let waited = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.waited_micros.fetch_add(waited, Ordering::Relaxed);
    }

    /// Counters since the client was built.
    pub fn usage(&self) -> BudgetUsage {
        BudgetUsage {
            per_second: self.per_second.map(NonZeroU32::get),
            attempts: self.attempts.load(Ordering::Relaxed),
            delayed: self.delayed.load(Ordering::Relaxed),
            waited: Duration::from_micros(self.waited_micros.load(Ordering::Relaxed)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn per_second(n: u32) -> Option<NonZeroU32> {
        NonZeroU32::new(n)
    }

    #[tokio::test]
    async fn a_burst_within_the_budget_does_not_wait() {
        let budget = RequestBudget::new(per_second(10));
        let started = Instant::now();
        for _ in 0..10 {
            budget.acquire().await;
        }
        assert!(started.elapsed() < Duration::from_millis(50));
        assert_eq!(budget.usage().delayed, 0);
        assert_eq!(budget.usage().attempts, 10);
    }

    #[tokio::test]
    async fn requests_past_the_budget_queue_instead_of_failing() {
        let budget = RequestBudget::new(per_second(20));
        let started = Instant::now();
        // 20 fit in the burst; 10 more need 10 × 50 ms.
        for _ in 0..30 {
            budget.acquire().await;
        }
        let elapsed = started.elapsed();
        assert!(elapsed >= Duration::from_millis(400), "{elapsed:?}");
        assert!(elapsed < Duration::from_millis(1500), "{elapsed:?}");
        let usage = budget.usage();
        assert_eq!(usage.attempts, 30);
        assert_eq!(usage.delayed, 10);
        assert!(usage.waited >= Duration::from_millis(400));
    }

    #[tokio::test]
    async fn an_unlimited_budget_only_counts() {
        let budget = RequestBudget::new(None);
        for _ in 0..1000 {
            budget.acquire().await;
        }
        assert_eq!(
            budget.usage(),
            BudgetUsage { per_second: None, attempts: 1000, delayed: 0, waited: Duration::ZERO }
        );
    }
}
