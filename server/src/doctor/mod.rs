//! `bmw doctor`: the cookie and CORS doctor.
//!
//! - Offline (the default): the verdict for BMW's configured origins (`--public-origin`,
//!   `--api-origin` and the other settings, or the environment and Leptos.toml), from
//!   `app::doctor::ssr::analysis`, which derives it from the one web policy.
//! - Live (`--check <page origin>`): real requests to any deployment, BMW or not ([`check`]).
//!
//! Exit status: 0 when it works, 1 when the topology cannot work or a live check fails, 2 when
//! an origin or option is wrong.

pub mod check;
mod client;
mod cookies;
mod cors;
mod offline;
mod print;
mod tls;

use crate::config::Config;
use app::doctor::model::CheckReport;
use std::path::PathBuf;
use std::process::ExitCode;

/// The doctor's own options; the offline origins are BMW's settings (`--public-origin`,
/// `--api-origin`, `--allowed-origins`, `--cookie-site-wide`).
#[derive(Debug, Clone, PartialEq, Eq, clap::Args)]
pub struct DoctorArgs {
    /// Check a live deployment whose pages are on this origin (any server, BMW or not)
    #[arg(long, value_name = "PAGE_ORIGIN")]
    pub check: Option<String>,
    /// With --check: the API's origin [default: the page origin]
    #[arg(long, value_name = "API_ORIGIN", requires = "check")]
    pub api: Option<String>,
    /// With --check: the API path to send the preflight and the credentialed request to
    #[arg(long, default_value = "/", requires = "check")]
    pub path: String,
    /// With --check: the method of the credentialed request (its preflight asks for it)
    #[arg(long, default_value = "GET", requires = "check")]
    pub method: String,
    /// With --check: sign in as this user first, so the session cookies are inspected
    #[arg(long, requires_all = ["check", "password_env"])]
    pub username: Option<String>,
    /// The environment variable holding the password (never on the command line, where `ps`
    /// shows it)
    #[arg(long, value_name = "VAR", requires = "username")]
    pub password_env: Option<String>,
    /// Where to sign in: a JSON POST of {"username", "password"} (BMW's REST sign-in)
    #[arg(long, default_value = "/api/auth/signin", requires = "username")]
    pub signin_path: String,
    /// Trust this PEM certificate (a self-signed or private CA) besides the public roots
    #[arg(long, value_name = "FILE", requires = "check")]
    pub ca_cert: Option<PathBuf>,
    /// Reach HOST at ADDR instead of asking DNS, like curl's --resolve (repeatable)
    #[arg(long, value_name = "HOST:ADDR", requires = "check")]
    pub resolve: Vec<String>,
    /// Machine-readable output
    #[arg(long)]
    pub json: bool,
}

/// Runs the doctor; the exit status is the verdict.
pub async fn run(args: DoctorArgs, config: &Config) -> ExitCode {
    let Some(page) = args.check.clone() else {
        return match offline::analyse(config) {
            Ok(analysis) => {
                print::emit(&analysis, args.json, print::analysis);
                if analysis.works() { ExitCode::SUCCESS } else { ExitCode::FAILURE }
            }
            Err(message) => usage(&message),
        };
    };
    let target = match check::Target::from_args(&page, &args) {
        Ok(target) => target,
        Err(message) => return usage(&message),
    };
    let report: CheckReport = check::run(&target).await;
    print::emit(&report, args.json, print::report);
    if report.failed() { ExitCode::FAILURE } else { ExitCode::SUCCESS }
}

fn usage(message: &str) -> ExitCode {
    eprintln!("bmw doctor: {message}");
    ExitCode::from(2)
}
