//! Fault injection for tests and benchmarks: per route or globally, added latency, errors at a
//! given rate, 429 / 400311, 500 / 500000, requests that never answer, and connection resets.
//!
//! A [`FaultPlan`] is an ordered list of rules plus an optional RNG seed. For each API request
//! (after the admin-token check and the request budget, so faults only hit requests the real
//! API would have served) every matching rule draws once against its probability: latency
//! rules that fire add up, and the first failure rule that fires decides the answer. With a
//! seed, the same sequence of requests meets the same faults. The `/_standin/*` control routes
//! are never faulted, so a plan can always be cleared.
//!
//! Compact syntax (`--fault`, [`FaultRule::parse`]): `KIND[=ARG][@[METHOD:]PATH]`, e.g.
//! `latency=200ms@/api/v4/posts`, `error=0.1` (500 for 10 % of requests), `429@GET:/api/v3/users`,
//! `500=0.5`, `hang=0.2`, `reset`. `429`/`status429`/`ratelimit`, `500`/`status500`/`error`,
//! `hang` and `reset` take an optional probability (default 1); `latency` takes `Nms` or `Ns`.
//! A path matches requests whose path starts with its segments; `*` or `{name}` matches any
//! one segment.

use crate::{State, budget, connection::ConnectionHandle};
use axum::{
    Json,
    extract::{ConnectInfo, Request, State as AxumState},
    http::{Method, StatusCode},
    middleware::Next,
    response::{IntoResponse, Response},
};
use serde::{Deserialize, Serialize};
use std::{
    sync::{Arc, Mutex, MutexGuard},
    time::Duration,
};
use tokio::sync::watch;
use upstream::wire::{ErrorBody, code};

/// What a rule does to a request it hits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "camelCase", rename_all_fields = "camelCase", deny_unknown_fields)]
pub enum Fault {
    /// Waits this long before handling the request.
    Latency { ms: u64 },
    /// 429 / 400311 "RateLimit Exceed." with this `Retry-After`.
    RateLimited { retry_after_secs: u64 },
    /// 500 / 500000 "Unexpected error".
    ServerError,
    /// Never answers; the client has to time out. Released (as a reset) when the stand-in stops.
    Hang,
    /// Drops the connection with a TCP RST instead of answering.
    Reset,
}

/// One rule: which requests, how often, what happens.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultRule {
    /// Only this HTTP method (any when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Only paths starting with these segments (every path when absent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// Chance in `[0, 1]` that the rule fires on a matching request.
    #[serde(default = "always")]
    pub probability: f64,
    /// What it does.
    pub fault: Fault,
}

fn always() -> f64 {
    1.0
}

/// Every rule in force, and the seed of the RNG that decides which fire.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FaultPlan {
    /// Makes the draws reproducible; from the OS when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seed: Option<u64>,
    /// Rules in order; the first failure that fires wins.
    #[serde(default)]
    pub rules: Vec<FaultRule>,
}

