//! Every setting, declared once: its flag, its environment variable (also its key in
//! `Leptos.toml`), its default and its help, grouped by subsystem. `bmw --help` prints them.
//!
//! The JWT secrets and the real-time sources' API keys are the exception: they come from the
//! environment or the file only, never a flag, so they stay out of `ps` (see [`SECRET_KEYS`]).

use clap::Args;
use std::net::SocketAddr;
use std::path::PathBuf;

/// Settings read from the environment or the file only.
pub const SECRET_KEYS: [&str; 3] = ["BMW_JWT_SECRET", "BMW_JWT_PREVIOUS_SECRETS", "BMW_REALTIME_HEADERS"];

/// The settings as given, after layering and defaults, before checks.
#[derive(Debug, Clone, Args)]
pub struct Settings {
    #[command(flatten)]
    pub http: HttpSettings,
    #[command(flatten)]
    pub storage: StorageSettings,
    #[command(flatten)]
    pub auth: AuthSettings,
    #[command(flatten)]
    pub tls: TlsSettings,
    #[command(flatten)]
    pub transit: TransitSettings,
}

/// What this process serves, where, and for which origins.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "HTTP")]
pub struct HttpSettings {
    /// Listen address
    #[arg(long, env = "LEPTOS_SITE_ADDR", default_value = "127.0.0.1:3000", global = true)]
    pub site_addr: SocketAddr,

    /// The origin users load pages from, e.g. https://bmw.example.com. Decides whether cookies
    /// are Secure and __Host- prefixed [default: http://<listen address>]
    #[arg(long, env = "BMW_PUBLIC_ORIGIN", global = true)]
    pub public_origin: Option<String>,

    /// The origin that serves server functions and the REST API. When it differs from the
    /// public origin, the app runs split [default: the public origin]
    #[arg(long, env = "BMW_API_ORIGIN", global = true)]
    pub api_origin: Option<String>,

    /// What this process serves: `all`, `web` (pages and assets) or `api` (server functions and
    /// /api/*). Several processes of one deployment share the database
    #[arg(long, env = "BMW_ROLE", global = true, value_enum, default_value = "all")]
    pub role: super::Role,

    /// Other origins allowed to call the API with credentials, comma-separated and exact
    /// (CORS and CSRF). Never `*` [default: none]
    #[arg(long, env = "BMW_ALLOWED_ORIGINS", global = true)]
    pub allowed_origins: Option<String>,

    /// Pages and API on sibling hosts that share only their registrable domain (app.example.com
    /// and api.example.com): accept that the session cookie then goes to every host under that
    /// domain. Without it such a split is refused; prefer a dedicated subdomain
    /// (app.bmw.example.com and api.bmw.example.com)
    #[arg(
        long,
        env = "BMW_COOKIE_SITE_WIDE",
        global = true,
        num_args = 0..=1,
        default_value = "false",
        default_missing_value = "true",
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub cookie_site_wide: bool,

    /// Reverse proxies in front of bmw, comma-separated addresses and CIDR blocks
    /// (`10.0.0.0/8, ::1`). Only from these peers is `X-Forwarded-For` read for the client's
    /// address (the right-most hop that is not itself a trusted proxy), and `X-Forwarded-Proto`
    /// only to warn when https arrives for an http public origin; from anyone else both are
    /// ignored [default: none]
    #[arg(long, env = "BMW_TRUSTED_PROXIES", global = true)]
    pub trusted_proxies: Option<String>,

    /// Where the built site (wasm, JS, CSS, assets) is [default: target/site, or as cargo-leptos sets it]
    #[arg(long, env = "LEPTOS_SITE_ROOT", global = true)]
    pub site_root: Option<PathBuf>,

    /// The release build's file of asset hashes, relative to the binary's directory. When it
    /// exists, pages link the hashed names of the wasm, JS and CSS files, which are then served
    /// as immutable [default: hash.txt]
    #[arg(long, env = "LEPTOS_HASH_FILE_NAME", global = true)]
    pub hash_file: Option<PathBuf>,
}

/// Where data lives.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Storage")]
pub struct StorageSettings {
    /// SQLite database URL [default: sqlite://<data dir>/bmw.db]
    #[arg(long, env = "DATABASE_URL", global = true)]
    pub database_url: Option<String>,

    /// Where the database and generated secrets live
    #[arg(long, env = "BMW_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,

