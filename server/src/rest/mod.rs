//! The JSON REST API. Thin: each handler reads the request, calls the same service as the
//! server functions, and shapes the answer. One file per feature.

mod auth;
mod bookmarks;
mod extract;
mod transit;

pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use transit::route_colors;

use crate::state::AppState;
use app::error::AppError;
use axum::Router;
use axum::routing::any;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(auth::routes())
        .merge(transit::routes())
        .merge(bookmarks::routes())
        .route("/api/{*rest}", any(|| async { AppError::NotFound }))
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
}

/// Paths the session middleware must not refresh on: they handle the refresh token themselves.
pub const HANDLES_REFRESH_TOKEN: [&str; 2] = auth::HANDLES_REFRESH_TOKEN;
