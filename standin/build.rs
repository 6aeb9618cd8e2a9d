//! `sqlx::migrate!` embeds `migrations/` at compile time but cannot tell cargo to watch it;
//! without this a new migration file would not rebuild the crate (sqlx's documented fix).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
