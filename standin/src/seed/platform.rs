//! Generated platform state: the network's keys, users' last activity, a few blocklist and
//! allowlist rules, default network settings and moderation settings.

use super::{EPOCH, SeedOptions, hex_id};
use crate::{keys, time_fmt};
use serde_json::{Value, json};
use sqlx::{Row, Sqlite, Transaction};
use time::{Duration, OffsetDateTime};

/// Tables this module fills (emptied before a reseed).
pub const TABLES: &[&str] = &[
    "network_keys",
    "sessions",
    "auth_tokens",
    "user_activity",
    "user_flags",
    "list_rules",
    "network_settings",
    "prehook_secret",
    "moderation_settings",
];

/// Blocklist rules: (pattern, whole words only).
const BLOCKED: &[(&str, bool)] =
    &[("buy followers", false), ("scam", true), (r"free\s+crypto", false), ("spam", false)];
/// Allowlist rules (links).
const ALLOWED: &[&str] = &[r"https://(www\.)?social\.plus(/.*)?", r"https://docs\.social\.plus(/.*)?"];

/// The answer-shaped default of every network settings section.
pub fn default_network_settings() -> Vec<(&'static str, Value)> {
    let video = |max: u32| {
        json!({
            "contentType": "video",
            "allowed": true,
            "maxDurationSeconds": max,
            "transcodeConfig": { "maxResolution": "1080p", "minResolution": "360p" },
        })
    };
    let categories: Vec<Value> = ["pornography", "violence", "prohibited", "inappropriate", "profanity"]
        .iter()
        .map(|c| json!({ "category": c, "flagThreshold": 0.8, "terminateThreshold": 0.95 }))
        .collect();
    vec![
        ("root", json!({ "tierHandler": "asc-max" })),
        (
            "chat",
            json!({
                "enabled": true,
                "mention": { "isAllowMentionedChannelEnabled": true },
                "messagePreview": { "enabled": false, "isIncludeDeleted": false },
                "isAllowAdminViewConversationMessage": true,
                "isAllowAdminManageConversationMessage": true,
            }),
        ),
        (
            "feed-setting",
            json!({ "feedSettings": [
                { "feedType": "post", "contentSettings": [video(7200)] },
                { "feedType": "message", "contentSettings": [video(600)] },
                { "feedType": "story", "contentSettings": [video(90)] },
            ]}),
        ),
        ("moderation", json!({ "isWhitelistEnabled": false })),
        ("prehook", json!({ "enabled": false, "defaultAction": "allow" })),
        (
            "social",
            json!({
                "enabled": true,
                "userPrivacySetting": "public",
                "isFollowWithRequestEnabled": false,
                "isAllowEditPostWhenReviewingEnabled": false,
                "disallowNonMemberInteractInCommunity": false,
                "allowJoinPrivateCommunity": false,
                "globalFeed": {
                    "showOnlyMyFeed": false, "showMyPost": true, "showEveryonePost": true,
                    "showCommunityPost": true, "showFollowingPost": true, "maxGlobalPinnedPost": 1,
                },
                "story": { "expiryTimeMinutes": 1440, "allowAllUserToCreateStory": false },
            }),
        ),
        ("semantic-search", json!({ "semanticSearch": { "post": { "enabled": false, "minScore": 0.5 } } })),
        ("users", json!({ "isAllowUpdateDisplayName": true })),
        (
            "video-streaming",
            json!({ "enabled": true, "moderation": { "enabled": false, "categories": categories } }),
        ),
        ("webhook", json!({ "enabled": false })),
    ]
}

/// Fills the tables; runs after the users are inserted.
pub async fn insert(tx: &mut Transaction<'_, Sqlite>, options: &SeedOptions) -> anyhow::Result<()> {
    keys::generate(tx).await?;
    let mut rng = fastrand::Rng::with_seed(options.seed ^ 0x706c_6174_666f_726d);

    // Last activity: about nine in ten live users were seen, at some point after they joined.
    let users =
        sqlx::query("SELECT internal_id, created_at FROM users WHERE is_deleted = 0 ORDER BY internal_id")
            .fetch_all(&mut **tx)
            .await?;
    let format = &time::format_description::well_known::Rfc3339;
    for user in &users {
        if rng.u8(..10) == 0 {
            continue;
        }
        let created = OffsetDateTime::parse(user.get::<&str, _>("created_at"), format)?;
        let span = (EPOCH - created).whole_minutes().max(1);
        // Skewed towards recent: most members were active in the last weeks.
        let ago = (span as f64 * rng.f64().powi(3)) as i64;
        sqlx::query("INSERT INTO user_activity (user_internal_id, last_active_at) VALUES (?, ?)")
            .bind(user.get::<&str, _>("internal_id"))
            .bind(time_fmt::format(EPOCH - Duration::minutes(ago)))
            .execute(&mut **tx)
            .await?;
    }

    let rule_time = |days: i64| time_fmt::format(EPOCH - Duration::days(days));
    for (i, (regex, exact)) in BLOCKED.iter().enumerate() {
        insert_rule(tx, &mut rng, "block", regex, *exact, &rule_time(300 - 30 * i as i64)).await?;
    }
    for (i, regex) in ALLOWED.iter().enumerate() {
        insert_rule(tx, &mut rng, "allow", regex, false, &rule_time(200 - 30 * i as i64)).await?;
    }

    for (section, value) in default_network_settings() {
        sqlx::query("INSERT INTO network_settings (section, value) VALUES (?, ?)")
            .bind(section)
            .bind(value.to_string())
            .execute(&mut **tx)
            .await?;
    }

    let settings = json!({
        "maxRepetition": 5,
        "maxRepetitionTimeout": 60,
        "blacklistMuteTimeout": 300,
        "whitelistMuteTimeout": 300,
        "maxRepetitionMuteTimeout": 600,
        "enableImageModeration": false,
        "imageModeration": { "nudity": 0.8, "suggestive": 0.9, "violence": 0.8, "disturbing": 0.9 },
        "createdAt": rule_time(365),
        "updatedAt": rule_time(30),
    });
    sqlx::query("INSERT INTO moderation_settings (id, value) VALUES (1, ?)")
        .bind(settings.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

async fn insert_rule(
    tx: &mut Transaction<'_, Sqlite>,
    rng: &mut fastrand::Rng,
    list: &str,
    regex: &str,
    exact: bool,
    at: &str,
) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO list_rules (rule_id, list, regex, is_match_exact_word, is_enabled, is_deleted, created_at, \
         updated_at) VALUES (?, ?, ?, ?, 1, 0, ?, ?)",
    )
    .bind(hex_id(rng, 24))
    .bind(list)
    .bind(regex)
    .bind(exact)
    .bind(at)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    Ok(())
}
