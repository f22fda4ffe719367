//! Builds the application from a [`Config`]: data directory, database, services, router,
//! listener. `main` and the tests both go through here, so the tests exercise what ships.

use crate::assets::HashedAssets;
use crate::config::{Config, ConfigError, Origin, Role};
use crate::data_dir::{DataDir, InitLock, jwt_secret};
use crate::feeds::live::Poller;
use crate::feeds::refresh::Refresher;
use crate::middleware::{
    api_role, body_limit, cookie_screen, cors, csrf, form_error_seal, forwarded, security_headers, server_fn_status,
    session,
};
use crate::state::{AppState, Services};
use crate::{db, rest, tls};
use app::App;
use app::auth::ssr::service::{AuthService, Lifetimes, Limits};
use app::auth::ssr::tokens::TokenIssuer;
use app::bookmarks::ssr::service::BookmarksService;
use app::shell;
use app::ssr::clock::{SharedClock, SystemClock};
use app::ssr::form_redirect::ErrorSeal;
use app::ssr::web_policy::WebPolicy;
use app::ssr::web_policy::csp::provide_request_nonce;
use app::transit::ssr::live::LiveFeeds;
use app::transit::ssr::service::TransitService;
use axum::Router;
use axum::routing::get;
use axum_server::tls_rustls::RustlsConfig;
use leptos::config::LeptosOptions;
use leptos_axum::{LeptosRoutes, generate_route_list};
use secrecy::ExposeSecret;
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
    tls: Option<RustlsConfig>,
    /// Plain-http listener that only redirects to https.
    redirect: Option<(TcpListener, Origin)>,
    /// Imports and refreshes the configured feeds while serving.
    refresher: Option<Refresher>,
    /// Polls the real-time sources, when there are any.
    poller: Option<Poller>,
    auth: Arc<AuthService>,
}

impl Application {
    pub async fn build(config: Config) -> Result<Self, StartupError> {
        Self::build_with_clock(config, Arc::new(SystemClock)).await
    }

    /// As [`Application::build`], on the given clock (tests move time forward with it).
    pub async fn build_with_clock(config: Config, clock: SharedClock) -> Result<Self, StartupError> {
        tls::install_crypto_provider();
        // Instances starting together take turns here, so they agree on the schema, the
        // certificate and the key.
        let (data_dir, pool, catalog, init) = open_locked(&config).await?;
        let tls = match &config.tls.source {
            Some(source) => {
                let files = tls::prepare(source, &data_dir)?;
                Some(RustlsConfig::from_pem_file(&files.cert, &files.key).await.map_err(StartupError::Tls)?)
            }
            None => None,
        };
        let secret =
            jwt_secret::load_or_create(config.auth.jwt_secret.as_ref().map(|k| k.expose_secret()), data_dir.path())?;
        drop(init);

        let previous: Vec<Vec<u8>> =
            config.auth.jwt_previous_secrets.iter().map(|k| k.expose_secret().as_bytes().to_vec()).collect();
        let tokens = TokenIssuer::new(&secret, &previous, config.auth.access_ttl)
            .map_err(|e| ConfigError::Secret(format!("BMW_JWT_SECRET / BMW_JWT_PREVIOUS_SECRETS: {e}")))?;
        let lifetimes =
            Lifetimes { session: config.auth.refresh_ttl, idle: config.auth.session_idle, grace: REFRESH_GRACE };
        let limits =
            Limits { sign_ups_per_address: config.auth.sign_ups_per_address, max_sessions: config.auth.max_sessions };
        let http = &config.http;
        let listener = TcpListener::bind(http.site_addr).await.map_err(|e| StartupError::Bind(http.site_addr, e))?;
        let bound = listener.local_addr().map_err(|e| StartupError::Bind(http.site_addr, e))?;
        let policy = web_policy(&config, bound)?;

        let mut leptos_options = leptos_options()?;
        leptos_options.site_addr = bound;
        if let Some(root) = &http.site_root {
            leptos_options.site_root = root.display().to_string().into();
        }
        let assets = HashedAssets::resolve(&mut leptos_options, http.hash_file.as_deref())?;
        let refresher = (!config.transit.feeds.is_empty()).then(|| Refresher {
            catalog: catalog.clone(),
            feeds: config.transit.feeds.clone(),
            every: config.transit.refresh,
            scratch: data_dir.join("downloads"),
            clock: clock.clone(),
        });
        let realtime = &config.transit.realtime;
        let live = Arc::new(LiveFeeds::new(realtime.feeds(), realtime.max_age));
        let poller = (!realtime.sources.is_empty()).then(|| Poller {
            config: realtime.clone(),
            live: live.clone(),
            clock: clock.clone(),
        });
        let transit = Arc::new(TransitService::new(catalog, clock.clone(), live));
        // On the API's origin, which is another one when split.
        let document_url = format!("{}/api/openapi.json", policy.client_api_origin().unwrap_or_default());
        let api_document = app::api_docs::ssr::Document::new(&rest::DOCUMENT, document_url);
        let state = AppState::new(Services {
            leptos_options,
            auth: Arc::new(AuthService::new(pool.clone(), tokens, lifetimes, limits, clock.clone())),
            bookmarks: Arc::new(BookmarksService::new(pool, transit.clone(), clock.clone())),
            transit,
            policy: Arc::new(policy),
            error_seal: Arc::new(ErrorSeal::new(&secret)),
            clock,
            api_document,
            assets,
        });
        let redirect = match config.tls.http_redirect_addr {
            Some(addr) => Some((
                TcpListener::bind(addr).await.map_err(|e| StartupError::Bind(addr, e))?,
                state.policy.public_origin.clone(),
            )),
            None => None,
        };
        let auth = state.auth.clone();
        // Once before serving (the hourly job's first round), so a restart starts clean.
        if let Err(err) = auth.purge().await {
            tracing::warn!(%err, "cannot purge ended sessions");
        }
        let proxies = Arc::new(forwarded::TrustedProxies::new(http.trusted_proxies.clone(), &state.policy));
        Ok(Self { listener, router: router(state, http.role, proxies), tls, redirect, refresher, poller, auth })
    }

