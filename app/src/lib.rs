//! BMW (Bus · Metro · Walk): the Leptos app. Pages, components and their server functions;
//! server-only code lives in [`backend`] behind the `ssr` feature.

pub mod api_client;
pub mod components;
pub mod error;
pub mod model;
pub mod pages;
pub mod session;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod backend;

use leptos::prelude::*;
use leptos_meta::{Meta, MetaTags, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};
use pages::{AccountPage, HomePage, NotFound, SignInPage, SignUpPage};

/// The HTML document around the app, rendered on the server.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The browser learns where the API is, and whether the pages' server can see the session.
    #[cfg(feature = "ssr")]
    let (api_origin, cross_site) = use_context::<backend::AppState>()
        .map(|s| (s.policy.client_api_origin(), s.policy.is_cross_site()))
        .unwrap_or_default();
    #[cfg(not(feature = "ssr"))]
    let (api_origin, cross_site): (Option<String>, bool) = (None, false);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8"/>
                <meta name="viewport" content="width=device-width, initial-scale=1"/>
                <meta name="color-scheme" content="light dark"/>
                <link rel="icon" href="/favicon.svg" type="image/svg+xml"/>
                {api_origin.map(|origin| view! { <meta name="bmw-api-origin" content=origin/> })}
                {cross_site.then(|| view! { <meta name="bmw-cross-site" content="true"/> })}
                <AutoReload options=options.clone()/>
                <HydrationScripts options/>
                <MetaTags/>
            </head>
            <body>
                <App/>
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Stylesheet id="leptos" href="/pkg/bmw.css"/>
        <Title formatter=|page: String| if page.is_empty() { "BMW · Bus Metro Walk".to_string() } else { format!("{page} · BMW") }/>
        <Meta name="description" content="Your bus and metro stops, and when to walk out the door."/>
        <Router>
            <Routes fallback=NotFound>
                // The layout route owns the session: the current user and the auth actions.
                // Async SSR: the whole page is rendered before it is sent. Out-of-order
                // streaming would leave Suspense fallbacks for JavaScript to replace, and these
                // pages must work with JavaScript off.
                <ParentRoute path=path!("") view=session::Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("signin") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("signup") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
