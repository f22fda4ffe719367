//! `bmw`: thin entry point. Everything else is in `startup`.

use clap::Parser;
use server::config::{Cli, Command, Config};
use server::startup::{self, Application};
use std::process::ExitCode;

#[tokio::main]
async fn main() -> ExitCode {
    server::telemetry::init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("bmw: {err}");
            ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> Result<(), Box<dyn std::error::Error>> {
    let config = Config::load(&cli)?;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Migrate => {
            startup::open_database(&config).await?;
            println!("migrations applied to {}", config.database_url);
        }
        Command::Serve => {
            let app = Application::build(config).await?;
            let scheme = if app.is_tls() { "https" } else { "http" };
            tracing::info!("listening on {scheme}://{}", app.local_addr());
            app.run_until(server::shutdown_signal()).await?;
        }
    }
    Ok(())
}
