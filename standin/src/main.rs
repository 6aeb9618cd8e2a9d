//! Runs the stand-in on its own, for other tools and benchmarks.
//!
//! `standin [--addr 127.0.0.1:4000] [--db data/standin.sqlite] [--users 3000] [--posts 3000] [--seed 42] [--token T]
//! [--webhook URL=SECRET]… [--budget N] [--fault SPEC]… [--simulate RATE]`

use anyhow::{Context, anyhow, bail};
use standin::{FaultRule, RunningStandIn, SeedOptions, StandInConfig, Storage, WebhookTarget};

const USAGE: &str = "usage: standin [--addr 127.0.0.1:4000] [--db data/standin.sqlite] \
                     [--users 3000] [--posts 3000] [--seed 42] [--token TOKEN]\n\
                     \x20              [--webhook URL=SECRET]... [--budget N] [--fault SPEC]... [--simulate RATE]\n\
                     The admin token is read from --token or STANDIN_ADMIN_TOKEN, else generated and printed.\n\
                     --webhook URL=SECRET  deliver every event to URL, signed with SECRET (repeatable;\n\
                     \x20                     split at the first `=`)\n\
                     --budget N            answer 429 / 400311 past N requests per second\n\
                     --simulate RATE       simulated members post, comment, flag and join RATE times a second\n\
                     --fault SPEC          inject a fault (repeatable): KIND[=ARG][@[METHOD:]PATH] with KIND\n\
                     \x20                     latency=200ms | error=P (500) | 429[=P] | 500[=P] | hang[=P] |\n\
                     \x20                     reset[=P], or seed=N for reproducible draws; e.g.\n\
                     \x20                     latency=200ms@/api/v4/posts  error=0.1  429@GET:/api/v3/users\n\
                     Control routes (admin token): /_standin/webhooks, /_standin/faults, /_standin/budget.";

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .init();
    let mut config = StandInConfig {
        addr: "127.0.0.1:4000".parse()?,
        admin_token: std::env::var("STANDIN_ADMIN_TOKEN").unwrap_or_default(),
        storage: Storage::File("data/standin.sqlite".into()),
        seed: SeedOptions::default(),
        ..StandInConfig::default()
    };
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        if flag == "--help" || flag == "-h" {
            println!("{USAGE}");
            return Ok(());
        }
        let value = args.next().with_context(|| format!("{flag} needs a value\n{USAGE}"))?;
        match flag.as_str() {
            "--addr" => config.addr = value.parse().with_context(|| format!("bad --addr `{value}`"))?,
            "--db" => config.storage = Storage::File(value.into()),
            "--users" => {
                config.seed.users = value.parse().with_context(|| format!("bad --users `{value}`"))?
            }
            "--posts" => {
                config.seed.posts = value.parse().with_context(|| format!("bad --posts `{value}`"))?
            }
            "--seed" => config.seed.seed = value.parse().with_context(|| format!("bad --seed `{value}`"))?,
            "--token" => config.admin_token = value,
            "--webhook" => config.webhooks.push(WebhookTarget::parse(&value).map_err(|e| anyhow!(e))?),
            "--simulate" => {
                let rate: f64 = value.parse().with_context(|| format!("bad --simulate `{value}`"))?;
                if !(rate > 0.0 && rate.is_finite()) {
                    bail!("--simulate needs a positive rate, not `{value}`");
                }
                config.simulate_per_second = Some(rate);
            }
            "--budget" => {
                config.budget_per_second =
                    Some(value.parse().with_context(|| format!("bad --budget `{value}`"))?)
            }
            "--fault" => match value.strip_prefix("seed=") {
                Some(seed) => {
                    config.faults.seed = Some(seed.parse().with_context(|| format!("bad --fault `{value}`"))?)
                }
                None => config.faults.rules.push(FaultRule::parse(&value).map_err(|e| anyhow!(e))?),
            },
            other => bail!("unknown flag `{other}`\n{USAGE}"),
        }
    }
    if config.admin_token.is_empty() {
        config.admin_token = standin::generate_token();
        println!("admin token: {}", config.admin_token);
    }
    let running = RunningStandIn::start(config).await?;
    println!("stand-in listening on {}", running.base_url());
    stop_requested().await?;
    running.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM from a service manager or a benchmark harness.
async fn stop_requested() -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
        tokio::select! {
            result = tokio::signal::ctrl_c() => result,
            _ = terminate.recv() => Ok(()),
        }
    }
    #[cfg(not(unix))]
    {
        tokio::signal::ctrl_c().await
    }
}
