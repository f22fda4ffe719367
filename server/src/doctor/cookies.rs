//! What browsers will do with the cookies an API sets, for pages at a given relation to it.

use super::check::Findings;
use app::doctor::model::Relation;
use app::ssr::web_policy::origin::Origin;
use tower_cookies::cookie::{Cookie, SameSite};

/// Checks every `Set-Cookie` the API sent (by cookie name, the last one winning).
pub fn inspect(set_cookies: &[String], relation: Relation, api: &Origin, f: &mut Findings) {
    let mut seen: Vec<Cookie<'static>> = vec![];
    for line in set_cookies {
        match Cookie::parse(line.clone()) {
            Ok(cookie) => {
                seen.retain(|c| c.name() != cookie.name());
                seen.push(cookie);
            }
            Err(e) => f.warn(
                "cookie.unparsable",
                format!("a Set-Cookie browsers will ignore: {e}"),
                "Send name=value; Attr; …",
            ),
        }
    }
    for cookie in &seen {
        // An empty, expired cookie is a deletion: what matters is that its attributes match.
        inspect_one(cookie, relation, api, f);
    }
}

fn inspect_one(cookie: &Cookie<'_>, relation: Relation, api: &Origin, f: &mut Findings) {
    let name = cookie.name();
    let before = f.failures_and_warnings();
    let secure = cookie.secure() == Some(true);
    let same_site = cookie.same_site();
    if same_site == Some(SameSite::None) && !secure {
        f.fail(
            "cookie.samesite_none_insecure",
            format!("{name}: SameSite=None without Secure; every browser rejects it"),
            "Add Secure (and serve the API over https): SameSite=None requires it",
        );
    }
    if relation == Relation::CrossSite {
        if same_site != Some(SameSite::None) {
            f.fail(
                "cookie.cross_site_samesite",
                format!(
                    "{name}: SameSite={} on a cross-site API; it never goes with the pages' fetches",
                    same_site.map_or("(default Lax)".to_string(), |s| s.to_string())
                ),
                "Serve pages and API from one site (app.example.com + api.example.com), or set SameSite=None; Secure; Partitioned",
            );
        } else if secure && cookie.partitioned() != Some(true) {
            f.fail(
                "cookie.cross_site_unpartitioned",
                format!("{name}: a third-party cookie without Partitioned; Chromium does not store it, Safari blocks it"),
                "Add Partitioned (CHIPS) so Chromium and Firefox keep it; Safari still blocks third-party cookies, so prefer one site",
            );
        }
    } else if same_site.is_none() {
        f.warn(
            "cookie.samesite_missing",
            format!("{name}: no SameSite; Chromium treats it as Lax, Firefox and Safari do not"),
            "Set SameSite explicitly (Lax for one site)",
        );
    }
    if let Some(domain) = cookie.domain() {
        let domain = domain.trim_start_matches('.').to_ascii_lowercase();
        if Origin::public_suffix(&domain) == domain {
            f.fail(
                "cookie.domain_public_suffix",
                format!("{name}: Domain={domain} is a public suffix; browsers reject the cookie"),
                format!(
                    "Drop Domain (a host-only cookie for {}), or use the narrowest domain your hosts share",
                    api.host()
                ),
            );
        } else if api.host() != domain && !api.host().ends_with(&format!(".{domain}")) {
            f.fail(
                "cookie.domain_mismatch",
                format!("{name}: Domain={domain} does not cover the API host {}; browsers reject it", api.host()),
                format!("Use a Domain that {} is under, or none", api.host()),
            );
        }
    }
    if name.starts_with("__Host-") && (!secure || cookie.domain().is_some() || cookie.path() != Some("/")) {
        f.fail(
            "cookie.host_prefix",
            format!("{name}: a __Host- cookie must be Secure, Path=/ and without Domain; browsers reject it"),
            "Set Secure and Path=/ and drop Domain, or use the __Secure- prefix when Domain is needed",
        );
    }
    if name.starts_with("__Secure-") && !secure {
        f.fail(
            "cookie.secure_prefix",
            format!("{name}: a __Secure- cookie without Secure; browsers reject it"),
            "Add Secure (over https)",
        );
    }
    if secure && !api.https() {
        let (loopback, text) = (api.is_loopback(), format!("{name}: Secure, set over http by {api}"));
        if loopback {
            f.warn(
                "cookie.secure_over_http",
                format!("{text}; Safari rejects it (Chromium and Firefox allow localhost)"),
                "Serve the API over https",
            );
        } else {
            f.fail("cookie.secure_over_http", format!("{text}; browsers reject it"), "Serve the API over https");
        }
    }
    if cookie.http_only() != Some(true) {
        f.warn(
            "cookie.http_only",
            format!("{name}: not HttpOnly; any script on the page can read it"),
            "Add HttpOnly to session cookies",
        );
    }
    if f.failures_and_warnings() == before {
        f.pass("cookie.attributes", format!("{name}: its attributes fit a {} API", relation.label()));
    }
}
