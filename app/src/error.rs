//! The one error type of the app. REST handlers and server functions both return it, and it
//! always travels as the same JSON body: `{error, message, fields?}`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Per-field messages, keyed by the form field / JSON property name.
pub type FieldErrors = BTreeMap<String, String>;

#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
#[serde(into = "ErrorBody", from = "ErrorBody")]
pub enum AppError {
    /// The request could not be read at all (malformed JSON, wrong types).
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// The request was readable but some fields are invalid.
    #[error("Please correct the highlighted fields.")]
    Validation(FieldErrors),
    /// A unique value is taken; `field` names the input to show it next to.
    #[error("{message}")]
    Conflict { field: String, message: String },
    #[error("{0}")]
    Unauthorized(String),
    #[error("{0}")]
    Forbidden(String),
    /// Refused by the CSRF check: the request came from a page we do not trust.
    #[error("{0}")]
    Csrf(String),
    #[error("Not found.")]
    NotFound,
    /// Too many failed attempts; the client may retry after this many seconds.
    #[error("Too many failed attempts. Try again in {retry_after} seconds.")]
    Throttled { retry_after: u64 },
    /// Something failed on our side. The detail is logged, never sent.
    #[error("Something went wrong on our side. Please try again.")]
    Internal(#[serde(skip)] String),
}

impl AppError {
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        Self::Internal(detail.to_string())
    }

    pub fn unauthorized() -> Self {
        Self::Unauthorized("You are not signed in.".into())
    }

    pub fn validation(field: &str, message: impl Into<String>) -> Self {
        Self::Validation(FieldErrors::from([(field.to_string(), message.into())]))
    }

    /// The machine-readable code that goes in the `error` property.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Validation(_) => "validation",
            Self::Conflict { .. } => "conflict",
            Self::Unauthorized(_) => "unauthorized",
            Self::Forbidden(_) => "forbidden",
            Self::Csrf(_) => "csrf",
            Self::NotFound => "not_found",
            Self::Throttled { .. } => "throttled",
            Self::Internal(_) => "internal",
        }
    }

    pub fn status(&self) -> http::StatusCode {
        use http::StatusCode as S;
        match self {
            Self::BadRequest(_) => S::BAD_REQUEST,
            Self::UnsupportedMediaType(_) => S::UNSUPPORTED_MEDIA_TYPE,
            Self::Validation(_) => S::UNPROCESSABLE_ENTITY,
            Self::Conflict { .. } => S::CONFLICT,
            Self::Unauthorized(_) => S::UNAUTHORIZED,
            Self::Forbidden(_) | Self::Csrf(_) => S::FORBIDDEN,
            Self::NotFound => S::NOT_FOUND,
            Self::Throttled { .. } => S::TOO_MANY_REQUESTS,
            Self::Internal(_) => S::INTERNAL_SERVER_ERROR,
        }
    }

    /// The message to show next to the input named `field`, if any.
    pub fn field(&self, field: &str) -> Option<String> {
        match self {
            Self::Validation(fields) => fields.get(field).cloned(),
            Self::Conflict { field: f, message } if f == field => Some(message.clone()),
            _ => None,
        }
    }

    /// A message for the top of a form: only for errors not already shown next to a field.
    pub fn form_message(&self) -> Option<String> {
        match self {
            Self::Validation(_) | Self::Conflict { .. } => None,
            other => Some(other.to_string()),
        }
    }
}

/// The wire form of [`AppError`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldErrors>,
    /// Seconds to wait, for `throttled` (also sent as the `Retry-After` header).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_after: Option<u64>,
}

impl From<AppError> for ErrorBody {
    fn from(err: AppError) -> Self {
        let fields = match &err {
            AppError::Validation(fields) => Some(fields.clone()),
            AppError::Conflict { field, message } => Some(FieldErrors::from([(field.clone(), message.clone())])),
            _ => None,
        };
        let retry_after = match err {
            AppError::Throttled { retry_after } => Some(retry_after),
            _ => None,
        };
        ErrorBody { error: err.code().into(), message: err.to_string(), fields, retry_after }
    }
}

impl From<ErrorBody> for AppError {
    fn from(body: ErrorBody) -> Self {
        let ErrorBody { error, message, fields, retry_after } = body;
        match error.as_str() {
            "bad_request" => Self::BadRequest(message),
            "unsupported_media_type" => Self::UnsupportedMediaType(message),
            "validation" => Self::Validation(fields.unwrap_or_default()),
            "conflict" => {
                let (field, message) = fields.and_then(|f| f.into_iter().next()).unwrap_or_default();
                Self::Conflict { field, message }
            }
            "unauthorized" => Self::Unauthorized(message),
            "forbidden" => Self::Forbidden(message),
            "csrf" => Self::Csrf(message),
            "not_found" => Self::NotFound,
            "throttled" => Self::Throttled { retry_after: retry_after.unwrap_or(1) },
            _ => Self::Internal(message),
        }
    }
}

/// Lets server functions return `AppError` directly; framework failures (network, decoding)
/// become the closest variant.
impl leptos::server_fn::error::FromServerFnError for AppError {
    type Encoder = leptos::server_fn::codec::JsonEncoding;

    fn from_server_fn_error(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        use leptos::server_fn::error::ServerFnErrorErr as E;
        match value {
            E::Args(msg) | E::Deserialization(msg) => Self::BadRequest(msg),
            E::Request(msg) => Self::Internal(format!("Could not reach the server: {msg}")),
            other => Self::internal(other),
        }
    }
}

impl From<leptos::server_fn::error::ServerFnErrorErr> for AppError {
    fn from(value: leptos::server_fn::error::ServerFnErrorErr) -> Self {
        leptos::server_fn::error::FromServerFnError::from_server_fn_error(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_shape_round_trips() {
        let err = AppError::Conflict { field: "username".into(), message: "taken".into() };
        let json = serde_json::to_value(&err).unwrap();
        assert_eq!(json, serde_json::json!({"error": "conflict", "message": "taken", "fields": {"username": "taken"}}));
        assert_eq!(serde_json::from_value::<AppError>(json).unwrap(), err);
    }

    #[test]
    fn internal_detail_is_never_serialized() {
        let json = serde_json::to_string(&AppError::internal("db path /secret")).unwrap();
        assert!(!json.contains("/secret"), "{json}");
    }
}
