//! Builds the application from a [`Config`]: state, router, listener. `main` and the tests both
//! go through here, so the tests exercise exactly what ships.

use crate::config::{Config, ConfigError, Origin, Role};
use crate::data_dir::{DataDir, InitLock};
use crate::{db, middleware, rest, secrets, tls};
use app::backend::AppState;
use app::backend::auth::{AuthService, Lifetimes};
use app::backend::headers::provide_request_nonce;
use app::backend::policy::WebPolicy;
use app::backend::tokens::TokenIssuer;
use app::{App, shell};
use axum::Router;
use axum::routing::get;
use axum_server::tls_rustls::RustlsConfig;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;
use tokio::net::TcpListener;
use tower_cookies::CookieManagerLayer;
use tower_http::trace::TraceLayer;

/// How long the previous refresh token stays usable once, after a rotation.
pub const REFRESH_GRACE: Duration = Duration::from_secs(10);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("cannot prepare the data directory {0}: {1}")]
    DataDir(String, std::io::Error),
    #[error("cannot open the database: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot apply database migrations: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("cannot listen on {0}: {1}")]
    Bind(SocketAddr, std::io::Error),
    #[error("cannot load the TLS certificate and key: {0}")]
    Tls(std::io::Error),
}

pub struct Application {
    listener: TcpListener,
    router: Router,
    tls: Option<axum_server::tls_rustls::RustlsConfig>,
    /// Plain-http listener that only redirects to https.
    redirect: Option<(TcpListener, Origin)>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        tls::install_crypto_provider();
        let data_dir = DataDir::create(&config.data_dir).map_err(|e| data_dir_error(&config, e))?;
        // Instances starting together take turns here, so they agree on the secret, the
        // certificate and the schema.
        let init = lock_for_init(&data_dir).await.map_err(|e| data_dir_error(&config, e))?;
        let pool = migrated_pool(&config).await?;
        let tls = match &config.tls {
            Some(source) => {
                let files = tls::prepare(source, data_dir.path())?;
                Some(RustlsConfig::from_pem_file(&files.cert, &files.key).await.map_err(StartupError::Tls)?)
            }
            None => None,
        };
        let secret = secrets::jwt_secret(config.jwt_secret.as_deref(), data_dir.path())?;
        drop(init);
        let previous: Vec<Vec<u8>> = config.jwt_previous_secrets.iter().map(|k| k.as_bytes().to_vec()).collect();
        let tokens = TokenIssuer::new(&secret, &previous, config.access_ttl)
            .map_err(|e| ConfigError::Secret(format!("BMW_JWT_SECRET / BMW_JWT_PREVIOUS_SECRETS: {e}")))?;
        let lifetimes = Lifetimes { session: config.refresh_ttl, idle: config.session_idle, grace: REFRESH_GRACE };
        let listener =
            TcpListener::bind(config.site_addr).await.map_err(|e| StartupError::Bind(config.site_addr, e))?;
        let bound = listener.local_addr().map_err(|e| StartupError::Bind(config.site_addr, e))?;
        let public = public_origin(&config, bound)?;
        let api = config.api_origin.clone().unwrap_or_else(|| public.clone());
        let key = if config.api_origin.is_some() { "BMW_API_ORIGIN" } else { "BMW_ALLOWED_ORIGINS" };
        let mut policy = WebPolicy::derive(public, api, config.allowed_origins.clone())
            .map_err(|message| ConfigError::Invalid { key, message })?;
        if config.role == Role::Web {
            policy.served_origin = policy.public_origin.clone();
        }
        tracing::info!(role = ?config.role, "web policy: {}", policy.describe());
        for warning in &policy.warnings {
            tracing::warn!("{warning}");
        }

        let mut leptos_options = leptos_options()?;
        leptos_options.site_addr = bound;
        if let Some(root) = &config.site_root {
            leptos_options.site_root = root.display().to_string().into();
        }

        let state = AppState {
            leptos_options,
            auth: Arc::new(AuthService::new(pool, tokens, lifetimes)),
            policy: Arc::new(policy),
        };
        let policy = state.policy.clone();
        let redirect = match config.http_redirect_addr {
            Some(addr) => Some((
                TcpListener::bind(addr).await.map_err(|e| StartupError::Bind(addr, e))?,
                policy.public_origin.clone(),
            )),
            None => None,
        };
        Ok(Self { listener, router: router(state, policy, config.role), tls, redirect })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        if let Some((listener, origin)) = self.redirect {
            tokio::spawn(async move {
                let to_https = move |uri: axum::http::Uri| async move {
                    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
                    axum::response::Redirect::permanent(&format!("{origin}{path}"))
                };
                let _ = axum::serve(listener, Router::new().fallback(to_https)).await;
            });
        }
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let Some(tls) = self.tls else {
            return axum::serve(self.listener, service).with_graceful_shutdown(shutdown).await;
        };
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        tokio::spawn(async move {
            shutdown.await;
            stopper.graceful_shutdown(Some(Duration::from_secs(10)));
        });
        axum_server::from_tcp_rustls(self.listener.into_std()?, tls)?.handle(handle).serve(service).await
    }
}

