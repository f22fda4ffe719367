//! What every REST handler can reach, and what every page and server function finds in its
//! Leptos context.

use app::auth::ssr::RequestContext;
use app::auth::ssr::service::AuthService;
use app::bookmarks::ssr::service::BookmarksService;
use app::ssr::client_info::ClientInfo;
use app::ssr::clock::SharedClock;
use app::ssr::form_redirect::ErrorSeal;
use app::ssr::web_policy::WebPolicy;
use app::transit::ssr::service::TransitService;
use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use std::ops::Deref;
use std::sync::Arc;

/// A handle on the shared [`Services`]. Axum clones the state for every middleware on every
/// request, so a clone must be one reference count: cloning the fields (Leptos' options hold a
/// dozen strings) cost `/healthz` a fifth of its time.
#[derive(Clone)]
pub struct AppState(Arc<Services>);

pub struct Services {
    pub leptos_options: LeptosOptions,
    pub auth: Arc<AuthService>,
    pub transit: Arc<TransitService>,
    pub bookmarks: Arc<BookmarksService>,
    /// Origins, cookie attributes, CORS and CSRF, derived once from configuration.
    pub policy: Arc<WebPolicy>,
    /// Proves that the errors in a no-JS form redirect's URL are ours.
    pub error_seal: Arc<ErrorSeal>,
    pub clock: SharedClock,
    /// The REST API's OpenAPI document, for the `/docs/api` page.
    pub api_document: app::api_docs::ssr::Document,
    /// The bundles whose names carry their content's hash.
    pub assets: crate::assets::HashedAssets,
}

impl AppState {
    pub fn new(services: Services) -> Self {
        Self(Arc::new(services))
    }
}

impl Deref for AppState {
    type Target = Services;

    fn deref(&self) -> &Services {
        &self.0
    }
}

impl Services {
    /// Puts the services in the Leptos context of a page render or a server function, where
    /// each feature's code finds what it needs (`expect_context::<Arc<AuthService>>()`).
    pub fn provide_context(&self) {
        leptos::prelude::provide_context(self.auth.clone());
        leptos::prelude::provide_context(self.transit.clone());
        leptos::prelude::provide_context(self.bookmarks.clone());
        leptos::prelude::provide_context(self.policy.clone());
        leptos::prelude::provide_context(self.clock.clone());
        leptos::prelude::provide_context(self.api_document.clone());
    }

    /// What auth's shared request functions act with, for a REST handler.
    pub fn request_context(&self, cookies: tower_cookies::Cookies, client: ClientInfo) -> RequestContext {
        RequestContext { auth: self.auth.clone(), policy: self.policy.clone(), cookies, client }
    }
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}

impl FromRef<AppState> for Arc<AuthService> {
    fn from_ref(state: &AppState) -> Self {
        state.auth.clone()
    }
}

impl FromRef<AppState> for Arc<TransitService> {
    fn from_ref(state: &AppState) -> Self {
        state.transit.clone()
    }
}

impl FromRef<AppState> for Arc<WebPolicy> {
    fn from_ref(state: &AppState) -> Self {
        state.policy.clone()
    }
}
