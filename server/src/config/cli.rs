//! The command line: subcommands, the configuration file, and every setting (see
//! [`super::settings`]).

use super::settings::Settings;
use clap::{Parser, Subcommand};
use serde::Deserialize;
use std::path::PathBuf;

#[derive(Debug, Parser)]
#[command(
    name = "bmw",
    version,
    about = "BMW (Bus · Metro · Walk): pages, server functions and JSON API from one binary",
    after_help = "Environment or Leptos.toml only (never flags, so they stay out of `ps`):\n  \
                  BMW_JWT_SECRET            HS256 key, at least 32 bytes. If unset, one is generated \
                  once and kept in <BMW_DATA_DIR>/jwt_secret (mode 0600).\n  \
                  BMW_JWT_PREVIOUS_SECRETS  older keys, comma-separated, still accepted while \
                  tokens signed with them live.\n\n\
                  Each option can also be set in Leptos.toml under the same name as its \
                  environment variable."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    /// The configuration file. Defaults to ./Leptos.toml when that exists.
    #[arg(long, env = "BMW_CONFIG", global = true)]
    pub config: Option<PathBuf>,
    #[command(flatten)]
    pub settings: Settings,
}

#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Apply database migrations, then exit.
    Migrate,
    /// Manage GTFS feeds: import, list, remove.
    Gtfs {
        #[command(subcommand)]
        command: GtfsCommand,
    },
    /// The cookie and CORS doctor: what browsers will do with the session cookies for the
    /// configured origins (or --public-origin/--api-origin), or, with --check, a live check of
    /// any deployment.
    Doctor(Box<crate::doctor::DoctorArgs>),
}

#[derive(Debug, Clone, Subcommand, PartialEq, Eq)]
pub enum GtfsCommand {
    /// Import a feed (a zip, a directory of .txt files, or an https:// URL) as the new version
    /// of `--feed`. The previous version keeps serving until the import commits; a bad feed
    /// changes nothing.
    Import {
        /// The feed: a .zip, a directory, or an https:// URL.
        source: String,
        /// The feed's name (a-z, 0-9, _ and -): the prefix of its stop and route ids.
        #[arg(long)]
        feed: String,
        /// Skip bad rows (and report how many of each kind) instead of refusing the feed.
        #[arg(long)]
        lenient: bool,
        /// Refuse feeds that unpack to more than this many MiB (zip bombs).
        #[arg(long, default_value = "2048")]
        max_unpacked_mib: u64,
    },
    /// List the imported feeds: version, counts, service dates, when imported.
    List,
    /// Remove a feed and all its data.
    Remove {
        /// The feed's name.
        feed: String,
    },
}

/// What one process serves.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, clap::ValueEnum, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// Pages, server functions and the REST API.
    #[default]
    All,
    /// Pages and assets, plus the pages' own plain-HTML form posts.
    Web,
    /// Server functions and /api/*; page requests are redirected to the public origin.
    Api,
}
