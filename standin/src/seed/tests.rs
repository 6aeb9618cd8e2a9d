//! The seed's fingerprint: a hash of every generated row for fixed options. Tests and
//! benchmarks rely on the same options giving the same data, so a change of the hash must be
//! intended (a new column, a different distribution) and is updated in the same commit.

use super::{HistoryOptions, SeedOptions, ensure_with};
use crate::{Storage, db};
use sha2::{Digest, Sha256};

/// Tables whose rows are not generated from the seed: keys come from the OS random source.
const NOT_SEEDED: &[&str] = &["network_keys", "_sqlx_migrations", "sqlite_sequence"];

/// SHA-256 over every row of every seeded table, tables by name, rows in insertion order.
async fn fingerprint(options: SeedOptions, history: HistoryOptions) -> String {
    let pool = db::open(&Storage::Memory).await.expect("database");
    ensure_with(&pool, &options, &history).await.expect("seed");
    let tables: Vec<String> =
        sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
            .fetch_all(&pool)
            .await
            .expect("tables");
    let mut hash = Sha256::new();
    for table in tables.iter().filter(|t| !NOT_SEEDED.contains(&t.as_str())) {
        let columns: Vec<String> = sqlx::query_scalar("SELECT name FROM pragma_table_info(?) ORDER BY cid")
            .bind(table)
            .fetch_all(&pool)
            .await
            .expect("columns");
        let row = columns.iter().map(|c| format!("quote({c})")).collect::<Vec<_>>().join(" || ',' || ");
        let rows: Vec<String> = sqlx::query_scalar(&format!("SELECT {row} FROM {table} ORDER BY rowid"))
            .fetch_all(&pool)
            .await
            .expect("rows");
        hash.update(format!("{table}:{}\n", rows.len()));
        for row in rows {
            hash.update(row);
            hash.update("\n");
        }
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

#[tokio::test]
async fn the_same_options_give_the_same_rows_as_before() {
    let options = SeedOptions { users: 200, seed: 9, posts: 300 };
    let none = HistoryOptions::default();
    assert_eq!(fingerprint(options, none).await, fingerprint(options, none).await, "deterministic");
    assert_eq!(
        fingerprint(options, none).await,
        "2848fcfbb8038de458a93d4788c0f2c2eec52d454e8818538353d6c5d70f623a",
        "the seed's data changed; if intended, update the hash"
    );
}

#[tokio::test]
async fn the_same_options_and_history_end_give_the_same_rows_as_before() {
    let options = SeedOptions { users: 200, seed: 9, posts: 300 };
    let history = HistoryOptions { days: 21, end: Some(time::macros::datetime!(2026-12-07 17:00 UTC)) };
    assert_eq!(
        fingerprint(options, history).await,
        "57a2c4565bbaec54c92a38b603f2805e8db6f1f52e05054f8274316dfc5f87f8",
        "the history changed; if intended, update the hash"
    );
}
