//! Moderation actions end to end: each server function call is checked on the stand-in's
//! side (flags cleared, deleted, feed moved, banned, tokens revoked), and a timed ban is
//! lifted by the scheduler.

use crate::helpers::{ADMIN_TOKEN, TestApp, spawn_app_against};
use secrecy::SecretString;
use serde_json::{Value, json};
use standin::RunningStandIn;
use std::time::Duration;
use types::{
    Role,
    moderation::{Action, ActionReport, ActionRequest, BanScope, ContentKind, Reason, StepOutcome, Target},
};
use upstream::endpoints::{
    comments::{GetComment, QueryComments},
    communities::{QueryCommunities, QueryCommunityMembers},
    posts::{GetPost, QueryPosts},
    sessions::RegisterSession,
    users::{GetUser, QueryUsers},
};
use upstream::{
    Client, ClientConfig,
    content_query::{
        CommentQuery, CommunityMemberQuery, CommunityQuery, FeedTarget, MembershipFilter, PostFeedType,
        PostQuery,
    },
    wire::{FeedType, Post, ReferenceType, SessionRequest},
};

/// A console signed in as `role` against its own stand-in, and a client of that stand-in.
struct Net {
    standin: RunningStandIn,
    app: TestApp,
    upstream: Client,
}

/// A stand-in with enough posts that some wait for approval (communities that need it are
/// one in five).
async fn standin(faults: standin::FaultPlan) -> RunningStandIn {
    RunningStandIn::start(standin::StandInConfig {
        addr: "127.0.0.1:0".parse().expect("addr"),
        admin_token: ADMIN_TOKEN.into(),
        storage: standin::Storage::Memory,
        seed: standin::SeedOptions { users: 100, seed: 5, posts: 1500 },
        faults,
        ..Default::default()
    })
    .await
    .expect("stand-in starts")
}

async fn net(role: Role) -> Net {
    net_with_faults(role, standin::FaultPlan::default()).await
}

async fn net_with_faults(role: Role, faults: standin::FaultPlan) -> Net {
    let standin = standin(faults).await;
    let app = spawn_app_against(&standin.base_url(), ADMIN_TOKEN).await;
    app.sign_in_with_role(role).await;
    let config = ClientConfig::new(standin.base_url().parse().expect("url"), SecretString::from(ADMIN_TOKEN));
    Net { standin, app, upstream: Client::new(config).expect("client") }
}

fn reason() -> Reason {
    Reason { code: "spam".into(), text: "integration test".into() }
}

fn post(id: &str) -> Target {
    Target::Content { kind: ContentKind::Post, id: id.into() }
}

impl Net {
    async fn act(&self, target: Target, actions: Vec<Action>) -> ActionReport {
        let response = self.apply(target, actions).await;
        assert_eq!(response.status(), 200);
        response.json().await.expect("a report")
    }

    async fn apply(&self, target: Target, actions: Vec<Action>) -> reqwest::Response {
        let request = ActionRequest { target, actions, reason: reason() };
        self.app.call("apply_action", json!({ "request": request })).await
    }

    /// Posts of every community matching `feed` and `flagged`.
    async fn posts(&self, feed: PostFeedType, flagged: Option<bool>) -> Vec<Post> {
        let communities = self
            .upstream
            .send(&QueryCommunities(&CommunityQuery { limit: Some(100), ..Default::default() }))
            .await
            .expect("communities");
        let mut found = Vec::new();
        for community in communities.communities {
            let query = PostQuery {
                target_id: community.community_id.clone(),
                target_type: Some(FeedTarget::Community),
                feed_types: vec![feed],
                has_flag: flagged,
                is_deleted: Some(false),
                limit: Some(100),
                ..Default::default()
            };
            found.extend(self.upstream.send(&QueryPosts(&query)).await.expect("posts").posts);
        }
        found
    }

    async fn post_state(&self, id: &str) -> (Post, Option<FeedType>) {
        let envelope = self.upstream.send(&GetPost { post_id: id }).await.expect("post");
        let post = envelope.posts.into_iter().find(|p| p.post_id == id).expect("the post");
        let feed = envelope
            .feeds
            .iter()
            .find(|f| Some(&f.feed_id) == post.feed_id.as_ref())
            .and_then(|f| f.feed_type);
        (post, feed)
    }

