//! The web policy, in one place and derived from configuration: which origins may call us
//! with credentials (CORS) or change state (CSRF), how the session cookies are set, and the
//! Content-Security-Policy of what we serve.

pub mod cookies;
pub mod csp;
pub mod csrf;
pub mod origin;

use cookies::CookiePolicy;
use origin::Origin;
use std::time::Duration;

/// Browsers cap preflight caching anyway (Chromium at 2 hours); one hour keeps preflights rare
/// without pinning a stale answer for long.
pub const CORS_MAX_AGE: Duration = Duration::from_secs(3600);

/// How the pages' origin and the API's origin relate; it decides the cookie attributes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Topology {
    /// Pages and API on one origin.
    SingleOrigin,
    /// Two origins, one site (another port, or sibling hosts). `shared_domain` is the narrowest
    /// domain both hosts are under when they differ, so the cookie can carry `Domain`.
    SameSite { shared_domain: Option<String> },
    /// Two sites: only `SameSite=None; Secure; Partitioned` cookies reach the API.
    CrossSite,
}

#[derive(Debug, Clone)]
pub struct WebPolicy {
    pub public_origin: Origin,
    pub api_origin: Origin,
    pub topology: Topology,
    /// The origin this process answers as: the API's, or the pages' for the web role.
    pub served_origin: Origin,
    /// Exact origins allowed to send credentialed cross-origin requests (CORS); never `*`.
    pub cors_origins: Vec<Origin>,
    /// Exact origins whose pages may change state here (CSRF): ours, their loopback aliases,
    /// and the CORS origins.
    pub csrf_origins: Vec<Origin>,
    pub cookies: CookiePolicy,
    /// Things that work but deserve a word at start-up.
    pub warnings: Vec<String>,
}

/// The narrowest domain two sibling hosts are both under: `bmw.example.com` for
/// `app.bmw.example.com` and `api.bmw.example.com`. A cookie with that `Domain` goes to every host
/// under it, so a whole registrable domain (`example.com`: marketing sites, third-party CNAMEs,
/// forgotten subdomains) needs `site_wide`, and is then named in a start-up warning.
fn shared_domain(public: &Origin, api: &Origin, site_wide: bool, warnings: &mut Vec<String>) -> Result<String, String> {
    let labels = |o: &Origin| o.host().rsplit('.').map(str::to_string).collect::<Vec<_>>();
    let (a, b) = (labels(public), labels(api));
    let common: Vec<&str> = a.iter().zip(&b).take_while(|(x, y)| x == y).map(|(x, _)| x.as_str()).collect();
    let domain = common.into_iter().rev().collect::<Vec<_>>().join(".");
    let registrable = public.registrable_domain();
    if domain.len() > registrable.len() {
        return Ok(domain);
    }
    if !site_wide {
        return Err(format!(
            "{public} and {api} share only the domain {registrable}, so the session cookie would need \
             `Domain={registrable}` and would go to every host under it (other sites, third-party \
             CNAMEs, forgotten subdomains), any of which could then take over a session. Fix: put both \
             under a subdomain of their own (app.bmw.{registrable} and api.bmw.{registrable}: the cookie \
             is then `Domain=bmw.{registrable}`), or serve one origin, or set BMW_COOKIE_SITE_WIDE=true \
             to accept that every host under {registrable} receives the session."
        ));
    }
    warnings.push(format!(
        "BMW_COOKIE_SITE_WIDE: the session cookie has `Domain={registrable}`, so every host under \
         {registrable} receives it. Trust all of them, or move both hosts under a subdomain of their own."
    ));
    Ok(registrable)
}

