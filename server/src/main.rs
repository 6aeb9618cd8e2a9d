//! The Social+ Console server. Configuration: see `.env.example` and `config/`.

use server::{config::Settings, startup::Application, telemetry};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let config = match Settings::from_env().and_then(Settings::validate) {
        Ok(config) => config,
        Err(error) => {
            eprintln!("{error}");
            std::process::exit(2);
        }
    };
    telemetry::init(&config.log);
    let application = Application::build(config).await?;
    println!("{}", application.banner());
    application.run_until_stopped().await
}