    /// The `n`th user who is neither banned nor deleted.
    async fn ordinary_user(&self, n: usize) -> String {
        let users = self.upstream.send(&QueryUsers(&Default::default())).await.expect("users").users;
        let mut ordinary = users.into_iter().filter(|u| !u.is_global_ban && !u.is_deleted);
        ordinary.nth(n).expect("enough ordinary users").user_id
    }

    async fn is_global_ban(&self, user_id: &str) -> bool {
        self.upstream.send(&GetUser { user_id }).await.expect("user").users[0].is_global_ban
    }

    async fn audit_rows(&self, action: &str) -> Vec<(String, String, Option<String>, Option<i64>)> {
        let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", self.app.database.display()))
            .await
            .expect("db");
        sqlx::query_as(
            "SELECT actor_id, outcome, before_json, upstream_status FROM audit_log WHERE action = ? ORDER BY id",
        )
        .bind(action)
        .fetch_all(&pool)
        .await
        .expect("audit rows")
    }
}

fn outcomes(report: &ActionReport) -> Vec<&'static str> {
    report
        .steps
        .iter()
        .map(|s| match s.outcome {
            StepOutcome::Succeeded => "ok",
            StepOutcome::Failed { .. } => "failed",
            StepOutcome::Skipped => "skipped",
        })
        .collect()
}

#[tokio::test]
async fn keeping_a_flagged_post_clears_its_flags_upstream_and_audits_before_and_after() {
    let net = net(Role::Moderator).await;
    let flagged = net.posts(PostFeedType::Published, Some(true)).await;
    let target = flagged.iter().find(|p| p.flag_count > 0).expect("a flagged post in the seed");
    let report = net.act(post(&target.post_id), vec![Action::ClearFlags]).await;
    assert_eq!(outcomes(&report), ["ok", "ok"], "{report:?}");
    assert_eq!(net.post_state(&target.post_id).await.0.flag_count, 0);
    let audited = net.audit_rows("clear_flags").await;
    let (actor, outcome, before, status) = audited.last().expect("audited");
    assert_eq!((actor.as_str(), outcome.as_str(), *status), ("test-moderator", "success", Some(200)));
    assert!(before.as_deref().unwrap_or_default().contains(&format!("\"flagCount\":{}", target.flag_count)));
    net.standin.stop().await;
}

#[tokio::test]
async fn approving_and_declining_move_pending_posts_between_feeds() {
    let net = net(Role::Moderator).await;
    let pending = net.posts(PostFeedType::Reviewing, None).await;
    assert!(pending.len() >= 2, "the seed has pending posts: {}", pending.len());
    let report = net.act(post(&pending[0].post_id), vec![Action::Approve]).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(net.post_state(&pending[0].post_id).await.1, Some(FeedType::Published));
    let report = net.act(post(&pending[1].post_id), vec![Action::Decline]).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(net.post_state(&pending[1].post_id).await.1, Some(FeedType::Declined));
    net.standin.stop().await;
}

#[tokio::test]
async fn soft_delete_keeps_a_deleted_comment_and_permanent_delete_needs_an_admin() {
    let net = net(Role::Moderator).await;
    let posts = net.posts(PostFeedType::Published, None).await;
    let mut comment = None;
    for post in &posts {
        let query = CommentQuery {
            reference_id: post.post_id.clone(),
            reference_type: Some(ReferenceType::Post),
            is_deleted: Some(false),
            ..Default::default()
        };
        if let Some(found) =
            net.upstream.send(&QueryComments(&query)).await.expect("comments").comments.into_iter().next()
        {
            comment = Some(found);
            break;
        }
    }
    let comment = comment.expect("a comment in the seed");
    let target = Target::Content { kind: ContentKind::Comment, id: comment.comment_id.clone() };
    let report = net.act(target, vec![Action::Delete { permanent: false }]).await;
    assert!(report.succeeded(), "{report:?}");
    let after =
        net.upstream.send(&GetComment { comment_id: &comment.comment_id }).await.expect("still readable");
    assert!(after.comments[0].is_deleted);

    let victim = &posts[0].post_id;
    let refused = net.apply(post(victim), vec![Action::Delete { permanent: true }]).await;
    assert_eq!(refused.status(), 403, "a moderator may not delete permanently");
    net.app.sign_in_with_role(Role::Admin).await;
    let report = net.act(post(victim), vec![Action::Delete { permanent: true }]).await;
    assert!(report.succeeded(), "{report:?}");
    let gone = net.upstream.send(&GetPost { post_id: victim }).await;
    assert!(gone.map(|env| env.posts.is_empty() || env.posts[0].is_deleted).unwrap_or(true), "hard-deleted");
    net.standin.stop().await;
}

