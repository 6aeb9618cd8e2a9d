//! Who is signed in and what they may do.
//!
//! The Role → Permission table is a pure function so the server can enforce it in every
//! server function and the UI can hide what a role cannot do (cosmetic only: the server decides).

use serde::{Deserialize, Serialize};

/// A console role. Ordered from least to most privileged.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Reads users, queues and analytics; changes nothing.
    Viewer,
    /// Acts on flagged content and users.
    Moderator,
    /// A moderator who also decides appeals and escalations.
    SeniorModerator,
    /// Everything, including network settings and other people's access.
    Admin,
}

impl Role {
    /// Every role, least privileged first.
    pub const ALL: [Role; 4] = [Role::Viewer, Role::Moderator, Role::SeniorModerator, Role::Admin];

    /// Stable lower-case name, as stored in sessions and shown in the UI.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Viewer => "viewer",
            Role::Moderator => "moderator",
            Role::SeniorModerator => "senior_moderator",
            Role::Admin => "admin",
        }
    }

    /// Whether this role grants `permission`. Anything not listed here is denied.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        match self {
            Role::Viewer | Role::Moderator | Role::SeniorModerator | Role::Admin => {
                matches!(permission, ViewUsers)
            }
        }
    }
}

/// Something a signed-in person may be allowed to do. Each server function names one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// List, search and open the network's users.
    ViewUsers,
}

/// How the current person proved who they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInMethod {
    /// The local bootstrap admin of the embedded default.
    Bootstrap,
    /// Single sign-on with an OpenID provider.
    Oidc,
    /// Identity headers (or a signed assertion) from a trusted reverse proxy.
    Proxy,
}

/// The signed-in person, as kept in the session and shown in the header.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurrentUser {
    /// Stable identifier of the console account (not a Social+ user id).
    pub id: String,
    /// Name to show.
    pub display_name: String,
    /// The role that decides every permission.
    pub role: Role,
    /// How they signed in.
    pub method: SignInMethod,
}

impl CurrentUser {
    /// Whether this person's role grants `permission`.
    pub fn can(&self, permission: Permission) -> bool {
        self.role.allows(permission)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_role_may_view_users() {
        for role in Role::ALL {
            assert!(role.allows(Permission::ViewUsers), "{role:?}");
        }
    }

    #[test]
    fn roles_serialize_as_stable_snake_case_names() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).expect("serialize");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }
}
