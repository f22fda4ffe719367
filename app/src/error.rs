//! The one error type of the app. REST handlers and server functions both return it, and it
//! always travels as the same JSON body: `{error, message, fields?}`.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[cfg(feature = "ssr")]
mod response;

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
    #[error("This endpoint does not accept that method.")]
    MethodNotAllowed,
    /// The body is over the limit for every request (`BODY_LIMIT_BYTES`).
    #[error("The request body is too large: at most {limit} bytes.")]
    PayloadTooLarge { limit: usize },
    /// Too many failed attempts; the client may retry after this many seconds.
    #[error("Too many failed attempts. Try again in {retry_after} seconds.")]
    Throttled { retry_after: u64 },
    /// Too much password hashing queued already (sign-up floods); nothing was done.
    #[error("The server is busy. Try again in {retry_after} seconds.")]
    Busy { retry_after: u64 },
    /// Something failed on our side. The detail is logged where it is created (see
    /// [`AppError::internal`]), never sent.
    #[error("Something went wrong on our side. Please try again.")]
    Internal(#[serde(skip)] String),
}

impl AppError {
    /// A failure on our side. Logged here, once, with its detail: every path (REST, server
    /// functions, server-rendered pages) creates internal errors through this, and the client
    /// only ever sees the generic message.
    pub fn internal(detail: impl std::fmt::Display) -> Self {
        let detail = detail.to_string();
        #[cfg(feature = "ssr")]
        tracing::error!(%detail, "internal error");
        Self::Internal(detail)
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
            Self::MethodNotAllowed => "method_not_allowed",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::Throttled { .. } => "throttled",
            Self::Busy { .. } => "busy",
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
            Self::MethodNotAllowed => S::METHOD_NOT_ALLOWED,
            Self::PayloadTooLarge { .. } => S::PAYLOAD_TOO_LARGE,
            Self::Throttled { .. } => S::TOO_MANY_REQUESTS,
            Self::Busy { .. } => S::SERVICE_UNAVAILABLE,
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

    /// One message for a place with no field to put it by (a row of a list): the field's own
    /// message when there is one, else the error's.
    pub fn summary(&self) -> String {
        match self {
            Self::Validation(fields) => fields.values().next().cloned().unwrap_or_else(|| self.to_string()),
            Self::Conflict { message, .. } => message.clone(),
            other => other.to_string(),
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
#[cfg_attr(
    feature = "ssr",
    derive(utoipa::ToSchema),
    schema(
        description = "Every error: `error` is a stable code, `message` is for people, `fields` maps input names to their messages."
    )
)]
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(inline))]
    pub fields: Option<FieldErrors>,
    /// Seconds to wait, for `throttled` and `busy` (also sent as the `Retry-After` header).
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
            AppError::Throttled { retry_after } | AppError::Busy { retry_after } => Some(retry_after),
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
            "method_not_allowed" => Self::MethodNotAllowed,
            "payload_too_large" => Self::PayloadTooLarge { limit: 0 },
            "throttled" => Self::Throttled { retry_after: retry_after.unwrap_or(1) },
            "busy" => Self::Busy { retry_after: retry_after.unwrap_or(1) },
            // Decoding what the server sent: the server logged it already.
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

    /// The detail of an internal error reaches the log once, when it is created, whichever
    /// path (REST, server function, page) it then travels.
    #[cfg(feature = "ssr")]
    #[test]
    fn internal_errors_are_logged_once_with_their_detail() {
        use std::sync::{Arc, Mutex};
        #[derive(Clone, Default)]
        struct Log(Arc<Mutex<Vec<u8>>>);
        impl std::io::Write for Log {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                self.0.lock().unwrap().extend_from_slice(bytes);
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let log = Log::default();
        let writer = log.clone();
        let subscriber = tracing_subscriber::fmt().with_writer(move || writer.clone()).with_ansi(false).finish();
        let err = tracing::subscriber::with_default(subscriber, || AppError::internal("disk full at /var/db"));
        let json = serde_json::to_string(&err).unwrap();
        let text = String::from_utf8(log.0.lock().unwrap().clone()).unwrap();
        assert_eq!(text.matches("disk full at /var/db").count(), 1, "{text}");
        assert!(!json.contains("disk full"), "{json}");
    }

    #[test]
    fn internal_detail_is_never_serialized() {
        let json = serde_json::to_string(&AppError::internal("db path /secret")).unwrap();
        assert!(!json.contains("/secret"), "{json}");
    }
}
