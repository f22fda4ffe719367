//! The signed-in user, as the pages see it, and the actions that change it.

use crate::auth::api::{SignIn, SignOut, SignUp, current_user};
use crate::auth::model::User;
use crate::error::AppError;
use leptos::prelude::*;

/// Who is signed in, with the auth actions. Provided to every page by the layout.
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

pub fn use_session() -> Session {
    expect_context()
}

impl Session {
    /// Runs `fetch` for a signed-in user; signed out, answers `Unauthorized` without asking the
    /// server. For page-level resources: create them outside any `<Suspense>` (a Suspense walks
    /// its children more than once, and a resource created in there is created again each time,
    /// which can leave a server-rendered page hanging: leptos-rs/leptos#4866), and let them
    /// wait on the session here instead of behind it.
    pub async fn signed_in<T>(self, fetch: impl Future<Output = Result<T, AppError>>) -> Result<T, AppError> {
        match self.user.await? {
            Some(_) => fetch.await,
            None => Err(AppError::unauthorized()),
        }
    }
}

/// Creates the session context. Call it inside `<Routes>`: that is where the router decodes
/// the errors of no-JS form posts from the URL, which the actions pick up. `hydrated` turns
/// true once the wasm app runs.
pub fn provide_session(hydrated: Signal<bool>) -> Session {
    let sign_in = ServerAction::<SignIn>::new();
    let sign_up = ServerAction::<SignUp>::new();
    let sign_out = ServerAction::<SignOut>::new();
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
    let session = Session { sign_in, sign_up, sign_out, user, settled };
    provide_context(session);
    session
}

/// Pages and API are different sites (see `ssr::web_policy::Topology::CrossSite`).
fn cross_site_split() -> bool {
    #[cfg(feature = "ssr")]
    return use_context::<std::sync::Arc<crate::ssr::web_policy::WebPolicy>>().is_some_and(|p| p.is_cross_site());
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    return crate::client::page_meta("bmw-cross-site").is_some();
    #[allow(unreachable_code)]
    false
}
