//! Request bodies and query strings, with rejections in our error shape.

use app::error::AppError;
use axum::Json;
use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Query, Request};
use http::request::Parts;

/// `Json`, but a body that cannot be read answers with our JSON error shape, and the body must
/// be a JSON object: serde would otherwise read a struct from an array (`[null, null]`), which
/// the OpenAPI document does not allow.
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, AppError> {
        if !is_json(req.headers()) {
            return Err(AppError::UnsupportedMediaType("Send a JSON body with Content-Type: application/json.".into()));
        }
        let body = Bytes::from_request(req, state).await.map_err(|rejection| {
            AppError::BadRequest(format!("The request body is not valid: {}", rejection.body_text()))
        })?;
        if body.iter().find(|b| !b.is_ascii_whitespace()) != Some(&b'{') {
            return Err(AppError::BadRequest("The request body must be a JSON object.".into()));
        }
        match Json::<T>::from_bytes(&body) {
            Ok(Json(value)) => Ok(ApiJson(value)),
            Err(rejection) => {
                Err(AppError::BadRequest(format!("The request body is not valid: {}", rejection.body_text())))
            }
        }
    }
}

/// `application/json`, or any `application/…+json`, as axum's `Json` accepts.
fn is_json(headers: &http::HeaderMap) -> bool {
    let Some(content_type) = headers.get(http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence.strip_prefix("application/").is_some_and(|subtype| subtype == "json" || subtype.ends_with("+json"))
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
