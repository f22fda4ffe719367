use crate::auth::components::{PasswordForm, SessionsPanel};
use crate::auth::model::User;
use crate::auth::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::Redirect;
use leptos_router::hooks::use_location;
use leptos_router::location::Url;

/// Protected: signed-out visitors are sent to sign in, and brought back here afterwards.
#[component]
pub fn AccountPage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text="Your account"/>
        <Suspense fallback=|| view! { <p class="loading">"Loading…"</p> }>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! { <AccountDetails user/> }.into_any(),
                    Ok(None) if !session.settled.get_untracked() => view! { <CheckingSession/> }.into_any(),
                    Ok(None) => view! { <ToSignIn/> }.into_any(),
                    Err(err) => view! { <p class="form-error">{err.to_string()}</p> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Cross-site split, before hydration: the session lives with the API, in the browser.
#[component]
fn CheckingSession() -> impl IntoView {
    view! {
        <section class="card">
            <p class="loading">"Checking your session…"</p>
            <noscript>
                <p>
                    "This deployment keeps your session with the API on another site, which needs JavaScript. "
                    <a href="/signin?next=%2Faccount">"Sign in here"</a>" to use this page without it."
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

#[component]
fn AccountDetails(user: User) -> impl IntoView {
    let sign_out = use_session().sign_out;
    view! {
        <section class="card">
            <h1>"Your account"</h1>
            <dl class="details">
                <dt>"Name"</dt><dd data-testid="account-name">{user.name}</dd>
                <dt>"Username"</dt><dd data-testid="account-username">{user.username}</dd>
                <dt>"Email"</dt><dd data-testid="account-email">{user.email}</dd>
            </dl>
            <ActionForm action=sign_out>
                <button type="submit" class="secondary">"Sign out"</button>
            </ActionForm>
        </section>
        <SessionsPanel/>
        <PasswordForm/>
    }
}
