//! `cargo xtask bench` (filled in below).

pub fn all(_args: &[String]) -> anyhow::Result<()> {
    anyhow::bail!("not yet")
}
