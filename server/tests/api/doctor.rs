//! `bmw doctor --check`: a deliberately misconfigured server makes each classic mistake once,
//! and the doctor must name each with its fix; BMW itself passes in all five topologies.

use crate::helpers::*;
use app::doctor::model::{CheckReport, Status};
use app::ssr::web_policy::origin::Origin;
use axum::Router;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum_server::tls_rustls::RustlsConfig;
use rustls::pki_types::CertificateDer;
use rustls::pki_types::pem::PemObject;
use server::doctor::check::{self, SignIn, Target};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::Path;

const LOOPBACK: IpAddr = IpAddr::V4(Ipv4Addr::LOCALHOST);
/// The pages of the misconfigured deployment: another site than its API.
const PAGE: &str = "https://app.other.test";

/// One classic mistake per path; everything else about the answer is right.
async fn misconfigured(method: Method, uri: Uri, headers: HeaderMap) -> Response {
    let origin = headers.get("origin").and_then(|o| o.to_str().ok()).unwrap_or_default().to_string();
    let mistake = uri.path().trim_start_matches('/').to_string();
    let allowed = origin == PAGE || (mistake == "null" && origin == "null");
    let mut h = HeaderMap::new();
    let mut set = |name: &'static str, value: &str| {
        h.insert(name, HeaderValue::from_str(value).expect("a header value"));
    };
    match mistake.as_str() {
        "wildcard" => set("access-control-allow-origin", "*"),
        "reflect" => set("access-control-allow-origin", &origin),
        _ if allowed => set("access-control-allow-origin", &origin),
        _ => {}
    }
    set("access-control-allow-credentials", "true");
    set("access-control-allow-methods", "GET, POST");
    set("access-control-allow-headers", "content-type");
    if mistake != "no-vary" {
        set("vary", "origin");
    }
    if mistake != "location" {
        set("access-control-expose-headers", "location");
    }
    let cookie = match mistake.as_str() {
        "none-insecure" => Some("s=1; Path=/; HttpOnly; SameSite=None"),
        "unpartitioned" => Some("s=1; Path=/; HttpOnly; Secure; SameSite=None"),
        "public-suffix" => Some("s=1; Path=/; HttpOnly; SameSite=Lax; Domain=github.io"),
        _ => None,
    };
    if let Some(cookie) = cookie {
        set("set-cookie", cookie);
    }
    if method == Method::OPTIONS {
        return (StatusCode::NO_CONTENT, h).into_response();
    }
    if mistake == "location" {
        set("location", "/things/1");
        return (StatusCode::CREATED, h).into_response();
    }
    (StatusCode::OK, h, "ok").into_response()
}

fn router() -> Router {
    Router::new().fallback(misconfigured)
}

async fn serve_http() -> SocketAddr {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router()).await });
    addr
}

/// The misconfigured server over TLS with `cert`; returns its address.
async fn serve_https(cert: &rcgen::Certificate, key: &rcgen::KeyPair) -> SocketAddr {
    server::tls::install_crypto_provider();
    let tls = RustlsConfig::from_pem(cert.pem().into_bytes(), key.serialize_pem().into_bytes()).await.unwrap();
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    listener.set_nonblocking(true).unwrap();
    let addr = listener.local_addr().unwrap();
    let server = axum_server::from_tcp_rustls(listener, tls).unwrap();
    tokio::spawn(async move { server.serve(router().into_make_service()).await });
    addr
}

/// A self-signed certificate for `name`, expired if asked.
fn certificate(name: &str, expired: bool) -> (rcgen::Certificate, rcgen::KeyPair) {
    let mut params = rcgen::CertificateParams::new(vec![name.to_string()]).unwrap();
    if expired {
        params.not_before = rcgen::date_time_ymd(2020, 1, 1);
        params.not_after = rcgen::date_time_ymd(2021, 1, 1);
    }
    let key = rcgen::KeyPair::generate().unwrap();
    (params.self_signed(&key).unwrap(), key)
}

fn der(cert: &rcgen::Certificate) -> CertificateDer<'static> {
    cert.der().clone()
}

fn target(page: &str, api: &str, path: &str) -> Target {
    Target {
        page: Origin::parse(page).unwrap(),
        api: Origin::parse(api).unwrap(),
        path: path.into(),
        method: Method::GET,
        signin: None,
        ca_certs: vec![],
        resolve: vec![],
    }
}

fn status_of(report: &CheckReport, id: &str) -> Option<Status> {
    report.findings.iter().find(|f| f.id == id).map(|f| f.status)
}

/// The finding `id` has `status` and, unless it passes, a fix that mentions `fix`.
fn assert_finding(report: &CheckReport, id: &str, status: Status, fix: &str) {
    let finding = report.findings.iter().find(|f| f.id == id && f.status == status);
    let finding = finding.unwrap_or_else(|| panic!("no {id} {status:?} in {:#?}", report.findings));
    if status != Status::Pass {
        let text = finding.fix.as_deref().unwrap_or_default();
        assert!(text.contains(fix), "{id}: fix {text:?} lacks {fix:?}");
    }
}

