//! Stand-in-only control routes under `/_standin/`, not part of the Social+ API. They sit
//! behind the admin token like everything else, but outside the request budget and fault
//! injection, so a test can always change or clear what it set.
//!
//! - `GET /_standin/webhooks` → `{"webhooks": [{"url"}]}` (secrets are never echoed)
//! - `POST /_standin/webhooks` `{"url", "secret"}` → 201, replacing a target with that URL
//! - `DELETE /_standin/webhooks?url=…` → 204, or 404 if there was none
//! - `GET | PUT | DELETE /_standin/faults` → the [`FaultPlan`] in force / replace it / clear it
//! - `GET | PUT | DELETE /_standin/budget` → `{"perSecond": N | null}` / set it / turn it off

use crate::{State, error::ApiError, faults::FaultPlan, webhooks::WebhookTarget};
use axum::{
    Json, Router,
    extract::{
        Query, State as AxumState,
        rejection::{JsonRejection, QueryRejection},
    },
    http::StatusCode,
    response::{IntoResponse, Response},
    routing::get,
};
use serde::{Deserialize, Serialize};
use serde_json::json;

pub fn routes() -> Router<State> {
    Router::new()
        .route("/_standin/webhooks", get(list_webhooks).post(add_webhook).delete(remove_webhook))
        .route("/_standin/faults", get(get_faults).put(put_faults).delete(clear_faults))
        .route("/_standin/budget", get(get_budget).put(put_budget).delete(clear_budget))
}

/// A JSON body, or 400 / 400000 saying why it is not one.
fn body<T>(body: Result<Json<T>, JsonRejection>) -> Result<T, ApiError> {
    body.map(|Json(value)| value).map_err(|rejection| ApiError::bad_request(vec![rejection.body_text()]))
}

async fn list_webhooks(AxumState(state): AxumState<State>) -> Json<serde_json::Value> {
    let urls: Vec<_> = state.webhooks.list().into_iter().map(|target| json!({ "url": target.url })).collect();
    Json(json!({ "webhooks": urls }))
}

async fn add_webhook(
    AxumState(state): AxumState<State>,
    target: Result<Json<WebhookTarget>, JsonRejection>,
) -> Result<Response, ApiError> {
    let target = body(target)?;
    target.validate().map_err(|problem| ApiError::bad_request(vec![problem]))?;
    let url = target.url.clone();
    state.webhooks.upsert(target);
    Ok((StatusCode::CREATED, Json(json!({ "url": url }))).into_response())
}

#[derive(Deserialize)]
struct UrlQuery {
    url: String,
}

async fn remove_webhook(
    AxumState(state): AxumState<State>,
    query: Result<Query<UrlQuery>, QueryRejection>,
) -> Result<StatusCode, ApiError> {
    let Query(UrlQuery { url }) =
        query.map_err(|rejection| ApiError::bad_request(vec![rejection.body_text()]))?;
    if state.webhooks.remove(&url) { Ok(StatusCode::NO_CONTENT) } else { Err(ApiError::not_found("Webhook")) }
}

async fn get_faults(AxumState(state): AxumState<State>) -> Json<FaultPlan> {
    Json(state.faults.plan())
}

async fn put_faults(
    AxumState(state): AxumState<State>,
    plan: Result<Json<FaultPlan>, JsonRejection>,
) -> Result<Json<FaultPlan>, ApiError> {
    let plan = body(plan)?;
    plan.validate().map_err(ApiError::bad_request)?;
    state.faults.replace(plan.clone());
    Ok(Json(plan))
}

async fn clear_faults(AxumState(state): AxumState<State>) -> StatusCode {
    state.faults.replace(FaultPlan::default());
    StatusCode::NO_CONTENT
}

#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
struct BudgetBody {
    per_second: Option<u32>,
}

async fn get_budget(AxumState(state): AxumState<State>) -> Json<BudgetBody> {
    Json(BudgetBody { per_second: state.budget.per_second() })
}

async fn put_budget(
    AxumState(state): AxumState<State>,
    budget: Result<Json<BudgetBody>, JsonRejection>,
) -> Result<Json<BudgetBody>, ApiError> {
    let BudgetBody { per_second } = body(budget)?;
    state.budget.set_per_second(per_second);
    Ok(Json(BudgetBody { per_second }))
}

async fn clear_budget(AxumState(state): AxumState<State>) -> StatusCode {
    state.budget.set_per_second(None);
    StatusCode::NO_CONTENT
}
