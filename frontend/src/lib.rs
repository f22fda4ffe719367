//! The browser entry point: hydrates the server-rendered page.

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Split deployment: server functions go to the API origin (with credentials, see
    // app::client). Set once, before anything can call one.
    if let Some(origin) = app::client::page_meta("bmw-api-origin") {
        leptos::server_fn::client::set_server_url(Box::leak(origin.into_boxed_str()));
    }
    leptos::mount::hydrate_body(app::App);
}