#[tokio::test]
async fn each_classic_cors_and_cookie_mistake_is_named_with_its_fix() {
    let (cert, key) = certificate("api.doctor.test", false);
    let https = serve_https(&cert, &key).await;
    let http = serve_http().await;
    let api = format!("https://api.doctor.test:{}", https.port());
    let run = |path: &str, method: Method| {
        let mut t = target(PAGE, &api, path);
        t.method = method;
        t.ca_certs = vec![der(&cert)];
        t.resolve = vec![("api.doctor.test".into(), LOOPBACK)];
        async move { check::run(&t).await }
    };

    let good = run("/fine", Method::GET).await;
    for id in ["tls.certificate", "cors.preflight", "cors.allow_origin", "cors.allow_credentials", "cors.vary_origin"] {
        assert_eq!(status_of(&good, id), Some(Status::Pass), "{id}: {:#?}", good.findings);
    }
    assert_eq!(status_of(&good, "cors.reflection"), Some(Status::Pass));
    assert_eq!(status_of(&good, "cors.null_origin"), Some(Status::Pass));
    assert!(!good.failed(), "{:#?}", good.findings);

    let report = run("/wildcard", Method::GET).await;
    assert_finding(&report, "cors.wildcard", Status::Fail, &format!("Access-Control-Allow-Origin: {PAGE}"));
    assert!(report.failed());
    assert_finding(&run("/reflect", Method::GET).await, "cors.reflection", Status::Fail, "exact allowlist");
    assert_finding(&run("/null", Method::GET).await, "cors.null_origin", Status::Fail, "Remove `null`");
    assert_finding(&run("/no-vary", Method::GET).await, "cors.vary_origin", Status::Warn, "Vary: Origin");
    assert_finding(
        &run("/none-insecure", Method::GET).await,
        "cookie.samesite_none_insecure",
        Status::Fail,
        "Add Secure",
    );
    assert_finding(
        &run("/unpartitioned", Method::GET).await,
        "cookie.cross_site_unpartitioned",
        Status::Fail,
        "Partitioned",
    );
    let location = run("/location", Method::POST).await;
    assert_finding(&location, "cors.expose_location", Status::Warn, "Access-Control-Expose-Headers: Location");
    assert_eq!(status_of(&location, "cors.preflight"), Some(Status::Pass), "the preflight asked for POST");

    // Domain=github.io, from bmw.github.io: a public suffix.
    let mut t = target("http://bmw.github.io:3000", &format!("http://bmw.github.io:{}", http.port()), "/public-suffix");
    t.resolve = vec![("bmw.github.io".into(), LOOPBACK)];
    assert_finding(&check::run(&t).await, "cookie.domain_public_suffix", Status::Fail, "Drop Domain");

    // https pages calling an http API.
    let mixed = check::run(&target(PAGE, &format!("http://127.0.0.1:{}", http.port()), "/fine")).await;
    assert_finding(&mixed, "mixed_content", Status::Fail, "Serve the API over https");
}

#[tokio::test]
async fn bad_certificates_are_named_self_signed_expired_or_for_another_name() {
    let cases = [
        ("api.doctor.test", false, false, "tls.self_signed", "trust the certificate"),
        ("api.doctor.test", true, true, "tls.expired", "Renew"),
        ("other.doctor.test", false, true, "tls.wrong_name", "for api.doctor.test"),
    ];
    for (name, expired, trusted, id, fix) in cases {
        let (cert, key) = certificate(name, expired);
        let addr = serve_https(&cert, &key).await;
        let mut t = target(PAGE, &format!("https://api.doctor.test:{}", addr.port()), "/fine");
        t.resolve = vec![("api.doctor.test".into(), LOOPBACK)];
        if trusted {
            t.ca_certs = vec![der(&cert)];
        }
        let report = check::run(&t).await;
        assert_finding(&report, id, Status::Fail, fix);
        assert!(report.failed());
        assert_eq!(status_of(&report, "cors.allow_origin"), Some(Status::Pass), "the other checks still ran");
    }
}

/// Signs `user` up on the API at `api` (reached at `addr`, trusting `ca` when https).
async fn sign_up_at(api: &str, addr: SocketAddr, ca: Option<&Path>, user: &str) {
    let host = Origin::parse(api).unwrap().host().to_string();
    let client = match ca {
        Some(pem) => client_trusting(pem, &host, addr),
        None => reqwest::Client::builder().resolve(&host, addr).build().unwrap(),
    };
    let body = serde_json::json!({"username": user, "password": PASSWORD, "email": format!("{user}@example.com"), "name": "D"});
    let res = client.post(format!("{api}/api/auth/signup")).json(&body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "sign-up at {api}");
}

