//! Configuration: every setting declared once ([`settings`]), layered flag > environment >
//! `Leptos.toml` > default ([`layers`]), then checked and resolved into one section per
//! subsystem. Settings that cannot work stop the server at start with the key, the reason and
//! the fix.

mod cli;
mod layers;
mod realtime;
mod settings;
mod tls;

pub use app::ssr::web_policy::origin::Origin;
pub use cli::{Cli, Command, GtfsCommand, Role};
pub use layers::Values;
pub use realtime::{RealtimeConfig, RealtimeSource};
pub use tls::{TlsFiles, TlsSource};

use clap::FromArgMatches;
use secrecy::SecretString;
use settings::{SECRET_KEYS, Settings};
use std::ffi::OsString;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

const DAY: u64 = 24 * 60 * 60;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config file {0}: {1}")]
    File(PathBuf, String),
    #[error("{key}: {message}")]
    Invalid { key: &'static str, message: String },
    #[error("{0}")]
    Secret(String),
    #[error("Leptos options: {0}")]
    Leptos(String),
    #[error("{0}")]
    Usage(String),
}

fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, message: message.into() }
}

/// The configuration after defaults and checks.
#[derive(Debug, Clone)]
pub struct Config {
    pub http: HttpConfig,
    pub storage: StorageConfig,
    pub auth: AuthConfig,
    pub tls: TlsConfig,
    pub transit: TransitConfig,
}

#[derive(Debug, Clone)]
pub struct HttpConfig {
    pub site_addr: SocketAddr,
    /// As configured; `None` means "http://" plus the address actually bound (see startup).
    pub public_origin: Option<Origin>,
    /// `None` means the public origin.
    pub api_origin: Option<Origin>,
    pub allowed_origins: Vec<Origin>,
    /// See `HttpSettings::cookie_site_wide`.
    pub cookie_site_wide: bool,
    /// See `HttpSettings::trusted_proxies`.
    pub trusted_proxies: Vec<ipnet::IpNet>,
    pub role: Role,
    pub site_root: Option<PathBuf>,
    /// See `HttpSettings::hash_file`; `None`: the default, next to the binary.
    pub hash_file: Option<PathBuf>,
}

#[derive(Debug, Clone)]
pub struct StorageConfig {
    pub data_dir: PathBuf,
    pub database_url: String,
    pub transit_database_url: String,
}

#[derive(Debug, Clone)]
pub struct TransitConfig {
    /// The feeds to serve: imported at start when missing, refreshed when given by URL.
    pub feeds: Vec<ConfiguredFeed>,
    pub refresh: Duration,
    pub realtime: RealtimeConfig,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfiguredFeed {
    pub name: String,
    pub source: FeedLocation,
}

/// Where a feed comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FeedLocation {
    Path(PathBuf),
    Url(String),
}

impl std::fmt::Display for FeedLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Path(path) => path.display().fmt(f),
            Self::Url(url) => url.fmt(f),
        }
    }
}

impl FeedLocation {
    /// A path, or an https:// URL. Plain http is refused (a feed decides what people see, and
    /// could be altered on the way) except on this machine's loopback.
    pub fn parse(text: &str) -> Result<FeedLocation, String> {
        if text.starts_with("https://") || text.starts_with("http://") {
            let uri = text.parse::<http::Uri>().map_err(|e| format!("{text}: {e}"))?;
            let loopback = matches!(uri.host(), Some("127.0.0.1" | "localhost" | "[::1]"));
            if uri.scheme_str() == Some("http") && !loopback {
                return Err(format!(
                    "{text}: use https:// (a feed fetched over plain http could be altered on the way)"
                ));
            }
            return Ok(FeedLocation::Url(text.into()));
        }
        Ok(FeedLocation::Path(PathBuf::from(text)))
    }
}

#[derive(Debug, Clone)]
pub struct AuthConfig {
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub session_idle: Duration,
    pub sign_ups_per_address: u32,
    pub max_sessions: u32,
    /// From the environment or the file; `None` means "use or create the one in the data dir".
    /// Secret types print as `[REDACTED]`, so a `{config:?}` can never leak a key.
    pub jwt_secret: Option<SecretString>,
    /// Older keys still accepted for verification.
    pub jwt_previous_secrets: Vec<SecretString>,
}

