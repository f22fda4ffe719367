//! Data shared by the server and the browser.

use serde::{Deserialize, Serialize};

/// A user as the API and the pages show it. Never carries the password hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct User {
    pub id: i64,
    pub username: String,
    pub email: String,
    pub name: String,
    /// Unix seconds.
    pub created_at: i64,
}

/// A sign-in session, as its owner sees it in the sessions list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub id: String,
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

/// A Unix timestamp as "2026-11-22 09:53 UTC". Deterministic, so the server's rendering and
/// the browser's hydration agree.
pub fn format_utc(unix_secs: i64) -> String {
    match time::OffsetDateTime::from_unix_timestamp(unix_secs) {
        Ok(t) => {
            format!("{}-{:02}-{:02} {:02}:{:02} UTC", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute())
        }
        Err(_) => "unknown time".into(),
    }
}
