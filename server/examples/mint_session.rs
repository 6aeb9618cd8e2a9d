//! Test tool for the end-to-end suite: writes a signed-in session for a made-up person with
//! the given role straight into a console database and prints its cookie value.
//!
//! It is an example, not part of the server binary: there is no HTTP route or setting that
//! creates a session this way, and it needs write access to the database file (which an
//! operator has anyway). `cargo run -p server --example mint_session -- <db> <role>`.

use std::collections::HashMap;
use tower_sessions::{
    SessionStore,
    session::{Id, Record},
};
use types::{CurrentUser, Role, access::SignInMethod};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let mut args = std::env::args().skip(1);
    let (Some(database), Some(role)) = (args.next(), args.next()) else {
        anyhow::bail!(
            "usage: mint_session <console.sqlite> <viewer|moderator|senior_moderator|admin> [account id]"
        );
    };
    // A second account of the same role (e.g. two moderators claiming one case) needs its own id.
    let id = args.next().unwrap_or_else(|| format!("e2e-{role}"));
    let role: Role = serde_json::from_value(serde_json::Value::String(role.clone()))
        .map_err(|_| anyhow::anyhow!("unknown role `{role}`"))?;
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{database}")).await?;
    let store = tower_sessions_sqlx_store::SqliteStore::new(pool);
    store.migrate().await?;
    let user = CurrentUser { display_name: format!("E2E {id}"), id, role, method: SignInMethod::Bootstrap };
    let now = time::OffsetDateTime::now_utc();
    let data: HashMap<String, serde_json::Value> = HashMap::from([
        ("user".to_owned(), serde_json::to_value(&user)?),
        ("signed_in_at".to_owned(), now.unix_timestamp().into()),
        ("last_seen".to_owned(), now.unix_timestamp().into()),
    ]);
    let mut record = Record { id: Id::default(), data, expiry_date: now + time::Duration::hours(1) };
    store.create(&mut record).await?;
    println!("{}", record.id);
    Ok(())
}
