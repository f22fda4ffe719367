use crate::auth::session::use_session;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    view! {
        <Title text=""/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! {
                        <section class="hero">
                            <h1>"Hello, " {user.name} "."</h1>
                            <p class="lead">"Good to see you again. Your stops and groups will live here."</p>
                            <A href="/account" attr:class="button">"Your account"</A>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <section class="hero">
                            <h1>"Bus · Metro · Walk"</h1>
                            <p class="lead">
                                "Keep your bus and metro stops in groups, and see at a glance when the next "
                                "departures leave — so you know when to walk out the door."
                            </p>
                            <div class="actions">
                                <A href="/signup" attr:class="button">"Create an account"</A>
                                <A href="/signin" attr:class="button secondary">"Sign in"</A>
                            </div>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
