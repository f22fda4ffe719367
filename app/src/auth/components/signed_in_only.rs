use crate::auth::model::User;
use crate::auth::session::use_session;
use leptos::prelude::*;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::location::Url;

/// A protected page's body: `view` for the signed-in user. Signed-out visitors are sent to sign
/// in, and brought back afterwards (a real 302 on the server, since the session resource blocks).
#[component]
pub fn SignedInOnly<F, V>(view: F) -> impl IntoView
where
    F: Fn(User) -> V + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let session = use_session();
    view! {
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || {
                let view = view.clone();
                Suspend::new(async move {
                    match session.user.await {
                        Ok(Some(user)) => view(user).into_any(),
                        Ok(None) if !session.settled.get_untracked() => view! { <CheckingSession/> }.into_any(),
                        Ok(None) => view! { <ToSignIn/> }.into_any(),
                        Err(err) => view! { <p class="form-error">{err.to_string()}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// Cross-site split, before hydration: the session lives with the API, in the browser.
#[component]
fn CheckingSession() -> impl IntoView {
    let here = use_location().pathname.get_untracked();
    let sign_in = format!("/signin?next={}", Url::escape(&here));
    view! {
        <section class="card">
            <p class="loading">"Checking your session…"</p>
            <noscript>
                <p>
                    "This deployment keeps your session with the API on another site, which needs JavaScript. "
                    <a href=sign_in>"Sign in here"</a>" to use this page without it."
                </p>
            </noscript>
        </section>
    }
}

#[component]
fn ToSignIn() -> impl IntoView {
    let here = use_location();
    let path = format!("/signin?next={}", Url::escape(&here.pathname.get_untracked()));
    view! { <Redirect path/> }
}
