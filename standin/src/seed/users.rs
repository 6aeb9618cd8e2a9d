//! Generated users, roles and avatar files.
//!
//! Shape of the data (per user, independently): display names from many scripts
//! (Latin with diacritics, Cyrillic, Greek, Arabic, CJK, Thai, Devanagari, emoji);
//! ~8 % flagged (1–40 flags, skewed low), ~1.5 % globally banned, ~1 % soft-deleted
//! (shown as "Deleted user", as upstream does), ~3 % moderators, a few admins and brand
//! accounts, custom roles, metadata, and avatars for about a third.

use super::{EPOCH, SeedOptions, hex_id};
use crate::time_fmt;
use serde_json::json;
use sqlx::{Sqlite, Transaction};
use time::{Duration, OffsetDateTime};

/// The tables this module fills (emptied before a reseed).
pub const TABLES: &[&str] = &["users", "files", "roles"];

const FIRST_NAMES: &[&str] = &[
    "Amelia",
    "Noah",
    "Zoë",
    "José",
    "Łukasz",
    "Søren",
    "Chloé",
    "Mateo",
    "Ingrid",
    "Björn",
    "Ana",
    "Liam",
    "Olivia",
    "Ahmet",
    "Ayşe",
    "Nguyễn",
    "François",
    "Renée",
    "Jürgen",
    "Małgorzata",
    "Дмитрий",
    "Анна",
    "Αθηνά",
    "Νίκος",
    "محمد",
    "فاطمة",
    "李",
    "王",
    "さくら",
    "ハルト",
    "민준",
    "서연",
    "สมชาย",
    "प्रिया",
    "Aarav",
    "Chinwe",
    "Kwame",
    "Thandiwe",
    "Sione",
    "Aroha",
    "Emma",
    "Lucas",
    "Mia",
    "Ethan",
    "Isla",
    "Oscar",
    "Freya",
    "Leo",
    "Ava",
    "Elias",
];

const LAST_NAMES: &[&str] = &[
    "Schmidt",
    "García",
    "Nowak",
    "Jørgensen",
    "Dubois",
    "Rossi",
    "Öztürk",
    "Tran",
    "Müller",
    "Kowalski",
    "Silva",
    "Smith",
    "Johnson",
    "O'Brien",
    "Núñez",
    "Håkansson",
    "Ivanova",
    "Παπαδόπουλος",
    "Haddad",
    "Chen",
    "Wang",
    "Tanaka",
    "Kim",
    "Srisuk",
    "Sharma",
    "Okafor",
    "Mensah",
    "Dlamini",
    "Taufa",
    "Ngata",
    "Brown",
    "Wilson",
    "Lefèvre",
    "Costa",
    "Berg",
];

const HANDLES: &[&str] = &[
    "🌟 Star Fan",
    "night_owl",
    "coffee☕lover",
    "Mod Squad 🛡️",
    "xX_gamer_Xx",
    "🎸 riff master",
    "bookworm 📚",
    "trail runner",
    "καλημέρα",
    "مرحبا بالعالم",
];

const CUSTOM_ROLES: &[&str] = &["community-moderator", "vip", "verified-creator", "support"];
const COUNTRIES: &[&str] = &["DE", "FR", "US", "BR", "JP", "KR", "IN", "NG", "TH", "PL", "TR", "VN"];
const PLANS: &[&str] = &["free", "free", "free", "plus", "pro"];
const SOURCES: &[&str] = &["ios", "android", "web"];
const BIOS: &[&str] = &[
    "",
    "",
    "Here for the community.",
    "Weekend hiker, weekday coder.",
    "Photographer • coffee • cats",
    "Moderating since 2021.",
    "Ask me about sourdough 🍞",
    "Opinions are my own.",
];

/// System roles and what they grant (PermissionEnum values of `schema/role.yaml`).
fn roles() -> Vec<(&'static str, &'static str, Vec<&'static str>)> {
    vec![
        (
            "moderator",
            "Moderator",
            vec![
                "BAN_USER",
                "EDIT_USER",
                "DELETE_MESSAGE",
                "EDIT_MESSAGE",
                "MUTE_CHANNEL",
                "BAN_USER_FROM_CHANNEL",
                "DELETE_USER_FEED_POST",
                "DELETE_USER_FEED_COMMENT",
                "DELETE_COMMUNITY_POST",
                "DELETE_COMMUNITY_COMMENT",
                "BAN_COMMUNITY_USER",
            ],
        ),
        (
            "admin",
            "Admin",
            vec![
                "BAN_USER",
                "EDIT_USER",
                "ASSIGN_USER_ROLE",
                "DELETE_MESSAGE",
                "EDIT_MESSAGE",
                "MUTE_CHANNEL",
                "CLOSE_CHANNEL",
                "EDIT_CHANNEL",
                "DELETE_USER_FEED_POST",
                "DELETE_USER_FEED_COMMENT",
                "EDIT_COMMUNITY",
                "DELETE_COMMUNITY",
                "DELETE_COMMUNITY_POST",
                "DELETE_COMMUNITY_COMMENT",
                "ASSIGN_COMMUNITY_USER_ROLE",
            ],
        ),
        (
            "community-moderator",
            "Community moderator",
            vec!["DELETE_COMMUNITY_POST", "DELETE_COMMUNITY_COMMENT", "MUTE_COMMUNITY_USER"],
        ),
        ("vip", "VIP", vec![]),
        ("verified-creator", "Verified creator", vec![]),
        ("support", "Support", vec!["EDIT_USER"]),
    ]
}

