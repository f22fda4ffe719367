//! What the API's CORS answers allow: for the pages' origin (credentialed), and for origins it
//! must not trust (an arbitrary one, a look-alike, `null`).

use super::check::Findings;
use super::client::Answer;

const ACAO: &str = "access-control-allow-origin";
const ACAC: &str = "access-control-allow-credentials";

/// The answer to a credentialed request from the pages.
pub fn credentialed(page: &str, answer: &Answer, f: &mut Findings) {
    match answer.header(ACAO) {
        Some("*") => f.fail(
            "cors.wildcard",
            "Access-Control-Allow-Origin: * ; browsers refuse to hand a credentialed answer to the page",
            format!(
                "Answer Access-Control-Allow-Origin: {page} (the exact origin from an allowlist) with Vary: Origin"
            ),
        ),
        Some(origin) if origin == page => {
            f.pass("cors.allow_origin", format!("Access-Control-Allow-Origin: {page}"));
        }
        other => f.fail(
            "cors.allow_origin",
            format!(
                "Access-Control-Allow-Origin is {}, not {page}; the page cannot read the answer",
                other.unwrap_or("missing")
            ),
            format!("Allow {page} exactly (e.g. BMW_ALLOWED_ORIGINS, or tower-http's AllowOrigin::list)"),
        ),
    }
    if answer.header(ACAC) == Some("true") {
        f.pass("cors.allow_credentials", "Access-Control-Allow-Credentials: true");
    } else {
        f.fail(
            "cors.allow_credentials",
            "no Access-Control-Allow-Credentials: true; a fetch with credentials: 'include' fails",
            "Answer Access-Control-Allow-Credentials: true to the allowed origins",
        );
    }
    if answer.header(ACAO).is_some_and(|o| o != "*") {
        let vary = answer.list("vary");
        if vary.iter().any(|v| v == "origin" || v == "*") {
            f.pass("cors.vary_origin", "Vary: Origin");
        } else {
            f.warn(
                "cors.vary_origin",
                "Access-Control-Allow-Origin names an origin but Vary lacks Origin; a cache can serve one \
                 origin's answer to another",
                "Add Vary: Origin to every answer whose CORS headers depend on the request's Origin",
            );
        }
    }
    expose_location(answer, f);
}

/// A `Location` on an answer the page reads (not a redirect, which fetch follows itself) is only
/// readable when exposed.
pub fn expose_location(answer: &Answer, f: &mut Findings) {
    if answer.header("location").is_none() || (300..400).contains(&answer.status) || answer.header(ACAO).is_none() {
        return;
    }
    if answer.list("access-control-expose-headers").iter().any(|h| h == "location") {
        f.pass("cors.expose_location", format!("the {} answer's Location is exposed to the page", answer.status));
    } else {
        f.warn(
            "cors.expose_location",
            format!("the {} answer carries Location, but the page cannot read it", answer.status),
            "Add Access-Control-Expose-Headers: Location (and every other header the page reads)",
        );
    }
}

/// The preflight for `method` with a JSON body, from the pages.
pub fn preflight(page: &str, method: &str, answer: &Answer, f: &mut Findings) {
    let methods = answer.list("access-control-allow-methods");
    let headers = answer.list("access-control-allow-headers");
    let simple = ["get", "head", "post"].contains(&method.to_ascii_lowercase().as_str());
    let problems: Vec<String> = [
        (!(200..300).contains(&answer.status)).then(|| format!("status {}", answer.status)),
        (answer.header(ACAO) != Some(page))
            .then(|| format!("Access-Control-Allow-Origin {}", answer.header(ACAO).unwrap_or("missing"))),
        (answer.header(ACAC) != Some("true")).then(|| "no Access-Control-Allow-Credentials: true".to_string()),
        (!simple && !methods.iter().any(|m| m.eq_ignore_ascii_case(method)))
            .then(|| format!("{method} not in Allow-Methods")),
        (!headers.iter().any(|h| h == "content-type")).then(|| "content-type not in Allow-Headers".to_string()),
    ]
    .into_iter()
    .flatten()
    .collect();
    if problems.is_empty() {
        f.pass("cors.preflight", format!("the preflight allows {method} with a JSON body, with credentials"));
    } else {
        f.fail(
            "cors.preflight",
            format!(
                "the preflight for {method} with Content-Type: application/json is refused: {}",
                problems.join("; ")
            ),
            format!(
                "Answer OPTIONS from {page} with 2xx, Access-Control-Allow-Origin: {page}, -Credentials: true, \
                 -Methods: {method}, -Headers: content-type"
            ),
        );
    }
}

/// Answers to an origin nobody allowed: an arbitrary one and a look-alike of the pages' host.
pub fn reflection(answers: &[(String, Answer)], f: &mut Findings) {
    let mut reflected: Vec<&str> =
        answers.iter().filter(|(o, a)| a.header(ACAO) == Some(o.as_str())).map(|(o, _)| o.as_str()).collect();
    reflected.sort_unstable();
    reflected.dedup();
    if reflected.is_empty() {
        f.pass("cors.reflection", "origins that are not allowed get no Access-Control-Allow-Origin");
    } else {
        let with_credentials = answers.iter().any(|(_, a)| a.header(ACAC) == Some("true"));
        f.fail(
            "cors.reflection",
            format!(
                "the API reflects any Origin ({}){}; any website can read its answers",
                reflected.join(", "),
                if with_credentials { " with credentials, so with the visitor's session" } else { "" }
            ),
            "Compare the Origin with an exact allowlist; never echo it back (tower-http: AllowOrigin::list, not mirror_request)",
        );
    }
}

/// Answers to `Origin: null` (sandboxed frames, file: pages, some redirects send it).
pub fn null_origin(answers: &[Answer], f: &mut Findings) {
    if answers.iter().any(|a| a.header(ACAO) == Some("null")) {
        f.fail(
            "cors.null_origin",
            "the API allows Origin: null; any page can send it from a sandboxed iframe",
            "Remove `null` from the allowed origins",
        );
    } else {
        f.pass("cors.null_origin", "Origin: null gets no Access-Control-Allow-Origin");
    }
}
