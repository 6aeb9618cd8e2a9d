//! When to try a failed call again: a pure policy, so it is tested as a function.
//!
//! Rules: never retry a 4xx other than 429; never blindly retry a non-idempotent call
//! (only a 429, which the API answers before doing anything); honour `Retry-After` unless
//! it is longer than we are willing to keep a person waiting; otherwise exponential
//! backoff with full jitter, capped.

use crate::Error;
use std::time::Duration;

/// Retry limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    /// Backoff of the first retry before jitter.
    pub base_delay: Duration,
    /// Upper bound of any computed backoff.
    pub max_delay: Duration,
    /// Longest `Retry-After` we wait for; longer ones fail fast with the rate-limit error.
    pub max_retry_after: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 2,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(2),
            max_retry_after: Duration::from_secs(5),
        }
    }
}

impl RetryPolicy {
    /// No retries at all (tests, health probes).
    pub fn none() -> Self {
        Self { max_retries: 0, ..Self::default() }
    }

    /// How long to wait before retry number `retries_done + 1`, or `None` to give up.
    /// `jitter` is a number in `[0, 1)` (random in production, fixed in tests).
    pub fn delay(&self, retries_done: u32, error: &Error, idempotent: bool, jitter: f64) -> Option<Duration> {
        if retries_done >= self.max_retries || !error.is_retryable() {
            return None;
        }
        if let Error::RateLimited { retry_after: Some(wait) } = error {
            return (*wait <= self.max_retry_after).then_some(*wait);
        }
        let rate_limited = matches!(error, Error::RateLimited { .. });
        if !idempotent && !rate_limited {
            return None;
        }
        let exponential = self.base_delay.saturating_mul(1u32 << retries_done.min(16));
        let ceiling = exponential.min(self.max_delay);
        Some(ceiling.mul_f64(jitter.clamp(0.0, 1.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn policy() -> RetryPolicy {
        RetryPolicy {
            max_retries: 3,
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_millis(300),
            max_retry_after: Duration::from_secs(5),
        }
    }

    #[test]
    fn a_4xx_other_than_429_is_never_retried() {
        for status in [400, 401, 403, 404, 422] {
            let err = Error::Status { status, code: None, message: String::new() };
            assert_eq!(policy().delay(0, &err, true, 0.5), None, "{status}");
        }
    }

    #[test]
    fn retry_after_is_honoured_when_short_and_refused_when_long() {
        let short = Error::RateLimited { retry_after: Some(Duration::from_secs(1)) };
        assert_eq!(policy().delay(0, &short, false, 0.5), Some(Duration::from_secs(1)));
        let long = Error::RateLimited { retry_after: Some(Duration::from_secs(60)) };
        assert_eq!(policy().delay(0, &long, true, 0.5), None);
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        let err = Error::Timeout(Duration::from_secs(1));
        let p = policy();
        assert_eq!(p.delay(0, &err, true, 1.0), Some(Duration::from_millis(100)));
        assert_eq!(p.delay(1, &err, true, 1.0), Some(Duration::from_millis(200)));
        assert_eq!(p.delay(2, &err, true, 1.0), Some(Duration::from_millis(300)));
        assert_eq!(p.delay(2, &err, true, 0.5), Some(Duration::from_millis(150)));
    }

    #[test]
    fn gives_up_after_max_retries() {
        let err = Error::Transport("reset".into());
        assert_eq!(policy().delay(3, &err, true, 0.5), None);
    }

    #[test]
    fn a_non_idempotent_call_is_retried_only_on_429() {
        let p = policy();
        assert_eq!(p.delay(0, &Error::Timeout(Duration::from_secs(1)), false, 0.5), None);
        let busy = Error::Status { status: 503, code: None, message: String::new() };
        assert_eq!(p.delay(0, &busy, false, 0.5), None);
        let limited = Error::RateLimited { retry_after: None };
        assert_eq!(p.delay(0, &limited, false, 1.0), Some(Duration::from_millis(100)));
    }
}