/// The configured public origin, or else the scheme we serve plus the first self-signed name
/// or the address actually bound (so port 0 becomes the real port).
fn public_origin(config: &Config, bound: SocketAddr) -> Result<Origin, ConfigError> {
    if let Some(origin) = &config.public_origin {
        return Ok(origin.clone());
    }
    if let Some(tls::TlsSource::SelfSigned { hosts }) = &config.tls {
        let origin = format!("https://{}:{}", hosts[0], bound.port());
        return Origin::parse(&origin).map_err(|message| ConfigError::Invalid { key: "BMW_TLS_SELF_SIGNED", message });
    }
    let scheme = if config.tls.is_some() { "https" } else { "http" };
    if bound.ip().is_unspecified() {
        tracing::warn!(
            "BMW_PUBLIC_ORIGIN is not set and the server listens on all interfaces ({bound}). Browsers reach it \
             under some other name, and the CSRF check will refuse their form posts until BMW_PUBLIC_ORIGIN \
             names that origin (e.g. https://bmw.example.com)."
        );
    }
    Origin::parse(&format!("{scheme}://{bound}"))
        .map_err(|message| ConfigError::Invalid { key: "LEPTOS_SITE_ADDR", message })
}

/// Creates the data directory if needed and brings the database schema up to date (`bmw migrate`).
pub async fn open_database(config: &Config) -> Result<sqlx::SqlitePool, StartupError> {
    let data_dir = DataDir::create(&config.data_dir).map_err(|e| data_dir_error(config, e))?;
    let _init = lock_for_init(&data_dir).await.map_err(|e| data_dir_error(config, e))?;
    migrated_pool(config).await
}

async fn migrated_pool(config: &Config) -> Result<sqlx::SqlitePool, StartupError> {
    let pool = db::connect(&config.database_url).await?;
    db::MIGRATOR.run(&pool).await?;
    Ok(pool)
}

/// Waiting for the lock blocks a thread, so it waits on the blocking pool.
async fn lock_for_init(data_dir: &DataDir) -> std::io::Result<InitLock> {
    let data_dir = data_dir.clone();
    tokio::task::spawn_blocking(move || data_dir.lock_for_init()).await.map_err(std::io::Error::other)?
}

fn data_dir_error(config: &Config, e: std::io::Error) -> StartupError {
    StartupError::DataDir(config.data_dir.display().to_string(), e)
}

/// Leptos' own settings (site root, pkg dir, reload port…), from the `LEPTOS_*` variables that
/// cargo-leptos sets, over defaults that match the shipped layout.
fn leptos_options() -> Result<LeptosOptions, ConfigError> {
    let defaults = "[package.metadata.leptos]\noutput-name = \"bmw\"\nsite-root = \"target/site\"\n";
    leptos::config::get_config_from_str(defaults).map_err(|e| ConfigError::Leptos(e.to_string()))
}

fn router(state: AppState, policy: Arc<WebPolicy>, role: Role) -> Router {
    // Every role registers the server functions: the api role for the hydrated app, the web
    // role for the pages' own plain-HTML form posts (forms post to the page's origin).
    let pages = if role == Role::Api { vec![] } else { generate_route_list(App) };
    let shell_options = state.leptos_options.clone();
    let mut router = Router::new().route("/healthz", get(|| async { "ok" }));
    if role != Role::Web {
        router = router.merge(rest::routes());
    }
    let router = router
        .leptos_routes_with_context(&state, pages, provide_request_nonce, move || shell(shell_options.clone()))
        // Pages, server functions and the API learn who is calling; static files skip this.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), middleware::resolve_session));
    let router = if role == Role::Api {
        let pages_at = policy.public_origin.clone();
        router.fallback(move |uri: axum::http::Uri| middleware::to_pages(pages_at.clone(), uri))
    } else {
        router.fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(provide_request_nonce, shell))
    };
    router
        .layer(axum::middleware::from_fn(middleware::server_fn_error_status))
        .layer(CookieManagerLayer::new())
        // Before anything can change state: refuse unsafe requests from untrusted pages.
        .layer(axum::middleware::from_fn_with_state(policy.clone(), middleware::csrf_guard))
        .layer(middleware::cors(&policy))
        .layer(axum::middleware::from_fn_with_state(state.clone(), middleware::security_headers))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
