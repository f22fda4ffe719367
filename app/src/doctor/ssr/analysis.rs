//! The offline verdict for two origins. BMW's own rules (which topologies work, which cookie
//! attributes, which origins CORS and CSRF allow) come from `WebPolicy::derive`; this module
//! only explains them.

use super::browsers;
use crate::doctor::model::{Analysis, Attribute, Relation};
use crate::ssr::web_policy::origin::Origin;
use crate::ssr::web_policy::{CORS_MAX_AGE, Topology, WebPolicy};
use tower_cookies::cookie::SameSite;

/// The longest origin a person may type on `/doctor`; real ones are far shorter.
pub const MAX_ORIGIN_LEN: usize = 253 + 20;

/// How `page` and `api` relate, and why, in the browser's terms.
pub fn relation(page: &Origin, api: &Origin) -> (Relation, String) {
    if page == api {
        return (Relation::SameOrigin, "same scheme, host and port".into());
    }
    let (page_site, api_site) = (page.registrable_domain(), api.registrable_domain());
    if page.same_site(api) {
        let differs = if page.host() == api.host() { "only the port" } else { "the host" };
        return (
            Relation::SameSite,
            format!(
                "two origins ({differs} differs) of one site: same scheme and the same registrable domain \
                 {page_site} by the Public Suffix List (ports do not count for sites)"
            ),
        );
    }
    let why = if page.https() != api.https() {
        "one is http and the other https, and browsers count the scheme in the site (schemeful same-site)".into()
    } else if let Some(suffix) =
        Some(Origin::public_suffix(page.host())).filter(|s| s.contains('.') && *s == Origin::public_suffix(api.host()))
    {
        // A shared multi-label suffix (github.io, co.uk) is the surprising case: say so.
        format!(
            "their registrable domains differ ({page_site} and {api_site}): {suffix} is a public suffix, so \
             hosts under it belong to different sites"
        )
    } else {
        format!("their registrable domains differ ({page_site} and {api_site}, by the Public Suffix List)")
    };
    (Relation::CrossSite, why)
}

/// The verdict for pages on `page` and the API on `api` (the same origin when `None`), as BMW
/// would run there. `site_wide` is BMW_COOKIE_SITE_WIDE. An origin that does not parse is an
/// error with what to write instead.
pub fn analyse(page: &str, api: Option<&str>, site_wide: bool) -> Result<Analysis, String> {
    let parse = |what: &str, raw: &str| {
        if raw.len() > MAX_ORIGIN_LEN {
            return Err(format!("the {what} origin is too long"));
        }
        Origin::parse(raw).map_err(|e| format!("the {what} origin: {e}"))
    };
    let page = parse("page", page)?;
    let api = match api.filter(|a| !a.trim().is_empty()) {
        Some(api) => parse("API", api)?,
        None => page.clone(),
    };
    Ok(analyse_policy(page, api, vec![], site_wide))
}

/// The verdict for BMW configured with these origins (`extra`: BMW_ALLOWED_ORIGINS).
pub fn analyse_policy(page: Origin, api: Origin, extra: Vec<Origin>, site_wide: bool) -> Analysis {
    match WebPolicy::derive(page.clone(), api.clone(), extra, site_wide) {
        Ok(policy) => describe(&policy),
        Err(refusal) => refused(&page, &api, refusal),
    }
}

/// The verdict for a policy BMW runs (or would run) with.
pub fn describe(policy: &WebPolicy) -> Analysis {
    let (page, api) = (&policy.public_origin, &policy.api_origin);
    let (relation, relation_why) = relation(page, api);
    let cookies = &policy.cookies;
    Analysis {
        page_origin: page.to_string(),
        api_origin: api.to_string(),
        relation,
        relation_why,
        cookie_names: vec![cookies.access_name(), cookies.refresh_name()],
        attributes: attributes(policy),
        browsers: browsers::verdicts(relation, api.https(), api.is_loopback(), Some(cookies)),
        cors: cors(policy),
        csrf: csrf(policy),
        warnings: policy.warnings.clone(),
        refusal: None,
        sources: sources(),
    }
}

fn refused(page: &Origin, api: &Origin, refusal: String) -> Analysis {
    let (relation, relation_why) = relation(page, api);
    Analysis {
        page_origin: page.to_string(),
        api_origin: api.to_string(),
        relation,
        relation_why,
        cookie_names: vec![],
        attributes: vec![],
        browsers: browsers::verdicts(relation, api.https(), api.is_loopback(), None),
        cors: vec![],
        csrf: vec![],
        warnings: vec![],
        refusal: Some(refusal),
        sources: sources(),
    }
}

fn sources() -> Vec<String> {
    browsers::SOURCES.iter().map(|s| s.to_string()).collect()
}

fn attribute(name: &str, value: impl Into<String>, reason: impl Into<String>) -> Attribute {
    Attribute { name: name.into(), value: value.into(), reason: reason.into() }
}

