//! Blocklist and allowlist rules: v3 (`GET|POST /api/v3/blocklists|allowlists`,
//! `POST …/verify`; spec: `v3/moderation/*`) and the v2 records
//! (`/api/v2/blacklist|whitelist/records[/{ruleId}]`), the only calls that delete, replace or
//! switch rules. Enforcement lives in [`crate::blocklist`].
//!
//! The official webhook catalogue has no event for rule changes, so none is emitted.

use super::user_admin::body_as;
use crate::{
    State,
    blocklist::{self, compile},
    error::ApiError,
    paging::PageToken,
    params::Params,
    seed::hex_id,
    time_fmt,
};
use axum::{
    Json, Router,
    extract::{Path, RawQuery, State as AxumState},
    routing::{get, post, put},
};
use serde_json::{Value, json};
use sqlx::{QueryBuilder, Row, Sqlite, SqlitePool, sqlite::SqliteRow};
use time::OffsetDateTime;
use upstream::wire::{
    AddRules, ListRule, Paging, REGEX_MAX_CHARS, RULES_PER_CALL_MAX, RuleListV2, RulePage, RuleResults,
    RuleToggle, RuleV2, Success, VerifyTexts,
};

/// The rule routes of both lists (`ALLOW` = the allowlist's variant of each handler).
pub fn routes() -> Router<State> {
    Router::new()
        .route("/api/v3/blocklists", get(query_v3::<false>).post(add_v3::<false>))
        .route("/api/v3/allowlists", get(query_v3::<true>).post(add_v3::<true>))
        .route("/api/v3/blocklists/verify", post(verify_blocklist))
        .route("/api/v3/allowlists/verify", post(verify_allowlist))
        .route(
            "/api/v2/blacklist/records",
            get(list_v2::<false>).post(add_v2::<false>).put(replace_v2::<false>).delete(delete_v2::<false>),
        )
        .route(
            "/api/v2/whitelist/records",
            get(list_v2::<true>).post(add_v2::<true>).put(replace_v2::<true>).delete(delete_v2::<true>),
        )
        .route("/api/v2/blacklist/records/{rule_id}", put(toggle_v2::<false>))
        .route("/api/v2/whitelist/records/{rule_id}", put(toggle_v2::<true>))
}

/// Which list a route serves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum List {
    /// `block`.
    Block,
    /// `allow`.
    Allow,
}

impl List {
    fn of(allow: bool) -> Self {
        if allow { List::Allow } else { List::Block }
    }

    fn column(self) -> &'static str {
        match self {
            List::Block => "block",
            List::Allow => "allow",
        }
    }
}

const RULE_COLUMNS: &str =
    "rule_id, regex, is_match_exact_word, is_enabled, is_deleted, created_at, updated_at";

fn rule_from_row(row: &SqliteRow, list: List) -> ListRule {
    ListRule {
        rule_id: Some(row.get("rule_id")),
        regex: row.get("regex"),
        // The allowlist's rules have no such field (spec: AllowedlistResponse).
        is_match_exact_word: (list == List::Block).then(|| row.get("is_match_exact_word")),
        is_enabled: row.get("is_enabled"),
        is_deleted: row.get("is_deleted"),
        created_at: Some(row.get("created_at")),
        updated_at: Some(row.get("updated_at")),
    }
}

fn now() -> String {
    time_fmt::format(OffsetDateTime::now_utc())
}

/// Checks an add or replace body: 0..=100 patterns of 1..=500 characters that compile.
fn validate(rules: &AddRules) -> Result<(), ApiError> {
    let mut problems = Vec::new();
    if rules.regexs.len() > RULES_PER_CALL_MAX {
        problems.push(format!("regexs must have at most {RULES_PER_CALL_MAX} items"));
    }
    for regex in &rules.regexs {
        if regex.is_empty() || regex.chars().count() > REGEX_MAX_CHARS {
            problems.push(format!("each regex must be 1 to {REGEX_MAX_CHARS} characters"));
        } else if let Err(error) = compile(regex, rules.is_match_exact_word.unwrap_or(false)) {
            problems.push(format!("`{regex}` is not a valid regular expression: {error}"));
        }
    }
    if problems.is_empty() { Ok(()) } else { Err(ApiError::bad_request(problems)) }
}

