//! Bulk actions on rows selected in the Users table: what the person asks for, the preview
//! the server answers before anything is sent, and the rules both sides check.
//!
//! Ban, unban and revoke sessions run as the moderation bulk job (`moderation_bulk`); adding
//! or removing a Social+ role runs as its own job kind (`user_roles_bulk`). Either way the
//! browser follows the job with `get_job` / `list_job_items`.

use crate::{Permission, choice::Choice, moderation::Reason};
use serde::{Deserialize, Serialize};

/// The most users one bulk action from the Users table may touch (a page is 25 rows; a few
/// pages' worth may be selected by hand).
pub const MAX_SELECTED_USERS: usize = 100;

/// What to do to every selected user.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UserBulkAction {
    /// Global ban until lifted.
    #[default]
    Ban,
    /// Lift a global ban.
    Unban,
    /// Sign the user out everywhere.
    RevokeSessions,
    /// Grant a Social+ role (kept once if already held).
    AddRole,
    /// Take a Social+ role away.
    RemoveRole,
}

impl UserBulkAction {
    /// Whether the action names a role.
    pub fn needs_role(self) -> bool {
        matches!(self, UserBulkAction::AddRole | UserBulkAction::RemoveRole)
    }

    /// The console permission it needs.
    pub fn permission(self) -> Permission {
        if self.needs_role() { Permission::ManageRoles } else { Permission::BanUsers }
    }
}

impl Choice for UserBulkAction {
    const ALL: &'static [Self] = &[
        UserBulkAction::Ban,
        UserBulkAction::Unban,
        UserBulkAction::RevokeSessions,
        UserBulkAction::AddRole,
        UserBulkAction::RemoveRole,
    ];

    fn as_str(self) -> &'static str {
        match self {
            UserBulkAction::Ban => "ban",
            UserBulkAction::Unban => "unban",
            UserBulkAction::RevokeSessions => "revoke_sessions",
            UserBulkAction::AddRole => "add_role",
            UserBulkAction::RemoveRole => "remove_role",
        }
    }

    fn label(self) -> &'static str {
        match self {
            UserBulkAction::Ban => "Ban",
            UserBulkAction::Unban => "Unban",
            UserBulkAction::RevokeSessions => "Revoke sessions",
            UserBulkAction::AddRole => "Add role",
            UserBulkAction::RemoveRole => "Remove role",
        }
    }
}

/// A bulk action on selected users.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct UserBulkRequest {
    /// The selected users' ids, in table order.
    pub user_ids: Vec<String>,
    /// What to do.
    pub action: UserBulkAction,
    /// The role id for [`UserBulkAction::AddRole`] / [`UserBulkAction::RemoveRole`].
    #[serde(default)]
    pub role: String,
    /// Why (audited with every change).
    pub reason: Reason,
}

impl UserBulkRequest {
    /// The selection without blanks and repeats, in order.
    pub fn users(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for id in self.user_ids.iter().map(|id| id.trim()).filter(|id| !id.is_empty()) {
            if !out.iter().any(|seen| seen == id) {
                out.push(id.to_owned());
            }
        }
        out
    }

    /// The first problem of the request as a whole, as `(field, message)`.
    pub fn problem(&self) -> Option<(&'static str, String)> {
        let users = self.users();
        if users.is_empty() {
            return Some(("selection", "Select at least one user.".into()));
        }
        if users.len() > MAX_SELECTED_USERS {
            return Some(("selection", format!("Select at most {MAX_SELECTED_USERS} users at once.")));
        }
        if self.action.needs_role() {
            let role = self.role.trim();
            if role.is_empty() {
                return Some(("role", "Enter the role id.".into()));
            }
            if role.chars().count() > super::forms::ROLE_MAX_CHARS || role.chars().any(char::is_whitespace) {
                return Some(("role", format!("“{role}” is not a role id.")));
            }
        }
        self.reason.problem().map(|message| ("reason", message))
    }
}

/// One selected user and what will happen to them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBulkPreviewItem {
    /// The user.
    pub user_id: String,
    /// What will change, in words ("roles: member → member, vip"), or "no change".
    pub change: String,
    /// Why it cannot run, if it cannot (e.g. the user does not exist).
    pub problem: Option<String>,
}

/// What a bulk action would do, before anything is sent.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserBulkPreview {
    /// How many users.
    pub total: u32,
    /// Each user and their change.
    pub items: Vec<UserBulkPreviewItem>,
    /// How many users cannot run (the submission is refused while any cannot).
    pub problems: u32,
    /// At most how many calls to Social+ it will make (they go through the request budget).
    pub upstream_calls: u32,
}

/// A user's role list after adding or removing `role`, and whether it differs.
pub fn roles_after(before: &[String], action: UserBulkAction, role: &str) -> (Vec<String>, bool) {
    let mut after: Vec<String> = before.to_vec();
    match action {
        UserBulkAction::AddRole if !after.iter().any(|r| r == role) => after.push(role.to_owned()),
        UserBulkAction::RemoveRole => after.retain(|r| r != role),
        _ => {}
    }
    let changed = after != before;
    (after, changed)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason() -> Reason {
        Reason { code: "spam".into(), text: String::new() }
    }

    #[test]
    fn adding_a_held_role_changes_nothing_and_removing_keeps_the_others_in_order() {
        let before = vec!["member".to_owned(), "vip".to_owned()];
        assert_eq!(roles_after(&before, UserBulkAction::AddRole, "vip"), (before.clone(), false));
        assert_eq!(
            roles_after(&before, UserBulkAction::AddRole, "editor"),
            (vec!["member".into(), "vip".into(), "editor".into()], true)
        );
        assert_eq!(roles_after(&before, UserBulkAction::RemoveRole, "member"), (vec!["vip".into()], true));
        assert_eq!(roles_after(&before, UserBulkAction::RemoveRole, "absent"), (before.clone(), false));
    }

    #[test]
    fn the_selection_drops_blanks_and_repeats_and_is_bounded() {
        let request = UserBulkRequest {
            user_ids: vec!["a".into(), " ".into(), "b".into(), "a ".into()],
            reason: reason(),
            ..Default::default()
        };
        assert_eq!(request.users(), vec!["a".to_owned(), "b".to_owned()]);
        assert_eq!(request.problem(), None);
        let empty = UserBulkRequest { reason: reason(), ..Default::default() };
        assert_eq!(empty.problem().map(|p| p.0), Some("selection"));
        let many = UserBulkRequest {
            user_ids: (0..=MAX_SELECTED_USERS).map(|i| format!("u{i}")).collect(),
            reason: reason(),
            ..Default::default()
        };
        assert_eq!(many.problem().map(|p| p.0), Some("selection"));
    }

    #[test]
    fn role_actions_need_a_role_id_and_every_action_a_reason() {
        let mut request = UserBulkRequest {
            user_ids: vec!["a".into()],
            action: UserBulkAction::AddRole,
            reason: reason(),
            ..Default::default()
        };
        assert_eq!(request.problem().map(|p| p.0), Some("role"));
        request.role = "two words".into();
        assert_eq!(request.problem().map(|p| p.0), Some("role"));
        request.role = "vip".into();
        assert_eq!(request.problem(), None);
        request.reason = Reason::default();
        assert_eq!(request.problem().map(|p| p.0), Some("reason"));
        assert_eq!(UserBulkAction::AddRole.permission(), Permission::ManageRoles);
        assert_eq!(UserBulkAction::Unban.permission(), Permission::BanUsers);
    }
}
