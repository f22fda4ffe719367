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
