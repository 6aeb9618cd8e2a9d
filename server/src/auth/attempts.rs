//! Refused sign-in attempts in the audit trail, bounded however many arrive.
//!
//! Anyone can post to `/auth/login`, so each refused attempt cannot be its own row: a flood
//! would bury the trail (and fill the disk of an append-only table). Attempts are grouped
//! into an *episode* per client network (IPv4 address, IPv6 /64): the first attempt is
//! written at once as its own `sign_in` row, further ones are counted, and a
//! `sign_in_attempts` summary row is written when the count reaches 10, 100, 1,000, … and
//! when the episode ends (a minute without attempts, or an hour after it began). So a
//! 10,000-attempt flood from one network leaves about six rows, and the trail shows it while
//! it is going on.
//!
//! The actor of these rows is `attempt:<name tried>` (`attempt:*` for a summary of several
//! names), never a bare name: real actors are `bootstrap:…`, `oidc:…`, `proxy:…` or
//! `system`, so a tried name can never pass for someone who did something. At most
//! [`MAX_OPEN`] networks are tracked at once; attempts from further networks share one
//! episode (`network:*`), which keeps the rows bounded when a flood comes from everywhere.

use backend::audit::{self, Entry, Outcome};
use ipnet::IpNet;
use serde_json::{Map, Value, json};
use sqlx::SqlitePool;
use std::{
    collections::{BTreeMap, BTreeSet, HashMap},
    sync::{Arc, Mutex},
    time::Duration,
};
use time::{OffsetDateTime, format_description::well_known::Rfc3339};

/// An episode ends after this long without attempts from its network.
const QUIET: Duration = Duration::from_secs(60);
/// An episode is summed up and a new one begun after this long, however busy.
const LONGEST: Duration = Duration::from_secs(3600);
/// Networks tracked at once; further ones share the overflow episode.
pub const MAX_OPEN: usize = 256;
/// Distinct names counted per episode; further names are counted together.
const NAMES_KEPT: usize = 10;
/// How often ended episodes are looked for.
const FLUSH_EVERY: Duration = Duration::from_secs(10);

/// One refused attempt.
#[derive(Clone, Debug)]
pub struct Refused<'a> {
    /// `bootstrap` or `oidc`.
    pub method: &'static str,
    /// The name tried, or the provider's subject; `-` when there is none.
    pub name: &'a str,
    /// The client's network (see [`super::address::network_of`]).
    pub network: IpNet,
    /// `Failed` (wrong credentials, a broken flow) or `Denied` (over a limit, not allowed).
    pub outcome: Outcome,
    /// A stable short reason, counted in summaries: `wrong_password`, `over_limit`…
    pub code: &'static str,
    /// The reason in words, kept on the episode's first row only.
    pub reason: &'a str,
    /// The request.
    pub request_id: &'a str,
}

/// A row to append.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    /// `attempt:<name>` or `attempt:*`.
    pub actor: String,
    /// `sign_in` (an episode's first attempt) or `sign_in_attempts` (a summary).
    pub action: &'static str,
    /// `network:<cidr>` or `network:*`.
    pub target: String,
    /// How the attempt (or, for a summary, the episode) ended.
    pub outcome: Outcome,
    /// The request that caused the row, if one did.
    pub request_id: Option<String>,
    /// Counts and names.
    pub details: Value,
}

/// The name as it may appear in the trail: no control characters, at most 100 characters.
pub fn clean_name(raw: &str) -> String {
    let name: String = raw.trim().chars().filter(|c| !c.is_control()).take(100).collect();
    if name.is_empty() { "-".to_owned() } else { name }
}

struct Episode {
    began: OffsetDateTime,
    last: OffsetDateTime,
    count: u64,
    /// `count` as of the last row written.
    written: u64,
    codes: BTreeMap<&'static str, u64>,
    methods: BTreeSet<&'static str>,
    names: BTreeMap<String, u64>,
    other_names: u64,
}

