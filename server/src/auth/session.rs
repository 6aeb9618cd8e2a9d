//! The typed session: constant keys, the signed-in user, and the lifetime rules
//! (idle expiry slides via tower-sessions; the absolute limit, shorter for admins, is
//! checked here), plus what an OIDC session needs to re-read its role.

use time::OffsetDateTime;
use tower_sessions::Session;
use types::{CurrentUser, Role};

const USER: &str = "user";
const SIGNED_IN_AT: &str = "signed_in_at";
const LAST_SEEN: &str = "last_seen";
/// The ID token of an OIDC sign-in, the `id_token_hint` of RP-initiated logout.
const ID_TOKEN: &str = "id_token";
/// When the role was last confirmed (sign-in, or an OIDC re-check).
const ROLE_CHECKED_AT: &str = "role_checked_at";
/// The OIDC refresh token that re-reads the groups (server-side only, like the whole session).
const REFRESH_TOKEN: &str = "oidc_refresh_token";

/// How long sessions live, whatever the idle expiry allows.
#[derive(Clone, Copy, Debug)]
pub struct Lifetime {
    /// Every session, in seconds after sign-in.
    pub absolute_secs: i64,
    /// An admin's session, in seconds after sign-in.
    pub admin_absolute_secs: i64,
}

impl Lifetime {
    /// No absolute limit (for checking who a session belongs to, not whether it is valid).
    pub const UNLIMITED: Lifetime = Lifetime { absolute_secs: i64::MAX, admin_absolute_secs: i64::MAX };

    fn of(&self, user: &CurrentUser) -> i64 {
        if user.role == Role::Admin {
            self.absolute_secs.min(self.admin_absolute_secs)
        } else {
            self.absolute_secs
        }
    }
}

/// How often a request refreshes the idle expiry (each refresh is a database write).
const TOUCH_EVERY_SECS: i64 = 60;

/// What a request's session says.
#[derive(Debug, PartialEq, Eq)]
pub enum SessionState {
    /// Signed in.
    SignedIn(CurrentUser),
    /// Signed in once, but past the absolute lifetime.
    Expired,
    /// Not signed in.
    Anonymous,
}

/// The console's view of a tower-sessions session.
pub struct ConsoleSession(pub Session);

impl ConsoleSession {
    /// Signs `user` in: a new session id first (fixation defence), then the user.
    pub async fn sign_in(&self, user: &CurrentUser) -> Result<(), tower_sessions::session::Error> {
        self.0.cycle_id().await?;
        let now = OffsetDateTime::now_utc().unix_timestamp();
        self.0.insert(USER, user).await?;
        self.0.insert(SIGNED_IN_AT, now).await?;
        self.0.insert(LAST_SEEN, now).await?;
        self.0.insert(ROLE_CHECKED_AT, now).await?;
        Ok(())
    }

    /// When the role was last confirmed (Unix seconds; the sign-in when never re-checked).
    pub async fn role_checked_at(&self) -> Result<i64, tower_sessions::session::Error> {
        match self.0.get::<i64>(ROLE_CHECKED_AT).await? {
            Some(at) => Ok(at),
            None => Ok(self.0.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0)),
        }
    }

    /// Records that the role was confirmed now.
    pub async fn role_checked_now(&self) -> Result<(), tower_sessions::session::Error> {
        self.0.insert(ROLE_CHECKED_AT, OffsetDateTime::now_utc().unix_timestamp()).await
    }

    /// Keeps the OIDC refresh token (a rotated one replaces the old).
    pub async fn remember_refresh_token(&self, token: String) -> Result<(), tower_sessions::session::Error> {
        self.0.insert(REFRESH_TOKEN, token).await
    }

    /// The OIDC refresh token, if the provider gave one.
    pub async fn refresh_token(&self) -> Result<Option<String>, tower_sessions::session::Error> {
        self.0.get::<String>(REFRESH_TOKEN).await
    }

    /// The session's id, once stored.
    pub fn id(&self) -> Option<String> {
        self.0.id().map(|id| id.to_string())
    }

    /// Keeps the ID token for signing out at the provider later. Failing to keep it only
    /// costs the hint, so it is logged, not fatal.
    pub async fn remember_id_token(&self, id_token: String) {
        if let Err(error) = self.0.insert(ID_TOKEN, id_token).await {
            tracing::warn!(%error, "could not keep the ID token for sign-out");
        }
    }

    /// The ID token kept at sign-in, if any.
    pub async fn id_token(&self) -> Option<String> {
        self.0.get::<String>(ID_TOKEN).await.ok().flatten()
    }

    /// Ends the session and deletes it from the store.
    pub async fn sign_out(&self) -> Result<(), tower_sessions::session::Error> {
        self.0.flush().await
    }

    /// The signed-in user, unless the session is older than `lifetime` allows for them.
    /// Refreshes the idle expiry at most once a minute.
    pub async fn state(&self, lifetime: Lifetime) -> Result<SessionState, tower_sessions::session::Error> {
        let Some(user) = self.0.get::<CurrentUser>(USER).await? else {
            return Ok(SessionState::Anonymous);
        };
        let now = OffsetDateTime::now_utc().unix_timestamp();
        let signed_in_at = self.0.get::<i64>(SIGNED_IN_AT).await?.unwrap_or(0);
        if now.saturating_sub(signed_in_at) > lifetime.of(&user) {
            self.0.flush().await?;
            return Ok(SessionState::Expired);
        }
        let last_seen = self.0.get::<i64>(LAST_SEEN).await?.unwrap_or(0);
        if now - last_seen >= TOUCH_EVERY_SECS {
            // Modifying the session makes tower-sessions save it with a fresh idle expiry.
            self.0.insert(LAST_SEEN, now).await?;
        }
        Ok(SessionState::SignedIn(user))
    }
}