impl WebPolicy {
    /// Pages on `public_origin`, server functions and API on `api_origin` (the same origin
    /// unless split); `extra` origins may call the API with credentials too. `site_wide` accepts
    /// a cookie `Domain` that is a whole registrable domain (see `shared_domain`).
    pub fn derive(
        public_origin: Origin,
        api_origin: Origin,
        extra: Vec<Origin>,
        site_wide: bool,
    ) -> Result<WebPolicy, String> {
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
        let mut warnings: Vec<String> = extra
            .iter()
            .filter(|o| o.https() && !public_origin.https())
            .map(|o| {
                format!(
                    "BMW_ALLOWED_ORIGINS: {o} is https but the public origin {public_origin} is http, so the \
                     session cookies are not Secure and a page on {o} reaches a session sent in clear text. \
                     Serve BMW over https too (BMW_PUBLIC_ORIGIN=https://…)."
                )
            })
            .collect();
        let (topology, cookies) = if api_origin == public_origin {
            (Topology::SingleOrigin, CookiePolicy::single_origin(public_origin.https()))
        } else if api_origin.https() != public_origin.https() {
            return Err(format!(
                "BMW_API_ORIGIN {api_origin} and BMW_PUBLIC_ORIGIN {public_origin} mix http and https. Browsers \
                 treat them as different sites and will not share a Secure session. Fix: use the same scheme for both."
            ));
        } else if api_origin.same_site(&public_origin) {
            let shared_domain = match api_origin.host() == public_origin.host() {
                true => None,
                false => Some(shared_domain(&public_origin, &api_origin, site_wide, &mut warnings)?),
            };
            let cookies = CookiePolicy::same_site(public_origin.https(), shared_domain.clone());
            (Topology::SameSite { shared_domain }, cookies)
        } else if !public_origin.https() {
            return Err(format!(
                "{public_origin} and {api_origin} are different sites over http. A cross-site API only gets \
                 cookies that are `SameSite=None; Secure; Partitioned`, and Secure needs https. Fix: serve both \
                 over https (BMW_TLS_CERT/BMW_TLS_KEY or BMW_TLS_SELF_SIGNED), or use one site \
                 (app.example.com + api.example.com), or one origin behind a proxy."
            ));
        } else {
            warnings.push(format!(
                "{public_origin} and {api_origin} are different sites: the session cookie is a third-party \
                 cookie (SameSite=None; Secure; Partitioned). Chromium keeps it partitioned, Firefox partitions \
                 it, and Safari blocks it. Prefer one origin, or one site (app. and api. of one domain)."
            ));
            (Topology::CrossSite, CookiePolicy::cross_site())
        };
        let mut cors_origins = extra.clone();
        if topology != Topology::SingleOrigin {
            cors_origins.insert(0, public_origin.clone());
        }
        let mut csrf_origins = vec![public_origin.clone()];
        csrf_origins.extend(public_origin.loopback_aliases());
        csrf_origins.extend(extra);
        csrf_origins.dedup();
        let served_origin = api_origin.clone();
        Ok(WebPolicy {
            public_origin,
            api_origin,
            topology,
            served_origin,
            cors_origins,
            csrf_origins,
            cookies,
            warnings,
        })
    }

    pub fn is_split(&self) -> bool {
        self.topology != Topology::SingleOrigin
    }

    /// Where the hydrated app sends server-function calls, when that is another origin.
    pub fn client_api_origin(&self) -> Option<String> {
        self.is_split().then(|| self.api_origin.to_string())
    }

    /// Pages and API are different sites: the pages' server cannot see the API's session.
    pub fn is_cross_site(&self) -> bool {
        self.topology == Topology::CrossSite
    }

