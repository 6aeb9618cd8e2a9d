//! The seed's fingerprint: a hash of every generated row for fixed options. Tests and
//! benchmarks rely on the same options giving the same data, so a change of the hash must be
//! intended (a new column, a different distribution) and is updated in the same commit.

use super::{SeedOptions, ensure};
use crate::{Storage, db};
use sha2::{Digest, Sha256};

/// Tables whose rows are not generated from the seed: keys come from the OS random source.
const NOT_SEEDED: &[&str] = &["network_keys", "_sqlx_migrations", "sqlite_sequence"];

/// SHA-256 over every row of every seeded table, tables by name, rows in insertion order.
async fn fingerprint(options: SeedOptions) -> String {
    let pool = db::open(&Storage::Memory).await.expect("database");
    ensure(&pool, &options).await.expect("seed");
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
    assert_eq!(fingerprint(options).await, fingerprint(options).await, "deterministic");
    assert_eq!(
        fingerprint(options).await,
        "6a493ec4d9adfe6686bc9ba5bde830b3ddc6aee9312227bcabcde0bc2d79f179",
        "the seed's data changed; if intended, update the hash"
    );
}
