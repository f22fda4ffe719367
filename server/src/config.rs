//! Layered configuration: CLI flag > environment variable > `Leptos.toml` > default.
//!
//! Every key in `Leptos.toml` has the same name as its environment variable, so there is one
//! name to learn per setting. Unknown keys in the file are an error, so typos don't pass silently.

pub use app::backend::policy::origin::Origin;
use clap::{Args, Parser, Subcommand};
use serde::Deserialize;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

const DAY: u64 = 24 * 60 * 60;

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

#[derive(Debug, Clone, Copy, Subcommand, PartialEq, Eq)]
pub enum Command {
    /// Serve the app (the default).
    Serve,
    /// Apply database migrations, then exit.
    Migrate,
}

/// The settings as given, before defaults. The same struct reads flags, environment and file.
#[derive(Debug, Clone, Default, Args, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Listen address [default: 127.0.0.1:3000]
    #[arg(long, env = "LEPTOS_SITE_ADDR", global = true)]
    #[serde(rename = "LEPTOS_SITE_ADDR")]
    pub site_addr: Option<SocketAddr>,

    /// The origin users load pages from, e.g. https://bmw.example.com. Decides whether cookies
    /// are Secure and __Host- prefixed [default: http://<listen address>]
    #[arg(long, env = "BMW_PUBLIC_ORIGIN", global = true)]
    #[serde(rename = "BMW_PUBLIC_ORIGIN")]
    pub public_origin: Option<String>,

    /// The origin that serves server functions and the REST API. When it differs from the
    /// public origin, the app runs split [default: the public origin]
    #[arg(long, env = "BMW_API_ORIGIN", global = true)]
    #[serde(rename = "BMW_API_ORIGIN")]
    pub api_origin: Option<String>,

    /// What this process serves: `all`, `web` (pages and assets) or `api` (server functions and
    /// /api/*). Several processes of one deployment share the database [default: all]
    #[arg(long, env = "BMW_ROLE", global = true, value_enum)]
    #[serde(rename = "BMW_ROLE")]
    pub role: Option<Role>,

    /// Other origins allowed to call the API with credentials, comma-separated and exact
    /// (CORS and CSRF). Never `*` [default: none]
    #[arg(long, env = "BMW_ALLOWED_ORIGINS", global = true)]
    #[serde(rename = "BMW_ALLOWED_ORIGINS")]
    pub allowed_origins: Option<String>,

    /// SQLite database URL [default: sqlite://<data dir>/bmw.db]
    #[arg(long, env = "DATABASE_URL", global = true)]
    #[serde(rename = "DATABASE_URL")]
    pub database_url: Option<String>,

    /// Where the database and generated secrets live [default: ./data]
    #[arg(long, env = "BMW_DATA_DIR", global = true)]
    #[serde(rename = "BMW_DATA_DIR")]
    pub data_dir: Option<PathBuf>,

    /// Access-token lifetime in seconds [default: 900]
    #[arg(long, env = "BMW_ACCESS_TTL_SECS", global = true)]
    #[serde(rename = "BMW_ACCESS_TTL_SECS")]
    pub access_ttl_secs: Option<u64>,

    /// Absolute session (refresh-token) lifetime in seconds [default: 2592000, 30 days]
    #[arg(long, env = "BMW_REFRESH_TTL_SECS", global = true)]
    #[serde(rename = "BMW_REFRESH_TTL_SECS")]
    pub refresh_ttl_secs: Option<u64>,

    /// A session unused for this many seconds ends [default: 604800, 7 days]
    #[arg(long, env = "BMW_SESSION_IDLE_SECS", global = true)]
    #[serde(rename = "BMW_SESSION_IDLE_SECS")]
    pub session_idle_secs: Option<u64>,

    /// Where the built site (wasm, JS, CSS, assets) is [default: target/site, or as cargo-leptos sets it]
    #[arg(long, env = "LEPTOS_SITE_ROOT", global = true)]
    #[serde(rename = "LEPTOS_SITE_ROOT")]
    pub site_root: Option<PathBuf>,

    /// TLS certificate chain (PEM). Serves https with rustls; needs BMW_TLS_KEY.
    #[arg(long, env = "BMW_TLS_CERT", global = true)]
    #[serde(rename = "BMW_TLS_CERT")]
    pub tls_cert: Option<PathBuf>,

    /// TLS private key (PEM) for BMW_TLS_CERT.
    #[arg(long, env = "BMW_TLS_KEY", global = true)]
    #[serde(rename = "BMW_TLS_KEY")]
    pub tls_key: Option<PathBuf>,

    /// Serve https with a generated development certificate for these names (comma-separated),
    /// kept in <data dir>/tls and reused on later starts.
    #[arg(long, env = "BMW_TLS_SELF_SIGNED", global = true)]
    #[serde(rename = "BMW_TLS_SELF_SIGNED")]
    pub tls_self_signed: Option<String>,

    /// With TLS on: also listen here over plain http and redirect everything to https.
    #[arg(long, env = "BMW_HTTP_REDIRECT_ADDR", global = true)]
    #[serde(rename = "BMW_HTTP_REDIRECT_ADDR")]
    pub http_redirect_addr: Option<SocketAddr>,

    /// Kept for the file only: the secret must not be passed as a flag.
    #[arg(skip)]
    #[serde(rename = "BMW_JWT_SECRET")]
    pub jwt_secret: Option<String>,

    /// Older JWT keys, comma-separated, still accepted during a key rotation. Environment or file only.
    #[arg(skip)]
    #[serde(rename = "BMW_JWT_PREVIOUS_SECRETS")]
    pub jwt_previous_secrets: Option<String>,
}

