use leptos::prelude::*;
use leptos::web_sys::FormData;
use std::sync::Arc;

/// Search for stops and routes. A plain GET form: it works without JavaScript, and the
/// router turns it into client-side navigation when hydrated.
#[component]
pub fn SearchForm(#[prop(into, optional)] query: String, #[prop(optional)] autofocus: bool) -> impl IntoView {
    // The router's form adds the (nameless) submit button as `&=`; keep the URL clean.
    let clean = Arc::new(|data: &FormData| data.delete(""));
    view! {
        <leptos_router::components::Form method="GET" action="/stops" on_form_data=clean attr:class="search" attr:role="search">
            <label for="search-q" class="visually-hidden">"Stop or route"</label>
            <input
                id="search-q"
                name="q"
                type="search"
                value=query
                placeholder="Stop or route: name, code or number"
                autocomplete="off"
                enterkeyhint="search"
                autofocus=autofocus
                maxlength="100"
            />
            <button type="submit">"Search"</button>
        </leptos_router::components::Form>
    }
}
