//! User endpoints (`spec: v3/user/api.yaml`).

use super::{Endpoint, Request};
use crate::{
    query::{UserQuery, user_ids_pairs},
    wire::{Success, User, UserEnvelope, UserUpdate},
};

/// `GET /api/v3/users`: search and page through users.
#[derive(Clone, Copy, Debug)]
pub struct QueryUsers<'a>(
    /// Search, filter, order and page.
    pub &'a UserQuery,
);

impl Endpoint for QueryUsers<'_> {
    type Response = UserEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "users"]).with_query(self.0.to_pairs())
    }
}

/// `GET /api/v3/users/{userId}`: one user by public id.
#[derive(Clone, Copy, Debug)]
pub struct GetUser<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for GetUser<'_> {
    type Response = UserEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "users", self.user_id])
    }
}

/// `GET /api/v3/users/list?userIds[]=…`: up to 100 users by public id.
#[derive(Clone, Copy, Debug)]
pub struct ListUsersByIds<'a> {
    /// Public ids.
    pub user_ids: &'a [String],
}

impl Endpoint for ListUsersByIds<'_> {
    type Response = UserEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v3", "users", "list"]).with_query(user_ids_pairs(self.user_ids))
    }
}

/// `PUT /api/v3/users`: changes what the [`UserUpdate`] carries (display name, description, roles,
/// metadata, avatar); answers the user after the change.
#[derive(Clone, Copy, Debug)]
pub struct UpdateUser<'a>(
    /// The user and the fields to change.
    pub &'a UserUpdate,
);

impl Endpoint for UpdateUser<'_> {
    type Response = UserEnvelope;
    fn request(&self) -> Request {
        Request::put(&["api", "v3", "users"]).with_body(serde_json::to_value(self.0).unwrap_or_default())
    }
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

/// `DELETE /api/v4/users/{userId}`: deletes the user (name becomes "Deleted user"), and with
/// `options` their content; a second call answers 400, so it is not retried.
#[derive(Clone, Copy, Debug)]
pub struct DeleteUser<'a> {
    /// Public id.
    pub user_id: &'a str,
    /// What else goes.
    pub options: DeleteUserOptions,
}

impl Endpoint for DeleteUser<'_> {
    type Response = Success;
    fn request(&self) -> Request {
        Request::delete(&["api", "v4", "users", self.user_id])
            .with_query(self.options.to_pairs())
            .idempotent(false)
    }
}

/// `POST /api/v2/users/ban`: bans the user from the whole network. The spec defines no body
/// for the answer.
#[derive(Clone, Copy, Debug)]
pub struct BanUser<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for BanUser<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::post(&["api", "v2", "users", "ban"])
            .with_body(serde_json::json!({ "userId": self.user_id }))
            .idempotent(true)
    }
}

/// `POST /api/v2/users/unban`: lifts a global ban (no body in the answer).
#[derive(Clone, Copy, Debug)]
pub struct UnbanUser<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for UnbanUser<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::post(&["api", "v2", "users", "unban"])
            .with_body(serde_json::json!({ "userId": self.user_id }))
            .idempotent(true)
    }
}

/// `DELETE /api/v2/users/{userId}/flags`: clears every flag on the user; answers the bare user.
#[derive(Clone, Copy, Debug)]
pub struct ClearUserFlags<'a> {
    /// Public id.
    pub user_id: &'a str,
}

impl Endpoint for ClearUserFlags<'_> {
    type Response = User;
    fn request(&self) -> Request {
        Request::delete(&["api", "v2", "users", self.user_id, "flags"])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{
        endpoints::Method,
        testing::{Canned, ScriptedTransport},
    };

    #[test]
    fn delete_sends_only_the_options_that_are_on() {
        let options = DeleteUserOptions { hard_delete_post: true, ..Default::default() };
        let request = DeleteUser { user_id: "u1", options }.request();
        assert_eq!(request.method, Method::Delete);
        assert_eq!(request.segments, vec!["api", "v4", "users", "u1"]);
        assert_eq!(request.query, vec![("hardDeletePost".to_owned(), "true".to_owned())]);
        assert!(!request.idempotent);
        assert!(
            DeleteUser { user_id: "u1", options: DeleteUserOptions::default() }.request().query.is_empty()
        );
    }

    #[test]
    fn ban_and_update_carry_their_bodies() {
        let ban = BanUser { user_id: "u1" }.request();
        assert_eq!(ban.method, Method::Post);
        assert_eq!(ban.body, Some(serde_json::json!({"userId": "u1"})));
        let update = UpdateUser(&UserUpdate {
            user_id: "u1".into(),
            roles: Some(vec!["moderator".into()]),
            ..Default::default()
        })
        .request();
        assert_eq!(update.method, Method::Put);
        assert_eq!(update.body, Some(serde_json::json!({"userId": "u1", "roles": ["moderator"]})));
    }

    #[test]
    fn a_user_id_is_one_path_segment_whatever_it_contains() {
        let request = GetUser { user_id: "a/b c" }.request();
        assert_eq!(request.segments, vec!["api", "v3", "users", "a/b c"]);
    }

    #[tokio::test]
    async fn a_ban_is_done_when_the_answer_is_an_empty_200() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Post, "/api/v2/users/ban", Canned::empty(200));
        script.answer(Method::Post, "/api/v2/users/unban", Canned::empty(200));
        client.send(&BanUser { user_id: "u1" }).await.expect("banned");
        client.send(&UnbanUser { user_id: "u1" }).await.expect("unbanned");
        assert_eq!(script.requests().len(), 2);
    }
}
