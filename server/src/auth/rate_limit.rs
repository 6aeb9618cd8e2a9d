//! Sign-in attempt limits per client network and per user name (GCRA via `governor`):
//! `n` attempts per minute with a burst of `n`, so guessing passwords or hammering the
//! provider's callback is slow, while a person who mistypes twice is never blocked.
//!
//! A client network is an IPv4 address or an IPv6 /64 ([`super::address::network_of`]).
//! Besides the limits, [`PasswordWork`] caps the Argon2 checks running at once, so attempts
//! spread over many networks cannot take every core.

use super::address::network_of;
use axum::{
    http::{StatusCode, header},
    response::{IntoResponse, Response},
};
use governor::{Quota, RateLimiter, clock::DefaultClock, state::keyed::HashMapStateStore};
use ipnet::IpNet;
use std::{net::IpAddr, num::NonZeroU32, time::Duration};
use tokio::sync::{Semaphore, SemaphorePermit};

type Keyed<K> = RateLimiter<K, HashMapStateStore<K>, DefaultClock>;

/// Above this many tracked keys, keys whose limit has fully recovered are dropped.
const PRUNE_ABOVE: usize = 10_000;

/// The two limiters.
pub struct SignInLimiter {
    by_network: Keyed<IpNet>,
    by_name: Keyed<String>,
}

impl SignInLimiter {
    /// `per_minute` attempts per key and minute (0 is treated as 1).
    pub fn new(per_minute: u32) -> Self {
        let quota = Quota::per_minute(NonZeroU32::new(per_minute).unwrap_or(NonZeroU32::MIN));
        Self { by_network: RateLimiter::hashmap(quota), by_name: RateLimiter::hashmap(quota) }
    }

    /// Counts an attempt from `address`'s network; false when over the limit.
    pub fn allow_address(&self, address: IpAddr) -> bool {
        if self.by_network.len() > PRUNE_ABOVE {
            self.by_network.retain_recent();
        }
        self.by_network.check_key(&network_of(address)).is_ok()
    }

    /// Counts an attempt for user `name` (case-insensitive); false when over the limit.
    pub fn allow_name(&self, name: &str) -> bool {
        if self.by_name.len() > PRUNE_ABOVE {
            self.by_name.retain_recent();
        }
        self.by_name.check_key(&name.to_lowercase()).is_ok()
    }

    /// A sign-in attempt: the network's budget first, and the name's only when the network
    /// is within its own. A flood from one network is refused before it touches the name
    /// table; one name tried from many networks still runs out of the name's budget.
    pub fn allow_attempt(&self, address: IpAddr, name: &str) -> bool {
        self.allow_address(address) && self.allow_name(name)
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

/// Refused attempts from one network (in one episode, see [`super::attempts`]) after which
/// each further refusal is answered late: no person gets here, a flood does.
pub const TARPIT_AFTER: u64 = 1_000;
/// How late.
const TARPIT: Duration = Duration::from_secs(1);
/// Answers held at once; beyond, they go out at once (bounded memory whatever a flood does).
const TARPIT_SLOTS: usize = 1_024;

/// Holds the 429 to a flooding network for a second. A brute-force tool waits for each
/// answer on each of its connections, so its pace drops to one attempt per connection and
/// second, and a held answer costs a timer, not CPU: the console keeps its cores for the
/// people using it.
pub struct Tarpit(Semaphore);

impl Default for Tarpit {
    fn default() -> Self {
        Self(Semaphore::new(TARPIT_SLOTS))
    }
}

impl Tarpit {
    /// Waits before a refusal when the network has been refused more than [`TARPIT_AFTER`] times.
    pub async fn hold(&self, refusals: u64) {
        if refusals > TARPIT_AFTER
            && let Ok(_slot) = self.0.try_acquire()
        {
            tokio::time::sleep(TARPIT).await;
        }
    }
}

/// How long an attempt waits for a free password check before it is told to come back.
const WAIT_FOR_WORK: Duration = Duration::from_millis(250);

/// A ceiling on password hashes (Argon2id: ~19 MiB and tens of milliseconds of a core each)
/// computed at once. An attempt that finds no free slot within a quarter second is answered
/// 503 at once instead of queueing behind the others.
pub struct PasswordWork(Semaphore);

impl PasswordWork {
    /// At most `slots` checks at once (0 is treated as 1).
    pub fn new(slots: usize) -> Self {
        Self(Semaphore::new(slots.max(1)))
    }

    /// Half the cores (at least one): the other half keeps serving everyone else.
    pub fn for_this_machine() -> Self {
        Self::new(std::thread::available_parallelism().map_or(1, |n| n.get() / 2))
    }

    /// A slot for one check, or `None` when all stay busy for [`WAIT_FOR_WORK`].
    pub async fn enter(&self) -> Option<SemaphorePermit<'_>> {
        tokio::time::timeout(WAIT_FOR_WORK, self.0.acquire()).await.ok()?.ok()
    }
}

/// The answer when every password-check slot is busy.
pub fn busy() -> Response {
    (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::RETRY_AFTER, "1")],
        "The console is busy checking other sign-ins. Try again in a moment.",
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

    #[test]
    fn finding_2_every_address_of_one_ipv6_64_shares_one_budget() {
        let limiter = SignInLimiter::new(3);
        let address = |last: u16| IpAddr::from([0x2001, 0xdb8, 1, 2, last, 0, 0, 1]);
        assert!((0..3).all(|i| limiter.allow_attempt(address(i), &format!("name-{i}"))));
        assert!(!limiter.allow_attempt(address(99), "name-99"), "a fresh address of the same /64");
        assert!(limiter.allow_attempt(IpAddr::from([0x2001, 0xdb8, 1, 3, 0, 0, 0, 1]), "other"));
    }

    #[test]
    fn finding_2_names_tried_from_a_refused_network_are_not_tracked() {
        let limiter = SignInLimiter::new(2);
        let flood = IpAddr::from([198, 51, 100, 1]);
        for i in 0..1_000 {
            limiter.allow_attempt(flood, &format!("guess-{i}"));
        }
        assert_eq!(limiter.by_name.len(), 2, "only the attempts the network's budget let through");
    }

    #[tokio::test]
    async fn finding_2_only_a_flood_is_answered_late() {
        let tarpit = Tarpit::default();
        let started = std::time::Instant::now();
        tarpit.hold(TARPIT_AFTER).await;
        assert!(started.elapsed() < Duration::from_millis(100), "a thousand refusals: answered at once");
        tarpit.hold(TARPIT_AFTER + 1).await;
        assert!(started.elapsed() >= TARPIT, "past them: held a second");
    }

    #[tokio::test]
    async fn finding_2_password_checks_beyond_the_ceiling_are_turned_away_quickly() {
        let work = PasswordWork::new(1);
        let held = work.enter().await.expect("a free slot");
        let started = std::time::Instant::now();
        assert!(work.enter().await.is_none(), "no second check while the first runs");
        assert!(started.elapsed() < Duration::from_secs(1), "answered quickly");
        drop(held);
        assert!(work.enter().await.is_some(), "the slot is free again");
    }
}
