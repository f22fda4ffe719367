//! Auth data shared by the server and the browser.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A user's id. A newtype, so a user id can never be passed where a session id (or, later, a
/// stop or group id) is expected.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct UserId(pub i64);

/// A sign-in session's id (random, URL-safe).
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
#[cfg_attr(feature = "ssr", derive(sqlx::Type), sqlx(transparent))]
pub struct SessionId(pub String);

impl fmt::Display for UserId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

/// A user as the API and the pages show it. Never carries the password hash.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub email: String,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A sign-in session, as its owner sees it in the sessions list.
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: SessionId,
    /// The session this request is made with.
    pub current: bool,
    /// Unix seconds.
    pub created_at: i64,
    /// Unix seconds: sign-in or the last refresh.
    pub last_used_at: i64,
    /// "Firefox on Linux": the user agent, summarised for people.
    pub device: String,
    pub user_agent: Option<String>,
    pub ip: Option<String>,
}
