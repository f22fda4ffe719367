//! `bmw doctor --check`: real requests to a deployment, and what the browser would make of the
//! answers. Works against any server; BMW's own rules are not assumed.

use super::client::{self, Answer};
use super::{DoctorArgs, cookies, cors, tls};
use app::doctor::model::{CheckReport, Finding, Relation, Status};
use app::doctor::ssr::analysis;
use app::ssr::web_policy::origin::Origin;
use http::Method;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use std::net::{IpAddr, SocketAddr, ToSocketAddrs};

/// An origin nobody should allow, and a look-alike of the pages' host (suffix matching bugs).
const EVIL: &str = "https://bmw-doctor-evil.example";

pub struct SignIn {
    pub path: String,
    pub username: String,
    pub password: String,
}

/// What to check.
pub struct Target {
    pub page: Origin,
    pub api: Origin,
    pub path: String,
    pub method: Method,
    pub signin: Option<SignIn>,
    pub ca_certs: Vec<CertificateDer<'static>>,
    pub resolve: Vec<(String, IpAddr)>,
}

impl Target {
    /// From the command line; Err is a usage error (exit 2).
    pub fn from_args(page: &str, args: &DoctorArgs) -> Result<Target, String> {
        let page = Origin::parse(page).map_err(|e| format!("--check: {e}"))?;
        let api = match &args.api {
            Some(api) => Origin::parse(api).map_err(|e| format!("--api: {e}"))?,
            None => page.clone(),
        };
        let path = |flag: &str, p: &str| match p.starts_with('/') && p.parse::<http::Uri>().is_ok() {
            true => Ok(p.to_string()),
            false => Err(format!("{flag} {p:?}: write a path such as /api/auth/me")),
        };
        let signin = match (&args.username, &args.password_env) {
            (Some(username), Some(var)) => Some(SignIn {
                path: path("--signin-path", &args.signin_path)?,
                username: username.clone(),
                password: std::env::var(var).map_err(|_| format!("--password-env: ${var} is not set"))?,
            }),
            _ => None,
        };
        let ca_certs = match &args.ca_cert {
            Some(file) => CertificateDer::pem_file_iter(file)
                .and_then(|certs| certs.collect::<Result<Vec<_>, _>>())
                .map_err(|e| format!("--ca-cert {}: {e}", file.display()))?,
            None => vec![],
        };
        Ok(Target {
            page,
            api,
            path: path("--path", &args.path)?,
            method: args
                .method
                .to_ascii_uppercase()
                .parse()
                .map_err(|_| format!("--method {}: not a method", args.method))?,
            signin,
            ca_certs,
            resolve: args.resolve.iter().map(|r| client::parse_resolve(r)).collect::<Result<_, _>>()?,
        })
    }

    fn address(&self, origin: &Origin) -> Option<SocketAddr> {
        let port = origin.port_or_default();
        let host = origin.host().trim_start_matches('[').trim_end_matches(']');
        if let Some((_, ip)) = self.resolve.iter().find(|(h, _)| h == host) {
            return Some(SocketAddr::new(*ip, port));
        }
        (host, port).to_socket_addrs().ok()?.next()
    }
}

/// The findings so far.
#[derive(Default)]
pub struct Findings(Vec<Finding>);

impl Findings {
    fn add(&mut self, id: &str, status: Status, summary: impl Into<String>, fix: Option<String>) {
        self.0.push(Finding { id: id.into(), status, summary: summary.into(), fix });
    }
    pub fn pass(&mut self, id: &str, summary: impl Into<String>) {
        self.add(id, Status::Pass, summary, None);
    }
    pub fn warn(&mut self, id: &str, summary: impl Into<String>, fix: impl Into<String>) {
        self.add(id, Status::Warn, summary, Some(fix.into()));
    }
    pub fn fail(&mut self, id: &str, summary: impl Into<String>, fix: impl Into<String>) {
        self.add(id, Status::Fail, summary, Some(fix.into()));
    }
    pub fn failures_and_warnings(&self) -> usize {
        self.0.iter().filter(|f| f.status != Status::Pass).count()
    }
}

