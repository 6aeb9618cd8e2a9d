//! What the queue's action keys and buttons ask the actions module for. A key means the
//! obvious thing for the case at hand: "keep" approves a pending post and clears the flags of
//! anything else; "delete" declines a pending post and soft-deletes other content; "ban" bans
//! the author in the case's community, or from the network when there is none.

use super::keys::Command;
use types::{
    moderation::{Action, BanScope, Target},
    queue::{Case, CaseKind, ReviewState},
};

/// The actions module's target for a case.
pub fn target(case: &Case) -> Target {
    case.target()
}

/// The ban scope `b` uses for a case.
pub fn ban_scope(case: &Case) -> BanScope {
    match (&case.community_id, case.kind) {
        (Some(id), kind) if kind != CaseKind::User => BanScope::Community { id: id.clone() },
        _ => BanScope::Global,
    }
}

/// The actions of `command` on `case`, or why there are none.
pub fn plan(case: &Case, command: Command) -> Result<Vec<Action>, &'static str> {
    let pending = case.state == ReviewState::Pending;
    match command {
        Command::Keep if pending => Ok(vec![Action::Approve]),
        Command::Keep => Ok(vec![Action::ClearFlags]),
        Command::Delete if case.kind == CaseKind::User => {
            Err("A user case has no content to delete: keep it or ban the user.")
        }
        Command::Delete if pending => Ok(vec![Action::Decline]),
        Command::Delete => Ok(vec![Action::Delete { permanent: false }]),
        Command::Ban => Ok(vec![Action::Ban { scope: ban_scope(case), until: None }]),
        _ => Err("Not an action."),
    }
}

/// The same command for many cases at once (a bulk job runs one list of actions for all).
pub fn bulk_plan(command: Command) -> Option<Vec<Action>> {
    match command {
        Command::Keep => Some(vec![Action::ClearFlags]),
        Command::Delete => Some(vec![Action::Delete { permanent: false }]),
        Command::Ban => Some(vec![Action::Ban { scope: BanScope::Global, until: None }]),
        _ => None,
    }
}

/// The past tense of a command, for notices.
pub fn done(command: Command) -> &'static str {
    match command {
        Command::Keep => "Kept",
        Command::Delete => "Deleted",
        Command::Ban => "Banned the author of",
        _ => "Done:",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn case(kind: CaseKind, state: ReviewState, community: Option<&str>) -> Case {
        Case {
            kind,
            id: "x".into(),
            internal_id: None,
            feed_id: None,
            excerpt: String::new(),
            author_id: "u".into(),
            author_name: String::new(),
            community_id: community.map(str::to_owned),
            community_name: None,
            flag_count: 1,
            reporter_count: 1,
            reasons: vec![],
            ai: vec![],
            created_at: None,
            last_flagged_at: None,
            state,
        }
    }

    #[test]
    fn keys_mean_approve_and_decline_for_pending_posts() {
        let pending = case(CaseKind::Post, ReviewState::Pending, Some("c"));
        assert_eq!(plan(&pending, Command::Keep), Ok(vec![Action::Approve]));
        assert_eq!(plan(&pending, Command::Delete), Ok(vec![Action::Decline]));
        let flagged = case(CaseKind::Comment, ReviewState::Open, Some("c"));
        assert_eq!(plan(&flagged, Command::Keep), Ok(vec![Action::ClearFlags]));
        assert_eq!(plan(&flagged, Command::Delete), Ok(vec![Action::Delete { permanent: false }]));
    }

    #[test]
    fn ban_stays_in_the_community_when_the_case_has_one() {
        let in_community = case(CaseKind::Message, ReviewState::Open, Some("c1"));
        assert_eq!(ban_scope(&in_community), BanScope::Community { id: "c1".into() });
        let user = case(CaseKind::User, ReviewState::Open, None);
        assert_eq!(ban_scope(&user), BanScope::Global);
        assert!(plan(&user, Command::Delete).is_err());
        assert_eq!(target(&user), Target::User { id: "x".into() });
    }
}