    pub fn local_addr(&self) -> SocketAddr {
        self.listener.local_addr().expect("a bound listener has an address")
    }

    pub fn is_tls(&self) -> bool {
        self.tls.is_some()
    }

    /// Serves until `shutdown` resolves, then finishes the requests in flight.
    pub async fn run_until(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        let mut app = self;
        let refresher = app.refresher.take().map(Refresher::spawn);
        let pollers = app.poller.take().map(Poller::spawn).unwrap_or_default();
        let purger = tokio::spawn(purge_sessions(app.auth.clone()));
        let served = app.serve(shutdown).await;
        if let Some(job) = refresher {
            job.abort();
        }
        purger.abort();
        pollers.iter().for_each(tokio::task::JoinHandle::abort);
        served
    }

    async fn serve(self, shutdown: impl Future<Output = ()> + Send + 'static) -> std::io::Result<()> {
        if let Some((listener, origin)) = self.redirect {
            tokio::spawn(async move {
                let to_https = move |uri: http::Uri| async move {
                    let path = uri.path_and_query().map_or("/", |p| p.as_str()).to_string();
                    axum::response::Redirect::permanent(&format!("{origin}{path}"))
                };
                let _ = axum::serve(listener, Router::new().fallback(to_https)).await;
            });
        }
        let service = self.router.into_make_service_with_connect_info::<SocketAddr>();
        let handle = axum_server::Handle::new();
        let stopper = handle.clone();
        tokio::spawn(async move {
            shutdown.await;
            stopper.graceful_shutdown(Some(Duration::from_secs(10)));
        });
        let listener = self.listener.into_std()?;
        match self.tls {
            None => {
                let mut server = axum_server::from_tcp(listener)?;
                time_limits(server.http_builder());
                server.handle(handle).serve(service).await
            }
            Some(tls) => {
                let mut server = axum_server::from_tcp_rustls(listener, tls)?;
                time_limits(server.http_builder());
                server.handle(handle).serve(service).await
            }
        }
    }
}

/// A client has this long to send a request's headers: a slow-loris client that trickles them
/// holds no socket for longer. (Behind a proxy, the proxy's own limits come first.)
pub const HEADER_READ_TIMEOUT: Duration = Duration::from_secs(10);

fn time_limits(builder: &mut hyper_util::server::conn::auto::Builder<hyper_util::rt::TokioExecutor>) {
    builder.http1().timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_READ_TIMEOUT);
    builder.http2().timer(hyper_util::rt::TokioTimer::new()).keep_alive_interval(Some(Duration::from_secs(30)));
}

