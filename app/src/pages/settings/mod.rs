//! The Settings section: the network's admin token (fingerprint, expiry, regeneration).

pub mod api;
pub mod page;
