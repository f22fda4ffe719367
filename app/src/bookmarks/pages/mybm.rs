use crate::auth::components::SignedInOnly;
use crate::bookmarks::components::{Dashboard, MyBmData};
use leptos::prelude::*;
use leptos_meta::Title;

/// `/mybm`: the signed-in user's groups of stops with their next departures and when to leave.
/// Signed-out visitors are sent to sign in, and brought back.
#[component]
pub fn MyBmPage() -> impl IntoView {
    let mybm = MyBmData::load();
    view! {
        <Title text="MyBM"/>
        <SignedInOnly view=move |_| view! {
            <header class="page-head">
                <h1>"MyBM"</h1>
                <p class="lead">"Your stops, their next departures, and when to walk out the door."</p>
            </header>
            <Dashboard mybm/>
        }/>
    }
}