/// `/readyz`: 200 when both databases answer within two seconds, else 503 naming the one that
/// does not, so a load balancer sends requests elsewhere. `/healthz` only says the process
/// serves.
async fn readiness(axum::extract::State(state): axum::extract::State<AppState>) -> (http::StatusCode, String) {
    let answers = |db: app::ssr::db::Db| async move {
        let ping = sqlx::query_scalar::<_, i64>("SELECT 1").fetch_one(&db);
        matches!(tokio::time::timeout(Duration::from_secs(2), ping).await, Ok(Ok(1)))
    };
    let (users, transit) = tokio::join!(answers(state.auth.db().clone()), answers(state.transit.db().clone()));
    match (users, transit) {
        (true, true) => (http::StatusCode::OK, "ready".into()),
        _ => {
            let down = [(!users).then_some("the users database"), (!transit).then_some("the transit catalog")];
            let down: Vec<&str> = down.into_iter().flatten().collect();
            tracing::warn!(down = down.join(", "), "not ready");
            (http::StatusCode::SERVICE_UNAVAILABLE, format!("not ready: {} does not answer", down.join(" and ")))
        }
    }
}

/// Ended sessions and old spent refresh tokens go at start (in `build`) and then every hour,
/// so the tables stay the size of the live sessions.
async fn purge_sessions(auth: Arc<AuthService>) {
    let hour = Duration::from_secs(3600);
    let mut every = tokio::time::interval_at(tokio::time::Instant::now() + hour, hour);
    loop {
        every.tick().await;
        match auth.purge().await {
            Ok((0, 0)) => {}
            Ok((sessions, tokens)) => {
                tracing::info!(sessions, tokens, "purged ended sessions and spent refresh tokens");
            }
            Err(err) => tracing::warn!(%err, "cannot purge ended sessions"),
        }
    }
}

/// The databases with their schemas up to date (`bmw migrate`).
pub async fn migrate(config: &Config) -> Result<(), StartupError> {
    open_locked(config).await.map(|_| ())
}

/// The data directory and the transit catalog, migrated (for `bmw gtfs`).
pub async fn open_catalog(config: &Config) -> Result<(DataDir, sqlx::SqlitePool), StartupError> {
    let data_dir = DataDir::create(&config.storage.data_dir).map_err(|e| data_dir_error(config, e))?;
    let _init = lock_for_init(&data_dir, config).await?;
    let catalog = db::connect_transit(&config.storage.transit_database_url).await?;
    db::TRANSIT_MIGRATOR.run(&catalog).await?;
    Ok((data_dir, catalog))
}

/// The data directory and both databases with their schemas up to date, still holding the
/// data directory's init lock: the first of several instances migrates, the others find it
/// done.
async fn open_locked(config: &Config) -> Result<(DataDir, sqlx::SqlitePool, sqlx::SqlitePool, InitLock), StartupError> {
    let data_dir = DataDir::create(&config.storage.data_dir).map_err(|e| data_dir_error(config, e))?;
    let init = lock_for_init(&data_dir, config).await?;
    let pool = db::connect(&config.storage.database_url).await?;
    db::MIGRATOR.run(&pool).await?;
    let catalog = db::connect_transit(&config.storage.transit_database_url).await?;
    db::TRANSIT_MIGRATOR.run(&catalog).await?;
    Ok((data_dir, pool, catalog, init))
}

/// Waiting for the lock blocks a thread, so it waits on the blocking pool.
async fn lock_for_init(data_dir: &DataDir, config: &Config) -> Result<InitLock, StartupError> {
    let dir = data_dir.clone();
    tokio::task::spawn_blocking(move || dir.lock_for_init())
        .await
        .map_err(std::io::Error::other)
        .and_then(|locked| locked)
        .map_err(|e| data_dir_error(config, e))
}

fn data_dir_error(config: &Config, e: std::io::Error) -> StartupError {
    StartupError::DataDir(config.storage.data_dir.display().to_string(), e)
}

/// The web policy for this process, logged with its warnings.
fn web_policy(config: &Config, bound: SocketAddr) -> Result<WebPolicy, ConfigError> {
    let public = public_origin(config, bound)?;
    let api = config.http.api_origin.clone().unwrap_or_else(|| public.clone());
    let key = if config.http.api_origin.is_some() { "BMW_API_ORIGIN" } else { "BMW_ALLOWED_ORIGINS" };
    let mut policy = WebPolicy::derive(public, api, config.http.allowed_origins.clone(), config.http.cookie_site_wide)
        .map_err(|message| ConfigError::Invalid { key, message })?;
    if config.http.role == Role::Web {
        policy.served_origin = policy.public_origin.clone();
    }
    tracing::info!(role = ?config.http.role, "web policy: {}", policy.describe());
    for warning in &policy.warnings {
        tracing::warn!("{warning}");
    }
    Ok(policy)
}

