//! User endpoints (`spec: v3/user/api.yaml`).

use super::Request;
use crate::{
    query::{UserQuery, user_ids_pairs},
    wire::UserUpdate,
};

/// `GET /api/v3/users`.
pub fn query_users(query: &UserQuery) -> Request {
    Request::get(&["api", "v3", "users"]).with_query(query.to_pairs())
}

/// `GET /api/v3/users/{userId}`.
pub fn get_user(user_id: &str) -> Request {
    Request::get(&["api", "v3", "users", user_id])
}

/// `GET /api/v3/users/list?userIds[]=…`.
pub fn list_users_by_ids(user_ids: &[String]) -> Request {
    Request::get(&["api", "v3", "users", "list"]).with_query(user_ids_pairs(user_ids))
}

/// `PUT /api/v3/users`: changes what `update` carries (display name, description, roles,
/// metadata, avatar).
pub fn update_user(update: &UserUpdate) -> Request {
    Request::put(&["api", "v3", "users"]).with_body(serde_json::to_value(update).unwrap_or_default())
}

/// What `DELETE /api/v4/users/{userId}` also removes for good (all default to `false`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct DeleteUserOptions {
    /// Hard-delete every channel, message, post, comment, poll and reaction of the user.
    pub delete_all: bool,
    /// Hard-delete the user's messages.
    pub mark_message_deleted: bool,
    /// Hard-delete the user's posts.
    pub hard_delete_post: bool,
    /// Hard-delete the user's comments.
    pub hard_delete_comment: bool,
}

impl DeleteUserOptions {
    /// The query pairs; options left `false` are not sent.
    pub fn to_pairs(self) -> Vec<(String, String)> {
        [
            ("deleteAll", self.delete_all),
            ("markMessageDeleted", self.mark_message_deleted),
            ("hardDeletePost", self.hard_delete_post),
            ("hardDeleteComment", self.hard_delete_comment),
        ]
        .into_iter()
        .filter(|(_, on)| *on)
        .map(|(key, _)| (key.to_owned(), "true".to_owned()))
        .collect()
    }
}

/// `DELETE /api/v4/users/{userId}`: deletes the user (name becomes "Deleted user"); a second
/// call answers 400, so it is not retried.
pub fn delete_user(user_id: &str, options: DeleteUserOptions) -> Request {
    Request::delete(&["api", "v4", "users", user_id]).with_query(options.to_pairs()).idempotent(false)
}

/// `POST /api/v2/users/ban`: bans the user from the whole network.
pub fn ban_user(user_id: &str) -> Request {
    Request::post(&["api", "v2", "users", "ban"])
        .with_body(serde_json::json!({ "userId": user_id }))
        .idempotent(true)
}

/// `POST /api/v2/users/unban`: lifts a global ban.
pub fn unban_user(user_id: &str) -> Request {
    Request::post(&["api", "v2", "users", "unban"])
        .with_body(serde_json::json!({ "userId": user_id }))
        .idempotent(true)
}

/// `DELETE /api/v2/users/{userId}/flags`: clears every flag on the user.
pub fn clear_user_flags(user_id: &str) -> Request {
    Request::delete(&["api", "v2", "users", user_id, "flags"])
}

/// `POST /api/v4/me/flags/{userId}`: the caller (a user token) flags the user.
pub fn flag_user(user_id: &str) -> Request {
    Request::post(&["api", "v4", "me", "flags", user_id]).idempotent(true)
}

/// `DELETE /api/v4/me/flags/{userId}`: the caller withdraws their flag.
pub fn unflag_user(user_id: &str) -> Request {
    Request::delete(&["api", "v4", "me", "flags", user_id])
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::endpoints::Method;

    #[test]
    fn delete_sends_only_the_options_that_are_on() {
        let request = delete_user("u1", DeleteUserOptions { hard_delete_post: true, ..Default::default() });
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.segments, vec!["api", "v4", "users", "u1"]);
        assert_eq!(request.query, vec![("hardDeletePost".to_owned(), "true".to_owned())]);
        assert!(!request.idempotent);
        assert!(delete_user("u1", DeleteUserOptions::default()).query.is_empty());
    }

    #[test]
    fn ban_and_update_carry_their_bodies() {
        let ban = ban_user("u1");
        assert_eq!(ban.method, Method::Post);
        assert_eq!(ban.body, Some(serde_json::json!({"userId": "u1"})));
        let update = update_user(&UserUpdate {
            user_id: "u1".into(),
            roles: Some(vec!["moderator".into()]),
            ..Default::default()
        });
        assert_eq!(update.method, Method::Put);
        assert_eq!(update.body, Some(serde_json::json!({"userId": "u1", "roles": ["moderator"]})));
    }

    #[test]
    fn a_user_id_is_one_path_segment_whatever_it_contains() {
        let request = get_user("a/b c");
        assert_eq!(request.segments, vec!["api", "v3", "users", "a/b c"]);
    }
}