#[tokio::test]
async fn banning_the_author_of_a_post_globally_and_in_a_community_then_unbanning() {
    let net = net(Role::Moderator).await;
    let posts = net.posts(PostFeedType::Published, None).await;
    let target = posts.iter().find(|p| p.posted_user_id.is_some() && p.target_id.is_some()).expect("a post");
    let author = target.posted_user_id.clone().expect("author");
    let community = target.target_id.clone().expect("community");

    let report =
        net.act(post(&target.post_id), vec![Action::Ban { scope: BanScope::Global, until: None }]).await;
    assert_eq!(outcomes(&report), ["ok", "ok", "ok"], "look up post, author, ban: {report:?}");
    assert!(net.is_global_ban(&author).await);
    let user = Target::User { id: author.clone() };
    assert!(net.act(user.clone(), vec![Action::Unban { scope: BanScope::Global }]).await.succeeded());
    assert!(!net.is_global_ban(&author).await);

    let scope = BanScope::Community { id: community.clone() };
    assert!(net.act(user.clone(), vec![Action::Ban { scope: scope.clone(), until: None }]).await.succeeded());
    let banned = CommunityMemberQuery { memberships: vec![MembershipFilter::Banned], ..Default::default() };
    let members = net
        .upstream
        .send(&QueryCommunityMembers { community_id: &community, query: &banned })
        .await
        .expect("members");
    assert!(
        members.community_users.iter().any(|m| m.user_id == author && m.is_banned),
        "banned in the community"
    );
    assert!(net.act(user, vec![Action::Unban { scope }]).await.succeeded());
    let members = net
        .upstream
        .send(&QueryCommunityMembers { community_id: &community, query: &banned })
        .await
        .expect("members");
    assert!(!members.community_users.iter().any(|m| m.user_id == author), "no longer banned there");
    net.standin.stop().await;
}

#[tokio::test]
async fn revoking_sessions_makes_the_users_tokens_answer_401() {
    let net = net(Role::Moderator).await;
    let user_id = net.ordinary_user(0).await;
    let request =
        SessionRequest { user_id: user_id.clone(), device_id: "test-device".into(), ..Default::default() };
    let api_key = SecretString::from(net.standin.keys().api_key.clone());
    let session =
        net.upstream.send(&RegisterSession { api_key, session: &request }).await.expect("a user session");
    let verify = || async {
        reqwest::Client::new()
            .get(format!("{}/api/v3/sessions", net.standin.base_url()))
            .bearer_auth(&session.access_token)
            .send()
            .await
            .expect("verify")
            .status()
            .as_u16()
    };
    assert_eq!(verify().await, 200);
    let report = net.act(Target::User { id: user_id }, vec![Action::RevokeSessions]).await;
    assert!(report.succeeded(), "{report:?}");
    assert_eq!(verify().await, 401);
    net.standin.stop().await;
}

#[tokio::test]
async fn a_timed_ban_is_lifted_by_the_scheduler_and_audited_as_the_scheduler() {
    let net = net(Role::Moderator).await;
    let user_id = net.ordinary_user(1).await;
    let until = (time::OffsetDateTime::now_utc() + time::Duration::seconds(2))
        .format(&time::format_description::well_known::Rfc3339)
        .expect("time");
    let ban = Action::Ban { scope: BanScope::Global, until: Some(until) };
    let report = net.act(Target::User { id: user_id.clone() }, vec![ban]).await;
    assert_eq!(outcomes(&report), ["ok", "ok", "ok"], "look up, ban, schedule: {report:?}");
    assert!(net.is_global_ban(&user_id).await);
    let sanctions: Value =
        net.app.call("get_user_sanctions", json!({ "user_id": user_id })).await.json().await.expect("json");
    assert_eq!(sanctions["timed_bans"][0]["status"], "pending");

    let mut lifted = false;
    for _ in 0..40 {
        tokio::time::sleep(Duration::from_millis(250)).await;
        if !net.is_global_ban(&user_id).await {
            lifted = true;
            break;
        }
    }
    assert!(lifted, "the scheduler lifts the ban within seconds of its end");
    let audited = net.audit_rows("lift_timed_ban").await;
    assert_eq!(audited.len(), 1, "lifted once: {audited:?}");
    assert_eq!((audited[0].0.as_str(), audited[0].1.as_str()), ("scheduler", "success"));
    net.standin.stop().await;
}

