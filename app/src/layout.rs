//! The page frame around every page: top bar, main area, footer. It also owns the session
//! context and the hydration marker.

use crate::auth::components::AccountNav;
use crate::auth::session::provide_session;
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

#[component]
pub fn Layout() -> impl IntoView {
    // Effects only run in the browser, after hydration: a marker for tests and for styling.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    provide_session(hydrated.into());
    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <span class="brand-name">"BMW"</span>
            </A>
            <AccountNav/>
        </header>
        <main class="page" data-hydrated=move || hydrated.get().to_string()>
            <Outlet/>
        </main>
        <footer class="footer">"BMW · Bus · Metro · Walk · " <A href="/doctor">"Cookie and CORS doctor"</A> " · " <A href="/docs/api">"API"</A></footer>
    }
}
