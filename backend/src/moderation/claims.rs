//! Claims: who is working on a case, so two moderators do not act on it at once. A claim by
//! someone else is visible and holds until they release it, it goes stale
//! ([`STALE_AFTER`]), or someone takes it over explicitly (audited).

use super::now_rfc3339;
use crate::{Error, audit};
use serde_json::json;
use sqlx::SqlitePool;
use time::{Duration, OffsetDateTime, format_description::well_known::Rfc3339};
use types::moderation::{Claim, ClaimOutcome};

/// A claim older than this can be taken without a takeover (its holder went away).
pub const STALE_AFTER: Duration = Duration::minutes(30);

/// Who claims.
pub struct Claimant<'a> {
    /// Console account id.
    pub id: &'a str,
    /// Display name.
    pub name: &'a str,
    /// Role, for the audit trail.
    pub role: &'a str,
}

async fn current(db: &SqlitePool, case_key: &str) -> Result<Option<Claim>, sqlx::Error> {
    sqlx::query_as::<_, (String, String, String, String)>(
        "SELECT case_key, claimed_by, claimed_name, claimed_at FROM moderation_claims WHERE case_key = ?",
    )
    .bind(case_key)
    .fetch_optional(db)
    .await
    .map(|row| {
        row.map(|(case_key, claimed_by, claimed_name, claimed_at)| Claim {
            case_key,
            claimed_by,
            claimed_name,
            claimed_at,
        })
    })
}

fn is_stale(claim: &Claim, now: OffsetDateTime) -> bool {
    OffsetDateTime::parse(&claim.claimed_at, &Rfc3339).map(|at| now - at > STALE_AFTER).unwrap_or(true)
}

/// Claims `case_key` for `who`; with `takeover`, takes it from whoever holds it.
pub async fn claim(
    db: &SqlitePool,
    case_key: &str,
    who: &Claimant<'_>,
    takeover: bool,
) -> Result<ClaimOutcome, Error> {
    let now = now_rfc3339();
    // Atomic: only one of two simultaneous first claims inserts.
    sqlx::query(
        "INSERT INTO moderation_claims (case_key, claimed_by, claimed_name, claimed_at) VALUES (?, ?, ?, ?) \
         ON CONFLICT (case_key) DO UPDATE SET claimed_at = excluded.claimed_at \
         WHERE moderation_claims.claimed_by = excluded.claimed_by",
    )
    .bind(case_key)
    .bind(who.id)
    .bind(who.name)
    .bind(&now)
    .execute(db)
    .await?;
    let Some(held) = current(db, case_key).await? else {
        return Err(Error::Internal(format!("the claim of {case_key} vanished")));
    };
    if held.claimed_by == who.id {
        return Ok(ClaimOutcome::Claimed { claim: held });
    }
    if !takeover && !is_stale(&held, OffsetDateTime::now_utc()) {
        return Ok(ClaimOutcome::HeldByOther { claim: held });
    }
    // Conditional on the holder we saw, so two takeovers cannot both win silently.
    let done = sqlx::query(
        "UPDATE moderation_claims SET claimed_by = ?, claimed_name = ?, claimed_at = ? \
         WHERE case_key = ? AND claimed_by = ?",
    )
    .bind(who.id)
    .bind(who.name)
    .bind(&now)
    .bind(case_key)
    .bind(&held.claimed_by)
    .execute(db)
    .await?;
    let Some(after) = current(db, case_key).await? else {
        return Err(Error::Internal(format!("the claim of {case_key} vanished")));
    };
    if done.rows_affected() == 0 {
        return Ok(ClaimOutcome::HeldByOther { claim: after });
    }
    let entry = audit::Entry {
        actor_id: who.id,
        actor_role: Some(who.role),
        action: "take_over_case",
        target: Some(case_key),
        outcome: audit::Outcome::Success,
        request_id: None,
        details: json!({}),
    };
    let change = audit::Change {
        before: Some(json!({ "claimedBy": held.claimed_by })),
        after: Some(json!({ "claimedBy": who.id })),
        ..Default::default()
    };
    audit::append_change(db, &entry, &change).await?;
    Ok(ClaimOutcome::TakenOver { claim: after, from: held.claimed_by })
}

/// Releases `who`'s claim of `case_key`; `false` if they did not hold it.
pub async fn release(db: &SqlitePool, case_key: &str, who: &str) -> Result<bool, Error> {
    let done = sqlx::query("DELETE FROM moderation_claims WHERE case_key = ? AND claimed_by = ?")
        .bind(case_key)
        .bind(who)
        .execute(db)
        .await?;
    Ok(done.rows_affected() == 1)
}

/// The claims of these cases (the queue asks for the rows it shows).
pub async fn of_cases(db: &SqlitePool, case_keys: &[String]) -> Result<Vec<Claim>, Error> {
    let mut claims = Vec::new();
    for key in case_keys.iter().take(500) {
        if let Some(claim) = current(db, key).await? {
            claims.push(claim);
        }
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn db() -> (tempfile::TempDir, SqlitePool) {
        let dir = tempfile::tempdir().expect("temp dir");
        let pool = crate::db::open(&dir.path().join("console.sqlite")).await.expect("database opens");
        (dir, pool)
    }

    const ANN: Claimant<'static> = Claimant { id: "ann", name: "Ann", role: "moderator" };
    const BOB: Claimant<'static> = Claimant { id: "bob", name: "Bob", role: "moderator" };

    #[tokio::test]
    async fn a_second_moderator_sees_the_first_and_must_take_over_explicitly() {
        let (_dir, db) = db().await;
        assert!(matches!(
            claim(&db, "post:p1", &ANN, false).await.expect("claim"),
            ClaimOutcome::Claimed { .. }
        ));
        let ClaimOutcome::HeldByOther { claim: held } =
            claim(&db, "post:p1", &BOB, false).await.expect("claim")
        else {
            panic!("Bob must see Ann's claim");
        };
        assert_eq!(held.claimed_name, "Ann");
        let ClaimOutcome::TakenOver { claim: now, from } =
            claim(&db, "post:p1", &BOB, true).await.expect("claim")
        else {
            panic!("an explicit takeover wins");
        };
        assert_eq!((now.claimed_by.as_str(), from.as_str()), ("bob", "ann"));
        assert!(!release(&db, "post:p1", "ann").await.expect("release"), "Ann no longer holds it");
        assert!(release(&db, "post:p1", "bob").await.expect("release"));
        assert!(of_cases(&db, &["post:p1".into()]).await.expect("claims").is_empty());
        let audited = crate::audit::recent(&db, 5).await.expect("audit");
        assert_eq!(audited[0].action, "take_over_case");
    }

    #[test]
    fn a_claim_goes_stale_after_half_an_hour() {
        let claim = |at: &str| Claim {
            case_key: "post:p1".into(),
            claimed_by: "ann".into(),
            claimed_name: "Ann".into(),
            claimed_at: at.into(),
        };
        let now = OffsetDateTime::parse("2026-11-26T10:00:00Z", &Rfc3339).expect("time");
        assert!(!is_stale(&claim("2026-11-26T09:45:00Z"), now));
        assert!(is_stale(&claim("2026-11-26T09:15:00Z"), now));
    }
}
