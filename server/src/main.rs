//! `bmw`: thin entry point. Everything else is in `startup`.

use server::config::{Command, Config, ConfigError};
use server::startup::{self, Application};
use std::process::ExitCode;

/// mimalloc serves pages 15–30 % faster than glibc's malloc (MyBM allocates thousands of
/// small strings per request). Left at its defaults it keeps freed memory around, which took a
/// feed import's peak RSS from 57 to about 100 MB; [`return_memory_promptly`] brings it back to
/// glibc's and keeps the speed (see docs/benchmarks.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Tells mimalloc to give freed memory back at once and to commit arena memory only as it is
/// used. The option numbers are `mi_option_purge_delay` and `mi_option_arena_eager_commit` in
/// the `mi_option_e` enum of mimalloc 3's `mimalloc.h`; libmimalloc-sys does not name them.
/// It runs before `main` (and before the Rust runtime's first allocation): mimalloc reserves
/// its first arena at the first allocation, with the options as they are then.
#[allow(unsafe_code)]
#[ctor::ctor(unsafe)]
fn return_memory_promptly() {
    const ARENA_EAGER_COMMIT: libmimalloc_sys::mi_option_t = 4;
    const PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;
    // SAFETY: setting an option is a plain store that mimalloc allows at any time.
    unsafe {
        libmimalloc_sys::mi_option_set(PURGE_DELAY, 0);
        libmimalloc_sys::mi_option_set(ARENA_EAGER_COMMIT, 0);
    }
}

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
