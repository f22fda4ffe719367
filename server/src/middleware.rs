//! Request middleware: who is calling (with transparent refresh), error statuses for server
//! functions, and the headers every response carries.

use crate::rest::HANDLES_REFRESH_TOKEN;
use app::backend::AppState;
use app::backend::extract::VerifiedClaims;
use app::backend::headers::{self as csp, CspNonce};
use app::backend::policy::{CORS_MAX_AGE, WebPolicy, csrf};
use app::error::{AppError, ErrorBody};
use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;
use tower_cookies::Cookies;
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Puts the caller's verified access claims in the request extensions. When the access token
/// is missing or expired but the refresh token is good, refreshes right here and sets the new
/// cookies on this very response, so an active user is never bounced to the sign-in page.
pub async fn resolve_session(
    State(state): State<AppState>,
    cookies: Cookies,
    mut req: Request,
    next: Next,
) -> Response {
    let claims = match state.policy.cookies.access_token(&cookies).and_then(|t| state.auth.verify_access(&t)) {
        Some(claims) => Some(claims),
        None if !HANDLES_REFRESH_TOKEN.contains(&req.uri().path()) => {
            match state.policy.cookies.refresh_token(&cookies) {
                Some(token) => match state.auth.refresh(&token).await {
                    Ok(session) => {
                        state.policy.cookies.set_session(&cookies, &session);
                        Some(session.claims)
                    }
                    Err(AppError::Internal(detail)) => {
                        tracing::error!(%detail, "transparent refresh failed");
                        None
                    }
                    Err(_) => {
                        // Dead refresh token: stop the browser from sending it again.
                        state.policy.cookies.clear_session(&cookies);
                        None
                    }
                },
                None => None,
            }
        }
        None => None,
    };
    if let Some(claims) = claims {
        req.extensions_mut().insert(VerifiedClaims(claims));
    }
    next.run(req).await
}

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

/// Headers for every response, error pages and static files included. Mints the CSP nonce
/// that pages use for their inline scripts (see `app::backend::headers`).
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let nonce = CspNonce::new();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let csp = if is_page {
        csp::page_policy(&nonce.0, &state.leptos_options, state.policy.client_api_origin().as_deref())
    } else {
        csp::default_policy()
    };
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    if let Ok(value) = HeaderValue::from_str(&csp) {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    // Users reach us over https (built-in TLS or a proxy): tell browsers to keep it that way.
    if state.policy.public_origin.https() {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    // API answers and anything that sets a cookie may carry account data or tokens.
    if is_api || headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    res
}

/// Refuses state-changing requests from pages we do not trust (see `policy::csrf`), before
/// any handler runs.
pub async fn csrf_guard(State(policy): State<Arc<WebPolicy>>, req: Request, next: Next) -> Response {
    match csrf::check(&policy.csrf_origins, &policy.served_origin, req.method(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(reason) => {
            tracing::warn!(method = %req.method(), path = %req.uri().path(), %reason, "CSRF check refused a request");
            AppError::Csrf(reason).into_response()
        }
    }
}

/// CORS with credentials for exactly the configured origins: an exact list (never `*`, never
/// a mirror of the request), only the methods and headers the API uses, and `Vary: Origin`.
/// With no extra origins it allows nobody, and browsers keep other sites from reading answers.
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

/// The api role serves no pages: send browsers that ask it for one to the pages' origin, and
/// answer anything else with the JSON 404.
pub async fn to_pages(pages_at: app::backend::policy::origin::Origin, uri: axum::http::Uri) -> Response {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    if path.starts_with("/api/") {
        return AppError::NotFound.into_response();
    }
    axum::response::Redirect::to(&format!("{pages_at}{path}")).into_response()
}
