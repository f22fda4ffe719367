//! Request bodies and query strings, with rejections in our error shape.

use app::error::AppError;
use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use http::request::Parts;

/// `Json`, but a body that cannot be read answers with our JSON error shape.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(JsonRejection::MissingJsonContentType(_)) => {
                Err(AppError::UnsupportedMediaType("Send a JSON body with Content-Type: application/json.".into()))
            }
            Err(rejection) => {
                Err(AppError::BadRequest(format!("The request body is not valid: {}", rejection.body_text())))
            }
        }
    }
}

/// `Query`, but a query string that cannot be read answers 400 with our JSON error shape.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        Query::<T>::from_request_parts(parts, state).await.map(|Query(value)| ApiQuery(value)).map_err(|rejection| {
            AppError::BadRequest(format!("The query string is not valid: {}", rejection.body_text()))
        })
    }
}

/// `Path`, but a path that does not parse (`/api/bm-groups/abc`) names nothing: 404 in our
/// error shape, exactly as an id that does not exist.
pub struct ApiPath<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, AppError> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|axum::extract::Path(value)| ApiPath(value))
            .map_err(|_| AppError::NotFound)
    }
}
