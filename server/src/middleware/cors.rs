//! CORS with credentials, for exactly the configured origins.

use app::ssr::web_policy::{CORS_MAX_AGE, WebPolicy};
use axum::http::{HeaderName, HeaderValue, Method, header};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// An exact list (never `*`, never a mirror of the request), only the methods and headers the
/// API uses, and `Vary: Origin`. With no extra origins it allows nobody, and browsers keep
/// other sites from reading answers.
pub fn cors(policy: &WebPolicy) -> CorsLayer {
    let origins: Vec<HeaderValue> =
        policy.cors_origins.iter().filter_map(|o| HeaderValue::from_str(&o.to_string()).ok()).collect();
    CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_credentials(true)
        .allow_methods([Method::GET, Method::POST, Method::DELETE])
        .allow_headers([header::CONTENT_TYPE, header::ACCEPT])
        // The hydrated app reads these on server-function answers (where to go next, errors).
        .expose_headers([
            header::LOCATION,
            HeaderName::from_static(leptos::server_fn::redirect::REDIRECT_HEADER),
            HeaderName::from_static(leptos::server_fn::error::SERVER_FN_ERROR_HEADER),
        ])
        .max_age(CORS_MAX_AGE)
        .vary([header::ORIGIN, header::ACCESS_CONTROL_REQUEST_METHOD, header::ACCESS_CONTROL_REQUEST_HEADERS])
}
