//! A deterministic generator of a believable network: the same seed and size always give
//! the same data, so tests can rely on it and benchmarks can scale to 100k+ users.
//!
//! Each resource has its own module with a `TABLES` list and an `insert` function; [`ensure`]
//! empties every table and runs them in order inside one transaction.

pub mod content;
pub mod platform;
mod rows;
pub mod users;
mod words;

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
    let current: Option<(i64, i64, i64)> =
        sqlx::query_as("SELECT seed, users, posts FROM seed_info WHERE id = 1").fetch_optional(db).await?;
    if current == Some((options.seed as i64, i64::from(options.users), i64::from(options.posts))) {
        return Ok(());
    }
    let started = std::time::Instant::now();
    let mut tx = db.begin().await?;
    for table in platform::TABLES.iter().chain(content::TABLES).chain(users::TABLES).chain(&["seed_info"]) {
        sqlx::query(&format!("DELETE FROM {table}")).execute(&mut *tx).await?;
    }
    users::insert(&mut tx, options).await?;
    platform::insert(&mut tx, options).await?;
    content::insert(&mut tx, options).await?;
    sqlx::query("INSERT INTO seed_info (id, seed, users, posts) VALUES (1, ?, ?, ?)")
        .bind(options.seed as i64)
        .bind(i64::from(options.users))
        .bind(i64::from(options.posts))
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    tracing::info!(
        users = options.users,
        posts = options.posts,
        seed = options.seed,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "stand-in seeded"
    );
    Ok(())
}
