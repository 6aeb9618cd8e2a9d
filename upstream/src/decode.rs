//! How the body of a successful answer becomes a value. The response type of an endpoint
//! decides: a wire type is JSON (decoded with the path of the first value that does not fit),
//! `String` is `text/plain`, `()` is an answer the spec gives no body, and the last-activity
//! report is CSV.

use crate::{
    Error,
    wire::{self, LastActivity},
};
use serde::de::DeserializeOwned;

/// A value read from the body of a 2xx answer.
pub trait Decode: Sized {
    /// Reads the body.
    fn decode(body: &[u8]) -> Result<Self, Error>;

    /// Reads the body with the answer's `Content-Type`; only a file download keeps it.
    fn decode_typed(body: &[u8], content_type: Option<&str>) -> Result<Self, Error> {
        let _ = content_type;
        Self::decode(body)
    }
}

/// A downloaded file: its bytes and the `Content-Type` the server gave them.
impl Decode for crate::endpoints::files::Download {
    fn decode(body: &[u8]) -> Result<Self, Error> {
        Self::decode_typed(body, None)
    }

    fn decode_typed(body: &[u8], content_type: Option<&str>) -> Result<Self, Error> {
        Ok(Self { bytes: body.to_vec(), content_type: content_type.map(str::to_owned) })
    }
}

/// The spec defines no body for the answer (`POST /api/v2/users/ban`,
/// `DELETE /api/v5/messages/{messageId}`): the status is the whole answer, and whatever body
/// comes (usually none) is ignored.
impl Decode for () {
    fn decode(_body: &[u8]) -> Result<Self, Error> {
        Ok(())
    }
}

/// A `text/plain` answer (an auth token), without the whitespace around it.
impl Decode for String {
    fn decode(body: &[u8]) -> Result<Self, Error> {
        let text = std::str::from_utf8(body)
            .map_err(|e| Error::Decode { path: String::new(), message: format!("not UTF-8 text: {e}") })?;
        Ok(text.trim().to_owned())
    }
}

/// The user last-activity report: CSV `user_id, user_public_id, display_name, last_active_utc`.
impl Decode for Vec<LastActivity> {
    fn decode(body: &[u8]) -> Result<Self, Error> {
        let text = std::str::from_utf8(body)
            .map_err(|e| Error::Decode { path: "csv".into(), message: format!("not UTF-8 text: {e}") })?;
        wire::parse_last_activity_csv(text).map_err(|message| Error::Decode { path: "csv".into(), message })
    }
}

/// Decodes JSON, reporting the path of the first value that does not fit.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> Result<T, Error> {
    let deserializer = &mut serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(deserializer)
        .map_err(|e| Error::Decode { path: e.path().to_string(), message: e.inner().to_string() })
}

/// The wire types that answers carry as JSON.
macro_rules! json_answers {
    ($($ty:ident),* $(,)?) => {
        $(
            impl Decode for wire::$ty {
                fn decode(body: &[u8]) -> Result<Self, Error> {
                    json(body)
                }
            }
        )*
    };
}

json_answers!(
    AdminTokenResponse,
    ChatSettings,
    CommentEnvelope,
    CommunityEnvelope,
    DeleteResult,
    Enabled,
    FileResponse,
    FeedSettings,
    MessageEnvelope,
    ModerationFeedEnvelope,
    ModerationSection,
    ModerationSettingsEnvelope,
    NetworkSettings,
    PostEnvelope,
    PrehookSettings,
    RoleEnvelope,
    RuleListV2,
    RulePage,
    RuleV2,
    SemanticSearchSettings,
    Session,
    SessionCheck,
    SocialSettings,
    StatusReply,
    StatusResult,
    StoryEnvelope,
    Success,
    SuccessFlag,
    User,
    UserEnvelope,
    UsersSection,
    VideoStreamingSettings,
);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::wire::UserEnvelope;

    #[test]
    fn decode_errors_name_the_json_path() {
        let body = br#"{"users":[{"userId":"a","createdAt":"x","updatedAt":"y"},{"userId":5}]}"#;
        let err = UserEnvelope::decode(body).expect_err("must fail");
        let Error::Decode { path, .. } = err else { panic!("expected a decode error") };
        assert_eq!(path, "users[1].userId");
    }

    #[test]
    fn an_answer_without_a_body_is_a_success_whatever_comes() {
        assert!(<()>::decode(b"").is_ok());
        assert!(<()>::decode(b"OK").is_ok());
    }

    #[test]
    fn text_answers_lose_the_surrounding_whitespace_and_must_be_utf8() {
        assert_eq!(String::decode(b"  token-1\n").expect("text"), "token-1");
        assert!(matches!(String::decode(&[0xff, 0xfe]), Err(Error::Decode { .. })));
    }

    #[test]
    fn a_report_that_is_not_the_documented_csv_is_a_decode_error_at_csv() {
        let err = Vec::<LastActivity>::decode(b"").expect_err("empty");
        assert!(matches!(err, Error::Decode { ref path, .. } if path == "csv"), "{err:?}");
    }
}