pub async fn run(t: &Target) -> CheckReport {
    let (relation, why) = analysis::relation(&t.page, &t.api);
    let mut f = Findings::default();
    let mut notes = vec![format!("{} and {} are {}: {why}", t.page, t.api, relation.label())];
    transport(t, &mut f);
    let client = match client::build(&t.resolve) {
        Ok(client) => client,
        Err(e) => {
            f.fail("doctor.client", e, "Report this as a bug");
            return report(t, relation, f, notes);
        }
    };
    certificates(t, &mut f, &mut notes).await;
    let page = t.page.to_string();
    let url = format!("{}{}", t.api, t.path);
    let mut set_cookies = vec![];
    let mut session = String::new();
    if let Some(signin) = &t.signin {
        let body = serde_json::json!({"username": signin.username, "password": signin.password});
        let signin_url = format!("{}{}", t.api, signin.path);
        let headers = [("origin", page.as_str()), ("accept", "application/json")];
        match client::send(&client, Method::POST, &signin_url, &headers, Some(&body)).await {
            Ok(a) if (200..300).contains(&a.status) => {
                f.pass("signin", format!("signed in at {}: {}", signin.path, a.status));
                set_cookies.extend(a.set_cookies());
                session = cookie_header(&a.set_cookies());
                cors::expose_location(&a, &mut f);
            }
            Ok(a) => f.fail(
                "signin",
                format!("POST {signin_url} answered {}", a.status),
                "Check --username, the password in --password-env and --signin-path (a JSON POST of username and password)",
            ),
            Err(e) => f.fail("signin", e, "Check that the API is reachable from here (--resolve for local names)"),
        }
    }
    if relation != Relation::SameOrigin {
        let requested = t.method.as_str();
        let headers = [
            ("origin", page.as_str()),
            ("access-control-request-method", requested),
            ("access-control-request-headers", "content-type"),
        ];
        match client::send(&client, Method::OPTIONS, &url, &headers, None).await {
            Ok(a) => {
                set_cookies.extend(a.set_cookies());
                cors::preflight(&page, requested, &a, &mut f);
            }
            Err(e) => f.fail("cors.preflight", e, "Make the API answer OPTIONS preflights"),
        }
    }
    let mut headers = vec![("origin", page.as_str())];
    if !session.is_empty() {
        headers.push(("cookie", session.as_str()));
    }
    let body = (t.method != Method::GET && t.method != Method::HEAD).then(|| serde_json::json!({}));
    let answer = match client::send(&client, t.method.clone(), &url, &headers, body.as_ref()).await {
        Ok(answer) => answer,
        Err(e) => {
            f.fail(
                "api.reachable",
                e,
                "Check the API origin and that it is reachable from here (--resolve for local names)",
            );
            return report(t, relation, f, notes);
        }
    };
    notes.push(format!("{} {} from {page}: {}", t.method, t.path, answer.status));
    set_cookies.extend(answer.set_cookies());
    if relation == Relation::SameOrigin {
        cors::expose_location(&answer, &mut f);
    } else {
        cors::credentialed(&page, &answer, &mut f);
    }
    untrusted_origins(&client, t, &url, &mut f).await;
    if t.api.https() {
        hsts(&answer, &mut f);
        redirect(&client, t, &mut f, &mut notes).await;
    }
    cookies::inspect(&set_cookies, relation, &t.api, &mut f);
    if set_cookies.is_empty() {
        notes.push(
            "No cookie was set; give --username and --password-env (and --signin-path) to inspect the session cookies"
                .into(),
        );
    }
    report(t, relation, f, notes)
}

fn report(t: &Target, relation: Relation, f: Findings, notes: Vec<String>) -> CheckReport {
    CheckReport { page_origin: t.page.to_string(), api_origin: t.api.to_string(), relation, findings: f.0, notes }
}

/// `name=value; …` for the cookies a sign-in set, to send back.
fn cookie_header(set_cookies: &[String]) -> String {
    let pairs: Vec<&str> = set_cookies.iter().filter_map(|c| c.split(';').next()).map(str::trim).collect();
    pairs.join("; ")
}