/// Adds the rules that are not already live in the list.
async fn insert_rules(db: &SqlitePool, list: List, rules: &AddRules) -> Result<(), ApiError> {
    let exact = list == List::Block && rules.is_match_exact_word.unwrap_or(false);
    let at = now();
    let mut rng = fastrand::Rng::new();
    for regex in &rules.regexs {
        sqlx::query(
            "INSERT INTO list_rules (rule_id, list, regex, is_match_exact_word, is_enabled, is_deleted, created_at, \
             updated_at) SELECT ?, ?, ?, ?, 1, 0, ?, ? WHERE NOT EXISTS \
             (SELECT 1 FROM list_rules WHERE list = ? AND regex = ? AND is_deleted = 0)",
        )
        .bind(hex_id(&mut rng, 24))
        .bind(list.column())
        .bind(regex)
        .bind(exact)
        .bind(&at)
        .bind(&at)
        .bind(list.column())
        .bind(regex)
        .execute(db)
        .await?;
    }
    Ok(())
}

async fn query_v3<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RulePage>, ApiError> {
    let list = List::of(ALLOW);
    let mut params = Params::parse(raw.as_deref());
    let regex = params.string("regex", REGEX_MAX_CHARS).filter(|r| !r.is_empty());
    let sort_by = params.one_of("sortBy", &["firstCreated", "lastCreated"], "lastCreated");
    let limit = params.integer("options[limit]", 1..=100).unwrap_or(10);
    let page = match params.string("options[token]", 1000) {
        Some(token) => PageToken::decode(&token).unwrap_or_else(|| {
            params.problem("options[token] is not a valid paging token");
            PageToken { skip: 0, limit }
        }),
        None => PageToken { skip: 0, limit },
    };
    params.finish()?;
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {RULE_COLUMNS} FROM list_rules WHERE list = "));
    sql.push_bind(list.column()).push(" AND is_deleted = 0");
    if let Some(regex) = regex {
        sql.push(" AND instr(lower(regex), ").push_bind(regex.to_lowercase()).push(") > 0");
    }
    sql.push(if sort_by == "firstCreated" {
        " ORDER BY created_at ASC, rowid ASC"
    } else {
        " ORDER BY created_at DESC, rowid DESC"
    });
    sql.push(" LIMIT ").push_bind(i64::from(page.limit) + 1);
    sql.push(" OFFSET ").push_bind(i64::try_from(page.skip).unwrap_or(i64::MAX));
    let mut rows = sql.build().fetch_all(&state.db).await?;
    let has_more = rows.len() > page.limit as usize;
    rows.truncate(page.limit as usize);
    Ok(Json(RulePage {
        results: rows.iter().map(|row| rule_from_row(row, list)).collect(),
        paging: Some(Paging {
            next: page.next(has_more).map(PageToken::encode),
            previous: page.previous().map(PageToken::encode),
            total: None,
        }),
    }))
}

async fn add_v3<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Success>, ApiError> {
    let list = List::of(ALLOW);
    let rules: AddRules = body_as(body)?;
    validate(&rules)?;
    insert_rules(&state.db, list, &rules).await?;
    Ok(Json(Success { success: true }))
}

fn texts_of(body: Value) -> Result<Vec<String>, ApiError> {
    let VerifyTexts { data } = body_as(body)?;
    if data.is_empty() || data.len() > 10 || data.iter().any(|t| t.chars().count() > 500) {
        return Err(ApiError::bad_request(vec![
            "data must hold 1 to 10 texts of at most 500 characters".into(),
        ]));
    }
    Ok(data)
}