    /// One line for the start-up log.
    pub fn describe(&self) -> String {
        let list = |v: &[Origin]| v.iter().map(ToString::to_string).collect::<Vec<_>>().join(", ");
        format!(
            "pages at {}, API at {} ({:?}); state changes allowed from {}; CORS with credentials for {}; cookies: {}",
            self.public_origin,
            self.api_origin,
            self.topology,
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
        let policy = WebPolicy::derive(o("http://127.0.0.1:3000"), o("http://127.0.0.1:3000"), vec![], false).unwrap();
        assert!(policy.csrf_origins.contains(&o("http://localhost:3000")));
        assert!(!policy.csrf_origins.contains(&o("http://localhost:3001")));
        assert!(policy.cors_origins.is_empty());
    }

    #[test]
    fn a_cross_site_origin_over_http_is_refused_with_the_fix() {
        let app = o("http://app.test:3000");
        let err = WebPolicy::derive(app.clone(), app, vec![o("http://other.test:8080")], false).unwrap_err();
        assert!(err.contains("https") && err.contains("Fix"), "{err}");
        let local = o("http://localhost:3000");
        assert!(WebPolicy::derive(local.clone(), local, vec![o("http://localhost:8080")], false).is_ok(), "same site");
    }

    fn cookie_line(policy: &WebPolicy) -> String {
        policy.cookies.describe()
    }

    #[test]
    fn the_cookie_follows_the_topology() {
        let single_https = WebPolicy::derive(o("https://bmw.test"), o("https://bmw.test"), vec![], false).unwrap();
        assert_eq!(single_https.topology, Topology::SingleOrigin);
        assert!(
            cookie_line(&single_https).contains("__Host-bmw_access") && cookie_line(&single_https).contains("Secure")
        );

        let ports = WebPolicy::derive(o("http://localhost:3000"), o("http://localhost:8080"), vec![], false).unwrap();
        assert_eq!(ports.topology, Topology::SameSite { shared_domain: None });
        assert!(!cookie_line(&ports).contains("Domain") && cookie_line(&ports).contains("SameSite=Lax"));
        assert_eq!(ports.cors_origins, vec![o("http://localhost:3000")]);

        let siblings = WebPolicy::derive(o("https://app.bmw.test"), o("https://api.bmw.test"), vec![], true).unwrap();
        assert_eq!(siblings.topology, Topology::SameSite { shared_domain: Some("bmw.test".into()) });
        let line = cookie_line(&siblings);
        assert!(
            line.contains("__Secure-bmw_access") && line.contains("Domain=bmw.test") && line.contains("SameSite=Lax"),
            "{line}"
        );

        let cross = WebPolicy::derive(o("https://bmw-app.test"), o("https://bmw-api.test"), vec![], false).unwrap();
        assert_eq!(cross.topology, Topology::CrossSite);
        let line = cookie_line(&cross);
        assert!(line.contains("SameSite=None") && line.contains("Partitioned") && line.contains("Secure"), "{line}");
        assert!(cross.warnings[0].contains("Safari"));
    }

    /// Review M2: sibling hosts got `Domain=<registrable domain>`, sending the session to every
    /// host of the organisation.
    #[test]
    fn the_cookie_domain_is_the_narrowest_the_two_hosts_share() {
        let (app, api) = (o("https://app.bmw.example.com"), o("https://api.bmw.example.com"));
        let policy = WebPolicy::derive(app, api, vec![], false).unwrap();
        assert_eq!(policy.topology, Topology::SameSite { shared_domain: Some("bmw.example.com".into()) });
        assert!(cookie_line(&policy).contains("Domain=bmw.example.com"), "{}", cookie_line(&policy));
        assert!(policy.warnings.is_empty());
        let deeper =
            WebPolicy::derive(o("https://a.eu.bmw.example.co.uk"), o("https://b.eu.bmw.example.co.uk"), vec![], false);
        assert_eq!(deeper.unwrap().topology, Topology::SameSite { shared_domain: Some("eu.bmw.example.co.uk".into()) });

        let err =
            WebPolicy::derive(o("https://app.example.com"), o("https://api.example.com"), vec![], false).unwrap_err();
        assert!(
            err.contains("Domain=example.com") && err.contains("BMW_COOKIE_SITE_WIDE") && err.contains("Fix:"),
            "{err}"
        );
        let apex = WebPolicy::derive(o("https://example.com"), o("https://api.example.com"), vec![], false);
        assert!(apex.is_err(), "the apex and a subdomain share only the registrable domain");
        let accepted =
            WebPolicy::derive(o("https://app.example.com"), o("https://api.example.com"), vec![], true).unwrap();
        assert!(cookie_line(&accepted).contains("Domain=example.com"));
        assert!(accepted.warnings[0].contains("every host under example.com"), "{:?}", accepted.warnings);
    }

    /// Review Info: an https origin allowed next to an http public origin deserves a word.
    #[test]
    fn an_https_allowed_origin_beside_an_http_site_is_warned_about() {
        let local = o("http://localhost:3000");
        let policy = WebPolicy::derive(local.clone(), local, vec![o("https://localhost:8443")], false).unwrap();
        assert!(policy.warnings.iter().any(|w| w.contains("https://localhost:8443") && w.contains("clear text")));
        let quiet =
            WebPolicy::derive(o("https://bmw.test"), o("https://bmw.test"), vec![o("https://x.bmw.test")], false);
        assert!(quiet.unwrap().warnings.is_empty());
    }

    #[test]
    fn unworkable_splits_are_refused_with_the_fix() {
        let err = WebPolicy::derive(o("http://bmw-app.test"), o("http://bmw-api.test"), vec![], false).unwrap_err();
        assert!(err.contains("Fix:") && err.contains("https"), "{err}");
        let err = WebPolicy::derive(o("http://app.bmw.test"), o("https://api.bmw.test"), vec![], false).unwrap_err();
        assert!(err.contains("same scheme"), "{err}");
    }
}