    /// The transit catalog's SQLite database, kept apart so a long feed import never blocks
    /// sign-ins [default: sqlite://<data dir>/transit.db]
    #[arg(long, env = "BMW_TRANSIT_DATABASE_URL", global = true)]
    pub transit_database_url: Option<String>,
}

/// GTFS feeds.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Transit")]
pub struct TransitSettings {
    /// GTFS feeds to serve, comma-separated `name=source`; a source is a zip, a directory or an
    /// https:// URL. A feed never imported is imported at start; URL feeds are refreshed on a
    /// schedule [default: none]
    #[arg(long, env = "BMW_FEEDS", global = true)]
    pub feeds: Option<String>,

    /// Seconds between checks of the feeds given by URL (a conditional GET: an unchanged feed
    /// costs one request)
    #[arg(long, env = "BMW_FEED_REFRESH_SECS", default_value = "21600", global = true)]
    pub feed_refresh_secs: u64,

    /// GTFS Realtime sources (trip updates, alerts), comma-separated `feed=URL`. A feed may be
    /// named several times: agencies often serve trip updates and alerts apart. An API key
    /// goes in BMW_REALTIME_HEADERS (environment or file only), as `feed=Header-Name: value`
    /// [default: none]
    #[arg(long, env = "BMW_REALTIME", global = true)]
    pub realtime: Option<String>,

    /// Seconds between polls of each real-time source (after an error, up to ten times longer)
    #[arg(long, env = "BMW_REALTIME_POLL_SECS", default_value = "30", global = true,
          value_parser = clap::value_parser!(u64).range(1..=3600))]
    pub realtime_poll_secs: u64,

    /// Real-time data older than this many seconds is not shown as live: the pages then say
    /// "schedule only"
    #[arg(long, env = "BMW_REALTIME_MAX_AGE_SECS", default_value = "300", global = true,
          value_parser = clap::value_parser!(u64).range(10..=86400))]
    pub realtime_max_age_secs: u64,

    /// Largest real-time message accepted, in bytes; a bigger one is dropped and logged
    #[arg(long, env = "BMW_REALTIME_MAX_BYTES", default_value = "4194304", global = true,
          value_parser = clap::value_parser!(u64).range(1024..=268435456))]
    pub realtime_max_bytes: u64,
}

/// How long sign-in sessions and their tokens live.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Sessions")]
pub struct AuthSettings {
    /// Access-token lifetime in seconds
    #[arg(long, env = "BMW_ACCESS_TTL_SECS", default_value = "900", global = true)]
    pub access_ttl_secs: u64,

    /// Absolute session (refresh-token) lifetime in seconds (30 days)
    #[arg(long, env = "BMW_REFRESH_TTL_SECS", default_value = "2592000", global = true)]
    pub refresh_ttl_secs: u64,

    /// A session unused for this many seconds ends (7 days)
    #[arg(long, env = "BMW_SESSION_IDLE_SECS", default_value = "604800", global = true)]
    pub session_idle_secs: u64,

    /// Sign-ups one client address may make per hour before each further one must wait (1 s,
    /// 2 s, 4 s… up to 10 min). Raise it for many users behind one address (a campus NAT).
    #[arg(long, env = "BMW_SIGN_UPS_PER_ADDRESS", default_value = "10", global = true)]
    pub sign_ups_per_address: u32,

    /// Most live sessions per account; a new sign-in ends the least recently used beyond it.
    #[arg(long, env = "BMW_MAX_SESSIONS", default_value = "20", global = true,
          value_parser = clap::value_parser!(u32).range(1..=1000))]
    pub max_sessions: u32,
}

/// Built-in HTTPS.
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "TLS")]
pub struct TlsSettings {
    /// TLS certificate chain (PEM). Serves https with rustls; needs BMW_TLS_KEY.
    #[arg(long, env = "BMW_TLS_CERT", global = true)]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM) for BMW_TLS_CERT.
    #[arg(long, env = "BMW_TLS_KEY", global = true)]
    pub tls_key: Option<PathBuf>,

    /// Serve https with a generated development certificate for these names (comma-separated),
    /// kept in <data dir>/tls and reused on later starts.
    #[arg(long, env = "BMW_TLS_SELF_SIGNED", global = true)]
    pub tls_self_signed: Option<String>,

    /// With TLS on: also listen here over plain http and redirect everything to https.
    #[arg(long, env = "BMW_HTTP_REDIRECT_ADDR", global = true)]
    pub http_redirect_addr: Option<SocketAddr>,
}