/// The configured public origin, or else the scheme we serve plus the first self-signed name
/// or the address actually bound (so port 0 becomes the real port).
pub fn public_origin(config: &Config, bound: SocketAddr) -> Result<Origin, ConfigError> {
    if let Some(origin) = &config.http.public_origin {
        return Ok(origin.clone());
    }
    if let Some(crate::config::TlsSource::SelfSigned { hosts }) = &config.tls.source {
        let origin = format!("https://{}:{}", hosts[0], bound.port());
        return Origin::parse(&origin).map_err(|message| ConfigError::Invalid { key: "BMW_TLS_SELF_SIGNED", message });
    }
    let scheme = if config.tls.source.is_some() { "https" } else { "http" };
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

/// Leptos' own settings (site root, pkg dir, reload port…), from the `LEPTOS_*` variables that
/// cargo-leptos sets, over defaults that match the shipped layout.
fn leptos_options() -> Result<LeptosOptions, ConfigError> {
    let defaults = "[package.metadata.leptos]\noutput-name = \"bmw\"\nsite-root = \"target/site\"\n";
    leptos::config::get_config_from_str(defaults).map_err(|e| ConfigError::Leptos(e.to_string()))
}

/// The app's page routes, worked out once per process. Generating them runs the app with
/// resource loading switched off process-wide, so a page rendering meanwhile in another
/// server of the same process (the integration tests run many) could hang for good
/// (leptos-rs/leptos#4773).
fn page_routes() -> Vec<leptos_axum::AxumRouteListing> {
    static PAGES: std::sync::LazyLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::LazyLock::new(|| generate_route_list(App));
    PAGES.clone()
}

fn router(state: AppState, role: Role, proxies: Arc<forwarded::TrustedProxies>) -> Router {
    let policy = state.policy.clone();
    // Every role registers the server functions: the api role for the hydrated app, the web
    // role for the pages' own plain-HTML form posts (forms post to the page's origin).
    let pages = if role == Role::Api { vec![] } else { page_routes() };
    let shell_options = state.leptos_options.clone();
    let context = {
        let state = state.clone();
        move || {
            state.provide_context();
            provide_request_nonce();
        }
    };
    let mut router = Router::new().route("/transit/colors.css", get(rest::route_colors));
    if role != Role::Web {
        router = router.merge(rest::routes());
    }
    let router = router
        .leptos_routes_with_context(&state, pages, context.clone(), move || shell(shell_options.clone()))
        // Pages, server functions and the API learn who is calling; static files skip this.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), session::resolve_session));
    let router = if role == Role::Api {
        let pages_at = policy.public_origin.clone();
        router.fallback(move |uri: http::Uri| api_role::to_pages(pages_at.clone(), uri))
    } else {
        router.fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
    };
    let app = router
        .layer(axum::middleware::from_fn(server_fn_status::server_fn_error_status))
        .layer(axum::middleware::from_fn_with_state(state.error_seal.clone(), form_error_seal::seal_form_errors))
        .layer(CookieManagerLayer::new())
        .layer(axum::middleware::from_fn_with_state(policy.clone(), cookie_screen::screen_cookies))
        // Before anything can change state: refuse unsafe requests from untrusted pages.
        .layer(axum::middleware::from_fn_with_state(policy.clone(), csrf::csrf_guard))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(body_limit::BODY_LIMIT_BYTES))
        .layer(axum::middleware::from_fn(body_limit::refuse_large_bodies))
        .layer(cors::cors(&policy));
    // The probes carry no cookies, bodies or cross-origin calls: of the layers above they would
    // only pay for the clones tower makes of each on every request (a third of `/healthz`).
    Router::new()
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readiness))
        .merge(app)
        .layer(axum::middleware::from_fn_with_state(state.clone(), security_headers::security_headers))
        // First of all: who the client is, through trusted proxies (throttles, sessions, logs).
        .layer(axum::middleware::from_fn_with_state(proxies, forwarded::resolve_client))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
