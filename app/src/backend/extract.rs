//! Extractors shared by REST handlers and server functions (via `leptos_axum::extract_with_state`).

use super::auth::ClientInfo;
use super::state::AppState;
use super::tokens::AccessClaims;
use crate::error::AppError;
use crate::model::User;
use axum::extract::{ConnectInfo, FromRequestParts, OptionalFromRequestParts};
use http::request::Parts;
use std::convert::Infallible;
use std::net::SocketAddr;

/// The session's verified access-token claims, put in the request extensions by the session
/// middleware (which also refreshes them transparently when they have expired).
#[derive(Debug, Clone)]
pub struct VerifiedClaims(pub AccessClaims);

/// The signed-in user. Rejects with 401 when there is none, or when the session was revoked.
#[derive(Debug, Clone)]
pub struct CurrentUser {
    pub user: User,
    pub claims: AccessClaims,
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, AppError> {
        <Self as OptionalFromRequestParts<AppState>>::from_request_parts(parts, state)
            .await?
            .ok_or_else(AppError::unauthorized)
    }
}

impl OptionalFromRequestParts<AppState> for CurrentUser {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Option<Self>, AppError> {
        let Some(VerifiedClaims(claims)) = parts.extensions.get::<VerifiedClaims>().cloned() else {
            return Ok(None);
        };
        let user = state.auth.user_for(&claims).await?;
        Ok(user.map(|user| CurrentUser { user, claims }))
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
        // The peer address only: forwarded headers are not trusted (no proxy is configured).
        let ip = parts.extensions.get::<ConnectInfo<SocketAddr>>().map(|ConnectInfo(addr)| addr.ip().to_string());
        Ok(ClientInfo { user_agent, ip })
    }
}