impl Episode {
    fn new(now: OffsetDateTime) -> Self {
        Self {
            began: now,
            last: now,
            count: 0,
            written: 0,
            codes: BTreeMap::new(),
            methods: BTreeSet::new(),
            names: BTreeMap::new(),
            other_names: 0,
        }
    }

    fn add(&mut self, now: OffsetDateTime, attempt: &Refused<'_>) {
        self.last = now;
        self.count += 1;
        *self.codes.entry(attempt.code).or_default() += 1;
        self.methods.insert(attempt.method);
        if let Some(n) = self.names.get_mut(attempt.name) {
            *n += 1;
        } else if self.names.len() < NAMES_KEPT {
            self.names.insert(attempt.name.to_owned(), 1);
        } else {
            self.other_names += 1;
        }
    }

    fn ended(&self, now: OffsetDateTime) -> bool {
        now - self.last >= QUIET || now - self.began >= LONGEST
    }

    fn summary(&mut self, network: Option<IpNet>, request_id: Option<&str>, last: bool) -> Row {
        self.written = self.count;
        let actor = match (self.names.len(), self.other_names) {
            (1, 0) => self.names.keys().next().map_or("attempt:*".to_owned(), |n| format!("attempt:{n}")),
            _ => "attempt:*".to_owned(),
        };
        let at = |t: OffsetDateTime| t.format(&Rfc3339).unwrap_or_default();
        let names: Map<String, Value> = self.names.iter().map(|(n, c)| (n.clone(), json!(c))).collect();
        Row {
            actor,
            action: "sign_in_attempts",
            target: target(network),
            outcome: Outcome::Denied,
            request_id: request_id.map(str::to_owned),
            details: json!({
                "network": network_text(network),
                "attempts": self.count,
                "since": at(self.began),
                "until": at(self.last),
                "reasons": self.codes,
                "methods": self.methods,
                "names": names,
                "other_names": self.other_names,
                "episode_ended": last,
            }),
        }
    }
}

fn network_text(network: Option<IpNet>) -> String {
    network.map_or_else(|| format!("more than {MAX_OPEN} networks"), |n| n.to_string())
}

fn target(network: Option<IpNet>) -> String {
    network.map_or_else(|| "network:*".to_owned(), |n| format!("network:{n}"))
}

/// 10, 100, 1,000, …
fn is_milestone(count: u64) -> bool {
    let mut n = count;
    while n >= 10 && n.is_multiple_of(10) {
        n /= 10;
    }
    count >= 10 && n == 1
}

/// The open episodes: what to write, as a pure function of time and attempts.
#[derive(Default)]
pub struct Episodes {
    open: HashMap<Option<IpNet>, Episode>,
}

impl Episodes {
    /// Counts `attempt` at `now`; returns the rows it causes (usually none).
    pub fn note(&mut self, now: OffsetDateTime, attempt: &Refused<'_>) -> Vec<Row> {
        let mut rows = Vec::new();
        let mut key = Some(attempt.network);
        if let Some(episode) = self.open.get_mut(&key)
            && episode.ended(now)
        {
            if episode.count > episode.written {
                rows.push(episode.summary(key, None, true));
            }
            self.open.remove(&key);
        }
        if !self.open.contains_key(&key) && self.open.len() >= MAX_OPEN {
            key = None;
        }
        let episode = self.open.entry(key).or_insert_with(|| Episode::new(now));
        episode.add(now, attempt);
        if episode.count == 1 {
            episode.written = 1;
            rows.push(Row {
                actor: format!("attempt:{}", attempt.name),
                action: "sign_in",
                target: target(key),
                outcome: attempt.outcome,
                request_id: Some(attempt.request_id.to_owned()),
                details: json!({
                    "method": attempt.method,
                    "network": network_text(key),
                    "reason": attempt.reason,
                    "code": attempt.code,
                }),
            });
        } else if is_milestone(episode.count) {
            rows.push(episode.summary(key, Some(attempt.request_id), false));
        }
        rows
    }

