//! Integration tests: the real server on port 0, a temporary database, and the embedded
//! stand-in, driven over HTTP like a browser would.

mod access;
mod admin_token;
mod analytics;
mod appeals;
mod audit;
mod auth;
mod backfill;
mod csrf;
mod events_page;
mod fake_idp;
mod fuzz;
mod hardening;
mod health;
mod helpers;
mod imports;
mod jobs;
mod leaks;
mod moderation;
mod oidc;
mod oidc_provider;
mod proxy;
mod queue;
mod queue_live;
mod reports;
mod roles;
mod rules;
mod rules_edit;
mod teamwork;
mod users;
mod users_bulk;
mod users_detail;
mod users_manage;
mod webhooks;
mod webhooks_crash;
