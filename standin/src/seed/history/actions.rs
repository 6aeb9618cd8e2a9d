//! What members do, in time order: an agenda of actions (one heap for the whole period, so
//! a review planned for tomorrow happens tomorrow) and what each action changes and logs.

use super::world::{Comment, Member, Post, World};
use crate::{
    seed::{
        hex_id, user,
        words::{ABUSE, COMMENTS, REASONS, pick, sentence},
    },
    time_fmt,
};
use serde_json::json;
use std::{cmp::Reverse, collections::BinaryHeap};

/// One thing that happens at a time.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Action {
    /// Someone new signs up (a spammer in the spike).
    SignUp { spammer: bool },
    /// A member does one thing: react, comment, post, join or flag.
    Act { member: usize },
    /// A member joins a community.
    Join { member: usize },
    /// A spammer posts in a large community.
    Spam { member: usize },
    /// Someone flags a spam post.
    FlagSpam { post: usize },
    /// A moderator clears a post's flags or deletes it.
    Review { post: usize, delete: bool },
    /// A moderator bans a spammer.
    Ban { member: usize },
}

/// The actions still to happen, earliest first (ties in the order they were planned).
#[derive(Default)]
pub struct Agenda {
    heap: BinaryHeap<Reverse<(i64, u64, Action)>>,
    planned: u64,
}

impl Agenda {
    pub fn plan(&mut self, at: i64, action: Action) {
        self.planned += 1;
        self.heap.push(Reverse((at, self.planned, action)));
    }

    /// Runs every action before `until` (Unix seconds), including those they plan.
    pub fn run_until(&mut self, world: &mut World, until: i64) {
        while let Some(Reverse((at, _, action))) = self.heap.peek().copied() {
            if at >= until {
                break;
            }
            self.heap.pop();
            world.prune_recent(at);
            run(world, self, at, action);
        }
    }
}

fn run(world: &mut World, agenda: &mut Agenda, at: i64, action: Action) {
    match action {
        Action::SignUp { spammer } => sign_up(world, agenda, at, spammer),
        Action::Act { member } => act(world, agenda, at, member),
        Action::Join { member } => join(world, at, member),
        Action::Spam { member } => spam(world, agenda, at, member),
        Action::FlagSpam { post } => {
            let flagger = world.rng.usize(..world.members.len());
            flag(world, agenda, at, post, flagger);
        }
        Action::Review { post, delete } => review(world, at, post, delete),
        Action::Ban { member } => {
            world.members[member].banned_at = Some(at);
            let user_id = world.members[member].user_id.clone();
            world.log(at, "user.didUpdate", user_id, None);
        }
    }
}

/// A new account: newcomers are keen; they join a community soon after signing up.
fn sign_up(world: &mut World, agenda: &mut Agenda, at: i64, spammer: bool) {
    let index = world.next_user;
    world.next_user += 1;
    let member = world.members.len();
    let weight = if spammer { 0.0 } else { 0.03 + 0.15 * world.rng.f64().powi(2) };
    let new = user(world.seed, index);
    world.members.push(Member {
        user_id: new.user_id,
        internal_id: new.internal_id,
        weight,
        communities: Vec::new(),
        banned_from: Vec::new(),
        last_active: None,
        signed_up: Some((index, at)),
        banned_at: None,
    });
    world.log(at, "user.didCreate", world.members[member].user_id.clone(), Some(member));
    if spammer {
        for _ in 0..5 {
            let later = at + world.rng.i64(600..7_200);
            agenda.plan(later, Action::Spam { member });
        }
        agenda.plan(at + 7 * 3_600, Action::Ban { member });
    } else {
        let later = at + world.rng.i64(120..1_800);
        agenda.plan(later, Action::Join { member });
        let later = at + world.rng.i64(1_800..4 * 3_600);
        agenda.plan(later, Action::Act { member });
    }
}

/// 40 % react, 28 % comment, 24 % post, 4 % join, 4 % flag; without a recent post to act
/// on, a member posts.
fn act(world: &mut World, agenda: &mut Agenda, at: i64, member: usize) {
    if world.members[member].banned_at.is_some() {
        return;
    }
    let roll = world.rng.u8(..100);
    let target = if (68..96).contains(&roll) { None } else { world.recent_post() };
    match (roll, target) {
        (0..=39, Some(post)) if world.posts[post].author != member => {
            let post_ref = &mut world.posts[post];
            post_ref.reactions += 1;
            post_ref.updated = at;
            let id = post_ref.id.clone();
            world.log(at, "v3.post.didAddReaction", id, Some(member));
        }
        (40..=67, Some(post)) => comment(world, at, post, member),
        (92..=95, _) => join(world, at, member),
        (96.., Some(post)) => flag(world, agenda, at, post, member),
        _ => post(world, at, member),
    }
}

fn comment(world: &mut World, at: i64, post: usize, member: usize) {
    let id = hex_id(&mut world.rng, 24);
    let text = pick(&mut world.rng, COMMENTS);
    world.comments.push(Comment { id: id.clone(), author: member, post, created: at, text });
    world.posts[post].comments += 1;
    world.posts[post].updated = at;
    world.log(at, "v3.comment.didCreate", id, Some(member));
}