/// `POST /api/v3/blocklists/verify`: 200 `{success}` or 403 / 400308.
pub async fn verify_blocklist(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Success>, ApiError> {
    blocklist::verify_texts(&state.db, &texts_of(body)?).await?;
    Ok(Json(Success { success: true }))
}

/// `POST /api/v3/allowlists/verify`: 200 `{success}`, 400 / 400000 for a non-URL, or
/// 403 / 400309 for a URL no rule allows.
pub async fn verify_allowlist(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Success>, ApiError> {
    blocklist::verify_links(&state.db, &texts_of(body)?).await?;
    Ok(Json(Success { success: true }))
}

async fn list_v2<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<RuleListV2>, ApiError> {
    let list = List::of(ALLOW);
    let params = Params::parse(raw.as_deref());
    let only = params.array("regexs");
    let mut sql = QueryBuilder::<Sqlite>::new(format!("SELECT {RULE_COLUMNS} FROM list_rules WHERE list = "));
    sql.push_bind(list.column()).push(" AND is_deleted = 0");
    if !only.is_empty() {
        sql.push(" AND regex IN (");
        let mut separated = sql.separated(", ");
        for regex in &only {
            separated.push_bind(regex.clone());
        }
        sql.push(")");
    }
    sql.push(" ORDER BY created_at ASC, rowid ASC");
    let rows = sql.build().fetch_all(&state.db).await?;
    Ok(Json(RuleListV2 {
        status: Some("success".into()),
        data: RuleResults { results: rows.iter().map(|row| rule_from_row(row, list)).collect() },
    }))
}

fn done() -> Json<Value> {
    Json(json!({ "status": "success" }))
}

async fn add_v2<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let list = List::of(ALLOW);
    let rules: AddRules = body_as(body)?;
    validate(&rules)?;
    insert_rules(&state.db, list, &rules).await?;
    Ok(done())
}

/// Replaces every live rule of the list: the old ones are marked deleted.
async fn replace_v2<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    Json(body): Json<Value>,
) -> Result<Json<Value>, ApiError> {
    let list = List::of(ALLOW);
    let rules: AddRules = body_as(body)?;
    validate(&rules)?;
    sqlx::query("UPDATE list_rules SET is_deleted = 1, updated_at = ? WHERE list = ? AND is_deleted = 0")
        .bind(now())
        .bind(list.column())
        .execute(&state.db)
        .await?;
    insert_rules(&state.db, list, &rules).await?;
    Ok(done())
}

/// Marks the rules deleted; 404 when none of them is a live rule of the list.
async fn delete_v2<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    RawQuery(raw): RawQuery,
) -> Result<Json<Value>, ApiError> {
    let list = List::of(ALLOW);
    let mut params = Params::parse(raw.as_deref());
    let ids = params.array("ruleIds");
    if ids.is_empty() {
        params.problem("ruleIds is required");
    }
    params.finish()?;
    let mut sql = QueryBuilder::<Sqlite>::new("UPDATE list_rules SET is_deleted = 1, updated_at = ");
    sql.push_bind(now())
        .push(" WHERE list = ")
        .push_bind(list.column())
        .push(" AND is_deleted = 0 AND rule_id IN (");
    let mut separated = sql.separated(", ");
    for id in &ids {
        separated.push_bind(id.clone());
    }
    sql.push(")");
    if sql.build().execute(&state.db).await?.rows_affected() == 0 {
        return Err(ApiError::not_found("Rule"));
    }
    Ok(done())
}

async fn toggle_v2<const ALLOW: bool>(
    AxumState(state): AxumState<State>,
    Path(rule_id): Path<String>,
    Json(body): Json<Value>,
) -> Result<Json<RuleV2>, ApiError> {
    let list = List::of(ALLOW);
    let toggle: RuleToggle = body_as(body)?;
    if toggle.rule_id != rule_id {
        return Err(ApiError::bad_request(vec!["ruleId in the body must match the path".into()]));
    }
    let changed = sqlx::query(
        "UPDATE list_rules SET is_enabled = ?, updated_at = ? WHERE rule_id = ? AND list = ? AND is_deleted = 0",
    )
    .bind(toggle.is_enabled)
    .bind(now())
    .bind(&rule_id)
    .bind(list.column())
    .execute(&state.db)
    .await?
    .rows_affected();
    if changed == 0 {
        return Err(ApiError::not_found("Rule"));
    }
    let row = sqlx::query(&format!("SELECT {RULE_COLUMNS} FROM list_rules WHERE rule_id = ?"))
        .bind(&rule_id)
        .fetch_one(&state.db)
        .await?;
    Ok(Json(RuleV2 { status: Some("success".into()), data: rule_from_row(&row, list) }))
}
