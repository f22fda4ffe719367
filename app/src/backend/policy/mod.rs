//! The web policy, in one place and derived from configuration: which origins may call us
//! with credentials (CORS) or change state (CSRF), and how the session cookies are set.

pub mod cookies;
pub mod csrf;
pub mod origin;

use cookies::CookiePolicy;
use origin::Origin;
use std::time::Duration;

/// Browsers cap preflight caching anyway (Chromium at 2 hours); one hour keeps preflights rare
/// without pinning a stale answer for long.
pub const CORS_MAX_AGE: Duration = Duration::from_secs(3600);

#[derive(Debug, Clone)]
pub struct WebPolicy {
    pub public_origin: Origin,
    /// Exact origins allowed to send credentialed cross-origin requests (CORS); never `*`.
    pub cors_origins: Vec<Origin>,
    /// Exact origins whose pages may change state here (CSRF): ours, their loopback aliases,
    /// and the CORS origins.
    pub csrf_origins: Vec<Origin>,
    pub cookies: CookiePolicy,
}

impl WebPolicy {
    /// Pages, server functions and API on `public_origin`; `extra` origins may call the API
    /// with credentials too.
    pub fn derive(public_origin: Origin, extra: Vec<Origin>) -> Result<WebPolicy, String> {
        for origin in &extra {
            if !public_origin.https() && origin.https() == public_origin.https() && !origin.same_site(&public_origin) {
                return Err(format!(
                    "{origin} is cross-site to {public_origin} over http. Browsers only send \
                     cookies to a cross-site API when they are `SameSite=None; Secure`, which needs https. \
                     Fix: serve both over https, or put them on one site (e.g. app.example.com and \
                     api.example.com), or behind one origin (see the nginx example in the README)."
                ));
            }
        }
        let mut csrf_origins = vec![public_origin.clone()];
        csrf_origins.extend(public_origin.loopback_aliases());
        csrf_origins.extend(extra.iter().cloned());
        csrf_origins.dedup();
        Ok(WebPolicy {
            cookies: CookiePolicy::single_origin(public_origin.https()),
            public_origin,
            cors_origins: extra,
            csrf_origins,
        })
    }

    /// One line for the start-up log.
    pub fn describe(&self) -> String {
        let list = |v: &[Origin]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        format!(
            "public origin {}; state changes allowed from {}; CORS with credentials for {}; cookies: {}",
            self.public_origin,
            list(&self.csrf_origins),
            if self.cors_origins.is_empty() { "nobody (one origin)".into() } else { list(&self.cors_origins) },
            self.cookies.describe()
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn o(s: &str) -> Origin {
        Origin::parse(s).unwrap()
    }

    #[test]
    fn loopback_names_are_interchangeable_for_csrf_only() {
        let policy = WebPolicy::derive(o("http://127.0.0.1:3000"), vec![]).unwrap();
        assert!(policy.csrf_origins.contains(&o("http://localhost:3000")));
        assert!(!policy.csrf_origins.contains(&o("http://localhost:3001")));
        assert!(policy.cors_origins.is_empty());
    }

    #[test]
    fn a_cross_site_origin_over_http_is_refused_with_the_fix() {
        let err = WebPolicy::derive(o("http://app.test:3000"), vec![o("http://other.test:8080")]).unwrap_err();
        assert!(err.contains("https") && err.contains("Fix"), "{err}");
        assert!(WebPolicy::derive(o("http://localhost:3000"), vec![o("http://localhost:8080")]).is_ok(), "same site");
    }
}
