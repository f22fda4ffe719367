use crate::components::{Field, FormError, last_error};
use crate::error::AppError;
use crate::model::User;
use crate::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Creates the account and signs the new user in.
#[server(prefix = "/api/fn", endpoint = "sign_up", client = crate::api_client::ApiClient)]
pub async fn sign_up(username: String, password: String, email: String, name: String) -> Result<User, AppError> {
    let (state, cookies, client) = crate::backend::request_context().await?;
    let (user, session) = state.auth.sign_up(&username, &password, &email, &name, &client).await?;
    state.policy.cookies.set_session(&cookies, &session);
    leptos_axum::redirect("/account");
    Ok(user)
}

#[component]
pub fn SignUpPage() -> impl IntoView {
    let action = use_session().sign_up;
    let error = last_error(action);
    view! {
        <Title text="Create an account"/>
        <section class="card narrow">
            <h1>"Create an account"</h1>
            <ActionForm action=action attr:novalidate=true>
                <FormError error/>
                <Field label="Name" name="name" autocomplete="name" error/>
                <Field label="Email" name="email" kind="email" autocomplete="email" error/>
                <Field label="Username" name="username" autocomplete="username"
                    hint="3–32 characters: a–z, 0–9, _ . -" error/>
                <Field label="Password" name="password" kind="password" autocomplete="new-password"
                    hint="At least 8 characters." error/>
                <button type="submit" disabled=move || action.pending().get()>"Create account"</button>
            </ActionForm>
            <p class="aside">"Already have an account? " <A href="/signin">"Sign in"</A></p>
        </section>
    }
}
