//! Who acts: a signed-in person (with their console role and the request), or the console
//! itself (the scheduler, a rule). Every use-case that changes something takes one, so it can
//! decide input-dependent permissions and write the audit trail itself.

use crate::Error;
use types::{CurrentUser, Permission, Role};

/// The actor of a use-case.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// Console account id, or the console's own name (`scheduler`, a rule's `rule:<id>`).
    pub id: String,
    /// The role as recorded (a console role, or `rule`); `None` for the scheduler.
    pub role: Option<String>,
    /// The request that did it.
    pub request_id: Option<String>,
    /// The console role whose permissions apply; `None` for the console itself, whose work
    /// was authorized when it was set up (a rule, a job's stored permission).
    pub access: Option<Role>,
}

impl Actor {
    /// A signed-in person acting through a request.
    pub fn person(user: &CurrentUser, request_id: &str) -> Self {
        Self {
            id: user.id.clone(),
            role: Some(user.role.as_str().to_owned()),
            request_id: Some(request_id.to_owned()),
            access: Some(user.role),
        }
    }

    /// The console acting on its own (e.g. `scheduler`).
    pub fn system(name: &str) -> Self {
        Self { id: name.to_owned(), role: None, request_id: None, access: None }
    }

    /// Whether the actor's role grants `permission` (the console itself has none).
    pub fn can(&self, permission: Permission) -> bool {
        self.access.is_some_and(|role| role.allows(permission))
    }

    /// `Forbidden` with `message` unless the actor's role grants `permission`: for what a
    /// use-case may only do for some inputs (changing roles, erasing content).
    pub fn require(&self, permission: Permission, message: &str) -> Result<(), Error> {
        if self.can(permission) { Ok(()) } else { Err(Error::forbidden(message)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_person_has_their_roles_permissions_and_the_console_none() {
        let user = CurrentUser {
            id: "mo".into(),
            display_name: "Mo".into(),
            role: Role::Moderator,
            method: types::access::SignInMethod::Oidc,
        };
        let person = Actor::person(&user, "r1");
        assert!(person.can(Permission::BanUsers));
        assert!(person.require(Permission::ManageRoles, "no").is_err());
        assert!(!Actor::system("scheduler").can(Permission::ViewUsers));
    }
}
