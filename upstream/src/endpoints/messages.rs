//! Message endpoints, v5 (`spec: v5/message/api.yaml`).

use super::{Endpoint, Request};
use crate::{content_query::MessageQuery, wire::MessageEnvelope};

/// `GET /api/v5/messages`.
#[derive(Clone, Copy, Debug)]
pub struct QueryMessages<'a>(
    /// Feed, filter and page.
    pub &'a MessageQuery,
);

impl Endpoint for QueryMessages<'_> {
    type Response = MessageEnvelope;
    fn request(&self) -> Request {
        Request::get(&["api", "v5", "messages"]).with_query(self.0.to_pairs())
    }
}

/// `DELETE /api/v5/messages/{messageId}`, with `permanent=true` to remove it for good. The
/// spec answers 200 with no body.
#[derive(Clone, Copy, Debug)]
pub struct DeleteMessage<'a> {
    /// Message id.
    pub message_id: &'a str,
    /// Remove it for good instead of marking it deleted.
    pub permanent: bool,
}

impl Endpoint for DeleteMessage<'_> {
    type Response = ();
    fn request(&self) -> Request {
        Request::delete(&["api", "v5", "messages", self.message_id])
            .with_query(vec![("permanent".to_owned(), self.permanent.to_string())])
    }
}

/// `POST /api/v5/messages/{messageId}/flags` (flags as the caller).
#[derive(Clone, Copy, Debug)]
pub struct FlagMessage<'a> {
    /// Message id.
    pub message_id: &'a str,
}

impl Endpoint for FlagMessage<'_> {
    type Response = MessageEnvelope;
    fn request(&self) -> Request {
        Request::post(&["api", "v5", "messages", self.message_id, "flags"])
    }
}

/// `DELETE /api/v5/messages/{messageId}/flags/all` (clears every flag).
#[derive(Clone, Copy, Debug)]
pub struct ClearMessageFlags<'a> {
    /// Message id.
    pub message_id: &'a str,
}

impl Endpoint for ClearMessageFlags<'_> {
    type Response = MessageEnvelope;
    fn request(&self) -> Request {
        Request::delete(&["api", "v5", "messages", self.message_id, "flags", "all"])
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
    fn clearing_all_flags_has_its_own_path() {
        assert_eq!(
            ClearMessageFlags { message_id: "m" }.request().segments,
            vec!["api", "v5", "messages", "m", "flags", "all"]
        );
        assert_eq!(
            DeleteMessage { message_id: "m", permanent: false }.request().query,
            vec![("permanent".to_owned(), "false".to_owned())]
        );
    }

    #[tokio::test]
    async fn a_message_delete_answered_with_an_empty_200_is_a_success() {
        let (client, script) = ScriptedTransport::client();
        script.answer(Method::Delete, "/api/v5/messages/m1", Canned::empty(200));
        client.send(&DeleteMessage { message_id: "m1", permanent: true }).await.expect("deleted");
        let sent = script.requests();
        assert_eq!(sent[0].request.query, vec![("permanent".to_owned(), "true".to_owned())]);
    }
}
