//! The signed-in user, as the pages see it, and the actions that change it.

use crate::error::AppError;
use crate::model::User;
use crate::pages::{SignIn, SignOut, SignUp};
use leptos::prelude::*;
use leptos_router::components::{A, Outlet};

/// Who is signed in, with the auth actions. Provided by [`Layout`] to every page.
#[derive(Clone, Copy)]
pub struct Session {
    pub sign_in: ServerAction<SignIn>,
    pub sign_up: ServerAction<SignUp>,
    pub sign_out: ServerAction<SignOut>,
    pub user: Resource<Result<Option<User>, AppError>>,
    /// False until the browser has had its say: in a cross-site split the pages' server cannot
    /// see the API's session, so "nobody" from the server is not the final answer.
    pub settled: Signal<bool>,
}

/// Pages and API are different sites (see `backend::policy::Topology::CrossSite`).
fn cross_site_split() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<crate::backend::AppState>().is_some_and(|s| s.policy.is_cross_site());
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return crate::api_client::page_meta("bmw-cross-site").is_some();
    #[allow(unreachable_code)]
    false
}

pub fn use_session() -> Session {
    expect_context()
}

#[server(prefix = "/api/fn", endpoint = "current_user", client = crate::api_client::ApiClient)]
pub async fn current_user() -> Result<Option<User>, AppError> {
    let state = expect_context::<crate::backend::AppState>();
    let current: Option<crate::backend::extract::CurrentUser> = leptos_axum::extract_with_state(&state).await?;
    Ok(current.map(|c| c.user))
}

/// The page frame. The actions are created here, inside `<Routes>`, because that is where the
/// router decodes the errors of no-JS form posts from the URL.
#[component]
pub fn Layout() -> impl IntoView {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
    // Effects only run in the browser, after hydration: a marker for tests and for styling.
    let hydrated = RwSignal::new(false);
    Effect::new(move || hydrated.set(true));
    let cross_site = cross_site_split();
    // Blocking, so the server knows the user before it sends headers: protected pages can then
    // answer with a real 302 to the sign-in page. In a cross-site split the browser asks the
    // API again once hydrated, since only it holds that session.
    let user = Resource::new_blocking(
        move || {
            (sign_in.version().get(), sign_up.version().get(), sign_out.version().get(), cross_site && hydrated.get())
        },
        |_| current_user(),
    );
    let settled = Signal::derive(move || !cross_site || hydrated.get());
    provide_context(Session { sign_in, sign_up, sign_out, user, settled });

    view! {
        <header class="topbar">
            <A href="/" attr:class="brand">
                <span class="brand-mark" aria-hidden="true">"B"</span>
                <span class="brand-name">"BMW"</span>
            </A>
            <nav aria-label="Account">
                <Transition fallback=|| ()>
                    {move || Suspend::new(async move {
                        match user.await {
                            Ok(Some(user)) => view! {
                                <A href="/account" attr:class="nav-user">{user.name}</A>
                            }.into_any(),
                            _ => view! {
                                <A href="/signin">"Sign in"</A>
                                <A href="/signup" attr:class="button small">"Sign up"</A>
                            }.into_any(),
                        }
                    })}
                </Transition>
            </nav>
        </header>
        <main class="page" data-hydrated=move || hydrated.get().to_string()>
            <Outlet/>
        </main>
        <footer class="footer">"BMW · Bus · Metro · Walk"</footer>
    }
}
