//! The client's cost per call over raw reqwest, against a running Social+ API (the
//! stand-in in `cargo xtask bench`). Both sides do the same work a caller needs: one
//! `GET /api/v3/users/{userId}` with the bearer token over a kept-alive connection, the
//! body read and decoded into `UserEnvelope`. The client adds what makes it the one send
//! path: request values, the budget check, retry bookkeeping, logging and JSON-path
//! decoding. Batches alternate so drift in the machine hits both sides alike.
//!
//! `cargo bench -p upstream --features client --bench client_overhead -- --url URL --token T [--calls N]`
//! prints one JSON object on stdout.

use secrecy::SecretString;
use std::time::{Duration, Instant};
use upstream::endpoints::users::{GetUser, QueryUsers};
use upstream::{Client, ClientConfig, query::UserQuery, wire::UserEnvelope};

const BATCH: usize = 100;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1)).cloned()
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    let index = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted.get(index).map_or(0.0, |d| d.as_secs_f64() * 1e6)
}

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let (Some(url), Some(token)) = (arg("--url"), arg("--token")) else {
        // `cargo bench` without arguments (e.g. all benches): nothing to measure against.
        eprintln!("client_overhead: needs --url and --token; skipped");
        return Ok(());
    };
    let calls: usize = arg("--calls").and_then(|c| c.parse().ok()).unwrap_or(4_000);
    upstream::ensure_tls_provider();

    let mut config = ClientConfig::new(url.parse()?, SecretString::from(token.clone()));
    config.budget_per_second = None; // measure the client, not the budget's sleeping
    let client = Client::new(config)?;
    let user_id = client
        .send(&QueryUsers(&UserQuery { limit: Some(1), ..UserQuery::default() }))
        .await?
        .users
        .first()
        .map(|u| u.user_id.clone())
        .ok_or("the API has no users")?;

    let raw = reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .connect_timeout(Duration::from_secs(3))
        .build()?;
    let raw_url = format!("{}/api/v3/users/{user_id}", url.trim_end_matches('/'));

    let mut raw_times = Vec::with_capacity(calls);
    let mut client_times = Vec::with_capacity(calls);
    // Warm both connections and code paths.
    for _ in 0..BATCH {
        raw_call(&raw, &raw_url, &token).await?;
        client.send(&GetUser { user_id: &user_id }).await?;
    }
    while raw_times.len() < calls {
        for _ in 0..BATCH {
            let started = Instant::now();
            raw_call(&raw, &raw_url, &token).await?;
            raw_times.push(started.elapsed());
        }
        for _ in 0..BATCH {
            let started = Instant::now();
            let envelope = client.send(&GetUser { user_id: &user_id }).await?;
            client_times.push(started.elapsed());
            std::hint::black_box(envelope);
        }
    }
    raw_times.sort();
    client_times.sort();
    let (raw_p50, client_p50) = (percentile(&raw_times, 0.5), percentile(&client_times, 0.5));
    println!(
        "{}",
        serde_json::json!({
            "calls": calls,
            "raw_p50_us": raw_p50,
            "raw_p99_us": percentile(&raw_times, 0.99),
            "client_p50_us": client_p50,
            "client_p99_us": percentile(&client_times, 0.99),
            "overhead_p50_us": client_p50 - raw_p50,
            "ratio_p50": client_p50 / raw_p50,
        })
    );
    Ok(())
}

async fn raw_call(http: &reqwest::Client, url: &str, token: &str) -> Result<(), Box<dyn std::error::Error>> {
    let response = http.get(url).bearer_auth(token).header("accept", "application/json").send().await?;
    let status = response.status();
    let body = response.bytes().await?;
    if !status.is_success() {
        return Err(format!("raw call answered {status}").into());
    }
    std::hint::black_box(serde_json::from_slice::<UserEnvelope>(&body)?);
    Ok(())
}
