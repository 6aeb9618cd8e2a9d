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

    /// Whether this role grants `permission`. The table is written as "what each role adds
    /// to the one below it"; anything not listed is denied.
    pub fn allows(self, permission: Permission) -> bool {
        use Permission::*;
        let viewer = matches!(permission, ViewUsers | ViewQueue | ViewAnalytics | ViewEvents);
        let moderator = matches!(permission, EditUsers | BanUsers | ModerateContent);
        let senior = matches!(permission, DecideAppeals | DecideEscalations);
        match self {
            Role::Viewer => viewer,
            Role::Moderator => viewer || moderator,
            Role::SeniorModerator => viewer || moderator || senior,
            // Written out so a new permission needs a conscious decision for admins too.
            Role::Admin => match permission {
                ViewUsers | ViewQueue | ViewAnalytics | ViewEvents | EditUsers | BanUsers
                | ModerateContent | DecideAppeals | DecideEscalations | DeleteUsers | DeletePermanently
                | ManageRoles | ViewAudit | ExportAudit | ManageSettings | ManageAdminToken => true,
            },
        }
    }

    /// Every permission this role grants, in [`Permission::ALL`] order.
    pub fn permissions(self) -> Vec<Permission> {
        Permission::ALL.into_iter().filter(|p| self.allows(*p)).collect()
    }
}

/// Something a signed-in person may be allowed to do. Each server function and HTTP
/// endpoint names exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Permission {
    /// List, search and open the network's users.
    ViewUsers,
    /// Change a user's profile or metadata.
    EditUsers,
    /// Ban, unban, warn a user or revoke their sessions.
    BanUsers,
    /// Delete a user (the network can restore soft-deleted users).
    DeleteUsers,
    /// Grant or take away Social+ roles of users.
    ManageRoles,
    /// Read the moderation queue and flagged content.
    ViewQueue,
    /// Act on content: approve, decline, keep, soft-delete, clear flags.
    ModerateContent,
    /// Delete content or users permanently (hard delete, cannot be undone).
    DeletePermanently,
    /// Decide appeals against moderation decisions.
    DecideAppeals,
    /// Decide cases escalated by moderators.
    DecideEscalations,
    /// Read analytics charts and export them.
    ViewAnalytics,
    /// Read the network's webhook events and deliveries.
    ViewEvents,
    /// Read the console's audit trail.
    ViewAudit,
    /// Download the audit trail as CSV or JSON.
    ExportAudit,
    /// Change network settings, pre-hook rules and blocklists.
    ManageSettings,
    /// See the admin token's fingerprint and regenerate it.
    ManageAdminToken,
}

impl Permission {
    /// Every permission.
    pub const ALL: [Permission; 16] = [
        Permission::ViewUsers,
        Permission::EditUsers,
        Permission::BanUsers,
        Permission::DeleteUsers,
        Permission::ManageRoles,
        Permission::ViewQueue,
        Permission::ModerateContent,
        Permission::DeletePermanently,
        Permission::DecideAppeals,
        Permission::DecideEscalations,
        Permission::ViewAnalytics,
        Permission::ViewEvents,
        Permission::ViewAudit,
        Permission::ExportAudit,
        Permission::ManageSettings,
        Permission::ManageAdminToken,
    ];

    /// The least privileged role that has this permission.
    pub fn least_role(self) -> Role {
        Role::ALL.into_iter().find(|role| role.allows(self)).unwrap_or(Role::Admin)
    }
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

    /// The whole table, spelled out: (permission, viewer, moderator, senior moderator, admin).
    const TABLE: [(Permission, [bool; 4]); 16] = [
        (Permission::ViewUsers, [true, true, true, true]),
        (Permission::ViewQueue, [true, true, true, true]),
        (Permission::ViewAnalytics, [true, true, true, true]),
        (Permission::ViewEvents, [true, true, true, true]),
        (Permission::EditUsers, [false, true, true, true]),
        (Permission::BanUsers, [false, true, true, true]),
        (Permission::ModerateContent, [false, true, true, true]),
        (Permission::DecideAppeals, [false, false, true, true]),
        (Permission::DecideEscalations, [false, false, true, true]),
        (Permission::DeleteUsers, [false, false, false, true]),
        (Permission::DeletePermanently, [false, false, false, true]),
        (Permission::ManageRoles, [false, false, false, true]),
        (Permission::ViewAudit, [false, false, false, true]),
        (Permission::ExportAudit, [false, false, false, true]),
        (Permission::ManageSettings, [false, false, false, true]),
        (Permission::ManageAdminToken, [false, false, false, true]),
    ];

    #[test]
    fn the_role_table_grants_exactly_what_is_written_down() {
        for (permission, expected) in TABLE {
            for (role, allowed) in Role::ALL.into_iter().zip(expected) {
                assert_eq!(role.allows(permission), allowed, "{role:?} × {permission:?}");
            }
        }
    }

    #[test]
    fn the_table_covers_every_permission_once() {
        for permission in Permission::ALL {
            assert_eq!(TABLE.iter().filter(|(p, _)| *p == permission).count(), 1, "{permission:?}");
        }
    }

    #[test]
    fn each_role_has_everything_the_role_below_has() {
        for pair in Role::ALL.windows(2) {
            for permission in pair[0].permissions() {
                assert!(pair[1].allows(permission), "{:?} lacks {permission:?}", pair[1]);
            }
            assert!(pair[1].permissions().len() > pair[0].permissions().len());
        }
    }

    #[test]
    fn the_least_role_is_the_first_that_may() {
        assert_eq!(Permission::ViewUsers.least_role(), Role::Viewer);
        assert_eq!(Permission::BanUsers.least_role(), Role::Moderator);
        assert_eq!(Permission::DecideAppeals.least_role(), Role::SeniorModerator);
        assert_eq!(Permission::ManageAdminToken.least_role(), Role::Admin);
    }

    #[test]
    fn roles_serialize_as_stable_snake_case_names() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).expect("serialize");
            assert_eq!(json, format!("\"{}\"", role.as_str()));
        }
    }
}
