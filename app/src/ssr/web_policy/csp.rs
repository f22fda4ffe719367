//! Security headers (ASVS 3.4): the Content-Security-Policy for pages and for everything else.
//!
//! Pages get a per-response nonce for Leptos's inline hydration scripts and `'wasm-unsafe-eval'`
//! so the wasm bundle may be compiled; every other response gets the same policy without a
//! nonce, so no inline script can run from it. The server's header middleware mints the nonce,
//! puts it in the request (where [`provide_request_nonce`] hands it to Leptos for the script
//! tags) and writes the matching header itself, so the two cannot disagree.

use leptos::config::LeptosOptions;
use std::sync::{Arc, OnceLock};

const COMMON: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'";

/// The nonce of this request, in the request extensions. It is drawn when first read (by a
/// page's render or its header), so the API, static files and probes never pay for one.
#[derive(Debug, Clone, Default)]
pub struct CspNonce(Arc<OnceLock<String>>);

impl CspNonce {
    pub fn value(&self) -> &str {
        self.0.get_or_init(|| crate::ssr::crypto::token(16))
    }
}

/// For responses that are not pages: JSON, static files, redirects.
pub fn default_policy() -> &'static str {
    static POLICY: OnceLock<String> = OnceLock::new();
    POLICY.get_or_init(|| format!("{COMMON}; script-src 'self'"))
}

/// For a rendered page, allowing the inline scripts that carry `nonce`, and calls to
/// `api_origin` when the API lives on another origin.
pub fn page_policy(nonce: &str, options: &LeptosOptions, api_origin: Option<&str>) -> String {
    // `cargo leptos watch` reloads the page over a websocket on the reload port.
    let reload = std::env::var_os("LEPTOS_WATCH")
        .map(|_| format!(" ws://{}:{}", options.site_addr.ip(), options.reload_port))
        .unwrap_or_default();
    let api = api_origin.map(|origin| format!(" {origin}")).unwrap_or_default();
    format!("{COMMON}; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; connect-src 'self'{api}{reload}")
}

/// Leptos context for rendering: use this request's nonce for the inline script tags.
pub fn provide_request_nonce() {
    use leptos::prelude::{provide_context, use_context};
    let nonce = use_context::<http::request::Parts>().and_then(|parts| parts.extensions.get::<CspNonce>().cloned());
    if let Some(nonce) = nonce {
        provide_context(leptos::nonce::Nonce::from_value(nonce.value()));
    }
}