/// A BMW deployment: name, settings, pages' origin (empty: the API's), API host, https.
type Topology = (&'static str, Vec<(&'static str, &'static str)>, &'static str, &'static str, bool);

/// BMW passes its own doctor, signed in, in every topology it supports.
#[tokio::test]
async fn bmw_passes_in_all_five_topologies() {
    let self_signed = |names: &'static str| ("BMW_TLS_SELF_SIGNED", names);
    let split = |pages: &'static str, api: &'static str| {
        vec![("BMW_ROLE", "api"), ("BMW_PUBLIC_ORIGIN", pages), ("BMW_API_ORIGIN", api)]
    };
    // (name, settings, pages (empty: the API's origin), API host, https)
    let topologies: Vec<Topology> = vec![
        ("single http", vec![], "", "127.0.0.1", false),
        ("single https", vec![self_signed("bmw.test")], "", "bmw.test", true),
        (
            "split ports",
            split("http://localhost:3000", "http://localhost:8080"),
            "http://localhost:3000",
            "localhost",
            false,
        ),
        (
            "split subdomains",
            [
                split("https://app.bmw.example.test", "https://api.bmw.example.test"),
                vec![self_signed("api.bmw.example.test")],
            ]
            .concat(),
            "https://app.bmw.example.test",
            "api.bmw.example.test",
            true,
        ),
        (
            "split cross-site",
            [split("https://bmw-app.test", "https://bmw-api.test"), vec![self_signed("bmw-api.test")]].concat(),
            "https://bmw-app.test",
            "bmw-api.test",
            true,
        ),
    ];
    for (name, settings, pages, host, https) in topologies {
        let app = spawn_with(&settings).await;
        let scheme = if https { "https" } else { "http" };
        let api = format!("{scheme}://{host}:{}", app.addr.port());
        let pem = app.dir.join("tls/self-signed.crt");
        sign_up_at(&api, app.addr, https.then_some(pem.as_path()), "doctor").await;
        let mut t = target(if pages.is_empty() { &api } else { pages }, &api, "/api/auth/me");
        t.resolve = vec![(host.to_string(), LOOPBACK)];
        t.signin =
            Some(SignIn { path: "/api/auth/signin".into(), username: "doctor".into(), password: PASSWORD.into() });
        if https {
            t.ca_certs = CertificateDer::pem_file_iter(&pem).unwrap().map(Result::unwrap).collect();
        }
        let report = check::run(&t).await;
        assert!(!report.failed(), "{name}: {:#?}", report.findings);
        assert_eq!(status_of(&report, "signin"), Some(Status::Pass), "{name}");
        let cookies = report.findings.iter().filter(|f| f.id == "cookie.attributes" && f.status == Status::Pass);
        assert_eq!(
            cookies.count(),
            3,
            "{name}: both session cookies and the device cookie fit: {:#?}",
            report.findings
        );
        if https {
            assert_eq!(status_of(&report, "tls.certificate"), Some(Status::Pass), "{name}");
            assert_eq!(status_of(&report, "tls.hsts"), Some(Status::Pass), "{name}");
        }
        if !pages.is_empty() {
            assert_eq!(status_of(&report, "cors.preflight"), Some(Status::Pass), "{name}");
            assert_eq!(status_of(&report, "cors.allow_origin"), Some(Status::Pass), "{name}");
        }
    }
}

/// The command itself: exit statuses, JSON, and the offline verdict.
#[tokio::test]
async fn the_command_exits_with_the_verdict_and_speaks_json() {
    let http = serve_http().await;
    let dir = tempfile::tempdir().unwrap();
    // Async, so the misconfigured server on this test's runtime can answer meanwhile.
    let bmw = async |args: &[&str]| {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_bmw"))
            .arg("doctor")
            .args(args)
            .current_dir(dir.path())
            .env_clear()
            .env("RUST_LOG", "off")
            .output()
            .await
            .unwrap();
        (
            out.status.code(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let api = format!("http://127.0.0.1:{}", http.port());
    let (code, stdout, _) =
        bmw(&["--check", "http://localhost:3000", "--api", &api, "--path", "/wildcard", "--json"]).await;
    assert_eq!(code, Some(1));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().iter().any(|f| f["id"] == "cors.wildcard" && f["status"] == "fail"));

    let (code, _, stderr) = bmw(&["--check", "localhost:3000"]).await;
    assert_eq!(code, Some(2), "{stderr}");
    assert!(stderr.contains("no scheme"), "{stderr}");

    let (code, stdout, _) =
        bmw(&["--public-origin", "http://localhost:3000", "--api-origin", "http://localhost:8080"]).await;
    assert_eq!(code, Some(0));
    assert!(stdout.contains("Relation: SAME SITE") && stdout.contains("SameSite     Lax"), "{stdout}");
    let (code, stdout, _) =
        bmw(&["--public-origin", "http://bmw-app.test", "--api-origin", "http://bmw-api.test", "--json"]).await;
    assert_eq!(code, Some(1));
    let verdict: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(verdict["relation"], "cross-site");
    assert!(verdict["refusal"].as_str().unwrap().contains("Fix:"));
}