impl FaultRule {
    /// Parses the compact syntax described in the module docs.
    pub fn parse(spec: &str) -> Result<Self, String> {
        let (head, target) = match spec.split_once('@') {
            Some((head, target)) => (head, Some(target)),
            None => (spec, None),
        };
        let (kind, arg) = match head.split_once('=') {
            Some((kind, arg)) => (kind.trim(), Some(arg.trim())),
            None => (head.trim(), None),
        };
        let probability = |arg: Option<&str>| -> Result<f64, String> {
            arg.map_or(Ok(1.0), |p| p.parse().map_err(|_| format!("`{p}` is not a probability in `{spec}`")))
        };
        let (fault, probability) = match kind.to_ascii_lowercase().as_str() {
            "latency" => {
                let arg =
                    arg.ok_or_else(|| format!("`{spec}`: latency needs a duration, e.g. latency=200ms"))?;
                (
                    Fault::Latency {
                        ms: parse_millis(arg).ok_or_else(|| format!("bad duration in `{spec}`"))?,
                    },
                    1.0,
                )
            }
            "429" | "status429" | "ratelimit" => {
                (Fault::RateLimited { retry_after_secs: 1 }, probability(arg)?)
            }
            "500" | "status500" | "error" => (Fault::ServerError, probability(arg)?),
            "hang" => (Fault::Hang, probability(arg)?),
            "reset" => (Fault::Reset, probability(arg)?),
            other => return Err(format!("unknown fault `{other}` in `{spec}`")),
        };
        let (method, path) = match target {
            None => (None, None),
            Some(target) => match target.split_once(':') {
                Some((method, path)) => {
                    (Some(method.trim().to_ascii_uppercase()), Some(path.trim().to_owned()))
                }
                None => (None, Some(target.trim().to_owned())),
            },
        };
        let rule = Self { method, path, probability, fault };
        rule.validate()?;
        Ok(rule)
    }

    /// Why the rule cannot be used, if it cannot.
    pub fn validate(&self) -> Result<(), String> {
        if !(0.0..=1.0).contains(&self.probability) {
            return Err(format!("probability {} is outside [0, 1]", self.probability));
        }
        if let Some(path) = &self.path
            && !path.starts_with('/')
        {
            return Err(format!("path `{path}` must start with `/`"));
        }
        if let Some(method) = &self.method
            && Method::from_bytes(method.as_bytes()).is_err()
        {
            return Err(format!("`{method}` is not an HTTP method"));
        }
        Ok(())
    }

    fn matches(&self, method: &Method, path: &str) -> bool {
        let method_matches = self.method.as_deref().is_none_or(|m| m.eq_ignore_ascii_case(method.as_str()));
        method_matches && self.path.as_deref().is_none_or(|pattern| path_has_prefix(path, pattern))
    }
}

impl FaultPlan {
    /// Why the plan cannot be used, one line per bad rule.
    pub fn validate(&self) -> Result<(), Vec<String>> {
        let problems: Vec<String> = self
            .rules
            .iter()
            .enumerate()
            .filter_map(|(i, rule)| rule.validate().err().map(|problem| format!("rules[{i}]: {problem}")))
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(problems) }
    }

    /// What happens to one request, drawing from `rng`.
    fn decide(&self, rng: &mut fastrand::Rng, method: &Method, path: &str) -> Decision {
        let mut decision = Decision::default();
        for rule in self.rules.iter().filter(|rule| rule.matches(method, path)) {
            // Always draw, so one rule's outcome does not shift the others' sequences.
            let fires = rng.f64() < rule.probability;
            match rule.fault {
                _ if !fires => {}
                Fault::Latency { ms } => decision.delay += Duration::from_millis(ms),
                failure => {
                    decision.failure.get_or_insert(failure);
                }
            }
        }
        decision
    }
}

/// `200ms`, `2s`, or bare milliseconds.
fn parse_millis(text: &str) -> Option<u64> {
    if let Some(ms) = text.strip_suffix("ms") {
        ms.trim().parse().ok()
    } else if let Some(s) = text.strip_suffix('s') {
        s.trim().parse::<u64>().ok()?.checked_mul(1_000)
    } else {
        text.parse().ok()
    }
}

/// Whether `path` starts with `pattern`'s segments (`*` and `{name}` match any one segment).
fn path_has_prefix(path: &str, pattern: &str) -> bool {
    let mut segments = path.split('/').filter(|s| !s.is_empty());
    pattern.split('/').filter(|s| !s.is_empty()).all(|wanted| {
        segments.next().is_some_and(|actual| {
            wanted == "*" || (wanted.starts_with('{') && wanted.ends_with('}')) || wanted == actual
        })
    })
}

/// The outcome for one request.
#[derive(Debug, Default, PartialEq)]
struct Decision {
    delay: Duration,
    failure: Option<Fault>,
}

