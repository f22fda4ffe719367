use crate::auth::session::use_session;
use crate::bookmarks::components::{Dashboard, MyBmData};
use crate::transit::components::{NearMe, SearchForm};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;

/// Signed in: MyBM (the user's stops and when to leave), then search. Signed out: search, and
/// the way to an account.
#[component]
pub fn HomePage() -> impl IntoView {
    let session = use_session();
    let mybm = MyBmData::load();
    view! {
        <Title text=""/>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match session.user.await {
                    Ok(Some(user)) => view! {
                        <section class="hero compact">
                            <h1>"Hello, " {user.name} "."</h1>
                        </section>
                        <Dashboard mybm/>
                        <FindStop/>
                    }.into_any(),
                    _ => view! {
                        <section class="hero">
                            <h1>"Bus · Metro · Walk"</h1>
                            <p class="lead">
                                "Find your bus or metro stop and see when the next departures leave — so you know "
                                "when to walk out the door."
                            </p>
                        </section>
                        <FindStop/>
                        <div class="actions home-actions">
                            <A href="/signup" attr:class="button">"Create an account"</A>
                            <A href="/signin" attr:class="button secondary">"Sign in"</A>
                        </div>
                        <p class="aside">"With an account, save your stops in groups and see them all at once on MyBM."</p>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn FindStop() -> impl IntoView {
    view! {
        <section class="card find">
            <h2>"Find a stop"</h2>
            <SearchForm/>
            <NearMe/>
        </section>
    }
}