fn transport(t: &Target, f: &mut Findings) {
    if t.page.https() && !t.api.https() {
        f.fail(
            "mixed_content",
            format!("the https pages at {} call an http API at {}; browsers block it as mixed content", t.page, t.api),
            "Serve the API over https",
        );
    }
    for origin in [&t.page, &t.api] {
        if !origin.https() && !origin.is_loopback() {
            f.warn(
                "transport.http",
                format!("{origin} is plain http: sessions travel in clear text and cookies cannot be Secure"),
                "Serve it over https",
            );
        }
    }
}

/// The certificate of each https origin. The pages' origin may be unreachable from here (only
/// the API is checked then); the API's must answer.
async fn certificates(t: &Target, f: &mut Findings, notes: &mut Vec<String>) {
    let mut origins = vec![&t.api];
    if t.page != t.api && t.page.host() != t.api.host() {
        origins.push(&t.page);
    }
    for origin in origins.into_iter().filter(|o| o.https()) {
        let host = origin.host().trim_start_matches('[').trim_end_matches(']').to_string();
        let Some(addr) = t.address(origin) else {
            notes.push(format!("{origin}: cannot resolve {host}; its certificate was not checked (--resolve?)"));
            continue;
        };
        match tls::check(host, addr, tls::roots(&t.ca_certs)).await {
            Ok(finding) => f.0.push(finding),
            Err(e) if *origin == t.api => {
                f.fail("tls.handshake", format!("{origin}: {e}"), "Check the API's TLS setup");
            }
            Err(e) => notes.push(format!("{origin}: certificate not checked: {e}")),
        }
    }
}

/// An arbitrary origin, a look-alike of the pages' host, and `null`.
async fn untrusted_origins(client: &reqwest::Client, t: &Target, url: &str, f: &mut Findings) {
    let scheme = if t.page.https() { "https" } else { "http" };
    let look_alike = format!("{scheme}://{}.bmw-doctor-evil.example", t.page.host());
    let mut reflected = vec![];
    let mut null = vec![];
    for method in [Method::GET, Method::OPTIONS] {
        for origin in [EVIL, look_alike.as_str()] {
            let headers = [("origin", origin), ("access-control-request-method", "GET")];
            if let Ok(a) = client::send(client, method.clone(), url, &headers, None).await {
                reflected.push((origin.to_string(), a));
            }
        }
        let headers = [("origin", "null"), ("access-control-request-method", "GET")];
        if let Ok(a) = client::send(client, method.clone(), url, &headers, None).await {
            null.push(a);
        }
    }
    cors::reflection(&reflected, f);
    cors::null_origin(&null, f);
}

fn hsts(answer: &Answer, f: &mut Findings) {
    let max_age = answer.header("strict-transport-security").and_then(|v| {
        v.split(';').find_map(|p| p.trim().strip_prefix("max-age=")?.trim_matches('"').parse::<u64>().ok())
    });
    match max_age {
        Some(age) if age > 0 => f.pass("tls.hsts", format!("Strict-Transport-Security: max-age={age}")),
        _ => f.warn(
            "tls.hsts",
            "no Strict-Transport-Security; a first visit over http can be intercepted",
            "Answer https requests with Strict-Transport-Security: max-age=31536000",
        ),
    }
}

/// Plain http on port 80 should send browsers to https. Only checked for https on port 443:
/// elsewhere there is no conventional http port to try.
async fn redirect(client: &reqwest::Client, t: &Target, f: &mut Findings, notes: &mut Vec<String>) {
    if t.api.port_or_default() != 443 {
        notes.push(format!("{}: not on port 443, so the http→https redirect was not checked", t.api));
        return;
    }
    let http_url = format!("http://{}/", t.api.host());
    match client::send(client, Method::GET, &http_url, &[], None).await {
        Ok(a) if (300..400).contains(&a.status) && a.header("location").is_some_and(|l| l.starts_with("https://")) => {
            f.pass("tls.http_redirect", format!("{http_url} redirects to https"));
        }
        Ok(a) => f.warn(
            "tls.http_redirect",
            format!("{http_url} answers {} instead of redirecting to https", a.status),
            "Redirect plain http to https (BMW: BMW_HTTP_REDIRECT_ADDR=0.0.0.0:80)",
        ),
        Err(_) => notes.push(format!("{http_url}: no answer, so nothing to redirect (fine when port 80 is closed)")),
    }
}
