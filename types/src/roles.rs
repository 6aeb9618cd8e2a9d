//! Social+ roles as the Roles page shows and edits them, and their validation (run in the
//! browser before sending and again on the server).

use serde::{Deserialize, Serialize};

/// Longest role id Social+ accepts.
pub const ROLE_ID_MAX_CHARS: usize = 100;
/// Longest display name Social+ accepts.
pub const DISPLAY_NAME_MAX_CHARS: usize = 100;
/// Most roles one user may hold.
pub const USER_ROLES_MAX: usize = 10;

/// One role and what it grants.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleRow {
    /// The role id (`moderator`, or a custom id).
    pub role_id: String,
    /// Display name, when set.
    pub display_name: Option<String>,
    /// Social+ permission names (`BAN_USER`…).
    pub permissions: Vec<String>,
    /// Last change, ISO-8601 UTC.
    pub updated_at: String,
    /// A built-in role (`admin`, `moderator`): it cannot be deleted.
    pub system: bool,
}

/// Every role and every permission a role can grant, for the Roles page.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RolesOverview {
    /// The network's roles.
    pub roles: Vec<RoleRow>,
    /// The permission names Social+ knows, for the checkboxes.
    pub permissions: Vec<String>,
}

/// A role as submitted by the create or edit form.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoleForm {
    /// The role id.
    pub role_id: String,
    /// Display name (empty = none).
    pub display_name: String,
    /// The complete permission list.
    pub permissions: Vec<String>,
}

/// A problem with one field of a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldProblem {
    /// The form field's name.
    pub field: &'static str,
    /// What is wrong, in words.
    pub message: String,
}

impl RoleForm {
    /// The form's problems; `known` are the permission names Social+ accepts.
    pub fn problems(&self, known: &[&str]) -> Vec<FieldProblem> {
        let mut problems = Vec::new();
        let id = self.role_id.trim();
        if id.is_empty() {
            problems.push(FieldProblem { field: "role_id", message: "Enter a role id.".into() });
        } else if id.chars().count() > ROLE_ID_MAX_CHARS {
            problems.push(FieldProblem {
                field: "role_id",
                message: format!("A role id has at most {ROLE_ID_MAX_CHARS} characters."),
            });
        } else if id.contains(char::is_whitespace) || id.contains('/') {
            problems.push(FieldProblem {
                field: "role_id",
                message: "A role id cannot contain spaces or slashes.".into(),
            });
        }
        if self.display_name.trim().chars().count() > DISPLAY_NAME_MAX_CHARS {
            problems.push(FieldProblem {
                field: "display_name",
                message: format!("A display name has at most {DISPLAY_NAME_MAX_CHARS} characters."),
            });
        }
        if let Some(unknown) = self.permissions.iter().find(|p| !known.contains(&p.as_str())) {
            problems.push(FieldProblem {
                field: "permissions",
                message: format!("“{unknown}” is not a Social+ permission."),
            });
        }
        problems
    }
}

/// Splits a role list separated by commas, semicolons or spaces, trimmed, without empties or repeats.
pub fn parse_role_list(text: &str) -> Vec<String> {
    let mut roles: Vec<String> = Vec::new();
    for role in text.split(|c: char| c == ',' || c == ';' || c.is_whitespace()).filter(|r| !r.is_empty()) {
        if !roles.iter().any(|r| r == role) {
            roles.push(role.to_owned());
        }
    }
    roles
}

#[cfg(test)]
mod tests {
    use super::*;

    const KNOWN: &[&str] = &["BAN_USER", "EDIT_USER"];

    fn form(role_id: &str, permissions: &[&str]) -> RoleForm {
        RoleForm {
            role_id: role_id.into(),
            display_name: String::new(),
            permissions: permissions.iter().map(|p| (*p).to_owned()).collect(),
        }
    }

    #[test]
    fn a_valid_role_has_no_problems() {
        assert!(form("community-helper", &["BAN_USER"]).problems(KNOWN).is_empty());
    }

    #[test]
    fn each_field_reports_its_own_problem() {
        let fields = |f: RoleForm| f.problems(KNOWN).into_iter().map(|p| p.field).collect::<Vec<_>>();
        assert_eq!(fields(form("", &[])), ["role_id"]);
        assert_eq!(fields(form("two words", &[])), ["role_id"]);
        assert_eq!(fields(form(&"x".repeat(101), &[])), ["role_id"]);
        assert_eq!(fields(form("ok", &["FLY"])), ["permissions"]);
        let long_name = RoleForm { display_name: "n".repeat(101), ..form("ok", &[]) };
        assert_eq!(fields(long_name), ["display_name"]);
    }

    #[test]
    fn role_lists_are_split_on_commas_and_spaces_without_repeats() {
        assert_eq!(parse_role_list(" a, b  a,,c;d "), ["a", "b", "c", "d"]);
        assert!(parse_role_list(" , ").is_empty());
    }
}
