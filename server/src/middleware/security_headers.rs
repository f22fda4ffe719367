//! Headers for every response, error pages and static files included (ASVS 3.4).

use crate::state::AppState;
use app::ssr::web_policy::csp::{self, CspNonce};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;

/// Offers the request a CSP nonce for a page's inline scripts (drawn only if a page reads it;
/// see `app::ssr::web_policy::csp`) and sets the policy, nosniff, referrer policy, framing,
/// HSTS and caching headers.
pub async fn security_headers(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let is_api = req.uri().path().starts_with("/api/");
    let hashed_bundle = state.assets.is_immutable(req.uri().path());
    let nonce = CspNonce::default();
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let is_page = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|t| t.starts_with("text/html"));
    let csp = if is_page {
        HeaderValue::from_str(&csp::page_policy(
            nonce.value(),
            &state.leptos_options,
            state.policy.client_api_origin().as_deref(),
        ))
        .ok()
    } else {
        Some(HeaderValue::from_static(csp::default_policy()))
    };
    let immutable = hashed_bundle && res.status() == StatusCode::OK;
    let headers = res.headers_mut();
    headers.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    headers.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    // No other window keeps a handle on ours (COOP); nothing of ours is embedded by other sites
    // without CORS (CORP: the split API is fetched with CORS, which CORP does not apply to); and
    // of the powerful features only geolocation ("near me") is ours to ask for.
    headers.insert("cross-origin-opener-policy", HeaderValue::from_static("same-origin"));
    headers.insert("cross-origin-resource-policy", HeaderValue::from_static("same-origin"));
    headers.insert(
        "permissions-policy",
        HeaderValue::from_static("geolocation=(self), camera=(), microphone=(), payment=(), usb=()"),
    );
    if let Some(value) = csp {
        headers.insert(header::CONTENT_SECURITY_POLICY, value);
    }
    // Users reach us over https (built-in TLS or a proxy): tell browsers to keep it that way.
    if state.policy.public_origin.https() {
        headers
            .insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    // API answers, pages and anything that sets a cookie may carry account data or tokens
    // (a page rendered for a signed-in user shows their name, email and sessions): no browser
    // cache, back/forward cache or shared cache keeps them. Static files stay cacheable.
    if is_api || is_page || headers.contains_key(header::SET_COOKIE) {
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if immutable {
        // A hashed bundle: a new build has new names, so this content never changes.
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=31536000, immutable"));
    }
    res
}
