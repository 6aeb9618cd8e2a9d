//! The `user_import` job kind: each item creates or updates one user. Creating is the
//! upstream way — registering a session with the network's API key creates the user — and
//! an update sets what a session cannot (description, roles, metadata). Both are safe to
//! repeat, so an item interrupted by a restart is simply run again.

use crate::{
    audit::{Change, Entry, Outcome, append_change},
    jobs::{ItemFailure, ItemOutcome, JobContext, JobHandler, JobItem},
};
use async_trait::async_trait;
use secrecy::SecretString;
use serde_json::{Map, Value, json};
use types::{
    Permission,
    imports::ImportRow,
    jobs::{JobCounts, JobState},
};
use upstream::endpoints::{sessions::RegisterSession, users::UpdateUser};
use upstream::wire::{SessionRequest, UserUpdate};

/// The job kind.
pub const KIND: &str = "user_import";

/// The device id sessions registered by imports carry, so they are recognisable upstream.
const IMPORT_DEVICE_ID: &str = "social-plus-console-import";

/// Runs import rows. Without an API key it can still update existing users.
pub struct UserImport {
    api_key: Option<SecretString>,
}

impl UserImport {
    /// A handler creating users with `api_key` (the network's API key), when there is one.
    pub fn new(api_key: Option<SecretString>) -> Self {
        Self { api_key }
    }
}

/// The upstream failure in words; a refused admin token or API key stops the whole import.
fn failure(error: &upstream::Error, what: &str) -> ItemFailure {
    match error {
        upstream::Error::Status { status: 401, .. } => {
            ItemFailure::fatal(format!("Social+ refused the console's credentials while trying to {what}."))
        }
        upstream::Error::Status { status, code, message } => ItemFailure::item(format!(
            "Social+ refused to {what} (HTTP {status}{}): {message}",
            code.map(|c| format!(", code {c}")).unwrap_or_default()
        )),
        upstream::Error::RateLimited { .. } => {
            ItemFailure::item(format!("Social+ kept rate-limiting the console; could not {what}."))
        }
        upstream::Error::Timeout(_) | upstream::Error::Transport(_) => {
            ItemFailure::item(format!("Social+ could not be reached to {what}."))
        }
        other => ItemFailure::item(format!("Could not {what}: {other}")),
    }
}

fn update_of(row: &ImportRow, with_display_name: bool) -> Option<UserUpdate> {
    let metadata: Option<Map<String, Value>> =
        row.metadata.as_deref().and_then(|m| serde_json::from_str(m).ok());
    let update = UserUpdate {
        user_id: row.user_id.clone(),
        display_name: row.display_name.clone().filter(|_| with_display_name),
        description: row.description.clone(),
        roles: row.roles.clone(),
        metadata,
        ..UserUpdate::default()
    };
    let changes = update.display_name.is_some()
        || update.description.is_some()
        || update.roles.is_some()
        || update.metadata.is_some();
    changes.then_some(update)
}

impl UserImport {
    async fn create(&self, job: &JobContext<'_>, row: &ImportRow) -> Result<ItemOutcome, ItemFailure> {
        let Some(api_key) = self.api_key.clone() else {
            return Err(ItemFailure::fatal(
                "The console has no network API key configured, so it cannot create users.",
            ));
        };
        let session = SessionRequest {
            user_id: row.user_id.clone(),
            device_id: IMPORT_DEVICE_ID.to_owned(),
            display_name: row.display_name.clone(),
            ..SessionRequest::default()
        };
        job.upstream
            .send(&RegisterSession { api_key, session: &session })
            .await
            .map_err(|e| failure(&e, "create the user"))?;
        if let Some(update) = update_of(row, false) {
            job.upstream
                .send(&UpdateUser(&update))
                .await
                .map_err(|e| failure(&e, "set the new user's profile"))?;
        }
        Ok(ItemOutcome { message: Some("Created".into()), result: Some(json!({ "action": "created" })) })
    }
}

