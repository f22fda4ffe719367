//! Server-only code: the service layer behind both the REST API and the server functions,
//! plus the web policy (cookies, CORS, CSRF), security headers and the extractors they share.

pub mod auth;
pub mod common_passwords;
pub mod extract;
pub mod headers;
pub mod password;
pub mod policy;
pub mod random;
pub mod state;
pub mod store;
pub mod throttle;
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

/// For server functions that need a signed-in user: the state and that user, or 401.
pub async fn signed_in() -> Result<(AppState, extract::CurrentUser), crate::error::AppError> {
    let state = leptos::prelude::expect_context::<AppState>();
    let current = leptos_axum::extract_with_state::<extract::CurrentUser, _>(&state).await?;
    Ok((state, current))
}
