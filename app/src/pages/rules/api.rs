//! Server functions of the Rules pages; all need `ManageSettings`. Forms post without WASM
//! (`ActionForm`; a failed plain post redirects back to the form, which shows the error);
//! each change is audited.

use crate::AppError;
use leptos::prelude::*;
use types::{
    page::Page,
    rule_runs::{RuleDetail, RuleRun, RuleSummary},
    rules::{DryRunReport, NewRule, Rule},
};

#[cfg(feature = "ssr")]
use crate::pages::users::manage_api::server::plain_form;

/// Audits a change to rule `id` by the person signed in (the target names the rule).
#[cfg(feature = "ssr")]
async fn audit(
    ctx: &crate::ctx::Ctx,
    action: &str,
    id: i64,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) {
    use backend::audit::{Change, Outcome};
    let change = Change { before, after, ..Change::default() };
    ctx.record(action, Some(&backend::rules::actor_id(id)), Outcome::Success, change).await;
}

#[cfg(feature = "ssr")]
fn rule_error(ctx: &crate::ctx::Ctx, error: backend::rules::RuleError) -> AppError {
    use backend::rules::RuleError;
    match error {
        RuleError::Invalid(field, message) => ctx.invalid(field, message),
        RuleError::NotFound => ctx.not_found("The rule".into()),
        RuleError::NeedsDryRun => {
            ctx.invalid("enabled", "Run a dry run of the rule before enabling it.".into())
        }
        RuleError::Database(e) => ctx.fail(e.into()),
    }
}

/// Every rule with its run counts.
#[server(endpoint = "list_rules")]
pub async fn list_rules() -> Result<Vec<RuleSummary>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    let db = &ctx.services.db;
    let rules = backend::rules::list(db).await.map_err(|e| ctx.fail(e.into()))?;
    let mut counts = backend::rules::runs::counts(db).await.map_err(|e| ctx.fail(e.into()))?;
    Ok(rules
        .into_iter()
        .map(|rule| RuleSummary { runs: counts.remove(&rule.id).unwrap_or_default(), rule })
        .collect())
}

/// One rule: its definition, run counts and the report of its last dry run.
#[server(endpoint = "get_rule")]
pub async fn get_rule(id: i64) -> Result<RuleDetail, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    let db = &ctx.services.db;
    let rule = backend::rules::get(db, id)
        .await
        .map_err(|e| ctx.fail(e.into()))?
        .ok_or_else(|| ctx.not_found("The rule".into()))?;
    let runs = backend::rules::runs::counts_of(db, id).await.map_err(|e| ctx.fail(e.into()))?;
    let last_dry_run = backend::rules::dry_run::last(db, id).await.map_err(|e| ctx.fail(e.into()))?;
    Ok(RuleDetail { rule, runs, last_dry_run })
}

/// A page of the rule's runs, newest first; `before` is the `next` of the previous page.
#[server(endpoint = "list_rule_runs")]
pub async fn list_rule_runs(
    id: i64,
    #[server(default)] before: Option<i64>,
) -> Result<Page<RuleRun>, AppError> {
    let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
    // A missing or deleted rule is "not found", not an empty history.
    backend::rules::get(&ctx.services.db, id)
        .await
        .map_err(|e| ctx.fail(e.into()))?
        .ok_or_else(|| ctx.not_found("The rule".into()))?;
    backend::rules::runs::history(&ctx.services.db, id, before).await.map_err(|e| ctx.fail(e.into()))
}

/// Creates a disabled rule from the form's fields ([`NewRule`]: `action` is one of
/// [`types::rules::ACTIONS`]; `url` is for `notify`, `minutes` for `ban`).
#[server(endpoint = "create_rule")]
pub async fn create_rule(#[server(flatten)] rule: NewRule) -> Result<i64, AppError> {
    plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
        let id = backend::rules::create(&ctx.services.db, &ctx.services.outbound, &rule, &ctx.actor.id)
            .await
            .map_err(|e| rule_error(&ctx, e))?;
        let after = serde_json::to_value(&rule).ok();
        audit(&ctx, "rule_create", id, None, after).await;
        Ok(id)
    })
    .await
}

/// Saves an edited rule (the same fields as [`create_rule`], and its `id`). A changed
/// definition disables it and needs a new dry run before it can be enabled again. Audited
/// with the rule before and after.
#[server(endpoint = "update_rule")]
pub async fn update_rule(id: i64, #[server(flatten)] rule: NewRule) -> Result<Rule, AppError> {
    plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
        let (before, after) = backend::rules::update(&ctx.services.db, &ctx.services.outbound, id, &rule)
            .await
            .map_err(|e| rule_error(&ctx, e))?;
        audit(&ctx, "rule_update", id, serde_json::to_value(&before).ok(), serde_json::to_value(&after).ok())
            .await;
        Ok(after)
    })
    .await
}

/// Runs the rule over stored events without acting and says what it would have done.
#[server(endpoint = "dry_run_rule")]
pub async fn dry_run_rule(id: i64) -> Result<DryRunReport, AppError> {
    plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
        let report = backend::rules::dry_run::dry_run(&ctx.services.db, id)
            .await
            .map_err(|e| ctx.fail(e.into()))?
            .ok_or_else(|| ctx.not_found("The rule".into()))?;
        let after = serde_json::json!({ "scanned": report.scanned, "matched": report.matched });
        audit(&ctx, "rule_dry_run", id, None, Some(after)).await;
        Ok(report)
    })
    .await
}

/// Enables (`change` = `enable`, only after a dry run) or disables (`disable`) a rule.
#[server(endpoint = "set_rule_enabled")]
pub async fn set_rule_enabled(id: i64, change: String) -> Result<Rule, AppError> {
    plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
        let enabled = match change.as_str() {
            "enable" => true,
            "disable" => false,
            other => return Err(ctx.invalid("change", format!("“{other}” is neither enable nor disable."))),
        };
        let rule = backend::rules::set_enabled(&ctx.services.db, id, enabled)
            .await
            .map_err(|e| rule_error(&ctx, e))?;
        let action = if enabled { "rule_enable" } else { "rule_disable" };
        audit(&ctx, action, id, None, None).await;
        Ok(rule)
    })
    .await
}

/// Deletes a rule (it never runs again; its runs and audit entries stay).
#[server(endpoint = "delete_rule")]
pub async fn delete_rule(id: i64) -> Result<(), AppError> {
    plain_form(async move {
        let ctx = crate::ctx::require(types::Permission::ManageSettings)?;
        let deleted = backend::rules::delete(&ctx.services.db, id).await.map_err(|e| ctx.fail(e.into()))?;
        if !deleted {
            return Err(ctx.not_found("The rule".into()));
        }
        audit(&ctx, "rule_delete", id, None, None).await;
        Ok(())
    })
    .await
}
