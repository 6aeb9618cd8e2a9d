//! The request budget: past N requests in a one-second window the stand-in answers
//! 429 / 400311 "RateLimit Exceed." with `Retry-After`, like the real API past its limit.
//!
//! The real limit is documented as a count per interval ("100 requests per 5 s", CONTRACT.md
//! §i) with no rate-limit headers and no mention of a refill rate, which reads as a fixed
//! window; so this is a fixed window too: it opens at the first request, admits N requests,
//! and the first request after it ends opens the next one. Off unless configured.

use crate::State;
use axum::{
    Json,
    extract::{Request, State as AxumState},
    http::{HeaderValue, StatusCode, header::RETRY_AFTER},
    middleware::Next,
    response::{IntoResponse, Response},
};
use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::{Duration, Instant},
};
use upstream::wire::{ErrorBody, code};

const WINDOW: Duration = Duration::from_secs(1);

/// The shared budget; the limit can change while the stand-in runs.
#[derive(Clone, Debug, Default)]
pub(crate) struct Budget(Arc<Mutex<Window>>);

impl Budget {
    pub(crate) fn new(per_second: Option<u32>) -> Self {
        Self(Arc::new(Mutex::new(Window::new(per_second))))
    }

    /// Requests admitted per second, `None` when unlimited.
    pub(crate) fn per_second(&self) -> Option<u32> {
        self.lock().per_second
    }

    /// Sets the limit and starts a fresh window.
    pub(crate) fn set_per_second(&self, per_second: Option<u32>) {
        *self.lock() = Window::new(per_second);
    }

    fn lock(&self) -> MutexGuard<'_, Window> {
        // The window is two integers; a panicking holder cannot leave it torn.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A fixed one-second window.
#[derive(Debug, Default)]
struct Window {
    per_second: Option<u32>,
    opened: Option<Instant>,
    used: u32,
}

impl Window {
    fn new(per_second: Option<u32>) -> Self {
        Self { per_second, opened: None, used: 0 }
    }

    /// Counts a request arriving at `now`; `Err` holds how long until the window ends.
    fn admit(&mut self, now: Instant) -> Result<(), Duration> {
        let Some(limit) = self.per_second else { return Ok(()) };
        let opened = match self.opened {
            Some(opened) if now.saturating_duration_since(opened) < WINDOW => opened,
            _ => {
                self.opened = Some(now);
                self.used = 0;
                now
            }
        };
        if self.used < limit {
            self.used += 1;
            Ok(())
        } else {
            Err(WINDOW.saturating_sub(now.saturating_duration_since(opened)))
        }
    }
}

/// Middleware: rejects requests past the budget.
pub(crate) async fn enforce(AxumState(state): AxumState<State>, request: Request, next: Next) -> Response {
    let verdict = state.budget.lock().admit(Instant::now());
    match verdict {
        Ok(()) => next.run(request).await,
        Err(retry_after) => rate_limited(retry_after),
    }
}

/// 429 / 400311 with the official message and a whole-second `Retry-After` (at least 1).
pub(crate) fn rate_limited(retry_after: Duration) -> Response {
    let seconds = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
    let mut response =
        (StatusCode::TOO_MANY_REQUESTS, Json(ErrorBody::new(code::RATE_LIMITED, "RateLimit Exceed.")))
            .into_response();
    response.headers_mut().insert(RETRY_AFTER, HeaderValue::from(seconds.max(1)));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn admits_n_per_window_then_refuses_until_it_ends() {
        let start = Instant::now();
        let mut window = Window::new(Some(3));
        for _ in 0..3 {
            assert_eq!(window.admit(start), Ok(()));
        }
        assert_eq!(window.admit(start + Duration::from_millis(400)), Err(Duration::from_millis(600)));
        assert_eq!(window.admit(start + Duration::from_millis(999)), Err(Duration::from_millis(1)));
        assert_eq!(window.admit(start + WINDOW), Ok(()), "a new window opens");
        assert_eq!(window.admit(start + WINDOW + Duration::from_millis(10)), Ok(()));
    }

    #[test]
    fn unlimited_admits_everything() {
        let now = Instant::now();
        let mut window = Window::new(None);
        assert!((0..10_000).all(|_| window.admit(now).is_ok()));
    }

    #[test]
    fn zero_refuses_everything() {
        let mut window = Window::new(Some(0));
        assert_eq!(window.admit(Instant::now()), Err(WINDOW));
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        let header = |d| rate_limited(d).headers()[RETRY_AFTER].to_str().ok().map(str::to_owned);
        assert_eq!(header(Duration::from_millis(1)).as_deref(), Some("1"));
        assert_eq!(header(Duration::ZERO).as_deref(), Some("1"));
        assert_eq!(header(Duration::from_millis(1_500)).as_deref(), Some("2"));
    }
}
