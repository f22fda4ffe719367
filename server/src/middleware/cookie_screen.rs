//! Our session cookies are read only under their exact names, and only when there is one of
//! each: see `CookiePolicy::screen`. Runs before tower-cookies parses the header.

use app::ssr::web_policy::WebPolicy;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::HeaderValue;
use http::header::COOKIE;
use std::sync::Arc;

pub async fn screen_cookies(State(policy): State<Arc<WebPolicy>>, mut req: Request, next: Next) -> Response {
    let headers: Vec<String> =
        req.headers().get_all(COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_string).collect();
    if !headers.is_empty() {
        let kept = policy.cookies.screen(headers.iter().flat_map(|h| h.split(';'))).join("; ");
        req.headers_mut().remove(COOKIE);
        if let Ok(value) = HeaderValue::from_str(&kept)
            && !kept.is_empty()
        {
            req.headers_mut().insert(COOKIE, value);
        }
    }
    next.run(req).await
}