#[derive(Debug, Clone)]
pub struct TlsConfig {
    pub source: Option<TlsSource>,
    pub http_redirect_addr: Option<SocketAddr>,
}

/// The secrets, from the environment or else the file (never flags).
struct Secrets {
    jwt_secret: Option<String>,
    jwt_previous_secrets: Option<String>,
    realtime_headers: Option<String>,
}

impl Secrets {
    fn read(get: impl Fn(&str) -> Option<String>) -> Self {
        Self {
            jwt_secret: get(SECRET_KEYS[0]),
            jwt_previous_secrets: get(SECRET_KEYS[1]),
            realtime_headers: get(SECRET_KEYS[2]),
        }
    }
}

impl Config {
    /// As `bmw` runs: the command line, the environment, then the configuration file
    /// (`--config`, `BMW_CONFIG`, or ./Leptos.toml when it exists). Exits with clap's message
    /// on a malformed command line or `--help`.
    pub fn load(args: Vec<OsString>) -> Result<(Cli, Config), ConfigError> {
        let file = match config_file(&args) {
            Some(path) => layers::read_file(&path)?,
            None => Values::default(),
        };
        let matches = layers::command(&file, true).get_matches_from(args);
        let cli = Cli::from_arg_matches(&matches).map_err(|e| ConfigError::Usage(e.to_string()))?;
        let env = |key: &str| std::env::var(key).ok().filter(|s| !s.is_empty()).or_else(|| file.get(key).cloned());
        let secrets = Secrets::read(env);
        let config = resolve(cli.settings.clone(), secrets)?;
        Ok((cli, config))
    }

    /// `values` (keyed by environment-variable name, as in the file) over the defaults, without
    /// reading the environment or any file: for tests.
    pub fn from_values<K: Into<String>, V: Into<String>>(
        values: impl IntoIterator<Item = (K, V)>,
    ) -> Result<Config, ConfigError> {
        let values: Values = values.into_iter().map(|(k, v)| (k.into(), v.into())).collect();
        let matches = layers::command(&values, false)
            .try_get_matches_from(["bmw"])
            .map_err(|e| ConfigError::Usage(e.to_string()))?;
        let cli = Cli::from_arg_matches(&matches).map_err(|e| ConfigError::Usage(e.to_string()))?;
        let secrets = Secrets::read(|key| values.get(key).cloned());
        resolve(cli.settings, secrets)
    }
}

/// `--config <path>`, `--config=<path>`, `BMW_CONFIG`, or ./Leptos.toml if present.
fn config_file(args: &[OsString]) -> Option<PathBuf> {
    let mut args = args.iter().map(|a| a.to_string_lossy());
    while let Some(arg) = args.next() {
        if arg == "--config" {
            return args.next().map(|p| PathBuf::from(p.as_ref()));
        }
        if let Some(path) = arg.strip_prefix("--config=") {
            return Some(PathBuf::from(path));
        }
    }
    std::env::var_os("BMW_CONFIG")
        .filter(|p| !p.is_empty())
        .map(PathBuf::from)
        .or_else(|| Path::new("Leptos.toml").exists().then(|| PathBuf::from("Leptos.toml")))
}

fn comma_separated(list: Option<&str>) -> impl Iterator<Item = &str> {
    list.into_iter().flat_map(|l| l.split(',')).map(str::trim).filter(|s| !s.is_empty())
}

/// `10.0.0.0/8, 192.0.2.7, ::1`: blocks, or single addresses. A block that holds every address
/// would let any client choose its own address (and so its throttle budget).
fn trusted_proxies(list: Option<&str>) -> Result<Vec<ipnet::IpNet>, ConfigError> {
    const KEY: &str = "BMW_TRUSTED_PROXIES";
    comma_separated(list)
        .map(|entry| {
            let net = match entry.parse::<ipnet::IpNet>() {
                Ok(net) => net,
                Err(_) => entry
                    .parse::<std::net::IpAddr>()
                    .map(ipnet::IpNet::from)
                    .map_err(|_| invalid(KEY, format!("{entry:?} is neither an address nor a CIDR block")))?,
            };
            if net.prefix_len() == 0 {
                return Err(invalid(
                    KEY,
                    format!(
                        "{entry} trusts every address, so any client could send X-Forwarded-For and pick its \
                         own address (and throttle budget). List your proxies' addresses or their subnet, \
                         such as 10.0.0.0/8"
                    ),
                ));
            }
            Ok(net.trunc())
        })
        .collect()
}

