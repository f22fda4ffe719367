//! What Chromium, Firefox and Safari do today with a session cookie in each topology. The facts
//! and their sources are in `SOURCES`; keep the two in step.

use crate::doctor::model::{BrowserVerdict, Relation, Status};
use crate::ssr::web_policy::cookies::CookiePolicy;
use tower_cookies::cookie::SameSite;

pub const SOURCES: &[&str] = &[
    "Sites and schemeful same-site: MDN Glossary \"Site\"; web.dev/articles/same-site-same-origin",
    "Cookies ignore ports: RFC 6265 §8.5",
    "SameSite=None requires Secure; Chrome defaults a missing SameSite to Lax: web.dev/articles/samesite-cookies-explained",
    "Partitioned cookies (CHIPS): developers.google.com/privacy-sandbox/cookies/chips; measured with Chromium 156: \
     an unpartitioned SameSite=None; Secure cookie set by a cross-site API is not stored, a Partitioned one is",
    "Firefox Total Cookie Protection partitions third-party cookies: developer.mozilla.org/docs/Web/Privacy/State_Partitioning",
    "Safari blocks third-party cookies (Intelligent Tracking Prevention): webkit.org/tracking-prevention",
    "Safari refuses Secure cookies on http://localhost: WebKit bug 281149",
];

fn verdict(engine: &str, status: Status, verdict: String) -> BrowserVerdict {
    BrowserVerdict { engine: engine.into(), status, verdict }
}

/// The three engines' verdicts on `cookies` (BMW's policy for the topology), or, for a refused
/// topology (`None`), on the best cookie any server could set there.
pub fn verdicts(
    relation: Relation,
    https: bool,
    loopback: bool,
    cookies: Option<&CookiePolicy>,
) -> Vec<BrowserVerdict> {
    let Some(cookies) = cookies else {
        let why = if https {
            "the two origins mix http and https, which are different sites, and a cookie for an https API \
             that must reach it from an http page has to be SameSite=None; Secure; Partitioned, a third-party \
             cookie"
        } else {
            "a cross-site API only receives SameSite=None cookies, SameSite=None requires Secure, and Secure \
             cookies are only set over https"
        };
        return ["Chromium", "Firefox", "Safari"]
            .into_iter()
            .map(|engine| verdict(engine, Status::Fail, format!("No session cookie reaches the API: {why}.")))
            .collect();
    };
    if relation == Relation::CrossSite && cookies.same_site_attribute() == SameSite::None {
        return vec![
            verdict(
                "Chromium",
                Status::Pass,
                "Stores and sends it because it is Partitioned (CHIPS): it is kept in the pages' top-level \
                 site's partition. Without Partitioned, Chromium does not store a cross-site SameSite=None \
                 cookie at all (measured)."
                    .into(),
            ),
            verdict(
                "Firefox",
                Status::Pass,
                "Total Cookie Protection keeps it in the pages' site's partition: stored and sent on the \
                 pages' credentialed fetches."
                    .into(),
            ),
            verdict(
                "Safari",
                Status::Fail,
                "Blocks third-party cookies entirely: the API never receives the session, so nobody can stay \
                 signed in. Put the pages and the API on one site."
                    .into(),
            ),
        ];
    }
    let first_party = match relation {
        Relation::SameOrigin => "A first-party cookie on the pages' own origin: stored and sent.",
        _ => {
            "A first-party cookie (the API is the same site as the pages): stored, and sent on the pages' \
              fetches with credentials: 'include'."
        }
    };
    let mut safari = verdict("Safari", Status::Pass, first_party.into());
    if cookies.secure() && !https {
        safari = verdict("Safari", Status::Fail, "Refuses Secure cookies on http, even on localhost.".into());
    } else if !https && !loopback {
        safari.verdict.push_str(" It travels in clear text over http: use https outside development.");
    }
    vec![
        verdict("Chromium", Status::Pass, first_party.into()),
        verdict("Firefox", Status::Pass, first_party.into()),
        safari,
    ]
}