impl Settings {
    /// Fills every unset value from `lower`.
    pub fn or(self, lower: Settings) -> Settings {
        Settings {
            site_addr: self.site_addr.or(lower.site_addr),
            public_origin: self.public_origin.or(lower.public_origin),
            allowed_origins: self.allowed_origins.or(lower.allowed_origins),
            api_origin: self.api_origin.or(lower.api_origin),
            role: self.role.or(lower.role),
            database_url: self.database_url.or(lower.database_url),
            data_dir: self.data_dir.or(lower.data_dir),
            access_ttl_secs: self.access_ttl_secs.or(lower.access_ttl_secs),
            refresh_ttl_secs: self.refresh_ttl_secs.or(lower.refresh_ttl_secs),
            session_idle_secs: self.session_idle_secs.or(lower.session_idle_secs),
            site_root: self.site_root.or(lower.site_root),
            tls_cert: self.tls_cert.or(lower.tls_cert),
            tls_key: self.tls_key.or(lower.tls_key),
            tls_self_signed: self.tls_self_signed.or(lower.tls_self_signed),
            http_redirect_addr: self.http_redirect_addr.or(lower.http_redirect_addr),
            jwt_secret: self.jwt_secret.or(lower.jwt_secret),
            jwt_previous_secrets: self.jwt_previous_secrets.or(lower.jwt_previous_secrets),
        }
    }

    /// Reads a `Leptos.toml`-style file.
    pub fn from_file(path: &Path) -> Result<Settings, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| ConfigError::File(path.into(), e.to_string()))?;
        toml::from_str(&text).map_err(|e| ConfigError::File(path.into(), e.to_string()))
    }
}

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
}

fn invalid(key: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError::Invalid { key, message: message.into() }
}