    /// Attempts counted so far in the episode `network`'s attempts go to.
    pub fn attempts(&self, network: IpNet) -> u64 {
        let episode = self.open.get(&Some(network)).or_else(|| self.open.get(&None));
        episode.map_or(0, |e| e.count)
    }

    /// Ends the episodes that are over at `now` (all of them with `everything`); returns
    /// their closing summaries.
    pub fn close(&mut self, now: OffsetDateTime, everything: bool) -> Vec<Row> {
        let ended: Vec<_> =
            self.open.iter().filter(|(_, e)| everything || e.ended(now)).map(|(k, _)| *k).collect();
        let mut rows = Vec::new();
        for key in ended {
            if let Some(mut episode) = self.open.remove(&key)
                && episode.count > episode.written
            {
                rows.push(episode.summary(key, None, true));
            }
        }
        rows
    }
}

/// What noting an attempt did.
#[derive(Clone, Copy, Debug)]
pub struct Noted {
    /// It made an audit row (worth a line in the log too).
    pub wrote_row: bool,
    /// Attempts in its network's episode so far, this one included.
    pub attempts: u64,
}

/// [`Episodes`] written to the console's audit trail.
pub struct AttemptLog {
    db: SqlitePool,
    episodes: Mutex<Episodes>,
}

impl AttemptLog {
    /// An empty log writing to `db`.
    pub fn new(db: SqlitePool) -> Self {
        Self { db, episodes: Mutex::new(Episodes::default()) }
    }

    /// Counts a refused attempt and writes the rows it causes.
    pub async fn note(&self, attempt: &Refused<'_>) -> Noted {
        let (rows, attempts) = match self.episodes.lock() {
            Ok(mut episodes) => {
                let rows = episodes.note(OffsetDateTime::now_utc(), attempt);
                (rows, episodes.attempts(attempt.network))
            }
            Err(_) => (Vec::new(), 0),
        };
        Noted { wrote_row: self.write(&rows).await, attempts }
    }

    /// Writes the closing summaries of ended episodes (all with `everything`, at shutdown).
    pub async fn flush(&self, everything: bool) {
        let rows = match self.episodes.lock() {
            Ok(mut episodes) => episodes.close(OffsetDateTime::now_utc(), everything),
            Err(_) => Vec::new(),
        };
        self.write(&rows).await;
    }

