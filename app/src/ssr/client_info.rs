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
