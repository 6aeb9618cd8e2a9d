//! `[access.groups]`: which IdP groups give which console role. The most privileged
//! matching role wins; no match means no access (deny by default).

use serde::Deserialize;
use types::Role;

/// Group names per role, compared exactly (case matters, as at most providers).
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct GroupRoles {
    /// Read-only.
    pub viewer: Vec<String>,
    /// Moderation.
    pub moderator: Vec<String>,
    /// Moderation, appeals and escalations.
    pub senior_moderator: Vec<String>,
    /// Everything.
    pub admin: Vec<String>,
}

impl GroupRoles {
    /// Whether no group is mapped at all.
    pub fn is_empty(&self) -> bool {
        self.viewer.is_empty()
            && self.moderator.is_empty()
            && self.senior_moderator.is_empty()
            && self.admin.is_empty()
    }

    /// The most privileged role any of `groups` grants.
    pub fn role_for(&self, groups: &[String]) -> Option<Role> {
        Role::ALL.into_iter().rev().find(|role| {
            let mapped = match role {
                Role::Viewer => &self.viewer,
                Role::Moderator => &self.moderator,
                Role::SeniorModerator => &self.senior_moderator,
                Role::Admin => &self.admin,
            };
            groups.iter().any(|group| mapped.contains(group))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> GroupRoles {
        GroupRoles {
            viewer: vec!["staff".into()],
            moderator: vec!["mods".into()],
            senior_moderator: vec!["senior-mods".into()],
            admin: vec!["console-admins".into()],
        }
    }

    fn groups(names: &[&str]) -> Vec<String> {
        names.iter().map(|n| (*n).to_owned()).collect()
    }

    #[test]
    fn the_most_privileged_matching_role_wins() {
        assert_eq!(table().role_for(&groups(&["staff", "mods"])), Some(Role::Moderator));
        assert_eq!(table().role_for(&groups(&["console-admins", "staff"])), Some(Role::Admin));
        assert_eq!(table().role_for(&groups(&["senior-mods"])), Some(Role::SeniorModerator));
        assert_eq!(table().role_for(&groups(&["staff"])), Some(Role::Viewer));
    }

    #[test]
    fn no_matching_group_means_no_role() {
        assert_eq!(table().role_for(&groups(&["Console-Admins", "others"])), None);
        assert_eq!(table().role_for(&[]), None);
        assert_eq!(GroupRoles::default().role_for(&groups(&["console-admins"])), None);
    }
}