#[tokio::test]
async fn a_failed_step_stops_the_rest_and_the_report_says_what_was_applied() {
    let net = net(Role::Moderator).await;
    let user_id = net.ordinary_user(2).await;
    let user = Target::User { id: user_id.clone() };
    let actions = vec![
        Action::Warn { template: "spam".into(), message: "Please stop posting links.".into() },
        Action::Ban { scope: BanScope::Community { id: "no-such-community".into() }, until: None },
        Action::Ban { scope: BanScope::Global, until: None },
    ];
    let report = net.act(user, actions).await;
    assert_eq!(outcomes(&report), ["ok", "ok", "failed", "skipped"], "{report:?}");
    assert!(report.failure().expect("a failure").contains("Social+"), "readable: {report:?}");
    assert!(!net.is_global_ban(&user_id).await, "the skipped ban was not applied");
    let sanctions: Value =
        net.app.call("get_user_sanctions", json!({ "user_id": user_id })).await.json().await.expect("json");
    assert_eq!(sanctions["warnings"][0]["message"], "Please stop posting links.", "the warning was kept");
    let reviewed: Value = net
        .app
        .call("list_reviewed", json!({ "query": { "moderator": "test-moderator", "action": "warn" } }))
        .await
        .json()
        .await
        .expect("json");
    assert_eq!(reviewed[0]["outcome"], "partial");
    net.standin.stop().await;
}

#[tokio::test]
async fn a_request_without_a_reason_or_with_a_past_end_is_refused_before_anything_runs() {
    let net = net(Role::Moderator).await;
    let request = ActionRequest {
        target: post("anything"),
        actions: vec![Action::ClearFlags],
        reason: Reason { code: String::new(), text: String::new() },
    };
    let response = net.app.call("apply_action", json!({ "request": request })).await;
    assert_eq!(response.status(), 422);
    let past = Action::Ban { scope: BanScope::Global, until: Some("2020-01-01T00:00:00Z".into()) };
    let response = net.apply(Target::User { id: "anyone".into() }, vec![past]).await;
    assert_eq!(response.status(), 422);
    let error: Value = response.json().await.expect("json");
    assert_eq!(error["field"], "until");
    net.standin.stop().await;
}

