//! User endpoints (`spec: v3/user/api.yaml`).

use super::Request;
use crate::query::{UserQuery, user_ids_pairs};

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_user_id_is_one_path_segment_whatever_it_contains() {
        let request = get_user("a/b c");
        assert_eq!(request.segments, vec!["api", "v3", "users", "a/b c"]);
    }
}
