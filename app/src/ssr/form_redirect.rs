//! Plain form posts (JavaScript off) go back to the page they came from. Leptos does that on its
//! own, with any error in the URL for the page's action to show; a page with one form per row
//! (rename this group, remove that stop) also needs to know *which* form failed, to show the
//! message next to it. This names the form in that redirect (`?form=<key>#<key>`).
//!
//! Anyone can write `__path` and `__err` into a link, and the page would show that text as our
//! message (content spoofing). So the server seals the errors it puts in a redirect (`__seal`,
//! an HMAC) and a page request whose errors are not sealed loses them: [`ErrorSeal`].

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

/// Seals the errors of no-JS form redirects, and removes unsealed ones from page URLs. The key is
/// derived from the JWT key, so every instance of a deployment agrees.
pub struct ErrorSeal {
    key: Vec<u8>,
}

const SEAL: &str = "__seal";

impl ErrorSeal {
    pub fn new(jwt_secret: &[u8]) -> Self {
        Self { key: crate::ssr::crypto::hmac_sha256(jwt_secret, b"bmw: sealed form errors") }
    }

    fn seal_of(&self, path: &str, err: &str) -> String {
        crate::ssr::crypto::hex(&crate::ssr::crypto::hmac_sha256(&self.key, format!("{path}\n{err}").as_bytes()))
    }

    /// A redirect's `Location` with its errors sealed; None when it carries none.
    pub fn seal(&self, location: &str) -> Option<String> {
        let (before, query, fragment) = split_url(location);
        let pairs = pairs(query);
        let (path, err) = (find(&pairs, "__path")?, find(&pairs, "__err")?);
        let seal = self.seal_of(path, err);
        let mut query = url::form_urlencoded::Serializer::new(String::new());
        query.extend_pairs(pairs.iter().filter(|(k, _)| k != SEAL)).append_pair(SEAL, &seal);
        Some(format!("{before}?{}{fragment}", query.finish()))
    }

    /// A page request's path and query without errors this server did not seal; None when
    /// there is nothing to remove.
    pub fn unsealed_removed(&self, path_and_query: &str) -> Option<String> {
        let (before, query, fragment) = split_url(path_and_query);
        let pairs = pairs(query);
        let err = find(&pairs, "__err")?;
        let path = find(&pairs, "__path").unwrap_or_default();
        let sealed = find(&pairs, SEAL).is_some_and(|seal| constant_time_eq(seal, &self.seal_of(path, err)));
        if sealed {
            return None;
        }
        let kept: Vec<&(String, String)> =
            pairs.iter().filter(|(k, _)| !matches!(k.as_str(), "__path" | "__err" | SEAL)).collect();
        let query = url::form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
        Some(if query.is_empty() { format!("{before}{fragment}") } else { format!("{before}?{query}{fragment}") })
    }
}

fn constant_time_eq(a: &str, b: &str) -> bool {
    a.len() == b.len() && a.bytes().zip(b.bytes()).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// (everything before `?`, the query, `#fragment` or "").
fn split_url(url: &str) -> (&str, &str, &str) {
    let (rest, fragment) = url.find('#').map_or((url, ""), |i| url.split_at(i));
    let (before, query) = rest.split_once('?').unwrap_or((rest, ""));
    (before, query, fragment)
}

fn pairs(query: &str) -> Vec<(String, String)> {
    url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()
}

fn find<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sealed_errors_stay_and_unsealed_or_altered_ones_go() {
        let seal = ErrorSeal::new(b"a key of some length for the test");
        let location = "http://x.test/signin?next=%2Fa&__path=%2Fapi%2Ffn%2Fsign_in&__err=RVJS#form";
        let sealed = seal.seal(location).unwrap();
        assert!(sealed.starts_with("http://x.test/signin?next=%2Fa&__path=") && sealed.ends_with("#form"), "{sealed}");
        let page = sealed.trim_start_matches("http://x.test");
        assert_eq!(seal.unsealed_removed(page), None, "our own seal is accepted");
        let altered = page.replace("__err=RVJS", "__err=U1BPT0Y");
        assert_eq!(seal.unsealed_removed(&altered).as_deref(), Some("/signin?next=%2Fa#form"));
        assert_eq!(seal.unsealed_removed("/signin?__path=%2Fx&__err=U1BPT0Y").as_deref(), Some("/signin"));
        assert_eq!(seal.unsealed_removed("/signin?next=%2Fa"), None, "no errors, nothing to do");
        assert_eq!(seal.seal("/signin?next=%2Fa"), None);
        let other = ErrorSeal::new(b"another deployment's key, also long");
        assert!(other.unsealed_removed(page).is_some(), "another key's seal is no seal");
    }
}
