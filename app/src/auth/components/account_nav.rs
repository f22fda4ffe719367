use crate::auth::session::use_session;
use leptos::prelude::*;
use leptos_router::components::A;

/// The top bar's account links: the user's name, or the ways to sign in.
#[component]
pub fn AccountNav() -> impl IntoView {
    let user = use_session().user;
    view! {
        <nav aria-label="Account">
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    match user.await {
                        Ok(Some(user)) => view! {
                            <A href="/mybm">"MyBM"</A>
                            <A href="/account" attr:class="nav-user">{user.name}</A>
                        }.into_any(),
                        _ => view! {
                            <A href="/signin">"Sign in"</A>
                            <A href="/signup" attr:class="button small">"Sign up"</A>
                        }.into_any(),
                    }
                })}
            </Transition>
        </nav>
    }
}
