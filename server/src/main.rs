//! `bmw`: thin entry point. Everything else is in `startup`.

use server::config::{Command, Config};
use server::startup::{self, Application};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bmw: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let (cli, config) = Config::load(std::env::args_os().collect())?;
    match cli.command.unwrap_or(Command::Serve) {
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
    Ok(())
}
