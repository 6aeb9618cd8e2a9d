//! The state the history is simulated on: who is there (seeded members and people who sign
//! up during the period), which communities they belong to, and everything the period adds
//! (posts with their counters, comments, joins, the event log), kept in memory and written
//! once at the end (`super::write`).

use crate::seed::{SeedOptions, user};
use sqlx::{Row, Sqlite, Transaction};
use std::collections::HashMap;

/// At most this many seeded members take part, so a network seeded with millions of users
/// still gets a history that replays in a minute.
pub const POPULATION: usize = 5_000;

/// Someone who can act.
pub struct Member {
    pub user_id: String,
    pub internal_id: String,
    /// Chance of being active on an average day.
    pub weight: f64,
    /// Indexes into [`World::communities`].
    pub communities: Vec<usize>,
    /// Communities that banned them (they cannot join again).
    pub banned_from: Vec<usize>,
    /// Unix seconds of the last action in the history.
    pub last_active: Option<i64>,
    /// For people who signed up during the period: their user index and sign-up time.
    pub signed_up: Option<(u32, i64)>,
    /// When a moderator banned them (spammers).
    pub banned_at: Option<i64>,
}

/// A community members post in and join.
pub struct Community {
    pub id: String,
    pub members: usize,
}

/// A post made during the period, with what happened to it.
pub struct Post {
    pub id: String,
    pub author: usize,
    pub community: usize,
    pub created: i64,
    /// The last change (a reaction, comment, flag or review).
    pub updated: i64,
    pub text: String,
    /// A generated picture, for image posts.
    pub file_id: Option<String>,
    pub reactions: u32,
    pub comments: u32,
    /// (member, time, reason); emptied when a moderator clears the flags.
    pub flags: Vec<(usize, i64, &'static str)>,
    /// The last flag, kept after a clear.
    pub last_flagged: Option<i64>,
    /// `delete` or `clearFlag`, and when.
    pub review: Option<(&'static str, i64)>,
    pub ai: Option<String>,
    /// Whether a review is already planned.
    pub review_planned: bool,
}

/// A comment made during the period.
pub struct Comment {
    pub id: String,
    pub author: usize,
    pub post: usize,
    pub created: i64,
    pub text: &'static str,
}

/// One entry of the event log the stand-in replays as webhooks.
pub struct LoggedEvent {
    pub at: i64,
    pub name: &'static str,
    pub object_id: String,
    pub actor: Option<usize>,
}

/// Everything the simulation reads and adds.
pub struct World {
    pub rng: fastrand::Rng,
    /// The seed users are generated from.
    pub seed: u64,
    /// Unix seconds of the period's end (nothing happens after it).
    pub end: i64,
    pub members: Vec<Member>,
    pub communities: Vec<Community>,
    pub posts: Vec<Post>,
    pub comments: Vec<Comment>,
    /// (community, member, time).
    pub joins: Vec<(usize, usize, i64)>,
    pub events: Vec<LoggedEvent>,
    /// Posts younger than three days, oldest first (indexes into `posts`).
    pub recent: std::collections::VecDeque<usize>,
    /// The next user index for people who sign up.
    pub next_user: u32,
}

impl World {
    /// The seeded members (live, unbanned, at most [`POPULATION`]) and communities (not
    /// deleted) with their memberships.
    pub async fn load(tx: &mut Transaction<'_, Sqlite>, options: &SeedOptions) -> anyhow::Result<Self> {
        let mut rng = fastrand::Rng::with_seed(options.seed ^ 0x0048_4953_544f_5259);
        let mut members: Vec<Member> = (0..options.users)
            .map(|i| user(options.seed, i))
            .filter(|u| !u.is_deleted && !u.is_global_ban)
            .take(POPULATION)
            .map(|u| Member {
                user_id: u.user_id,
                internal_id: u.internal_id,
                weight: 0.01 + 0.17 * rng.f64().powf(2.5),
                communities: Vec::new(),
                banned_from: Vec::new(),
                last_active: None,
                signed_up: None,
                banned_at: None,
            })
            .collect();
        let index: HashMap<String, usize> =
            members.iter().enumerate().map(|(i, m)| (m.user_id.clone(), i)).collect();
        let rows = sqlx::query("SELECT community_id FROM communities WHERE is_deleted = 0 ORDER BY rowid")
            .fetch_all(&mut **tx)
            .await?;
        let mut communities: Vec<Community> =
            rows.iter().map(|r| Community { id: r.get("community_id"), members: 0 }).collect();
        let position: HashMap<String, usize> =
            communities.iter().enumerate().map(|(i, c)| (c.id.clone(), i)).collect();
        let memberships =
            sqlx::query("SELECT community_id, user_id, membership FROM community_members ORDER BY rowid")
                .fetch_all(&mut **tx)
                .await?;
        for row in memberships {
            let (Some(&c), Some(&m)) =
                (position.get(row.get::<&str, _>("community_id")), index.get(row.get::<&str, _>("user_id")))
            else {
                continue;
            };
            if row.get::<&str, _>("membership") == "member" {
                members[m].communities.push(c);
                communities[c].members += 1;
            } else {
                members[m].banned_from.push(c);
            }
        }
        Ok(Self {
            rng,
            seed: options.seed,
            end: 0,
            members,
            communities,
            posts: Vec::new(),
            comments: Vec::new(),
            joins: Vec::new(),
            events: Vec::new(),
            recent: Default::default(),
            next_user: options.users,
        })
    }

    /// Records an event and that its actor was active.
    pub fn log(&mut self, at: i64, name: &'static str, object_id: String, actor: Option<usize>) {
        if let Some(member) = actor {
            let last = &mut self.members[member].last_active;
            *last = Some(last.map_or(at, |l| l.max(at)));
        }
        self.events.push(LoggedEvent { at, name, object_id, actor });
    }

    /// Forgets posts older than three days (and deleted ones) as targets.
    pub fn prune_recent(&mut self, now: i64) {
        while let Some(&oldest) = self.recent.front() {
            if now - self.posts[oldest].created > 3 * 86_400 {
                self.recent.pop_front();
            } else {
                break;
            }
        }
    }

    /// A recent post, the newest most likely, that is not deleted; `None` when there is none.
    pub fn recent_post(&mut self) -> Option<usize> {
        let len = self.recent.len();
        if len == 0 {
            return None;
        }
        let back = (len as f64 * self.rng.f64().powi(2)) as usize;
        let post = self.recent[len - 1 - back.min(len - 1)];
        (self.posts[post].review.map(|(kind, _)| kind) != Some("delete")).then_some(post)
    }

    /// The largest communities, biggest first (where a spammer posts).
    pub fn largest_communities(&self, n: usize) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.communities.len()).collect();
        order.sort_by_key(|&c| std::cmp::Reverse(self.communities[c].members));
        order.truncate(n);
        order
    }
}
