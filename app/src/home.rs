use crate::auth::session::use_session;
use crate::transit::components::{NearMe, SearchForm};
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
                            <p class="lead">"Where are you going? Find your stop to see its next departures."</p>
                        </section>
                    }.into_any(),
                    _ => view! {
                        <section class="hero">
                            <h1>"Bus · Metro · Walk"</h1>
                            <p class="lead">
                                "Find your bus or metro stop and see when the next departures leave — so you know "
                                "when to walk out the door."
                            </p>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
        <section class="card find">
            <h2>"Find a stop"</h2>
            <SearchForm/>
            <NearMe/>
        </section>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(_)) => view! {
                        <p class="aside"><A href="/account">"Your account"</A></p>
                    }.into_any(),
                    _ => view! {
                        <div class="actions home-actions">
                            <A href="/signup" attr:class="button">"Create an account"</A>
                            <A href="/signin" attr:class="button secondary">"Sign in"</A>
                        </div>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
