//! The HTML document around the app, rendered on the server.

use crate::routes::App;
use leptos::prelude::*;
use leptos_meta::{HashedStylesheet, MetaTags};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    // The browser learns where the API is, and whether the pages' server can see the session.
    #[cfg(feature = "ssr")]
    let (api_origin, cross_site) = use_context::<std::sync::Arc<crate::ssr::web_policy::WebPolicy>>()
        .map(|policy| (policy.client_api_origin(), policy.is_cross_site()))
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
                // The release build's file name carries a hash of its content (see the
                // server's `assets`); rendered here as only the server knows it.
                <HashedStylesheet options=options.clone() id="leptos"/>
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
