use crate::components::{Field, FormError, last_error};
use crate::error::AppError;
use crate::model::User;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

/// Signs in, sets the session cookies and goes to `next` (a local path) or the account page.
#[server(prefix = "/api/fn", endpoint = "sign_in", client = crate::api_client::ApiClient)]
pub async fn sign_in(username: String, password: String, next: Option<String>) -> Result<User, AppError> {
    let (state, cookies, client) = crate::backend::request_context().await?;
    let (user, session) = state.auth.sign_in(&username, &password, &client).await?;
    state.policy.cookies.set_session(&cookies, &session);
    let next = next.as_deref().and_then(crate::validate::local_path).unwrap_or("/account");
    leptos_axum::redirect(next);
    Ok(user)
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let action = use_session().sign_in;
    let query = use_query_map();
    let next = move || query.read().get("next").unwrap_or_default();
    let error = last_error(action);
    view! {
        <Title text="Sign in"/>
        <section class="card narrow">
            <h1>"Sign in"</h1>
            <ActionForm action=action attr:novalidate=true>
                <input type="hidden" name="next" value=next/>
                <FormError error/>
                <Field label="Username" name="username" autocomplete="username" error/>
                <Field label="Password" name="password" kind="password" autocomplete="current-password" error/>
                <button type="submit" disabled=move || action.pending().get()>"Sign in"</button>
            </ActionForm>
            <p class="aside">"New to BMW? " <A href="/signup">"Create an account"</A></p>
        </section>
    }
}
