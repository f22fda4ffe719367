//! `bmw`: thin entry point. Everything else is in `startup`.

use server::config::{Command, Config, ConfigError};
use server::startup::{self, Application};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    match run().await {
        Ok(code) => code,
        Err(err) => {
            eprintln!("bmw: {err}");
            // A setting that cannot work is a usage error, like a malformed flag (clap: 2).
            if err.is::<ConfigError>() { ExitCode::from(2) } else { ExitCode::FAILURE }
        }
    }
}

async fn run() -> Result<ExitCode, Box<dyn std::error::Error>> {
    let (cli, config) = Config::load(std::env::args_os().collect())?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Doctor(args) => return Ok(server::doctor::run(*args, &config).await),
        Command::Migrate => {
            startup::migrate(&config).await?;
            println!(
                "migrations applied to {} and {}",
                config.storage.database_url, config.storage.transit_database_url
            );
        }
        Command::Gtfs { command } => server::feeds::cli::run(command, &config).await?,
        Command::Serve => {
            let app = Application::build(config).await?;
            let scheme = if app.is_tls() { "https" } else { "http" };
            tracing::info!("listening on {scheme}://{}", app.local_addr());
            app.run_until(server::shutdown::signal()).await?;
        }
    }
    Ok(ExitCode::SUCCESS)
}
