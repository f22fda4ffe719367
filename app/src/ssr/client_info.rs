//! Where a request came from: recorded on sessions for their owner to review, and the key of
//! the per-address throttle.

use axum::extract::{ConnectInfo, FromRequestParts};
use http::request::Parts;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};

/// The client's address as the server's edge resolved it through trusted proxies
/// (`BMW_TRUSTED_PROXIES`, `server/src/middleware/forwarded.rs`). Absent when no proxy is
/// trusted or the peer is not one: then the peer is the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResolvedClient(pub IpAddr);

#[derive(Debug, Clone, Default)]
pub struct ClientInfo {
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}

/// The language a request asks for first (`Accept-Language`), as a BCP 47 tag such as `fr-CA`;
/// `en` when it asks for none. Alerts from the feeds are shown in it when they have it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Language(pub String);

impl Language {
    pub fn from_header(accept_language: Option<&str>) -> Self {
        let first = accept_language
            .and_then(|header| header.split(',').next())
            .map(|choice| choice.split(';').next().unwrap_or_default().trim())
            .filter(|tag| !tag.is_empty() && *tag != "*" && tag.len() <= 35);
        Self(first.unwrap_or("en").to_string())
    }

    /// The language of the request a server function serves.
    pub async fn of_request() -> Self {
        leptos_axum::extract::<Language>().await.unwrap_or_else(|_| Self::from_header(None))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Language {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let header = parts.headers.get(http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok());
        Ok(Self::from_header(header))
    }
}

/// Longest user agent we keep; browsers send ~150 characters.
const MAX_USER_AGENT: usize = 256;

impl<S: Send + Sync> FromRequestParts<S> for ClientInfo {
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Infallible> {
        let user_agent = parts
            .headers
            .get(http::header::USER_AGENT)
            .and_then(|v| v.to_str().ok())
            .map(|ua| ua.chars().take(MAX_USER_AGENT).collect());
        let ip = match parts.extensions.get::<ResolvedClient>() {
            Some(ResolvedClient(ip)) => Some(ip.to_string()),
            None => parts
                .extensions
                .get::<ConnectInfo<SocketAddr>>()
                .map(|ConnectInfo(addr)| addr.ip().to_canonical().to_string()),
        };
        Ok(ClientInfo { user_agent, ip })
    }
}

#[cfg(test)]
mod tests {
    use super::Language;

    #[test]
    fn the_first_language_asked_for_is_used() {
        assert_eq!(Language::from_header(Some("fr-CA,fr;q=0.9,en;q=0.5")).0, "fr-CA");
        assert_eq!(Language::from_header(Some(" de ;q=1")).0, "de");
        assert_eq!(Language::from_header(Some("*")).0, "en");
        assert_eq!(Language::from_header(None).0, "en");
    }
}
