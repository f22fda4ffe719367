//! No-JS form errors travel in the URL; only those this server sealed are shown (see
//! `app::ssr::form_redirect::ErrorSeal`): a link with made-up `__err` text loses it.

use app::ssr::form_redirect::ErrorSeal;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use std::sync::Arc;

/// A request whose URL carries errors we did not seal is sent to the same URL without them (a
/// redirect, not a rewrite, so that the hydrated app, which reads the browser's URL, does not
/// find them either). Errors in our own redirects are sealed.
pub async fn seal_form_errors(State(seal): State<Arc<ErrorSeal>>, req: Request, next: Next) -> Response {
    if let Some(clean) = req.uri().path_and_query().and_then(|pq| seal.unsealed_removed(pq.as_str())) {
        return Redirect::to(&clean).into_response();
    }
    let mut res = next.run(req).await;
    if res.status().is_redirection()
        && let Some(sealed) =
            res.headers().get(header::LOCATION).and_then(|l| l.to_str().ok()).and_then(|l| seal.seal(l))
        && let Ok(value) = HeaderValue::from_str(&sealed)
    {
        res.headers_mut().insert(header::LOCATION, value);
    }
    res
}
