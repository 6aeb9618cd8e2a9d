//! Which events count as what. Event names are the official webhook names
//! (`v3.post.didCreate`, `v5.message.didCreate`…); the backfill and the reports use the same
//! names for the same happenings, so one classification serves every source.

/// A per-day counter an event adds to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Counter {
    /// A user was created (`user.didCreate`: a webhook, or the backfill's newest users).
    NewUser,
    /// A post was created.
    Post,
    /// A comment or reply was created (`*.comment.didCreate`; a reply is a comment with a
    /// parent and fires the same event).
    Comment,
    /// A chat message was sent.
    Message,
    /// A reaction was added to a post, comment or message.
    Reaction,
    /// Content or a user was flagged.
    Flag,
}

/// The counter an event name adds to, if any.
pub fn counter(name: &str) -> Option<Counter> {
    let (object, verb) = object_and_verb(name)?;
    match (object, verb) {
        ("user", "didCreate") => Some(Counter::NewUser),
        ("post", "didCreate") => Some(Counter::Post),
        ("comment", "didCreate") => Some(Counter::Comment),
        ("message", "didCreate") => Some(Counter::Message),
        (_, "didAddReaction") => Some(Counter::Reaction),
        (_, "didFlag") => Some(Counter::Flag),
        _ => None,
    }
}

/// `("post", "didCreate")` of `v3.post.didCreate`.
fn object_and_verb(name: &str) -> Option<(&str, &str)> {
    let mut parts = name.rsplitn(3, '.');
    let verb = parts.next()?;
    let object = parts.next()?;
    Some((object, verb))
}

/// SQL condition on `name` for flag events (SQLite `LIKE` is ASCII case-insensitive, and
/// webhook names never differ only by case).
pub const FLAG_SQL: &str = "name LIKE '%.didFlag'";

/// SQL condition on `name` for events that close a flagged case: the flags were cleared, or
/// the content was removed, approved or declined.
pub const RESOLUTION_SQL: &str = "(name LIKE '%.didUnflag' OR name LIKE '%.didDelete' \
     OR name LIKE '%.didApprove' OR name LIKE '%.didDecline')";

/// Rust twin of [`RESOLUTION_SQL`], for the brute-force tests.
pub fn is_resolution(name: &str) -> bool {
    ["didUnflag", "didDelete", "didApprove", "didDecline"]
        .iter()
        .any(|verb| object_and_verb(name).is_some_and(|(_, v)| v.eq_ignore_ascii_case(verb)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn official_names_are_classified() {
        assert_eq!(counter("v3.post.didCreate"), Some(Counter::Post));
        assert_eq!(counter("v3.comment.didCreate"), Some(Counter::Comment));
        assert_eq!(counter("v5.message.didCreate"), Some(Counter::Message));
        assert_eq!(counter("v3.comment.didAddReaction"), Some(Counter::Reaction));
        assert_eq!(counter("v3.post.didFlag"), Some(Counter::Flag));
        assert_eq!(counter("v3.user.didCreate"), Some(Counter::NewUser));
        assert_eq!(counter("v3.post.didUpdate"), None);
        assert_eq!(counter("v3.comment.didReply"), None);
        assert_eq!(counter("garbage"), None);
        assert!(is_resolution("v3.post.didUnflag"));
        assert!(is_resolution("v5.message.didDelete"));
        assert!(!is_resolution("v3.post.didFlag"));
    }
}
