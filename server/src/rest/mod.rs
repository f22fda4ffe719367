//! The JSON REST API. Thin: each handler reads the request, calls the same service as the
//! server functions, and shapes the answer. One file per feature; `openapi` describes them all.

mod auth;
// utoipa's `params(QueryType)` expands to a path that the lint calls over-qualified.
#[allow(unused_qualifications)]
mod bookmarks;
mod extract;
mod openapi;
#[allow(unused_qualifications)]
mod transit;

pub use extract::{ApiJson, ApiPath, ApiQuery};
pub use transit::route_colors;

use crate::state::AppState;
use app::error::AppError;
use axum::Router;
use axum::routing::{any, get};
use std::sync::LazyLock;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;

/// Every documented route, each registered from its `#[utoipa::path]`.
fn api() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(openapi::ApiDoc::openapi())
        .merge(auth::routes())
        .merge(transit::routes())
        .merge(bookmarks::routes())
}

/// The OpenAPI document of [`routes`].
pub fn document() -> utoipa::openapi::OpenApi {
    api().into_openapi()
}

/// The document as served, built once. Serializing it cannot fail (plain maps and strings; the
/// unit test in `openapi` does it), so a failure would be a bug in this build, caught at start.
pub static DOCUMENT: LazyLock<serde_json::Value> =
    LazyLock::new(|| serde_json::to_value(document()).expect("the OpenAPI document serializes"));
static DOCUMENT_JSON: LazyLock<String> = LazyLock::new(|| DOCUMENT.to_string());

pub fn routes() -> Router<AppState> {
    let (router, _) = api().split_for_parts();
    router
        .route(
            "/api/openapi.json",
            get(|| async { ([(http::header::CONTENT_TYPE, "application/json")], DOCUMENT_JSON.as_str()) }),
        )
        .route("/api/{*rest}", any(|| async { AppError::NotFound }))
        .method_not_allowed_fallback(|| async { AppError::MethodNotAllowed })
}

/// Paths the session middleware must not refresh on: they handle the refresh token themselves.
pub const HANDLES_REFRESH_TOKEN: [&str; 2] = auth::HANDLES_REFRESH_TOKEN;
