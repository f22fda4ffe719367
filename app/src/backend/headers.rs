//! Security headers (ASVS 3.4): the Content-Security-Policy for pages and for everything else.
//!
//! Pages get a per-response nonce for Leptos's inline hydration script (leptos_axum generates
//! it during rendering) and `'wasm-unsafe-eval'` so the wasm bundle may be compiled. Every other
//! response gets the same policy without a nonce, so no inline script can run from it.

use leptos::config::LeptosOptions;

const COMMON: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// For responses that are not pages: JSON, static files, redirects.
pub fn default_policy() -> String {
    format!("{COMMON}; script-src 'self'")
}

/// For a rendered page, allowing the inline script that carries `nonce`.
pub fn page_policy(nonce: &str, options: &LeptosOptions) -> String {
    // `cargo leptos watch` reloads the page over a websocket on the reload port.
    let reload = std::env::var_os("LEPTOS_WATCH")
        .map(|_| format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port))
        .unwrap_or_default();
    format!("{COMMON}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; connect-src 'self'{reload}")
}

/// Called from the shell while rendering: puts the page policy on this response.
pub fn set_page_policy(options: &LeptosOptions) {
    use leptos::prelude::use_context;
    let (Some(nonce), Some(response)) = (leptos::nonce::use_nonce(), use_context::<leptos_axum::ResponseOptions>())
    else {
        return;
    };
    if let Ok(value) = http::HeaderValue::from_str(&page_policy(&nonce, options)) {
        response.insert_header(http::header::CONTENT_SECURITY_POLICY, value);
    }
}