/// One generated user, ready to insert.
#[derive(Clone, Debug, PartialEq)]
pub struct SeedUser {
    /// 24 hex chars.
    pub internal_id: String,
    /// Public id.
    pub user_id: String,
    /// Display name.
    pub display_name: String,
    /// Description.
    pub description: String,
    /// Avatar file, if any.
    pub avatar_file_id: Option<String>,
    /// Roles.
    pub roles: Vec<String>,
    /// Metadata JSON.
    pub metadata: serde_json::Value,
    /// Flags.
    pub flag_count: u32,
    /// Banned.
    pub is_global_ban: bool,
    /// Brand.
    pub is_brand: bool,
    /// Deleted.
    pub is_deleted: bool,
    /// Creation time.
    pub created_at: OffsetDateTime,
    /// Update time.
    pub updated_at: OffsetDateTime,
}

/// Generates user number `index` of the network seeded with `seed`.
/// Each user has its own PRNG stream, so any user can be regenerated alone.
pub fn user(seed: u64, index: u32) -> SeedUser {
    let mut rng = fastrand::Rng::with_seed(seed ^ (u64::from(index) + 1).wrapping_mul(0x9E37_79B9_7F4A_7C15));
    let pick = |rng: &mut fastrand::Rng, list: &[&'static str]| list[rng.usize(..list.len())];

    let first = pick(&mut rng, FIRST_NAMES);
    let last = pick(&mut rng, LAST_NAMES);
    let mut display_name = match rng.u8(..100) {
        0..=3 => pick(&mut rng, HANDLES).to_owned(),
        4..=14 => first.to_owned(),
        _ => format!("{first} {last}"),
    };
    let slug = ascii_slug(&format!("{first}.{last}"));
    let user_id = format!("{slug}-{index:06}");

    let created_at = EPOCH - Duration::seconds(rng.i64(0..3 * 365 * 24 * 3600));
    let updated_at = created_at + Duration::seconds(rng.i64(0..(EPOCH - created_at).whole_seconds().max(1)));

    let flag_count = if rng.u8(..100) < 8 {
        // Skewed: most flagged users have a few flags, a handful have many.
        let r = rng.f64();
        1 + (r * r * r * 39.0) as u32
    } else {
        0
    };
    let is_deleted = rng.u16(..1000) < 10;
    let is_global_ban = !is_deleted && (rng.u16(..1000) < 15 || (flag_count > 20 && rng.bool()));
    let mut roles = Vec::new();
    match rng.u16(..1000) {
        0..=4 => roles.push("admin".to_owned()),
        5..=34 => roles.push("moderator".to_owned()),
        _ => {}
    }
    if rng.u8(..100) < 6 {
        roles.push(pick(&mut rng, CUSTOM_ROLES).to_owned());
    }
    let is_brand = rng.u16(..1000) < 4;
    let avatar_file_id = (rng.u8(..100) < 33).then(|| hex_id(&mut rng, 24));
    let internal_id = hex_id(&mut rng, 24);
    let metadata = json!({
        "country": pick(&mut rng, COUNTRIES),
        "plan": pick(&mut rng, PLANS),
        "signupSource": pick(&mut rng, SOURCES),
        "marketingOptIn": rng.bool(),
    });
    let mut description = pick(&mut rng, BIOS).to_owned();
    if is_deleted {
        // Deleting a user upstream replaces the display name and clears the profile.
        display_name = "Deleted user".to_owned();
        description.clear();
    }
    SeedUser {
        internal_id,
        user_id,
        display_name,
        description,
        avatar_file_id,
        roles,
        metadata,
        flag_count,
        is_global_ban,
        is_brand,
        is_deleted,
        created_at,
        updated_at,
    }
}

/// Lower-case ASCII id part: Latin letters lose their accents, other scripts are dropped
/// (`"Zoë.O'Brien"` → `"zoe.obrien"`, `"李.Wang"` → `"wang"`, nothing left → `"member"`).
fn ascii_slug(name: &str) -> String {
    let mut slug = String::new();
    for c in name.chars().flat_map(char::to_lowercase) {
        let mapped = match c {
            'a'..='z' | '0'..='9' | '.' => Some(c),
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' => Some('a'),
            'ç' | 'ć' | 'č' => Some('c'),
            'è' | 'é' | 'ê' | 'ë' | 'ę' => Some('e'),
            'ì' | 'í' | 'î' | 'ï' | 'ı' => Some('i'),
            'ł' => Some('l'),
            'ñ' | 'ń' => Some('n'),
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' => Some('o'),
            'ś' | 'š' | 'ş' => Some('s'),
            'ù' | 'ú' | 'û' | 'ü' => Some('u'),
            'ý' | 'ÿ' => Some('y'),
            'ğ' => Some('g'),
            'ž' | 'ź' | 'ż' => Some('z'),
            'ễ' => Some('e'),
            _ => None,
        };
        slug.extend(mapped);
    }
    let slug = slug.trim_matches('.').to_owned();
    if slug.is_empty() { "member".to_owned() } else { slug }
}

/// Inserts the roles, users and avatar files of the network described by `options`.
pub async fn insert(tx: &mut Transaction<'_, Sqlite>, options: &SeedOptions) -> anyhow::Result<()> {
    let role_time = time_fmt::format(EPOCH - Duration::days(3 * 365));
    for (role_id, name, permissions) in roles() {
        sqlx::query("INSERT INTO roles (role_id, display_name, permissions, created_at, updated_at) VALUES (?, ?, ?, ?, ?)")
            .bind(role_id)
            .bind(name)
            .bind(serde_json::to_string(&permissions)?)
            .bind(&role_time)
            .bind(&role_time)
            .execute(&mut **tx)
            .await?;
    }
    for index in 0..options.users {
        insert_user(tx, &user(options.seed, index), index).await?;
    }
    Ok(())
}

/// Inserts one user and their avatar file (user number `index`, for the avatar's name).
pub(crate) async fn insert_user(
    tx: &mut Transaction<'_, Sqlite>,
    u: &SeedUser,
    index: u32,
) -> anyhow::Result<()> {
    let created = time_fmt::format(u.created_at);
    sqlx::query(
        "INSERT INTO users (internal_id, user_id, display_name, display_name_folded, description, \
         avatar_file_id, roles, metadata, flag_count, is_global_ban, is_brand, is_deleted, created_at, updated_at) \
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    )
    .bind(&u.internal_id)
    .bind(&u.user_id)
    .bind(&u.display_name)
    .bind(u.display_name.to_lowercase())
    .bind(&u.description)
    .bind(&u.avatar_file_id)
    .bind(serde_json::to_string(&u.roles)?)
    .bind(u.metadata.to_string())
    .bind(i64::from(u.flag_count))
    .bind(u.is_global_ban)
    .bind(u.is_brand)
    .bind(u.is_deleted)
    .bind(&created)
    .bind(time_fmt::format(u.updated_at))
    .execute(&mut **tx)
    .await?;
    if let Some(file_id) = &u.avatar_file_id {
        // A generated picture the stand-in serves (`crate::media`).
        let (extension, mime_type) = crate::media::picture_type(file_id);
        sqlx::query(
            "INSERT INTO files (file_id, file_url, type, name, extension, size, mime_type, created_at, updated_at) \
             VALUES (?, ?, 'image', ?, ?, ?, ?, ?, ?)",
        )
        .bind(file_id)
        .bind(crate::media::download_path(file_id))
        .bind(format!("avatar-{index}.{extension}"))
        .bind(extension)
        .bind(i64::from(60_000 + index % 180_000))
        .bind(mime_type)
        .bind(&created)
        .bind(&created)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_gives_the_same_user() {
        assert_eq!(user(7, 123), user(7, 123));
        assert_ne!(user(7, 123), user(8, 123));
    }

    #[test]
    fn a_network_has_the_advertised_variety() {
        let users: Vec<SeedUser> = (0..5_000).map(|i| user(42, i)).collect();
        let share = |f: &dyn Fn(&SeedUser) -> bool| users.iter().filter(|u| f(u)).count() as f64 / 5_000.0;
        assert!((0.05..0.11).contains(&share(&|u| u.flag_count > 0)), "flagged share");
        assert!((0.005..0.03).contains(&share(&|u| u.is_global_ban)), "banned share");
        assert!((0.003..0.02).contains(&share(&|u| u.is_deleted)), "deleted share");
        assert!(share(&|u| u.roles.iter().any(|r| r == "moderator")) > 0.01, "moderators");
        assert!(share(&|u| !u.display_name.is_ascii()) > 0.2, "non-ASCII names");
        assert!(users.iter().all(|u| u.user_id.is_ascii()), "ids are ASCII");
    }

    #[test]
    fn ids_are_readable_ascii() {
        assert_eq!(ascii_slug("Zoë.O'Brien"), "zoe.obrien");
        assert_eq!(ascii_slug("Łukasz.Håkansson"), "lukasz.hakansson");
        assert_eq!(ascii_slug("李.Wang"), "wang");
        assert_eq!(ascii_slug("さくら.Дмитрий"), "member");
    }

    #[test]
    fn user_ids_are_unique() {
        let mut ids: Vec<String> = (0..10_000).map(|i| user(42, i).user_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 10_000);
    }

    #[test]
    fn deleted_users_carry_the_upstream_placeholder_name() {
        let deleted = (0..5_000).map(|i| user(42, i)).find(|u| u.is_deleted).expect("some deleted");
        assert_eq!(deleted.display_name, "Deleted user");
    }
}
