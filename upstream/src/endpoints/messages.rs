//! Message endpoints, v5 (`spec: v5/message/api.yaml`).

use super::Request;
use crate::content_query::MessageQuery;

/// `GET /api/v5/messages`.
pub fn query_messages(query: &MessageQuery) -> Request {
    Request::get(&["api", "v5", "messages"]).with_query(query.to_pairs())
}

/// `DELETE /api/v5/messages/{messageId}`, with `permanent=true` to remove it for good.
pub fn delete_message(message_id: &str, permanent: bool) -> Request {
    Request::delete(&["api", "v5", "messages", message_id])
        .with_query(vec![("permanent".to_owned(), permanent.to_string())])
}

/// `POST /api/v5/messages/{messageId}/flags` (flags as the caller).
pub fn flag_message(message_id: &str) -> Request {
    Request::post(&["api", "v5", "messages", message_id, "flags"])
}

/// `DELETE /api/v5/messages/{messageId}/flags/all` (clears every flag).
pub fn clear_message_flags(message_id: &str) -> Request {
    Request::delete(&["api", "v5", "messages", message_id, "flags", "all"])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clearing_all_flags_has_its_own_path() {
        assert_eq!(clear_message_flags("m").segments, vec!["api", "v5", "messages", "m", "flags", "all"]);
        assert_eq!(delete_message("m", false).query, vec![("permanent".to_owned(), "false".to_owned())]);
    }
}
