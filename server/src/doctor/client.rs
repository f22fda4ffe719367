//! The doctor's HTTP: bounded in time, no redirects followed (they are findings), no cookie
//! jar (each request carries exactly the cookies the check means it to), and any certificate
//! accepted, so that a bad one is reported by the TLS check and the other checks still run.

use std::net::{IpAddr, SocketAddr};
use std::time::Duration;

/// Every request and connection gives up after this long.
pub const TIMEOUT: Duration = Duration::from_secs(10);

/// What came back; the body is never read (it may be large, and nothing in it is checked).
pub struct Answer {
    pub status: u16,
    pub headers: http::HeaderMap,
}

impl Answer {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    /// Every value of a comma-separated header, lower-cased.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.headers
            .get_all(name)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|v| v.trim().to_ascii_lowercase())
            .filter(|v| !v.is_empty())
            .collect()
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers
            .get_all(http::header::SET_COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .map(String::from)
            .collect()
    }
}

/// `host:addr` (like curl's `--resolve`, without the port: the URL's port is used).
pub fn parse_resolve(raw: &str) -> Result<(String, IpAddr), String> {
    let (host, addr) =
        raw.split_once(':').ok_or_else(|| format!("--resolve {raw}: write HOST:ADDR, e.g. api.bmw.test:127.0.0.1"))?;
    let ip = addr
        .trim_start_matches('[')
        .trim_end_matches(']')
        .parse::<IpAddr>()
        .map_err(|_| format!("--resolve {raw}: {addr} is not an IP address"))?;
    Ok((host.to_ascii_lowercase(), ip))
}

pub fn build(resolve: &[(String, IpAddr)]) -> Result<reqwest::Client, String> {
    crate::tls::install_crypto_provider();
    let mut builder = reqwest::Client::builder()
        .timeout(TIMEOUT)
        .connect_timeout(TIMEOUT)
        .redirect(reqwest::redirect::Policy::none())
        .danger_accept_invalid_certs(true)
        .user_agent(concat!("bmw-doctor/", env!("CARGO_PKG_VERSION")));
    for (host, ip) in resolve {
        // Port 0: the URL's port is used.
        builder = builder.resolve(host, SocketAddr::new(*ip, 0));
    }
    builder.build().map_err(|e| format!("cannot build the HTTP client: {e}"))
}

pub async fn send(
    client: &reqwest::Client,
    method: http::Method,
    url: &str,
    headers: &[(&str, &str)],
    json: Option<&serde_json::Value>,
) -> Result<Answer, String> {
    let mut request = client.request(method.clone(), url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    if let Some(body) = json {
        request = request.json(body);
    }
    let response = request.send().await.map_err(|e| describe_error(&method, url, &e))?;
    Ok(Answer { status: response.status().as_u16(), headers: response.headers().clone() })
}

/// reqwest's error with its causes (the useful part, such as "connection refused", is a cause).
fn describe_error(method: &http::Method, url: &str, e: &reqwest::Error) -> String {
    let mut text = format!("{method} {url}: ");
    text.push_str(if e.is_timeout() { "no answer within 10 s" } else { "failed" });
    let mut source = std::error::Error::source(e);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text
}
