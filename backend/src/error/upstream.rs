//! Social+ failures in words a person can act on — the one place they are explained. None of
//! them quotes the admin token (the client never puts it in an error).

use upstream::{Error as E, wire::code};

/// How the message of a refused admin token starts (nothing else can work then).
pub const TOKEN_REFUSED: &str = "Social+ refused the console's admin token";

/// A failed Social+ call: the client's error, explained on demand (or in the words of the
/// use-case that knows better what a code means for its object).
#[derive(Debug, thiserror::Error)]
#[error("{}", self.message())]
pub struct UpstreamFailure(E, Option<&'static str>);

impl From<E> for UpstreamFailure {
    fn from(error: E) -> Self {
        Self(error, None)
    }
}

impl UpstreamFailure {
    /// The failure, told as `message` instead of the general explanation.
    pub fn worded(error: E, message: &'static str) -> Self {
        Self(error, Some(message))
    }

    /// What went wrong and what to do, in plain words.
    pub fn message(&self) -> String {
        self.1.map_or_else(|| explain(&self.0), str::to_owned)
    }

    /// The six-digit Social+ code, when the answer had one.
    pub fn code(&self) -> Option<u32> {
        self.0.code()
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<u16> {
        self.0.status()
    }

    /// Whether Social+ said the object does not exist.
    pub fn is_not_found(&self) -> bool {
        self.0.is_not_found()
    }

    /// Whether Social+ refused the admin token itself.
    pub fn is_unauthorized(&self) -> bool {
        self.0.is_unauthorized()
    }

    /// Whether Social+ refused a duplicate (code 400315).
    pub fn is_duplicate(&self) -> bool {
        self.0.code() == Some(code::DUPLICATE)
    }

    /// Whether the failure is the console's own (an answer it could not read, a
    /// misconfiguration): shown as an incident, not as Social+'s refusal.
    pub fn is_internal(&self) -> bool {
        matches!(self.0, E::Decode { .. } | E::Config(_))
    }

    /// The client's error, for code that needs its details (retry decisions, logs).
    pub fn source(&self) -> &E {
        &self.0
    }
}

/// What went wrong talking to Social+, and what to do about it.
pub fn explain(error: &E) -> String {
    if let Some(message) = error.code().and_then(known_code) {
        return message.to_owned();
    }
    match error {
        _ if error.is_not_found() => {
            "It no longer exists on Social+ (code 400400): someone may have deleted it already.".into()
        }
        E::Status { status: 401, code, .. } => format!(
            "{TOKEN_REFUSED} (HTTP 401, code {}). An operator needs to check the configured token \
             (CONSOLE_UPSTREAM_ADMIN_TOKEN or its file).",
            code.unwrap_or(400_100)
        ),
        E::Status { status: 403, code, message } => {
            format!("Social+ does not allow the console to do this (HTTP 403{}): {message}", with_code(*code))
        }
        E::Status { status, .. } if *status >= 500 => {
            format!("Social+ had an internal error (HTTP {status}). Try again in a moment.")
        }
        E::Status { status, code, message } => {
            format!("Social+ rejected the request (HTTP {status}{}): {message}", with_code(*code))
        }
        E::RateLimited { .. } => "Social+ is rate-limiting the console. Try again in a few seconds.".into(),
        E::Timeout(after) => format!(
            "Social+ did not answer within {} seconds; a change may or may not have been applied. \
             Check before trying again.",
            after.as_secs()
        ),
        E::Transport(_) => "The console could not reach Social+. Check the network and the configured \
                            region or base URL."
            .into(),
        E::Decode { .. } => "Social+ answered in a form the console does not understand; a change may \
                             have been applied. Check the item; the server log has the details."
            .into(),
        E::Config(_) => "The console's connection to Social+ is misconfigured; see the server log.".into(),
    }
}

/// Codes whose meaning is clearer than Social+'s own message.
fn known_code(code: u32) -> Option<&'static str> {
    Some(match code {
        code::GLOBAL_BAN => "This user is banned from the network, so Social+ refused the request.",
        code::DUPLICATE => "It already exists on Social+ (code 400315).",
        code::RATE_LIMITED => "Social+ is rate-limiting the console. Try again in a few seconds.",
        code::BLOCKED_WORD => {
            "Social+ refused the text: it contains a word on the network's blocklist (code 400308)."
        }
        code::LINK_NOT_ALLOWED => {
            "Social+ refused a link that is not on the network's allowlist (code 400309)."
        }
        _ => return None,
    })
}

fn with_code(code: Option<u32>) -> String {
    code.map(|c| format!(", code {c}")).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn a_missing_object_reads_as_gone() {
        let err = E::Status { status: 400, code: Some(400_400), message: "Post not found.".into() };
        assert!(explain(&err).contains("no longer exists"));
    }

    #[test]
    fn other_refusals_quote_the_upstream_message_and_code() {
        let err = E::Status { status: 400, code: Some(400_000), message: "Bad thing.".into() };
        let text = explain(&err);
        assert!(text.contains("code 400000") && text.contains("Bad thing."), "{text}");
        assert!(explain(&E::RateLimited { retry_after: None }).contains("rate-limiting"));
    }

    #[test]
    fn a_refused_token_is_explained_without_quoting_it() {
        let err = E::Status { status: 401, code: Some(400_100), message: "Unauthorized.".into() };
        let failure = UpstreamFailure::from(err);
        assert!(failure.message().starts_with(TOKEN_REFUSED), "{}", failure.message());
        assert_eq!(failure.code(), Some(400_100));
        assert!(failure.is_unauthorized() && !failure.is_internal());
    }

    #[test]
    fn timeouts_read_as_check_then_try_again() {
        let text = explain(&E::Timeout(Duration::from_secs(10)));
        assert!(text.contains("10 seconds") && text.contains("Check"), "{text}");
    }

    #[test]
    fn unreadable_answers_are_the_consoles_own_failure() {
        let failure = UpstreamFailure::from(E::Decode { path: "users[0]".into(), message: "x".into() });
        assert!(failure.is_internal());
    }
}