fn resolve(s: Settings, secrets: Secrets) -> Result<Config, ConfigError> {
    let public_origin =
        s.http.public_origin.as_deref().map(Origin::parse).transpose().map_err(|m| invalid("BMW_PUBLIC_ORIGIN", m))?;
    let allowed_origins = comma_separated(s.http.allowed_origins.as_deref())
        .map(|o| Origin::parse(o).map_err(|m| invalid("BMW_ALLOWED_ORIGINS", m)))
        .collect::<Result<Vec<_>, _>>()?;
    let trusted_proxies = trusted_proxies(s.http.trusted_proxies.as_deref())?;
    let tls = tls::source(&s.tls)?;
    if let (Some(_), Some(origin)) = (&tls, &public_origin)
        && !origin.https()
    {
        return Err(invalid("BMW_PUBLIC_ORIGIN", format!("{origin} is http, but TLS is on: use https://")));
    }
    if s.tls.http_redirect_addr.is_some() && tls.is_none() {
        return Err(invalid(
            "BMW_HTTP_REDIRECT_ADDR",
            "redirects to https, so it needs TLS (BMW_TLS_CERT/KEY or BMW_TLS_SELF_SIGNED)",
        ));
    }
    let api_origin =
        s.http.api_origin.as_deref().map(Origin::parse).transpose().map_err(|m| invalid("BMW_API_ORIGIN", m))?;
    let role = s.http.role;
    if role != Role::All && (public_origin.is_none() || api_origin.is_none()) {
        return Err(invalid(
            "BMW_ROLE",
            "the web and api roles serve one half of a split deployment: set BMW_PUBLIC_ORIGIN and BMW_API_ORIGIN \
             so each half knows where the other is",
        ));
    }
    let data_dir = s.storage.data_dir;
    let database_url =
        s.storage.database_url.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("bmw.db").display()));
    if !database_url.starts_with("sqlite:") {
        return Err(invalid("DATABASE_URL", format!("{database_url:?}: only sqlite: URLs are supported")));
    }
    let transit_database_url =
        s.storage.transit_database_url.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("transit.db").display()));
    if !transit_database_url.starts_with("sqlite:") {
        return Err(invalid(
            "BMW_TRANSIT_DATABASE_URL",
            format!("{transit_database_url:?}: only sqlite: URLs are supported"),
        ));
    }
    let feeds = configured_feeds(s.transit.feeds.as_deref())?;
    if s.transit.feed_refresh_secs < 60 {
        return Err(invalid("BMW_FEED_REFRESH_SECS", "must be at least 60 seconds; feeds change daily at most"));
    }
    let access_ttl = s.auth.access_ttl_secs;
    let refresh_ttl = s.auth.refresh_ttl_secs;
    let session_idle = s.auth.session_idle_secs;
    if access_ttl == 0 || access_ttl > DAY {
        return Err(invalid(
            "BMW_ACCESS_TTL_SECS",
            "must be between 1 and 86400 seconds; access tokens should be short-lived",
        ));
    }
    if refresh_ttl <= access_ttl {
        return Err(invalid(
            "BMW_REFRESH_TTL_SECS",
            format!("must be longer than the access-token lifetime ({access_ttl} s)"),
        ));
    }
    if session_idle <= access_ttl {
        return Err(invalid(
            "BMW_SESSION_IDLE_SECS",
            format!("must be longer than the access-token lifetime ({access_ttl} s)"),
        ));
    }
    Ok(Config {
        http: HttpConfig {
            site_addr: s.http.site_addr,
            public_origin,
            api_origin,
            allowed_origins,
            cookie_site_wide: s.http.cookie_site_wide,
            trusted_proxies,
            role,
            site_root: s.http.site_root,
            hash_file: s.http.hash_file,
        },
        storage: StorageConfig { data_dir, database_url, transit_database_url },
        auth: AuthConfig {
            access_ttl: Duration::from_secs(access_ttl),
            refresh_ttl: Duration::from_secs(refresh_ttl),
            session_idle: Duration::from_secs(session_idle),
            sign_ups_per_address: s.auth.sign_ups_per_address,
            max_sessions: s.auth.max_sessions,
            jwt_previous_secrets: comma_separated(secrets.jwt_previous_secrets.as_deref())
                .map(SecretString::from)
                .collect(),
            jwt_secret: secrets.jwt_secret.map(SecretString::from),
        },
        tls: TlsConfig { source: tls, http_redirect_addr: s.tls.http_redirect_addr },
        transit: TransitConfig {
            feeds,
            refresh: Duration::from_secs(s.transit.feed_refresh_secs),
            realtime: RealtimeConfig::resolve(&s.transit, secrets.realtime_headers.as_deref())?,
        },
    })
}