    /// Flushes ended episodes every few seconds, for as long as the task lives.
    pub fn spawn_flusher(self: &Arc<Self>) -> tokio::task::JoinHandle<()> {
        let log = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(FLUSH_EVERY);
            loop {
                tick.tick().await;
                log.flush(false).await;
            }
        })
    }

    async fn write(&self, rows: &[Row]) -> bool {
        for row in rows {
            let entry = Entry {
                actor_id: &row.actor,
                actor_role: None,
                action: row.action,
                target: Some(&row.target),
                outcome: row.outcome,
                request_id: row.request_id.as_deref(),
                details: row.details.clone(),
            };
            if let Err(error) = audit::append(&self.db, &entry).await {
                tracing::error!(%error, "could not write the audit entry");
            }
        }
        !rows.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt<'a>(network: &str, name: &'a str) -> Refused<'a> {
        Refused {
            method: "bootstrap",
            name,
            network: network.parse().expect("network"),
            outcome: Outcome::Denied,
            code: "over_limit",
            reason: "over the attempt limit",
            request_id: "req",
        }
    }

    fn at(seconds: i64) -> OffsetDateTime {
        OffsetDateTime::UNIX_EPOCH + time::Duration::seconds(1_800_000_000 + seconds)
    }

    #[test]
    fn finding_2_a_10000_attempt_flood_from_one_network_makes_a_handful_of_rows() {
        let mut episodes = Episodes::default();
        let names: Vec<String> = (0..10_000).map(|i| format!("guess-{i}")).collect();
        let mut rows = Vec::new();
        for (i, name) in names.iter().enumerate() {
            rows.extend(episodes.note(at(i as i64 / 1000), &attempt("2001:db8:1:2::/64", name)));
        }
        rows.extend(episodes.close(at(100), false));
        let shape: Vec<_> = rows.iter().map(|r| (r.action, r.details["attempts"].as_u64())).collect();
        assert_eq!(
            shape,
            [
                ("sign_in", None),
                ("sign_in_attempts", Some(10)),
                ("sign_in_attempts", Some(100)),
                ("sign_in_attempts", Some(1_000)),
                ("sign_in_attempts", Some(10_000)),
            ],
            "the closing summary adds nothing when the last milestone holds the final count"
        );
        assert!(rows.iter().all(|r| r.actor.starts_with("attempt:")), "{rows:#?}");
        assert_eq!(rows[0].actor, "attempt:guess-0");
        assert_eq!(rows[4].actor, "attempt:*", "many names");
        assert_eq!(rows[4].target, "network:2001:db8:1:2::/64");
        assert_eq!(rows[4].details["other_names"], 10_000 - 10);
        assert_eq!(rows[4].details["reasons"]["over_limit"], 10_000);
    }

    #[test]
    fn finding_2_an_episode_ends_with_its_final_count_after_a_quiet_minute() {
        let mut episodes = Episodes::default();
        for i in 0..15 {
            episodes.note(at(i), &attempt("192.0.2.1/32", "admin"));
        }
        assert!(episodes.close(at(30), false).is_empty(), "still going");
        let closing = episodes.close(at(14 + 60), false);
        assert_eq!(closing.len(), 1);
        assert_eq!(closing[0].details["attempts"], 15);
        assert_eq!(closing[0].details["episode_ended"], true);
        assert_eq!(closing[0].actor, "attempt:admin", "one name: it is the actor");
        let again = episodes.note(at(200), &attempt("192.0.2.1/32", "admin"));
        assert_eq!(again.len(), 1, "a new episode starts with a row of its own");
        assert_eq!(again[0].action, "sign_in");
    }

    #[test]
    fn finding_2_a_flood_that_never_pauses_is_summed_up_hourly() {
        let mut episodes = Episodes::default();
        let mut rows = Vec::new();
        for second in 0..(3 * 3600) {
            rows.extend(episodes.note(at(second), &attempt("192.0.2.1/32", "admin")));
        }
        let firsts = rows.iter().filter(|r| r.action == "sign_in").count();
        assert_eq!(firsts, 3, "one episode per hour");
        assert!(rows.len() <= 3 * 6, "{} rows", rows.len());
    }

    #[test]
    fn finding_2_attempts_from_everywhere_share_one_episode_beyond_the_tracked_networks() {
        let mut episodes = Episodes::default();
        let mut rows = Vec::new();
        for i in 0..(MAX_OPEN as u32 + 5_000) {
            let network = format!("{}/32", std::net::Ipv4Addr::from(0x0a00_0000 + i));
            rows.extend(episodes.note(at(0), &attempt(&network, "admin")));
        }
        let firsts = rows.iter().filter(|r| r.action == "sign_in").count();
        assert_eq!(firsts, MAX_OPEN + 1, "one per tracked network plus the overflow's");
        assert_eq!(
            episodes.attempts("192.168.0.1/32".parse().expect("net")),
            5_000,
            "counted in the overflow"
        );
        let overflow = episodes.close(at(0), true).into_iter().find(|r| r.target == "network:*");
        assert_eq!(overflow.map(|r| r.details["attempts"].clone()), Some(json!(5_000)));
    }

    #[test]
    fn milestones_are_the_powers_of_ten() {
        let found: Vec<u64> = (1..=100_000).filter(|n| is_milestone(*n)).collect();
        assert_eq!(found, [10, 100, 1_000, 10_000, 100_000]);
    }

    #[test]
    fn names_lose_control_characters_and_length() {
        assert_eq!(clean_name(" ad\nmin\t"), "admin");
        assert_eq!(clean_name("\u{7}"), "-");
        assert_eq!(clean_name(&"x".repeat(500)).len(), 100);
    }
}