/// Waits until the job is in a final state; answers its view.
async fn finished_job(net: &Net, job_id: &str) -> Value {
    for _ in 0..80 {
        let job: Value =
            net.app.call("get_job", json!({ "job_id": job_id })).await.json().await.expect("job");
        if matches!(job["state"].as_str(), Some("done" | "failed" | "cancelled")) {
            return job;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    panic!("job {job_id} did not finish");
}

#[tokio::test]
async fn a_bulk_delete_can_be_undone_in_its_window_and_otherwise_lists_partial_failures() {
    let net = net(Role::Moderator).await;
    let flagged = net.posts(PostFeedType::Published, Some(true)).await;
    assert!(flagged.len() >= 3, "the seed has flagged posts");
    let mut targets: Vec<Target> = flagged.iter().take(3).map(|p| post(&p.post_id)).collect();
    targets.push(post("no-such-post"));
    let request = json!({ "request": {
        "selection": { "type": "targets", "targets": targets },
        "actions": [{ "type": "delete", "permanent": false }],
        "reason": reason(),
    }});

    let preview: Value = net.app.call("preview_bulk", request.clone()).await.json().await.expect("preview");
    assert_eq!((preview["total"].as_u64(), preview["problems"].as_u64()), (Some(4), Some(0)), "{preview}");
    assert_eq!(preview["upstream_calls"], 8, "a look-up and a delete each");
    assert!(preview["items"][0]["change"].as_str().unwrap_or_default().starts_with("Delete post"));

    // Submitted, then undone within the window: nothing is deleted.
    let submitted: Value =
        net.app.call("submit_bulk", request.clone()).await.json().await.expect("submitted");
    assert_eq!(submitted["undo_seconds"], 5);
    let job_id = submitted["job_id"].as_str().expect("job id").to_owned();
    let cancelled = net.app.call_form("cancel_job", &[("job_id", &job_id)]).await;
    assert_eq!(cancelled.status(), 200, "{}", cancelled.text().await.unwrap_or_default());
    tokio::time::sleep(Duration::from_secs(6)).await;
    assert_eq!(finished_job(&net, &job_id).await["state"], "cancelled");
    assert!(!net.post_state(&flagged[0].post_id).await.0.is_deleted, "undone before any call");

    // Submitted and left alone: it runs after the window, one result per target.
    let submitted: Value = net.app.call("submit_bulk", request).await.json().await.expect("submitted");
    let job_id = submitted["job_id"].as_str().expect("job id").to_owned();
    let job = finished_job(&net, &job_id).await;
    assert_eq!(
        (job["counts"]["done"].as_u64(), job["counts"]["failed"].as_u64()),
        (Some(3), Some(1)),
        "{job}"
    );
    for post in flagged.iter().take(3) {
        assert!(net.post_state(&post.post_id).await.0.is_deleted, "deleted upstream");
    }
    let items: Value = net
        .app
        .call(
            "list_job_items",
            json!({ "job_id": job_id, "query": { "status": "failed", "offset": 0, "limit": 10 } }),
        )
        .await
        .json()
        .await
        .expect("items");
    assert_eq!(items[0]["key"], "post:no-such-post");
    assert!(items[0]["message"].as_str().unwrap_or_default().contains("no longer exists"), "{items}");
    net.standin.stop().await;
}

#[tokio::test]
async fn an_action_whose_request_goes_away_midway_still_runs_every_step() {
    // The ban answers slowly, so the browser is gone after the delete and before the ban.
    let slow_ban = standin::FaultRule::parse("latency=1500ms@POST:/api/v2/users/ban").expect("rule");
    let net =
        net_with_faults(Role::Moderator, standin::FaultPlan { seed: None, rules: vec![slow_ban] }).await;
    let posts = net.posts(PostFeedType::Published, None).await;
    let target = posts.iter().find(|p| p.posted_user_id.is_some()).expect("a post with an author");
    let author = target.posted_user_id.clone().expect("author");
    let request = ActionRequest {
        target: post(&target.post_id),
        actions: vec![
            Action::Delete { permanent: false },
            Action::Ban { scope: BanScope::Global, until: None },
        ],
        reason: reason(),
    };
    let dropped = net
        .app
        .client
        .post(format!("{}/api/apply_action", net.app.address))
        .header("sec-fetch-site", "same-origin")
        .json(&json!({ "request": request }))
        .timeout(Duration::from_millis(700))
        .send()
        .await;
    assert!(dropped.is_err(), "the client gave up before the answer: {dropped:?}");
    assert!(!net.is_global_ban(&author).await, "dropped mid-way: the ban had not happened yet");

    // The action goes on without its request: the record ends `applied`, Social+ has both.
    let pool =
        sqlx::SqlitePool::connect(&format!("sqlite://{}", net.app.database.display())).await.expect("db");
    let mut outcome = String::new();
    for _ in 0..40 {
        outcome = sqlx::query_scalar("SELECT outcome FROM moderation_actions WHERE target = ?")
            .bind(format!("post:{}", target.post_id))
            .fetch_one(&pool)
            .await
            .expect("the action's record");
        if outcome != "running" {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert_eq!(outcome, "applied");
    assert!(net.post_state(&target.post_id).await.0.is_deleted, "the first step stayed done");
    assert!(net.is_global_ban(&author).await, "the step after the drop ran");
    let banned = net.audit_rows("ban").await;
    assert_eq!(banned.last().map(|row| row.1.as_str()), Some("success"), "audited: {banned:?}");
    net.standin.stop().await;
}

#[tokio::test]
async fn bulk_all_matching_acts_on_exactly_what_the_queue_shows_for_the_same_query() {
    use types::queue::{KindFilter, QueueQuery, QueueSort};
    let net = net(Role::Moderator).await;
    // The moderator's own filters, on page 2 (the bulk action ignores the cursor).
    let shown = QueueQuery { kind: KindFilter::Comment, sort: QueueSort::Oldest, ..QueueQuery::default() };
    let on_page_two = QueueQuery { cursor: Some("50".into()), ..shown.clone() };
    let view: Value = net.app.call("list_queue", json!({ "query": shown })).await.json().await.expect("view");
    let request = json!({ "request": {
        "selection": { "type": "matching", "query": on_page_two },
        "actions": [{ "type": "delete", "permanent": false }],
        "reason": reason(),
    }});
    let preview: Value = net.app.call("preview_bulk", request).await.json().await.expect("preview");
    assert_eq!(preview["total"], view["total"], "{preview}");
    assert!(view["total"].as_u64().unwrap_or_default() > 0, "the seed has flagged comments");
    let listed: Vec<String> = view["cases"]["items"]
        .as_array()
        .expect("cases")
        .iter()
        .map(|case| {
            format!(
                "{}:{}",
                case["kind"].as_str().unwrap_or_default(),
                case["id"].as_str().unwrap_or_default()
            )
        })
        .collect();
    let previewed: Vec<String> = preview["items"]
        .as_array()
        .expect("items")
        .iter()
        .take(listed.len())
        .map(|item| format!("comment:{}", item["target"]["id"].as_str().unwrap_or_default()))
        .collect();
    assert_eq!(previewed, listed, "the same cases in the same order as the queue's first page");
    net.standin.stop().await;
}

#[tokio::test]
async fn a_case_a_rule_opened_is_in_the_queue_until_a_moderator_settles_it() {
    use crate::events_page::{NewEvent, database, insert_event};
    use types::queue::{CaseKind, QueueQuery, QueueView};
    let net = net(Role::Admin).await;
    let db = database(&net.app).await;
    let quiet = net.posts(PostFeedType::Published, Some(false)).await;
    let quiet = quiet.iter().find(|p| p.flag_count == 0).expect("an unflagged post in the seed");
    let (author, community) =
        (quiet.posted_user_id.clone().unwrap_or_default(), quiet.target_id.clone().unwrap_or_default());
    let created = net
        .app
        .call_form(
            "create_rule",
            &[("name", "Watch new posts"), ("event_name", "v3.post.didCreate"), ("action", "open_case")],
        )
        .await;
    let rule = created.text().await.expect("body").trim().to_owned();
    net.app.call_form("dry_run_rule", &[("id", &rule)]).await;
    let enabled = net.app.call_form("set_rule_enabled", &[("id", &rule), ("change", "enable")]).await;
    assert_eq!(enabled.status(), 200);
    insert_event(&db, &NewEvent::post(&quiet.post_id, &author, &community)).await;

    let query = QueueQuery { search: quiet.post_id.clone(), ..QueueQuery::default() };
    let listed = || async {
        let response = net.app.call("list_queue", json!({ "query": query })).await;
        assert_eq!(response.status(), 200);
        let view: QueueView = response.json().await.expect("a queue view");
        view.cases.items.into_iter().find(|c| c.kind == CaseKind::Post && c.id == quiet.post_id)
    };
    let mut case = None;
    for _ in 0..40 {
        case = listed().await;
        if case.is_some() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    let case = case.expect("the rule's case is on the To review tab although nobody flagged the post");
    assert_eq!(case.reasons, ["Opened by the rule “Watch new posts”"]);
    assert_eq!((case.author_id.as_str(), case.excerpt.as_str()), (author.as_str(), "hello"));

    let report = net.act(post(&quiet.post_id), vec![Action::ClearFlags]).await;
    assert!(report.steps.iter().all(|s| s.outcome == StepOutcome::Succeeded), "{report:?}");
    assert!(listed().await.is_none(), "a settled case leaves the queue");
    let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM rule_cases WHERE status = 'open'")
        .fetch_one(&db)
        .await
        .expect("count");
    assert_eq!(open, 0);
    net.standin.stop().await;
}