/// The plan in force, shared by every request and the control routes.
#[derive(Clone, Debug)]
pub(crate) struct Faults {
    active: Arc<Mutex<Active>>,
    /// Becomes `true` when the stand-in stops, releasing hung requests.
    stopping: Arc<watch::Sender<bool>>,
}

#[derive(Debug)]
struct Active {
    plan: FaultPlan,
    rng: fastrand::Rng,
}

impl Active {
    fn new(plan: FaultPlan) -> Self {
        let rng = plan.seed.map_or_else(fastrand::Rng::new, fastrand::Rng::with_seed);
        Self { plan, rng }
    }
}

impl Default for Faults {
    fn default() -> Self {
        Self::new(FaultPlan::default())
    }
}

impl Faults {
    pub(crate) fn new(plan: FaultPlan) -> Self {
        Self { active: Arc::new(Mutex::new(Active::new(plan))), stopping: Arc::new(watch::channel(false).0) }
    }

    /// The plan in force.
    pub(crate) fn plan(&self) -> FaultPlan {
        self.lock().plan.clone()
    }

    /// Replaces the plan and restarts its RNG from the plan's seed.
    pub(crate) fn replace(&self, plan: FaultPlan) {
        *self.lock() = Active::new(plan);
    }

    /// Answers every hung request (by resetting its connection) so the server can stop.
    pub(crate) fn release_hangs(&self) {
        self.stopping.send_replace(true);
    }

    fn decide(&self, method: &Method, path: &str) -> Decision {
        let mut active = self.lock();
        let Active { plan, rng } = &mut *active;
        plan.decide(rng, method, path)
    }

