//! The server-function client. In a split deployment the hydrated app calls the API origin,
//! and a cross-origin `fetch` only carries cookies with `credentials: 'include'`, which the
//! default client does not set. Same-origin calls are unaffected by it.

use leptos::server_fn::client::{Client, browser::BrowserClient};
use leptos::server_fn::error::FromServerFnError;
use leptos::server_fn::request::browser::BrowserRequest;
use leptos::server_fn::response::browser::BrowserResponse;
use std::future::Future;

pub struct ApiClient;

impl<E, IS, OS> Client<E, IS, OS> for ApiClient
where
    E: FromServerFnError,
    IS: FromServerFnError,
    OS: FromServerFnError,
{
    type Request = BrowserRequest;
    type Response = BrowserResponse;

    fn send(req: Self::Request) -> impl Future<Output = Result<Self::Response, E>> + Send {
        #[cfg(feature = "hydrate")]
        let req = with_credentials(req);
        <BrowserClient as Client<E, IS, OS>>::send(req)
    }

    fn open_websocket(
        path: &str,
    ) -> impl Future<
        Output = Result<
            (
                impl futures::Stream<Item = Result<leptos::server_fn::Bytes, leptos::server_fn::Bytes>> + Send + 'static,
                impl futures::Sink<leptos::server_fn::Bytes> + Send + 'static,
            ),
            E,
        >,
    > + Send {
        <BrowserClient as Client<E, IS, OS>>::open_websocket(path)
    }

    fn spawn(future: impl Future<Output = ()> + Send + 'static) {
        <BrowserClient as Client<E, IS, OS>>::spawn(future);
    }
}

/// The same request, with `credentials: 'include'`. A fetch Request's credentials mode is fixed
/// when it is created, so this builds a copy of it with that one setting changed.
#[cfg(feature = "hydrate")]
fn with_credentials(mut req: BrowserRequest) -> BrowserRequest {
    let Ok(placeholder) = gloo_net::http::Request::get("/").build() else { return req };
    let original: web_sys::Request = std::mem::replace(&mut *req, placeholder).into();
    let init = web_sys::RequestInit::new();
    init.set_credentials(web_sys::RequestCredentials::Include);
    *req = match web_sys::Request::new_with_request_and_init(&original, &init) {
        Ok(copy) => copy.into(),
        Err(_) => original.into(),
    };
    req
}

/// The `content` of `<meta name="…">` in the served page (browser only).
#[cfg(feature = "hydrate")]
pub fn page_meta(name: &str) -> Option<String> {
    leptos::prelude::document()
        .query_selector(&format!("meta[name=\"{name}\"]"))
        .ok()
        .flatten()
        .and_then(|el| el.get_attribute("content"))
}
