//! Plain form posts (JavaScript off) go back to the page they came from. Leptos does that on its
//! own, with any error in the URL for the page's action to show; a page with one form per row
//! (rename this group, remove that stop) also needs to know *which* form failed, to show the
//! message next to it. This names the form in that redirect (`?form=<key>#<key>`).

use crate::error::AppError;
use http::header::{ACCEPT, REFERER};
use leptos::server_fn::error::ServerFnUrlError;

/// The query parameter that names the failed form (the page reads it: `ui::form::RowAction`).
pub use crate::ui::form::FAILED_FORM;

/// Passes `result` through; when it is an error of a plain form post, sends the browser back
/// with the error and `form` named. Calls from the hydrated app are left alone: they know what
/// they sent.
pub fn name_failed_form<T>(result: Result<T, AppError>, server_fn_path: &str, form: &str) -> Result<T, AppError> {
    if let Err(error) = &result
        && let Some(back) = back_to_form(error, server_fn_path, form)
    {
        leptos_axum::redirect(&back);
    }
    result
}

fn back_to_form(error: &AppError, server_fn_path: &str, form: &str) -> Option<String> {
    let request = leptos::prelude::use_context::<http::request::Parts>()?;
    let header = |name| request.headers.get(name).and_then(|v: &http::HeaderValue| v.to_str().ok());
    if !header(ACCEPT)?.contains("text/html") {
        return None;
    }
    let mut page = url::Url::parse(header(REFERER)?).ok()?;
    let kept: Vec<(String, String)> = page
        .query_pairs()
        .filter(|(key, _)| !matches!(key.as_ref(), FAILED_FORM | "__path" | "__err"))
        .map(|(key, value)| (key.into_owned(), value.into_owned()))
        .collect();
    page.query_pairs_mut().clear().extend_pairs(kept).append_pair(FAILED_FORM, form);
    page.set_fragment(Some(form));
    let mut back = ServerFnUrlError::new(server_fn_path, error.clone()).to_url(page.as_str()).ok()?;
    back.set_fragment(Some(form));
    Some(back.to_string())
}