/// The session cookies' attributes there, one by one, with the reason for each.
fn attributes(policy: &WebPolicy) -> Vec<Attribute> {
    let c = &policy.cookies;
    let (page, api) = (&policy.public_origin, &policy.api_origin);
    let prefix = match c.prefix() {
        "__Host-" => attribute(
            "Prefix",
            "__Host-",
            "https and no Domain: browsers accept a __Host- cookie only when it is Secure, has Path=/ and no \
             Domain, so no sibling host and no http page can set or overwrite it",
        ),
        "__Secure-" => attribute(
            "Prefix",
            "__Secure-",
            "the cookie needs Domain, which __Host- forbids; __Secure- still makes browsers refuse it \
             unless it is Secure and set over https",
        ),
        _ => attribute("Prefix", "(none)", "http: both prefixes require Secure, which requires https"),
    };
    let secure = if c.secure() {
        attribute("Secure", "yes", "sent only over https, never in clear text")
    } else {
        attribute(
            "Secure",
            "no",
            "the origin is http and browsers do not store Secure cookies from http (Chromium and Firefox \
             except on localhost; Safari not even there)",
        )
    };
    let same_site = match (c.same_site_attribute(), &policy.topology) {
        (SameSite::None, _) => attribute(
            "SameSite",
            "None",
            "the API is another site than the pages, and only SameSite=None cookies go with cross-site \
             requests; None requires Secure",
        ),
        (s, Topology::SingleOrigin) => attribute(
            "SameSite",
            s.to_string(),
            "first-party only: Lax keeps the cookie off cross-site subrequests and POSTs (CSRF defence in \
             depth), and is set explicitly because browsers' defaults differ",
        ),
        (s, _) => attribute(
            "SameSite",
            s.to_string(),
            "the API is the same site as the pages, so Lax cookies go with their fetches; set explicitly \
             because browsers' defaults differ",
        ),
    };
    let domain = match c.domain() {
        Some(d) => attribute(
            "Domain",
            d,
            format!(
                "the pages' server at {} must see the session the API at {} sets; {d} is the narrowest \
                 domain both hosts are under, so no other host receives it",
                page.host(),
                api.host()
            ),
        ),
        None if page.host() == api.host() && page != api => attribute(
            "Domain",
            "(none: host-only)",
            format!(
                "sent only to {}; cookies ignore ports (RFC 6265 §8.5), so the pages' server on the other \
                 port sees it too",
                api.host()
            ),
        ),
        None => attribute("Domain", "(none: host-only)", format!("sent only to {}, no other host", api.host())),
    };
    let partitioned = if c.partitioned() {
        attribute(
            "Partitioned",
            "yes",
            format!(
                "CHIPS: Chromium only stores a cross-site cookie when it is partitioned, keyed to the pages' \
                 top-level site ({page})"
            ),
        )
    } else {
        attribute("Partitioned", "no", "a first-party cookie: partitioning is not needed")
    };
    vec![
        prefix,
        attribute("HttpOnly", "yes", "scripts cannot read the session, so an injected script cannot steal it"),
        secure,
        same_site,
        domain,
        attribute("Path", "/", "every page and API route receives it (and __Host- requires it)"),
        partitioned,
    ]
}

/// The CORS answers the API must give the pages.
fn cors(policy: &WebPolicy) -> Vec<String> {
    if policy.cors_origins.is_empty() {
        return vec![
            "None needed: pages and API share one origin. Send no Access-Control-* headers at all; CORS with \
             credentials only widens who can read your answers."
                .into(),
        ];
    }
    let list: Vec<String> = policy.cors_origins.iter().map(ToString::to_string).collect();
    vec![
        format!(
            "Access-Control-Allow-Origin: the request's Origin when it is exactly one of {} (never `*`, which \
             browsers refuse with credentials, and never a reflection of any Origin)",
            list.join(", ")
        ),
        "Access-Control-Allow-Credentials: true".into(),
        "Vary: Origin, since the answer depends on the Origin (else a cache serves one origin's answer to \
         another)"
            .into(),
        "Preflights (OPTIONS): Access-Control-Allow-Methods and -Headers listing what the pages send (JSON \
         requests are not simple requests)"
            .into(),
        format!("Access-Control-Max-Age: {} s (browsers cap it: Chromium at 7200 s)", CORS_MAX_AGE.as_secs()),
        "Access-Control-Expose-Headers: every header the pages read, such as Location (BMW exposes location, \
         serverfnredirect, serverfnerror)"
            .into(),
        "In the pages: fetch(…, { credentials: 'include' }), or the browser sends no cookie to another origin".into(),
    ]
}

