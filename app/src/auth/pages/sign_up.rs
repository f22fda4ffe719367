use crate::auth::session::use_session;
use crate::ui::form::{Field, FormError, last_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

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
