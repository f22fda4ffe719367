//! Every request body is small: sign-in, a form post, a bookmark. A declared length over the
//! limit gets a JSON 413 before anything reads it; a chunked body that grows past it is cut off
//! (tower-http's `RequestBodyLimitLayer`, set up next to this in `startup::router`).

use app::error::AppError;
use axum::extract::Request;
use axum::http::header::CONTENT_LENGTH;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

pub const BODY_LIMIT_BYTES: usize = 16 * 1024;

pub async fn refuse_large_bodies(req: Request, next: Next) -> Response {
    let declared = req.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > BODY_LIMIT_BYTES as u64) {
        return AppError::PayloadTooLarge { limit: BODY_LIMIT_BYTES }.into_response();
    }
    next.run(req).await
}