/// The configuration after defaults and checks.
#[derive(Debug, Clone)]
pub struct Config {
    pub site_addr: SocketAddr,
    /// As configured; `None` means "http://" plus the address actually bound (see startup).
    pub public_origin: Option<Origin>,
    pub allowed_origins: Vec<Origin>,
    /// `None` means the public origin.
    pub api_origin: Option<Origin>,
    pub role: Role,
    pub database_url: String,
    pub data_dir: PathBuf,
    /// From the environment or the file; `None` means "use or create the one in the data dir".
    pub jwt_secret: Option<String>,
    /// Older keys still accepted for verification.
    pub jwt_previous_secrets: Vec<String>,
    pub site_root: Option<PathBuf>,
    pub tls: Option<crate::tls::TlsSource>,
    pub http_redirect_addr: Option<SocketAddr>,
    pub access_ttl: Duration,
    pub refresh_ttl: Duration,
    pub session_idle: Duration,
}

impl Config {
    /// Reads flags and environment (through clap), then `Leptos.toml`, then applies defaults.
    pub fn load(cli: &Cli) -> Result<Config, ConfigError> {
        let file = match &cli.config {
            Some(path) => Settings::from_file(path)?,
            None if Path::new("Leptos.toml").exists() => Settings::from_file(Path::new("Leptos.toml"))?,
            None => Settings::default(),
        };
        let env = |key: &str| std::env::var(key).ok().filter(|s| !s.is_empty());
        let given = Settings {
            jwt_secret: env("BMW_JWT_SECRET"),
            jwt_previous_secrets: env("BMW_JWT_PREVIOUS_SECRETS"),
            ..cli.settings.clone()
        };
        Config::resolve(given.or(file))
    }

    pub fn resolve(s: Settings) -> Result<Config, ConfigError> {
        let site_addr = s.site_addr.unwrap_or_else(|| SocketAddr::from(([127, 0, 0, 1], 3000)));
        let public_origin =
            s.public_origin.as_deref().map(Origin::parse).transpose().map_err(|m| invalid("BMW_PUBLIC_ORIGIN", m))?;
        let allowed_origins = s
            .allowed_origins
            .iter()
            .flat_map(|list| list.split(','))
            .map(str::trim)
            .filter(|o| !o.is_empty())
            .map(|o| Origin::parse(o).map_err(|m| invalid("BMW_ALLOWED_ORIGINS", m)))
            .collect::<Result<Vec<_>, _>>()?;
        let tls = tls_source(&s)?;
        if let (Some(_), Some(origin)) = (&tls, &public_origin)
            && !origin.https()
        {
            return Err(invalid("BMW_PUBLIC_ORIGIN", format!("{origin} is http, but TLS is on: use https://")));
        }
        if s.http_redirect_addr.is_some() && tls.is_none() {
            return Err(invalid(
                "BMW_HTTP_REDIRECT_ADDR",
                "redirects to https, so it needs TLS (BMW_TLS_CERT/KEY or BMW_TLS_SELF_SIGNED)",
            ));
        }
        let api_origin =
            s.api_origin.as_deref().map(Origin::parse).transpose().map_err(|m| invalid("BMW_API_ORIGIN", m))?;
        let role = s.role.unwrap_or_default();
        if role != Role::All && (public_origin.is_none() || api_origin.is_none()) {
            return Err(invalid(
                "BMW_ROLE",
                "the web and api roles serve one half of a split deployment: set BMW_PUBLIC_ORIGIN and BMW_API_ORIGIN \
                 so each half knows where the other is",
            ));
        }
        let data_dir = s.data_dir.unwrap_or_else(|| PathBuf::from("data"));
        let database_url = s.database_url.unwrap_or_else(|| format!("sqlite://{}", data_dir.join("bmw.db").display()));
        if !database_url.starts_with("sqlite:") {
            return Err(invalid("DATABASE_URL", format!("{database_url:?}: only sqlite: URLs are supported")));
        }
        let access_ttl = s.access_ttl_secs.unwrap_or(900);
        let refresh_ttl = s.refresh_ttl_secs.unwrap_or(30 * DAY);
        let session_idle = s.session_idle_secs.unwrap_or(7 * DAY);
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
            site_addr,
            public_origin,
            allowed_origins,
            api_origin,
            role,
            database_url,
            data_dir,
            jwt_secret: s.jwt_secret,
            jwt_previous_secrets: s
                .jwt_previous_secrets
                .iter()
                .flat_map(|list| list.split(','))
                .map(str::trim)
                .filter(|k| !k.is_empty())
                .map(String::from)
                .collect(),
            site_root: s.site_root,
            tls,
            http_redirect_addr: s.http_redirect_addr,
            access_ttl: Duration::from_secs(access_ttl),
            refresh_ttl: Duration::from_secs(refresh_ttl),
            session_idle: Duration::from_secs(session_idle),
        })
    }
}