/// `name=source, name=source`.
fn configured_feeds(list: Option<&str>) -> Result<Vec<ConfiguredFeed>, ConfigError> {
    let mut feeds: Vec<ConfiguredFeed> = vec![];
    for entry in comma_separated(list) {
        let (name, source) = entry.split_once('=').ok_or_else(|| {
            invalid("BMW_FEEDS", format!("{entry:?}: write each feed as name=source, e.g. caltrain=./caltrain.zip"))
        })?;
        let name = app::transit::validate::feed_name(name.trim()).map_err(|m| invalid("BMW_FEEDS", m))?;
        if feeds.iter().any(|f| f.name == name) {
            return Err(invalid("BMW_FEEDS", format!("{name} is named twice")));
        }
        let source = FeedLocation::parse(source.trim()).map_err(|m| invalid("BMW_FEEDS", m))?;
        feeds.push(ConfiguredFeed { name, source });
    }
    Ok(feeds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    fn err(values: &[(&str, &str)]) -> String {
        Config::from_values(values.iter().copied()).unwrap_err().to_string()
    }

    #[test]
    fn defaults_apply_when_nothing_is_set() {
        let config = Config::from_values::<&str, &str>([]).unwrap();
        assert_eq!(config.http.site_addr, "127.0.0.1:3000".parse().unwrap());
        assert_eq!(config.auth.access_ttl, Duration::from_secs(900));
        assert_eq!(config.storage.database_url, "sqlite://data/bmw.db");
        assert_eq!(config.http.role, Role::All);
    }

    /// Review I5: the configuration derives Debug and holds the keys.
    #[test]
    fn the_keys_never_show_in_debug_output() {
        let key = "a-key-of-at-least-thirty-two-bytes-0123456789";
        let old = "an-older-key-of-at-least-thirty-two-bytes-987";
        let config = Config::from_values([("BMW_JWT_SECRET", key), ("BMW_JWT_PREVIOUS_SECRETS", old)]).unwrap();
        let printed = format!("{config:?}");
        assert!(!printed.contains(key) && !printed.contains(old), "{printed}");
        assert!(printed.contains("REDACTED"));
        assert_eq!(config.auth.jwt_secret.as_ref().map(|k| k.expose_secret().to_string()).as_deref(), Some(key));
    }

    #[test]
    fn flags_beat_the_file_and_the_file_beats_defaults() {
        let file = Values::from([
            ("BMW_ACCESS_TTL_SECS".to_string(), "120".to_string()),
            ("BMW_REFRESH_TTL_SECS".to_string(), "3600".to_string()),
        ]);
        let matches = layers::command(&file, false).get_matches_from(["bmw", "--access-ttl-secs", "60"]);
        let cli = Cli::from_arg_matches(&matches).unwrap();
        assert_eq!((cli.settings.auth.access_ttl_secs, cli.settings.auth.refresh_ttl_secs), (60, 3600));
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("Leptos.toml");
        std::fs::write(&path, "BMW_ACCESS_TTL = 1").unwrap();
        let message = layers::read_file(&path).unwrap_err().to_string();
        assert!(message.contains("unknown key `BMW_ACCESS_TTL`"), "{message}");
        std::fs::write(&path, "BMW_ACCESS_TTL_SECS = 60\nBMW_JWT_SECRET = \"x\"").unwrap();
        assert!(layers::read_file(&path).is_ok(), "known keys and secrets are accepted");
    }

    #[test]
    fn wildcards_and_paths_in_allowed_origins_are_refused() {
        for bad in ["*", "https://x.test/app", "null"] {
            let list = format!("https://ok.test, {bad}");
            assert!(err(&[("BMW_ALLOWED_ORIGINS", &list)]).starts_with("BMW_ALLOWED_ORIGINS"), "{bad}");
        }
    }

    #[test]
    fn trusted_proxies_are_addresses_or_blocks_but_never_everyone() {
        let config = Config::from_values([("BMW_TRUSTED_PROXIES", "10.1.2.3/8, 192.0.2.7 ,::1")]).unwrap();
        let nets: Vec<String> = config.http.trusted_proxies.iter().map(ToString::to_string).collect();
        assert_eq!(nets, ["10.0.0.0/8", "192.0.2.7/32", "::1/128"]);
        for everyone in ["0.0.0.0/0", "::/0", "10.0.0.0/8, 0.0.0.0/0"] {
            let message = err(&[("BMW_TRUSTED_PROXIES", everyone)]);
            assert!(message.starts_with("BMW_TRUSTED_PROXIES") && message.contains("every address"), "{message}");
        }
        assert!(err(&[("BMW_TRUSTED_PROXIES", "proxy.local")]).contains("neither an address nor a CIDR block"));
    }

    #[test]
    fn tls_settings_must_be_complete_and_consistent() {
        assert!(err(&[("BMW_TLS_CERT", "c.pem")]).contains("set both"));
        let both = [("BMW_TLS_CERT", "c.pem"), ("BMW_TLS_KEY", "k.pem"), ("BMW_TLS_SELF_SIGNED", "x.test")];
        assert!(err(&both).contains("not both"));
        let http = [("BMW_TLS_SELF_SIGNED", "x.test"), ("BMW_PUBLIC_ORIGIN", "http://x.test")];
        assert!(err(&http).starts_with("BMW_PUBLIC_ORIGIN"));
        assert!(err(&[("BMW_HTTP_REDIRECT_ADDR", "127.0.0.1:8080")]).starts_with("BMW_HTTP_REDIRECT_ADDR"));
    }

    #[test]
    fn lifetimes_must_make_sense() {
        assert!(err(&[("BMW_ACCESS_TTL_SECS", "600"), ("BMW_REFRESH_TTL_SECS", "300")]).starts_with("BMW_REFRESH"));
    }

    #[test]
    fn feeds_are_named_sources() {
        let config =
            Config::from_values([("BMW_FEEDS", "caltrain=feeds/caltrain, nyc=https://x.test/nyc.zip")]).unwrap();
        let feeds = &config.transit.feeds;
        assert_eq!(
            feeds[0],
            ConfiguredFeed { name: "caltrain".into(), source: FeedLocation::Path("feeds/caltrain".into()) }
        );
        assert_eq!(feeds[1].source, FeedLocation::Url("https://x.test/nyc.zip".into()));
        for bad in ["caltrain", "Caltrain=x", "a=http://x.test/f.zip", "a=x,a=y"] {
            assert!(err(&[("BMW_FEEDS", bad)]).starts_with("BMW_FEEDS"), "{bad}");
        }
    }

    #[test]
    fn the_config_file_is_found_from_the_flag() {
        let args: Vec<OsString> = ["bmw", "--config", "x.toml"].map(OsString::from).to_vec();
        assert_eq!(config_file(&args), Some(PathBuf::from("x.toml")));
        let args: Vec<OsString> = ["bmw", "--config=y.toml"].map(OsString::from).to_vec();
        assert_eq!(config_file(&args), Some(PathBuf::from("y.toml")));
    }
}
