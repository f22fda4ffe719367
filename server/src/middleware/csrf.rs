//! The CSRF guard, in front of every route.

use app::error::AppError;
use app::ssr::security_log::{self, Event};
use app::ssr::web_policy::{WebPolicy, csrf};
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use std::sync::Arc;

/// Refuses state-changing requests from pages we do not trust (see `web_policy::csrf`), before
/// any handler runs.
pub async fn csrf_guard(State(policy): State<Arc<WebPolicy>>, req: Request, next: Next) -> Response {
    match csrf::check(&policy.csrf_origins, &policy.served_origin, req.method(), req.headers()) {
        Ok(()) => next.run(req).await,
        Err(reason) => {
            // The reason quotes the request's Origin: the caller's words, so cut short.
            if let Some(left_out) = security_log::allow(Event::CsrfRefused) {
                let reason: String = reason.chars().take(200).collect();
                tracing::warn!(target: "security", method = %req.method(), path = %req.uri().path(), %reason, left_out, "CSRF check refused a request");
            }
            AppError::Csrf(reason).into_response()
        }
    }
}
