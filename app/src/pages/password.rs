use crate::components::{Field, FormError, last_error};
use crate::error::AppError;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

/// Changes the password and signs out every other session.
#[server(prefix = "/api/fn", endpoint = "change_password", client = crate::api_client::ApiClient)]
pub async fn change_password(current_password: String, new_password: String) -> Result<u64, AppError> {
    let (state, current) = crate::backend::signed_in().await?;
    let client = leptos_axum::extract::<crate::backend::auth::ClientInfo>().await?;
    let ended = state
        .auth
        .change_password(&current.user, &current.claims.sid, &current_password, &new_password, &client)
        .await?;
    // Without JavaScript the page reloads; the query tells it to confirm the change.
    leptos_axum::redirect("/account?password=changed");
    Ok(ended)
}

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