/// A post in one of the member's communities (one in seven with a picture); a member in no
/// community joins one instead.
fn post(world: &mut World, at: i64, member: usize) {
    let joined = &world.members[member].communities;
    if joined.is_empty() {
        return join(world, at, member);
    }
    let community = joined[world.rng.usize(..joined.len())];
    let text = sentence(&mut world.rng);
    let file_id = (world.rng.u8(..100) < 15).then(|| hex_id(&mut world.rng, 24));
    // A few pictures are caught by the network's AI moderation.
    let ai = (file_id.is_some() && world.rng.u8(..100) < 5)
        .then(|| verdict(&mut world.rng, "image", &["Suggestive", "Violence", "Explicit Nudity"], at));
    add_post(world, at, member, community, text, file_id, ai);
}

fn add_post(
    world: &mut World,
    at: i64,
    author: usize,
    community: usize,
    text: String,
    file_id: Option<String>,
    ai: Option<String>,
) -> usize {
    let id = hex_id(&mut world.rng, 24);
    let index = world.posts.len();
    world.posts.push(Post {
        id: id.clone(),
        author,
        community,
        created: at,
        updated: at,
        text,
        file_id,
        reactions: 0,
        comments: 0,
        flags: Vec::new(),
        last_flagged: None,
        review: None,
        review_planned: false,
        ai,
    });
    world.recent.push_back(index);
    world.log(at, "v3.post.didCreate", id, Some(author));
    index
}

/// Joins a community the member is not in yet (a few tries); nothing when none is found.
fn join(world: &mut World, at: i64, member: usize) {
    for _ in 0..5 {
        let community = world.rng.usize(..world.communities.len().max(1));
        let known = &world.members[member];
        if world.communities.is_empty()
            || known.communities.contains(&community)
            || known.banned_from.contains(&community)
        {
            continue;
        }
        world.members[member].communities.push(community);
        world.communities[community].members += 1;
        world.joins.push((community, member, at));
        let id = world.communities[community].id.clone();
        world.log(at, "v3.community.didJoin", id, Some(member));
        return;
    }
}

/// One flag per member and post, not on their own post. The first flag of an unreviewed
/// post plans its review: flags cleared (55 %) or the post deleted (20 %) within 30 hours;
/// the rest wait in the queue.
fn flag(world: &mut World, agenda: &mut Agenda, at: i64, post: usize, member: usize) {
    let target = &world.posts[post];
    if target.author == member || target.flags.iter().any(|(m, _, _)| *m == member) {
        return;
    }
    let reason = pick(&mut world.rng, REASONS);
    let target = &mut world.posts[post];
    target.flags.push((member, at, reason));
    target.last_flagged = Some(at);
    target.updated = at;
    let id = target.id.clone();
    if !target.review_planned {
        target.review_planned = true;
        let roll = world.rng.u8(..100);
        let later = at + world.rng.i64(3_600..30 * 3_600);
        if roll < 75 {
            agenda.plan(later, Action::Review { post, delete: roll >= 55 });
        }
    }
    world.log(at, "v3.post.didFlag", id, Some(member));
}

/// A spam post in one of the five largest communities, flagged by several members within
/// hours and deleted by a moderator later that day.
fn spam(world: &mut World, agenda: &mut Agenda, at: i64, member: usize) {
    let largest = world.largest_communities(5);
    let Some(&community) = largest.get(world.rng.usize(..largest.len().max(1))) else {
        return;
    };
    let text = pick(&mut world.rng, ABUSE).to_owned();
    let ai = Some(verdict(&mut world.rng, "text", &["Harassment", "Insult"], at));
    let post = add_post(world, at, member, community, text, None, ai);
    world.posts[post].review_planned = true;
    for _ in 0..world.rng.usize(4..10) {
        let later = at + world.rng.i64(300..4 * 3_600);
        agenda.plan(later, Action::FlagSpam { post });
    }
    let later = at + world.rng.i64(5 * 3_600..8 * 3_600);
    agenda.plan(later, Action::Review { post, delete: true });
}

fn review(world: &mut World, at: i64, post: usize, delete: bool) {
    let target = &mut world.posts[post];
    if target.review.is_some_and(|(kind, _)| kind == "delete") {
        return;
    }
    let id = target.id.clone();
    if delete {
        target.review = Some(("delete", at));
        world.log(at, "v3.post.didDelete", id, None);
    } else {
        target.flags.clear();
        target.review = Some(("clearFlag", at));
        // New flags after a clear put the post back in the queue.
        target.review_planned = false;
        world.log(at, "v3.post.didUnflag", id, None);
    }
    world.posts[post].updated = at;
}

/// An AI verdict naming one of `categories` with a high score, as the moderation feed shows it.
fn verdict(rng: &mut fastrand::Rng, kind: &str, categories: &[&str], at: i64) -> String {
    let name = pick(rng, categories);
    let score = ((0.7 + rng.f64() * 0.29) * 1000.0).round() / 1000.0;
    let moderated_at =
        time::OffsetDateTime::from_unix_timestamp(at + 5).map(time_fmt::format).unwrap_or_default();
    json!({"type": kind, "moderatedAction": "flag", "moderatedAt": moderated_at,
        "categories": [{"name": name, "score": score}]})
    .to_string()
}
