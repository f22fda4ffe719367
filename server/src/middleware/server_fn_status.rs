//! Real HTTP statuses for server-function errors.

use app::error::{AppError, ErrorBody};
use axum::body::Body;
use axum::extract::Request;
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

/// Server functions answer every error with 500. Give hydrated callers the real status (422,
/// 401, …) from the `AppError` in the body. Plain form posts are redirects and stay as they are.
pub async fn server_fn_error_status(req: Request, next: Next) -> Response {
    let res = next.run(req).await;
    let is_server_fn_error = res.headers().contains_key("serverfnerror");
    if !is_server_fn_error || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    // Error bodies are a few hundred bytes; cap the read anyway.
    let Ok(bytes) = axum::body::to_bytes(body, 64 * 1024).await else {
        return AppError::internal("unreadable server function error body").into_response();
    };
    if let Ok(body) = serde_json::from_slice::<ErrorBody>(&bytes) {
        if let Some(secs) = body.retry_after {
            parts.headers.insert(header::RETRY_AFTER, secs.into());
        }
        parts.status = AppError::from(body).status();
    }
    Response::from_parts(parts, Body::from(bytes))
}
