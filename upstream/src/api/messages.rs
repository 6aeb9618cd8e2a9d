//! Messages, v5 (`spec: v5/message/api.yaml`).

use crate::{Client, Error, content_query::MessageQuery, endpoints::messages, wire::MessageEnvelope};
use async_trait::async_trait;

/// The message operations.
#[async_trait]
pub trait MessagesApi: Send + Sync {
    /// `GET /api/v5/messages`: a message feed, optionally only flagged messages.
    async fn query_messages(&self, query: &MessageQuery) -> Result<MessageEnvelope, Error>;
    /// `DELETE /api/v5/messages/{messageId}`, soft or permanent; answers the deleted message.
    async fn delete_message(&self, message_id: &str, permanent: bool) -> Result<(), Error>;
    /// `POST /api/v5/messages/{messageId}/flags`.
    async fn flag_message(&self, message_id: &str) -> Result<MessageEnvelope, Error>;
    /// `DELETE /api/v5/messages/{messageId}/flags/all`.
    async fn clear_message_flags(&self, message_id: &str) -> Result<MessageEnvelope, Error>;
}

#[async_trait]
impl MessagesApi for Client {
    async fn query_messages(&self, query: &MessageQuery) -> Result<MessageEnvelope, Error> {
        self.send(&messages::QueryMessages(query)).await
    }
    async fn delete_message(&self, message_id: &str, permanent: bool) -> Result<(), Error> {
        self.send(&messages::DeleteMessage { message_id, permanent }).await
    }
    async fn flag_message(&self, message_id: &str) -> Result<MessageEnvelope, Error> {
        self.send(&messages::FlagMessage { message_id }).await
    }
    async fn clear_message_flags(&self, message_id: &str) -> Result<MessageEnvelope, Error> {
        self.send(&messages::ClearMessageFlags { message_id }).await
    }
}
