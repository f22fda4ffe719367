//! `AppError` as an HTTP response: the status from `AppError::status` and the JSON body. No
//! logging here: internal errors are logged where they are created.

use super::{AppError, ErrorBody};
use axum::response::{IntoResponse, Response};

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let retry_after = match self {
            AppError::Throttled { retry_after } | AppError::Busy { retry_after } => Some(retry_after),
            _ => None,
        };
        let mut response = (status, axum::Json(ErrorBody::from(self))).into_response();
        if let Some(secs) = retry_after {
            response.headers_mut().insert(http::header::RETRY_AFTER, secs.into());
        }
        response
    }
}
