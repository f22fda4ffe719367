//! The app: its routes, inside the page frame.

use crate::api_docs::page::ApiReferencePage;
use crate::auth::pages::{AccountPage, SignInPage, SignUpPage};
use crate::bookmarks::pages::MyBmPage;
use crate::doctor::pages::DoctorPage;
use crate::home::HomePage;
use crate::layout::Layout;
use crate::not_found::NotFound;
use crate::transit::pages::{RoutePage, SearchPage, StopPage};
use leptos::prelude::*;
use leptos_meta::{Meta, Stylesheet, Title, provide_meta_context};
use leptos_router::components::{ParentRoute, Route, Router, Routes};
use leptos_router::{SsrMode, path};

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        // The route badges' colours, from the imported feeds.
        <Stylesheet id="route-colors" href="/transit/colors.css"/>
        <Title formatter=|page: String| if page.is_empty() { "BMW · Bus Metro Walk".to_string() } else { format!("{page} · BMW") }/>
        <Meta name="description" content="Your bus and metro stops, and when to walk out the door."/>
        <Router>
            <Routes fallback=NotFound>
                // The layout route owns the session: the current user and the auth actions.
                // Async SSR: the whole page is rendered before it is sent. Out-of-order
                // streaming would leave Suspense fallbacks for JavaScript to replace, and these
                // pages must work with JavaScript off.
                <ParentRoute path=path!("") view=Layout ssr=SsrMode::Async>
                    <Route path=path!("") view=HomePage ssr=SsrMode::Async/>
                    <Route path=path!("signin") view=SignInPage ssr=SsrMode::Async/>
                    <Route path=path!("signup") view=SignUpPage ssr=SsrMode::Async/>
                    <Route path=path!("account") view=AccountPage ssr=SsrMode::Async/>
                    <Route path=path!("mybm") view=MyBmPage ssr=SsrMode::Async/>
                    <Route path=path!("stops") view=SearchPage ssr=SsrMode::Async/>
                    <Route path=path!("stops/:id") view=StopPage ssr=SsrMode::Async/>
                    <Route path=path!("routes/:id") view=RoutePage ssr=SsrMode::Async/>
                    <Route path=path!("doctor") view=DoctorPage ssr=SsrMode::Async/>
                    <Route path=path!("docs/api") view=ApiReferencePage ssr=SsrMode::Async/>
                </ParentRoute>
            </Routes>
        </Router>
    }
}
