//! Server-only code: the service layer behind both the REST API and the server functions,
//! plus the cookie policy and the extractors they share.

pub mod auth;
pub mod cookies;
pub mod extract;
pub mod password;
pub mod random;
pub mod state;
pub mod store;
pub mod tokens;

mod http_error;

pub use state::AppState;

/// Seconds since the Unix epoch. All timestamps in the database use this.
pub fn now() -> i64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs() as i64).unwrap_or_default()
}

/// What a server function needs to act for the request: the state, the cookie jar and who is
/// calling.
pub async fn request_context() -> Result<(AppState, tower_cookies::Cookies, auth::ClientInfo), crate::error::AppError> {
    let state = leptos::prelude::expect_context::<AppState>();
    let cookies = leptos_axum::extract::<tower_cookies::Cookies>().await?;
    let client = leptos_axum::extract::<auth::ClientInfo>().await?;
    Ok((state, cookies, client))
}
