//! Starts the real `bmw` server on port 0 with a fresh temporary database, and talks to it
//! over HTTP. No mocks. Time is the server's injected clock: tests move it forward instead of
//! sleeping.

use app::ssr::clock::OffsetClock;
use reqwest::header::{HeaderMap, SET_COOKIE};
use serde_json::{Value, json};
use server::config::Config;
use server::startup::{Application, StartupError};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

/// A password every policy accepts.
pub const PASSWORD: &str = "Tr4m-stop-Penguin!";

/// Settings by their environment-variable names, as in `Leptos.toml`.
pub type Settings<'a> = &'a [(&'a str, &'a str)];

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub dir: PathBuf,
    _owned_dir: Option<tempfile::TempDir>,
    pub database_url: String,
    /// The server's clock.
    pub clock: OffsetClock,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

pub async fn spawn() -> TestApp {
    spawn_with(&[]).await
}

/// `settings` are applied over test defaults (port 0, temporary data dir).
pub async fn spawn_with(settings: Settings<'_>) -> TestApp {
    let dir = tempfile::tempdir().expect("temporary directory");
    let mut app = spawn_in(dir.path(), settings).await;
    app._owned_dir = Some(dir);
    app
}

/// The configuration `settings` give over the test defaults (port 0, data in `dir`).
pub fn config(dir: &Path, settings: Settings<'_>) -> Result<Config, server::config::ConfigError> {
    let dir = dir.display().to_string();
    let defaults = [("LEPTOS_SITE_ADDR", "127.0.0.1:0"), ("BMW_DATA_DIR", dir.as_str())];
    Config::from_values(defaults.iter().chain(settings).copied())
}

/// Builds the server as `bmw` would, returning the start-up error if there is one.
pub async fn build(dir: &Path, settings: Settings<'_>) -> Result<Application, StartupError> {
    Application::build(config(dir, settings)?).await
}

/// Like `spawn_with`, on a data directory the caller keeps: for restarts over the same data.
pub async fn spawn_in(dir: &Path, settings: Settings<'_>) -> TestApp {
    let config = config(dir, settings).expect("valid test configuration");
    let database_url = config.storage.database_url.clone();
    let clock = OffsetClock::default();
    let app = Application::build_with_clock(config, Arc::new(clock.clone())).await.expect("server builds");
    let addr = app.local_addr();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    tokio::spawn(app.run_until(async {
        let _ = rx.await;
    }));
    TestApp {
        addr,
        base: format!("http://{addr}"),
        dir: dir.to_path_buf(),
        _owned_dir: None,
        database_url,
        clock,
        shutdown: Some(tx),
    }
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    /// A client with its own cookie jar, like one browser.
    pub fn browser(&self) -> reqwest::Client {
        reqwest::Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    /// A client that keeps no cookies: every cookie must be passed by hand.
    pub fn bare(&self) -> reqwest::Client {
        reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap()
    }

    pub async fn sign_up(&self, client: &reqwest::Client, username: &str, password: &str) -> reqwest::Response {
        client
            .post(self.url("/api/auth/signup"))
            .json(&json!({"username": username, "password": password, "email": format!("{username}@example.com"), "name": "Test User"}))
            .send()
            .await
            .unwrap()
    }

    pub async fn db(&self) -> sqlx::SqlitePool {
        server::db::connect(&self.database_url).await.unwrap()
    }

    /// Moves the server's clock forward.
    pub fn advance(&self, by: Duration) {
        self.clock.advance(by);
    }
}

/// A client that trusts exactly the certificate in `pem_file` and reaches `host` at `addr`, so
/// the certificate's name is really checked.
pub fn client_trusting(pem_file: &Path, host: &str, addr: SocketAddr) -> reqwest::Client {
    server::tls::install_crypto_provider();
    let pem = std::fs::read(pem_file).expect("a generated certificate");
    reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&pem).unwrap())
        .tls_built_in_root_certs(false)
        .resolve(host, addr)
        .redirect(reqwest::redirect::Policy::none())
        .build()
        .unwrap()
}

