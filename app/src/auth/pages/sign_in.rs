use crate::auth::session::use_session;
use crate::ui::form::{Field, FormError, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

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