#[async_trait]
impl JobHandler for UserImport {
    fn kind(&self) -> &'static str {
        KIND
    }

    async fn run_item(&self, job: &JobContext<'_>, item: &JobItem) -> Result<ItemOutcome, ItemFailure> {
        if let Some(problem) = item.input["problem"].as_str() {
            return Err(ItemFailure::item(format!("Not imported: {problem}")));
        }
        let row: ImportRow = serde_json::from_value(item.input["row"].clone())
            .map_err(|e| ItemFailure::item(format!("The stored row is unreadable: {e}")))?;
        // The submission checked this; checked again against what the job stored, so no
        // path to the runner can set roles without the permission.
        if row.roles.is_some() && job.permission != Permission::ManageRoles {
            return Err(ItemFailure::item(
                "Not imported: the row sets roles, and the import was not started with the \
                 manage_roles permission.",
            ));
        }
        let exists = item.input["exists"].as_bool().unwrap_or(false);
        let outcome = match (exists, update_of(&row, true)) {
            (true, None) => Ok(ItemOutcome {
                message: Some("Unchanged".into()),
                result: Some(json!({ "action": "unchanged" })),
            }),
            (true, Some(update)) => match job.upstream.send(&UpdateUser(&update)).await {
                Ok(_) => Ok(ItemOutcome {
                    message: Some("Updated".into()),
                    result: Some(json!({ "action": "updated" })),
                }),
                // Deleted between the dry run and now: create it instead.
                Err(e) if e.is_not_found() => self.create(job, &row).await,
                Err(e) => Err(failure(&e, "update the user")),
            },
            (false, _) => self.create(job, &row).await,
        };
        let (audit_outcome, after) = match &outcome {
            Ok(done) => (Outcome::Success, Some(json!({ "row": row, "result": done.result }))),
            Err(failed) => (Outcome::Failed, Some(json!({ "row": row, "error": failed.message }))),
        };
        let entry = Entry {
            actor_id: job.created_by,
            actor_role: None,
            action: "user_import_row",
            target: Some(&row.user_id),
            outcome: audit_outcome,
            request_id: None,
            details: json!({ "job": job.id, "line": row.line }),
        };
        let change = Change { reason: Some("CSV import"), before: None, after, upstream_status: None };
        if let Err(error) = append_change(job.db, &entry, &change).await {
            tracing::error!(%error, "could not write the audit entry");
        }
        outcome
    }

    async fn finished(&self, job: &JobContext<'_>, state: JobState, counts: &JobCounts) {
        let entry = Entry {
            actor_id: job.created_by,
            actor_role: None,
            action: "user_import",
            target: Some(job.id),
            outcome: if state == JobState::Done { Outcome::Success } else { Outcome::Failed },
            request_id: None,
            details: json!({ "state": state, "counts": counts, "file": job.payload["file"] }),
        };
        if let Err(error) = append_change(job.db, &entry, &Change::default()).await {
            tracing::error!(%error, "could not write the audit entry");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    /// A job context whose Social+ is unreachable: any call fails as a transport error.
    async fn run_row(permission: Permission, row: &ImportRow) -> Result<ItemOutcome, ItemFailure> {
        let dir = tempfile::tempdir().expect("temp dir");
        let db = crate::db::open(&dir.path().join("console.db")).await.expect("database");
        let config = upstream::ClientConfig::new(
            url::Url::parse("http://127.0.0.1:9").expect("url"),
            SecretString::from("unused".to_owned()),
        );
        let upstream: Arc<upstream::Client> = Arc::new(upstream::Client::new(config).expect("client"));
        let payload = json!({});
        let job = JobContext {
            id: "job-1",
            created_by: "test-moderator",
            permission,
            payload: &payload,
            upstream: upstream.as_ref(),
            db: &db,
        };
        let item = JobItem { seq: 0, key: row.user_id.clone(), input: json!({ "row": row, "exists": true }) };
        UserImport::new(None).run_item(&job, &item).await
    }

    #[tokio::test]
    async fn finding_1_a_row_setting_roles_fails_in_a_job_stored_without_manage_roles() {
        let row = ImportRow {
            line: 2,
            user_id: "ann".into(),
            roles: Some(vec!["global-admin".into()]),
            ..ImportRow::default()
        };
        let refused = run_row(Permission::EditUsers, &row).await.expect_err("refused");
        assert!(refused.message.contains("manage_roles"), "{}", refused.message);
        assert!(!refused.stop_job, "the other rows still run");

        let allowed = run_row(Permission::ManageRoles, &row).await.expect_err("Social+ is unreachable");
        assert!(
            allowed.message.contains("could not be reached"),
            "it got as far as calling: {}",
            allowed.message
        );
    }
}