    fn lock(&self) -> MutexGuard<'_, Active> {
        // A plan and an RNG state are each whole values; a panicking holder cannot tear them.
        self.active.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Middleware: applies the plan to one request.
pub(crate) async fn inject(AxumState(state): AxumState<State>, request: Request, next: Next) -> Response {
    let decision = state.faults.decide(request.method(), request.uri().path());
    if !decision.delay.is_zero() {
        tokio::time::sleep(decision.delay).await;
    }
    let connection = request.extensions().get::<ConnectInfo<ConnectionHandle>>().map(|info| info.0.clone());
    match decision.failure {
        None | Some(Fault::Latency { .. }) => next.run(request).await,
        Some(Fault::RateLimited { retry_after_secs }) => {
            budget::rate_limited(Duration::from_secs(retry_after_secs))
        }
        Some(Fault::ServerError) => server_error(),
        Some(Fault::Hang) => {
            let mut stopping = state.faults.stopping.subscribe();
            // Returns when the stand-in stops; a client that gives up first drops this future.
            let _ = stopping.wait_for(|stopping| *stopping).await;
            reset(connection)
        }
        Some(Fault::Reset) => reset(connection),
    }
}

/// Aborts the connection; the response is never written. Without a socket (a router driven
/// in-process) there is no connection to abort, so it answers 500 instead.
fn reset(connection: Option<ConnectionHandle>) -> Response {
    match connection {
        Some(connection) => connection.reset(),
        None => tracing::warn!("reset fault on a request without a resettable connection; answering 500"),
    }
    server_error()
}

fn server_error() -> Response {
    (StatusCode::INTERNAL_SERVER_ERROR, Json(ErrorBody::new(code::UNEXPECTED, "Unexpected error")))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(spec: &str) -> FaultRule {
        FaultRule::parse(spec).expect("valid spec")
    }

    #[test]
    fn parses_the_compact_syntax() {
        assert_eq!(
            parse("latency=200ms@/api/v4/posts"),
            FaultRule {
                method: None,
                path: Some("/api/v4/posts".into()),
                probability: 1.0,
                fault: Fault::Latency { ms: 200 }
            }
        );
        assert_eq!(
            parse("error=0.1"),
            FaultRule { method: None, path: None, probability: 0.1, fault: Fault::ServerError }
        );
        assert_eq!(
            parse("status429@get:/api/v3/users"),
            FaultRule {
                method: Some("GET".into()),
                path: Some("/api/v3/users".into()),
                probability: 1.0,
                fault: Fault::RateLimited { retry_after_secs: 1 }
            }
        );
        assert_eq!(parse("latency=2s").fault, Fault::Latency { ms: 2_000 });
        assert_eq!(parse("hang=0.25").probability, 0.25);
        assert_eq!(parse("reset").fault, Fault::Reset);
    }

    #[test]
    fn rejects_bad_specs() {
        for bad in
            ["explode", "error=2", "error=x", "latency", "latency=fast", "reset@api/v3", "500@NOT A:/x"]
        {
            assert!(FaultRule::parse(bad).is_err(), "`{bad}` should be rejected");
        }
    }

    #[test]
    fn paths_match_by_segment_prefix_with_wildcards() {
        assert!(path_has_prefix("/api/v3/users/list", "/api/v3/users"));
        assert!(path_has_prefix("/api/v3/users", "/api/v3/users/"));
        assert!(!path_has_prefix("/api/v3/usersX", "/api/v3/users"));
        assert!(!path_has_prefix("/api/v3", "/api/v3/users"));
        assert!(path_has_prefix("/api/v3/users/u1/flags", "/api/v3/users/{userId}/flags"));
        assert!(path_has_prefix("/api/v4/posts/p1", "/api/*/posts"));
        assert!(path_has_prefix("/anything", "/"));
    }

    #[test]
    fn latencies_add_up_and_the_first_failure_wins() {
        let plan = FaultPlan {
            seed: Some(1),
            rules: vec![
                parse("latency=100ms"),
                parse("reset@POST:/api"),
                parse("500@/api/v3"),
                parse("429@/api/v3"),
                parse("latency=50ms@/api/v3/users"),
            ],
        };
        let mut rng = fastrand::Rng::with_seed(1);
        assert_eq!(
            plan.decide(&mut rng, &Method::GET, "/api/v3/users"),
            Decision { delay: Duration::from_millis(150), failure: Some(Fault::ServerError) }
        );
        assert_eq!(
            plan.decide(&mut rng, &Method::POST, "/api/v3/users"),
            Decision { delay: Duration::from_millis(150), failure: Some(Fault::Reset) }
        );
        assert_eq!(
            plan.decide(&mut rng, &Method::GET, "/api/v4/posts"),
            Decision { delay: Duration::from_millis(100), failure: None }
        );
    }

    #[test]
    fn a_seed_makes_the_error_rate_reproducible() {
        let plan = FaultPlan { seed: Some(42), rules: vec![parse("error=0.3")] };
        let run = || {
            let mut rng = fastrand::Rng::with_seed(42);
            (0..1_000)
                .map(|_| plan.decide(&mut rng, &Method::GET, "/api/v3/users").failure.is_some())
                .collect::<Vec<_>>()
        };
        let first = run();
        assert_eq!(first, run());
        let failures = first.iter().filter(|failed| **failed).count();
        assert!((230..370).contains(&failures), "about 30 % should fail, got {failures}/1000");
    }

    #[test]
    fn the_json_form_round_trips() {
        let plan = FaultPlan { seed: Some(3), rules: vec![parse("latency=5ms@GET:/a"), parse("429=0.5")] };
        let json = serde_json::to_value(&plan).expect("serialises");
        assert_eq!(json["rules"][0]["fault"], serde_json::json!({"kind": "latency", "ms": 5}));
        assert_eq!(
            json["rules"][1]["fault"],
            serde_json::json!({"kind": "rateLimited", "retryAfterSecs": 1})
        );
        assert_eq!(serde_json::from_value::<FaultPlan>(json).expect("parses"), plan);
    }
}
