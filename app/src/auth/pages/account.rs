use crate::auth::components::{PasswordForm, SessionsData, SessionsPanel, SignedInOnly};
use crate::auth::model::User;
use crate::auth::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;

/// Protected: signed-out visitors are sent to sign in, and brought back here afterwards.
#[component]
pub fn AccountPage() -> impl IntoView {
    let sessions = SessionsData::load();
    view! {
        <Title text="Your account"/>
        <SignedInOnly view=move |user| view! { <AccountDetails user sessions/> }/>
    }
}

#[component]
fn AccountDetails(user: User, sessions: SessionsData) -> impl IntoView {
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
        <SessionsPanel data=sessions/>
        <PasswordForm/>
    }
}
