//! Upstream failures in words a moderator can act on. None of them quotes the admin token
//! (the client never puts it in an error).

use upstream::Error as E;

/// How the message of a refused admin token starts (nothing else can work then).
pub const TOKEN_REFUSED: &str = "Social+ refused the console's admin token";

/// What went wrong talking to Social+, and what to do about it.
pub fn readable(error: &E) -> String {
    match error {
        _ if error.is_not_found() => {
            "It no longer exists on Social+ (code 400400): someone may have deleted it already.".into()
        }
        E::Status { status: 401, .. } => {
            format!("{TOKEN_REFUSED} (HTTP 401). An operator needs to check the configured token.")
        }
        E::Status { status: 403, code, message } => format!(
            "Social+ does not allow this (HTTP 403{}): {message}",
            code.map(|c| format!(", code {c}")).unwrap_or_default()
        ),
        E::Status { status, .. } if *status >= 500 => {
            format!("Social+ had an internal error (HTTP {status}). Try again in a moment.")
        }
        E::Status { status, code, message } => format!(
            "Social+ rejected the request (HTTP {status}{}): {message}",
            code.map(|c| format!(", code {c}")).unwrap_or_default()
        ),
        E::RateLimited { .. } => "Social+ is rate-limiting the console. Try again in a few seconds.".into(),
        E::Timeout(after) => format!(
            "Social+ did not answer within {} seconds; the change may or may not have been applied. \
             Check the item before trying again.",
            after.as_secs()
        ),
        E::Transport(_) => {
            "The console could not reach Social+. Check the network and the configured region.".into()
        }
        E::Decode { .. } => "Social+ answered in a form the console does not understand; the change may \
                             have been applied. Check the item; the server log has the details."
            .into(),
        E::Config(_) => "The console's connection to Social+ is misconfigured; see the server log.".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_missing_object_reads_as_gone() {
        let err = E::Status { status: 400, code: Some(400_400), message: "Post not found.".into() };
        assert!(readable(&err).contains("no longer exists"));
    }

    #[test]
    fn other_refusals_quote_the_upstream_message_and_code() {
        let err = E::Status { status: 400, code: Some(400_000), message: "Bad thing.".into() };
        let text = readable(&err);
        assert!(text.contains("code 400000") && text.contains("Bad thing."), "{text}");
        assert!(readable(&E::RateLimited { retry_after: None }).contains("rate-limiting"));
    }
}
