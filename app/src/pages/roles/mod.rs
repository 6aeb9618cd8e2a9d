//! The Roles section: Social+ roles and their permissions, and granting roles to users and
//! community members.

pub mod api;
pub mod page;
