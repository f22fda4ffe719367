//! What every handler and server function can reach.

use super::auth::AuthService;
use super::policy::cookies::CookiePolicy;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::sync::Arc;

#[derive(Clone)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub auth: Arc<AuthService>,
    pub cookies: Arc<CookiePolicy>,
    pub client: ClientSettings,
}

/// What the browser side needs to know about the deployment; rendered into the page.
#[derive(Clone, Debug, Default)]
pub struct ClientSettings {
    /// Where the hydrated app sends server-function calls, when that is another origin.
    pub api_origin: Option<String>,
    /// Pages and API are different sites: the pages' server cannot see the API's session.
    pub cross_site: bool,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
