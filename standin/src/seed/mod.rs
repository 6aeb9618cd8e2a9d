//! A deterministic generator of a believable network: the same seed and size always give
//! the same data, so tests can rely on it and benchmarks can scale to 100k+ users.
//!
//! Each resource has its own module with a `TABLES` list and an `insert` function; [`ensure`]
//! empties every table and runs them in order inside one transaction. [`ensure_with`] adds an
//! activity history ([`history`]) that ends when it is generated.

pub mod content;
pub mod history;
pub mod platform;
mod rows;
pub mod users;
mod words;

pub use history::HistoryOptions;
pub use users::{SeedUser, user};

#[cfg(test)]
mod tests;

use sqlx::SqlitePool;
use time::{OffsetDateTime, macros::datetime};

/// What to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SeedOptions {
    /// Number of users.
    pub users: u32,
    /// PRNG seed.
    pub seed: u64,
    /// Number of top-level posts (comments, messages, communities and flags scale with it).
    pub posts: u32,
}

impl Default for SeedOptions {
    fn default() -> Self {
        Self { users: 3_000, seed: 42, posts: 3_000 }
    }
}

/// The instant the generated history ends; fixed so output does not depend on the clock.
pub(crate) const EPOCH: OffsetDateTime = datetime!(2026-11-01 09:00:00 UTC);

/// `len` lower-case hex chars, like the upstream's ObjectIds (24).
pub(crate) fn hex_id(rng: &mut fastrand::Rng, len: usize) -> String {
    (0..len).map(|_| char::from(b"0123456789abcdef"[rng.usize(..16)])).collect()
}

/// Generates the network if the database is empty or was seeded with other options.
pub async fn ensure(db: &SqlitePool, options: &SeedOptions) -> anyhow::Result<()> {
    ensure_with(db, options, &HistoryOptions::default()).await
}

/// What a database was seeded with.
type SeededWith = (i64, i64, i64, i64, Option<String>);

/// [`ensure`] with an activity history. A history without a fixed end is kept as long as the
/// other options match (it ends when it was generated, not at each start).
pub async fn ensure_with(
    db: &SqlitePool,
    options: &SeedOptions,
    history: &HistoryOptions,
) -> anyhow::Result<()> {
    let current: Option<SeededWith> =
        sqlx::query_as("SELECT seed, users, posts, history_days, history_end FROM seed_info WHERE id = 1")
            .fetch_optional(db)
            .await?;
    let wanted =
        (options.seed as i64, i64::from(options.users), i64::from(options.posts), i64::from(history.days));
    let end = history.resolved_end();
    if let Some((seed, users, posts, days, seeded_end)) = current
        && (seed, users, posts, days) == wanted
        && (history.end.is_none() || seeded_end == Some(crate::time_fmt::format(end)) || history.days == 0)
    {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut tx = db.begin().await?;
    let tables = platform::TABLES.iter().chain(content::TABLES).chain(history::TABLES).chain(users::TABLES);
    for table in tables.chain(&["seed_info"]) {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    users::insert(&mut tx, options).await?;
    platform::insert(&mut tx, options).await?;
    content::insert(&mut tx, options).await?;
    let events = history::insert(&mut tx, options, history.days, end).await?;
    sqlx::query(
        "INSERT INTO seed_info (id, seed, users, posts, history_days, history_end) VALUES (1, ?, ?, ?, ?, ?)",
    )
    .bind(options.seed as i64)
    .bind(i64::from(options.users))
    .bind(i64::from(options.posts))
    .bind(i64::from(history.days))
    .bind((history.days > 0).then(|| crate::time_fmt::format(end)))
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    tracing::info!(
        users = options.users,
        posts = options.posts,
        seed = options.seed,
        history_days = history.days,
        history_events = events,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "stand-in seeded"
    );
    Ok(())
}