/// The `Set-Cookie` header for `name`, whole.
pub fn set_cookie(headers: &HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find(|v| v.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// The value of cookie `name` in a `Set-Cookie` header.
pub fn cookie_value(headers: &HeaderMap, name: &str) -> Option<String> {
    let header = set_cookie(headers, name)?;
    let pair = header.split(';').next()?;
    Some(pair.split_once('=')?.1.to_string())
}

pub async fn json_body(res: reqwest::Response) -> Value {
    res.json().await.expect("a JSON body")
}

/// The tokens of one signed-in client.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
}

impl Tokens {
    pub fn from_headers(headers: &HeaderMap) -> Tokens {
        Tokens {
            access: cookie_value(headers, "bmw_access").expect("an access cookie"),
            refresh: cookie_value(headers, "bmw_refresh").expect("a refresh cookie"),
        }
    }

    pub fn cookie(&self) -> String {
        format!("bmw_access={}; bmw_refresh={}", self.access, self.refresh)
    }

    pub fn access_only(&self) -> String {
        format!("bmw_access={}", self.access)
    }

    pub fn refresh_only(&self) -> String {
        format!("bmw_refresh={}", self.refresh)
    }

    /// The session id, from the access token.
    pub fn sid(&self) -> String {
        self.claims()["sid"].as_str().expect("a sid claim").to_string()
    }

    /// The access token's claims, decoded without verification.
    pub fn claims(&self) -> Value {
        use base64::Engine;
        let payload = self.access.split('.').nth(1).expect("a JWT");
        let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(payload).expect("base64url");
        serde_json::from_slice(&bytes).expect("JSON claims")
    }
}

impl TestApp {
    /// Signs up `username` and returns its tokens.
    pub async fn signed_up(&self, username: &str, password: &str) -> Tokens {
        let res = self.sign_up(&self.bare(), username, password).await;
        assert_eq!(res.status(), reqwest::StatusCode::CREATED, "sign-up of {username}");
        Tokens::from_headers(res.headers())
    }

    /// Signs `username` in again, as another device, and returns that session's tokens.
    pub async fn signed_in(&self, username: &str, password: &str, user_agent: &str) -> Tokens {
        let res = self.sign_in_raw(username, password, user_agent).await;
        assert_eq!(res.status(), reqwest::StatusCode::OK, "sign-in of {username}");
        Tokens::from_headers(res.headers())
    }

    pub async fn sign_in_raw(&self, username: &str, password: &str, user_agent: &str) -> reqwest::Response {
        self.bare()
            .post(self.url("/api/auth/signin"))
            .header("user-agent", user_agent)
            .json(&json!({"username": username, "password": password}))
            .send()
            .await
            .unwrap()
    }

    /// A plain HTML form post to a server function from our page `from`, as a browser without
    /// JavaScript sends it.
    pub async fn form_post(
        &self,
        client: &reqwest::Client,
        function: &str,
        from: &str,
        fields: &[(&str, &str)],
    ) -> reqwest::Response {
        client
            .post(self.url(&format!("/api/fn/{function}")))
            .header("accept", "text/html")
            .header("referer", self.url(from))
            .form(fields)
            .send()
            .await
            .unwrap()
    }

    /// GET /api/auth/me with exactly these cookies; returns the status.
    pub async fn me_status(&self, cookie: &str) -> reqwest::StatusCode {
        self.bare().get(self.url("/api/auth/me")).header("cookie", cookie).send().await.unwrap().status()
    }

    /// DELETE /api/auth/sessions/{sid}, signed in as `who`; returns the status.
    pub async fn end_session(&self, who: &Tokens, sid: &str) -> reqwest::StatusCode {
        let url = self.url(&format!("/api/auth/sessions/{sid}"));
        self.bare().delete(url).header("cookie", who.cookie()).send().await.unwrap().status()
    }

    /// GET /api/auth/sessions, signed in as `who`.
    pub async fn sessions(&self, who: &Tokens) -> Value {
        let res = self.bare().get(self.url("/api/auth/sessions")).header("cookie", who.cookie()).send().await.unwrap();
        res.json().await.expect("a JSON list")
    }

    /// POST /api/auth/refresh with this refresh token; returns the status.
    /// Both of the session's tokens are refused: it has ended.
    pub async fn assert_ended(&self, tokens: &Tokens, why: &str) {
        assert_eq!(self.me_status(&tokens.access_only()).await, reqwest::StatusCode::UNAUTHORIZED, "{why}: access");
        assert_eq!(self.refresh_status(tokens).await, reqwest::StatusCode::UNAUTHORIZED, "{why}: refresh");
    }

    pub async fn refresh_status(&self, tokens: &Tokens) -> reqwest::StatusCode {
        self.bare()
            .post(self.url("/api/auth/refresh"))
            .header("cookie", tokens.refresh_only())
            .send()
            .await
            .unwrap()
            .status()
    }
}

// Feeds: imported with the real binary, as a person would.

/// The `gtfs` crate's synthetic feed: a station with a platform, a trip past midnight, empty
/// times, pickup_type = 1, exact and approximate frequencies, holiday exceptions.
pub fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../gtfs/tests/fixtures/basic")
}

/// A real feed that `cargo xtask test` fetched (pinned, from the package registries).
pub fn real_feed(variable: &str) -> PathBuf {
    let path = std::env::var_os(variable).unwrap_or_else(|| {
        panic!("{variable} is not set: run these tests with `cargo xtask test`, which fetches the real feeds")
    });
    PathBuf::from(path)
}

/// `bmw gtfs …` on a data directory, as a person would run it.
pub async fn bmw(data: &Path, args: &[&str]) -> std::process::Output {
    tokio::process::Command::new(env!("CARGO_BIN_EXE_bmw"))
        .arg("--data-dir")
        .arg(data)
        .args(args)
        .env("RUST_LOG", "warn")
        .output()
        .await
        .expect("bmw runs")
}

pub async fn import(data: &Path, source: &Path, feed: &str) -> std::process::Output {
    bmw(data, &["gtfs", "import", &source.display().to_string(), "--feed", feed]).await
}

pub async fn imported(data: &Path, source: &Path, feed: &str) {
    let out = import(data, source, feed).await;
    assert!(out.status.success(), "import of {feed} failed: {}", String::from_utf8_lossy(&out.stderr));
}
