//! Sign-in attempt limits per client address and per user name (GCRA via `governor`):
//! `n` attempts per minute with a burst of `n`, so guessing passwords or hammering the
//! provider's callback is slow, while a person who mistypes twice is never blocked.

use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use governor::{Quota, RateLimiter, clock::DefaultClock, state::keyed::HashMapStateStore};
use std::{net::IpAddr, num::NonZeroU32};

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, DefaultClock>;

/// Above this many tracked keys, keys whose limit has fully recovered are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The two limiters.
pub struct SignInLimiter {
    by_address: Keyed<IpAddr>,
    by_name: Keyed<String>,
}

impl SignInLimiter {
    /// `per_minute` attempts per key and minute (0 is treated as 1).
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self { by_address: RateLimiter::hashmap(quota), by_name: RateLimiter::hashmap(quota) }
    }

    /// Counts an attempt from `address`; false when over the limit.
    pub fn allow_address(&self, address: IpAddr) -> bool {
        if self.by_address.len() > PRUNE_ABOVE {
            self.by_address.retain_recent();
        }
        self.by_address.check_key(&address).is_ok()
    }

    /// Counts an attempt for user `name` (case-insensitive); false when over the limit.
    pub fn allow_name(&self, name: &str) -> bool {
        if self.by_name.len() > PRUNE_ABOVE {
            self.by_name.retain_recent();
        }
        self.by_name.check_key(&name.to_lowercase()).is_ok()
    }
}

/// The answer to an attempt over the limit.
pub fn too_many() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [(header::RETRY_AFTER, "60")],
        "Too many sign-in attempts. Wait a minute and try again.",
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_address_and_name_has_its_own_budget() {
        let limiter = SignInLimiter::new(3);
        let (a, b) = (IpAddr::from([10, 0, 0, 1]), IpAddr::from([10, 0, 0, 2]));
        assert!((0..3).all(|_| limiter.allow_address(a)));
        assert!(!limiter.allow_address(a), "the fourth attempt within a minute is refused");
        assert!(limiter.allow_address(b), "another address is unaffected");
        assert!((0..3).all(|_| limiter.allow_name("Admin")));
        assert!(!limiter.allow_name("admin"), "names are counted case-insensitively");
        assert!(limiter.allow_name("ann"));
    }
}
