//! What the api role answers where it serves nothing.

use app::error::AppError;
use app::ssr::web_policy::origin::Origin;
use axum::response::{IntoResponse, Response};

/// The api role serves no pages: send browsers that ask it for one to the pages' origin, and
/// answer anything else with the JSON 404.
pub async fn to_pages(pages_at: Origin, uri: http::Uri) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if path.starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    axum::response::Redirect::to(&format!("{pages_at}{path}")).into_response()
}