/// The CSRF settings: which pages may change state.
fn csrf(policy: &WebPolicy) -> Vec<String> {
    let list: Vec<String> = policy.csrf_origins.iter().map(ToString::to_string).collect();
    let mut lines = vec![
        format!(
            "POST, PUT, PATCH and DELETE are accepted only with an Origin (or, without one, a Referer) that \
             is exactly one of: {}",
            list.join(", ")
        ),
        "Origin: null is refused; Sec-Fetch-Site: cross-site is refused unless the Origin is an allowed \
         origin of another site"
            .into(),
        "No state changes on GET".into(),
    ];
    lines.push(match policy.topology {
        Topology::SingleOrigin => "SameSite=Lax already stops other sites; the Origin check covers the rest".into(),
        Topology::SameSite { .. } => "SameSite gives no protection here: another port or a sibling host is the \
                                      same site, so the exact Origin check is what stops them"
            .into(),
        Topology::CrossSite => "The cookie is SameSite=None, so it goes with every cross-site request: the exact \
                                Origin check is the only CSRF defence"
            .into(),
    });
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::doctor::model::Status;

    fn verdict(page: &str, api: &str) -> Analysis {
        analyse(page, Some(api), false).unwrap()
    }

    fn engine(a: &Analysis, name: &str) -> Status {
        a.browsers.iter().find(|b| b.engine == name).unwrap().status
    }

    fn value(a: &Analysis, name: &str) -> String {
        a.attributes.iter().find(|x| x.name == name).unwrap().value.clone()
    }

    #[test]
    fn one_origin_is_first_party_with_a_host_prefix_over_https() {
        let a = analyse("https://bmw.example.com", None, false).unwrap();
        assert_eq!(a.relation, Relation::SameOrigin);
        assert!(a.works());
        assert_eq!(value(&a, "Prefix"), "__Host-");
        assert_eq!(value(&a, "SameSite"), "Lax");
        assert!(a.cors[0].starts_with("None needed"));
        assert!(a.browsers.iter().all(|b| b.status == Status::Pass));
    }

    /// The seed's original setup: pages on :3000, API on :8080.
    #[test]
    fn two_ports_of_localhost_are_the_same_site() {
        let a = verdict("http://localhost:3000", "http://localhost:8080");
        assert_eq!(a.relation, Relation::SameSite);
        assert!(a.relation_why.contains("only the port"), "{}", a.relation_why);
        assert!(a.works());
        assert_eq!(value(&a, "Secure"), "no");
        assert_eq!(value(&a, "Domain"), "(none: host-only)");
        assert!(a.cors[0].contains("http://localhost:3000"));
        assert!(a.csrf.iter().any(|l| l.contains("gives no protection")));
    }

    #[test]
    fn sibling_hosts_share_the_narrowest_domain() {
        let a = verdict("https://app.bmw.example.com", "https://api.bmw.example.com");
        assert_eq!(a.relation, Relation::SameSite);
        assert_eq!(value(&a, "Domain"), "bmw.example.com");
        assert_eq!(value(&a, "Prefix"), "__Secure-");
        let refused = verdict("https://app.example.com", "https://api.example.com");
        assert!(refused.refusal.unwrap().contains("BMW_COOKIE_SITE_WIDE"));
    }

    #[test]
    fn a_cross_site_api_works_partitioned_except_in_safari() {
        let a = verdict("https://bmw-app.test", "https://bmw-api.test");
        assert_eq!(a.relation, Relation::CrossSite);
        assert!(a.works());
        assert_eq!((value(&a, "SameSite"), value(&a, "Partitioned")), ("None".into(), "yes".into()));
        assert_eq!(engine(&a, "Chromium"), Status::Pass);
        assert_eq!(engine(&a, "Firefox"), Status::Pass);
        assert_eq!(engine(&a, "Safari"), Status::Fail);
        assert!(a.csrf.iter().any(|l| l.contains("only CSRF defence")));
    }

    #[test]
    fn public_suffixes_and_schemes_make_different_sites_and_say_why() {
        let a = verdict("https://alice.github.io", "https://bob.github.io");
        assert_eq!(a.relation, Relation::CrossSite);
        assert!(a.relation_why.contains("github.io is a public suffix"), "{}", a.relation_why);
        let mixed = verdict("http://app.bmw.test", "https://api.bmw.test");
        assert_eq!(mixed.relation, Relation::CrossSite);
        assert!(mixed.relation_why.contains("schemeful"));
        assert!(mixed.refusal.unwrap().contains("same scheme"));
    }

    #[test]
    fn unworkable_topologies_are_refused_with_the_fix_and_every_engine_fails() {
        let a = verdict("http://bmw-app.test", "http://bmw-api.test");
        assert!(!a.works());
        assert!(a.refusal.as_deref().unwrap().contains("Fix:"));
        assert!(a.browsers.iter().all(|b| b.status == Status::Fail));
        assert!(a.attributes.is_empty());
    }

    #[test]
    fn bad_origins_say_what_to_write() {
        assert!(analyse("localhost:3000", None, false).unwrap_err().contains("page origin"));
        assert!(analyse("http://a.test", Some("https://b.test/api"), false).unwrap_err().contains("no path"));
        assert!(analyse(&format!("https://{}.test", "a".repeat(300)), None, false).is_err());
    }
}