fn tls_source(s: &Settings) -> Result<Option<crate::tls::TlsSource>, ConfigError> {
    use crate::tls::TlsSource;
    let hosts: Vec<String> = s
        .tls_self_signed
        .iter()
        .flat_map(|list| list.split(','))
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    match (&s.tls_cert, &s.tls_key, hosts.is_empty()) {
        (None, None, true) => Ok(None),
        (None, None, false) => Ok(Some(TlsSource::SelfSigned { hosts })),
        (Some(cert), Some(key), true) => Ok(Some(TlsSource::Files { cert: cert.clone(), key: key.clone() })),
        (Some(_), Some(_), false) => {
            Err(invalid("BMW_TLS_SELF_SIGNED", "set either certificate files or BMW_TLS_SELF_SIGNED, not both"))
        }
        _ => Err(invalid("BMW_TLS_CERT", "BMW_TLS_CERT and BMW_TLS_KEY go together: set both")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_beat_the_file() {
        let cli = Settings { access_ttl_secs: Some(60), ..Default::default() };
        let file: Settings = toml::from_str("BMW_ACCESS_TTL_SECS = 120\nBMW_REFRESH_TTL_SECS = 3600").unwrap();
        let merged = cli.or(file);
        assert_eq!((merged.access_ttl_secs, merged.refresh_ttl_secs), (Some(60), Some(3600)));
    }

    #[test]
    fn unknown_file_keys_are_refused() {
        assert!(toml::from_str::<Settings>("BMW_ACCESS_TTL = 1").is_err());
    }

    #[test]
    fn wildcards_and_paths_in_allowed_origins_are_refused() {
        for bad in ["*", "https://x.test/app", "null"] {
            let s = Settings { allowed_origins: Some(format!("https://ok.test, {bad}")), ..Default::default() };
            let err = Config::resolve(s).unwrap_err().to_string();
            assert!(err.starts_with("BMW_ALLOWED_ORIGINS"), "{err}");
        }
    }

    #[test]
    fn tls_settings_must_be_complete_and_consistent() {
        let err = |s: Settings| Config::resolve(s).unwrap_err().to_string();
        assert!(err(Settings { tls_cert: Some("c.pem".into()), ..Default::default() }).contains("set both"));
        let both = Settings {
            tls_cert: Some("c.pem".into()),
            tls_key: Some("k.pem".into()),
            tls_self_signed: Some("x.test".into()),
            ..Default::default()
        };
        assert!(err(both).contains("not both"));
        let http = Settings {
            tls_self_signed: Some("x.test".into()),
            public_origin: Some("http://x.test".into()),
            ..Default::default()
        };
        assert!(err(http).starts_with("BMW_PUBLIC_ORIGIN"));
        let redirect = Settings { http_redirect_addr: Some("127.0.0.1:8080".parse().unwrap()), ..Default::default() };
        assert!(err(redirect).starts_with("BMW_HTTP_REDIRECT_ADDR"));
    }

    #[test]
    fn lifetimes_must_make_sense() {
        let s = Settings { access_ttl_secs: Some(600), refresh_ttl_secs: Some(300), ..Default::default() };
        assert!(Config::resolve(s).is_err());
    }
}
