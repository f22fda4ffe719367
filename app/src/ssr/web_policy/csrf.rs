//! The CSRF check for unsafe methods (POST, PUT, PATCH, DELETE), on every route.
//!
//! CORS does not stop a cross-origin form post or a "simple" fetch (Leptos server functions
//! are exactly that): the browser sends it, the handler runs, only the answer is hidden. And
//! `SameSite` does not stop another port or a sibling subdomain, which are the same site. So:
//!
//! 1. `Sec-Fetch-Site: cross-site` is refused, unless `Origin` is an allowed origin that really
//!    is another site (the pages of a cross-site split deployment).
//! 2. `Origin` must be exactly one of the allowed origins; `null` is refused.
//! 3. Without `Origin`, the origin of `Referer` must be.
//! 4. A request with none of these headers did not come from a browser: the Fetch standard
//!    makes browsers send `Origin` on every request whose method is not GET or HEAD. Such a
//!    request carries no victim's ambient cookies, so it is let through (curl, scripts, tests).

use super::origin::Origin;
use http::{HeaderMap, Method, header};

pub fn is_unsafe(method: &Method) -> bool {
    !matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE)
}

/// Ok, or the reason the request is refused. `ours` is the origin this policy protects.
pub fn check(allowed: &[Origin], ours: &Origin, method: &Method, headers: &HeaderMap) -> Result<(), String> {
    if !is_unsafe(method) {
        return Ok(());
    }
    let text = |name: &str| headers.get(name).map(|v| v.to_str().unwrap_or("<not text>").to_string());
    if text("sec-fetch-site").as_deref() == Some("cross-site") {
        let expected_site = text(header::ORIGIN.as_str())
            .and_then(|o| Origin::parse(&o).ok())
            .is_some_and(|o| allowed.contains(&o) && !o.same_site(ours));
        if !expected_site {
            return Err("Cross-site requests cannot change anything here.".into());
        }
    }
    let claimed = match (text(header::ORIGIN.as_str()), text(header::REFERER.as_str())) {
        (Some(origin), _) if origin == "null" => {
            return Err("Requests from an opaque (null) origin are refused.".into());
        }
        (Some(origin), _) => origin,
        (None, Some(referer)) => referer_origin(&referer).ok_or("The Referer header is not a URL.")?,
        (None, None) => return Ok(()),
    };
    match Origin::parse(&claimed) {
        Ok(origin) if allowed.contains(&origin) => Ok(()),
        _ => Err(format!("Requests from {claimed} are not allowed to change anything here.")),
    }
}

/// Whether this request may spend the refresh cookie to renew an expired session. Renewing
/// rotates the refresh token, a change of state, so another site's (or a sibling host's) image,
/// script or frame must not trigger it: only our own pages' requests (same origin, or a fetch
/// from an allowed origin, which carries `Origin`), top-level navigations, and clients that
/// send no `Sec-Fetch-Site` at all (not browsers: nothing to forge).
pub fn may_refresh(allowed: &[Origin], headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    match text("sec-fetch-site") {
        None | Some("same-origin" | "none") => true,
        Some(_) if text("sec-fetch-mode") == Some("navigate") => true,
        Some(_) => {
            text(header::ORIGIN.as_str()).and_then(|o| Origin::parse(o).ok()).is_some_and(|o| allowed.contains(&o))
        }
    }
}

/// `https://host:port` of a full URL.
fn referer_origin(referer: &str) -> Option<String> {
    let uri: http::Uri = referer.parse().ok()?;
    Some(format!("{}://{}", uri.scheme_str()?, uri.authority()?.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (k, v) in pairs {
            map.insert(*k, v.parse().unwrap());
        }
        map
    }

    fn allowed() -> Vec<Origin> {
        vec![Origin::parse("http://127.0.0.1:3000").unwrap()]
    }

    fn ours() -> Origin {
        Origin::parse("http://127.0.0.1:3000").unwrap()
    }

    #[test]
    fn only_our_pages_and_navigations_renew_a_session() {
        let may = |pairs: &[(&'static str, &str)]| may_refresh(&allowed(), &headers(pairs));
        assert!(may(&[]), "not a browser");
        assert!(may(&[("sec-fetch-site", "same-origin"), ("sec-fetch-mode", "no-cors")]));
        assert!(may(&[("sec-fetch-site", "none"), ("sec-fetch-mode", "navigate")]));
        assert!(may(&[("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "navigate")]), "a link to us");
        // Another site's (or a sibling host's) <img>, <script> or <iframe>: no.
        assert!(!may(&[("sec-fetch-site", "same-site"), ("sec-fetch-mode", "no-cors")]));
        assert!(!may(&[("sec-fetch-site", "cross-site"), ("sec-fetch-mode", "no-cors")]));
        assert!(!may(&[("sec-fetch-site", "same-site"), ("sec-fetch-mode", "cors"), ("origin", "http://evil.test")]));
        // Our pages on their own origin, calling the API (split mode).
        assert!(may(&[
            ("sec-fetch-site", "same-site"),
            ("sec-fetch-mode", "cors"),
            ("origin", "http://127.0.0.1:3000")
        ]));
    }

    #[test]
    fn the_matrix() {
        let post = Method::POST;
        let ok = |h: &[(&'static str, &str)]| check(&allowed(), &ours(), &post, &headers(h)).is_ok();
        assert!(ok(&[("origin", "http://127.0.0.1:3000")]));
        assert!(ok(&[("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "same-origin")]));
        assert!(ok(&[("referer", "http://127.0.0.1:3000/signin?next=%2F")]));
        assert!(ok(&[]), "non-browser clients");
        assert!(!ok(&[("origin", "http://127.0.0.1:3000"), ("sec-fetch-site", "cross-site")]));
        assert!(!ok(&[("origin", "null")]));
        assert!(!ok(&[("origin", "http://evil.test")]));
        assert!(!ok(&[("origin", "http://127.0.0.1:3001")]), "another port is the same site, not the same origin");
        assert!(!ok(&[("origin", "https://127.0.0.1:3000")]), "the other scheme");
        assert!(!ok(&[("origin", "http://127.0.0.1:3000.evil.test")]));
        assert!(!ok(&[("referer", "http://evil.test/page")]));
        assert!(
            check(&allowed(), &ours(), &Method::GET, &headers(&[("origin", "http://evil.test")])).is_ok(),
            "safe methods pass"
        );
        assert!(check(&allowed(), &ours(), &Method::DELETE, &headers(&[("origin", "http://evil.test")])).is_err());
    }
}
