use crate::auth::api::ChangePassword;
use crate::ui::form::{Field, FormError, last_error};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn PasswordForm() -> impl IntoView {
    let action = ServerAction::<ChangePassword>::new();
    let query = use_query_map();
    let error = last_error(action);
    let changed = move || {
        matches!(action.value().get(), Some(Ok(_))) || query.read().get("password").as_deref() == Some("changed")
    };
    view! {
        <section class="card" aria-labelledby="password-title">
            <h2 id="password-title">"Change your password"</h2>
            <Show when=changed>
                <p class="notice" role="status">"Password changed. Every other session was signed out."</p>
            </Show>
            <ActionForm action=action attr:novalidate=true>
                <FormError error/>
                <Field label="Current password" name="current_password" kind="password"
                    autocomplete="current-password" error/>
                <Field label="New password" name="new_password" kind="password" autocomplete="new-password"
                    hint="8–128 characters, and not a commonly used password." error/>
                <button type="submit" disabled=move || action.pending().get()>"Change password"</button>
            </ActionForm>
        </section>
    }
}
