//! Built-in HTTPS: the server answers over TLS with a generated certificate, with Secure,
//! prefixed cookies and HSTS; bad TLS settings stop it at start.

use crate::helpers::*;
use reqwest::StatusCode;

/// A client that trusts exactly the server's self-signed certificate and reaches `bmw.test`
/// on the test's port, so the certificate's name is really checked.
fn client_for(app: &TestApp) -> reqwest::Client {
    client_trusting(&app.dir.join("tls/self-signed.crt"), "bmw.test", app.addr)
}

const SELF_SIGNED: (&str, &str) = ("BMW_TLS_SELF_SIGNED", "bmw.test, localhost");

#[tokio::test]
async fn https_with_a_self_signed_certificate_secure_cookies_and_hsts() {
    let app = spawn_with(&[SELF_SIGNED]).await;
    let client = client_for(&app);
    let origin = format!("https://bmw.test:{}", app.addr.port());
    let health = client.get(format!("{origin}/healthz")).send().await.unwrap();
    assert_eq!(health.status(), StatusCode::OK);
    assert!(health.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));

    let res = client
        .post(format!("{origin}/api/auth/signup"))
        .header("origin", &origin)
        .json(&serde_json::json!({"username": "tls", "password": PASSWORD, "email": "t@example.com", "name": "T"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED, "the public origin defaults to the first certificate name");
    for name in ["__Host-bmw_access", "__Host-bmw_refresh"] {
        let cookie = set_cookie(res.headers(), name).unwrap_or_else(|| panic!("no {name}"));
        assert!(
            cookie.contains("Secure") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"),
            "{cookie}"
        );
    }
    // Plain http on the TLS port gets no page.
    assert!(app.bare().get(app.url("/healthz")).send().await.map(|r| r.status() != StatusCode::OK).unwrap_or(true));
}

#[tokio::test]
async fn the_certificate_is_reused_across_restarts() {
    let dir = tempfile::tempdir().unwrap();
    let first = spawn_in(dir.path(), &[SELF_SIGNED]).await;
    let pem = std::fs::read(dir.path().join("tls/self-signed.crt")).unwrap();
    drop(first);
    let second = spawn_in(dir.path(), &[SELF_SIGNED]).await;
    assert_eq!(std::fs::read(dir.path().join("tls/self-signed.crt")).unwrap(), pem);
    let res = client_for(&second).get(format!("https://bmw.test:{}/healthz", second.addr.port())).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn plain_http_can_be_redirected_to_https() {
    let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let redirect_addr = probe.local_addr().unwrap();
    drop(probe);
    let redirect = redirect_addr.to_string();
    let app = spawn_with(&[SELF_SIGNED, ("BMW_HTTP_REDIRECT_ADDR", &redirect)]).await;
    let res = app.bare().get(format!("http://{redirect_addr}/account?x=1")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT);
    assert_eq!(res.headers()["location"], format!("https://bmw.test:{}/account?x=1", app.addr.port()));
}

#[tokio::test]
async fn unusable_certificate_files_stop_the_server_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let cert = dir.path().join("cert.pem");
    let key = dir.path().join("key.pem");
    std::fs::write(&cert, "not a certificate").unwrap();
    std::fs::write(&key, "not a key").unwrap();
    let (data, key) = (dir.path().join("data"), key.display().to_string());
    let refusal = |cert: &std::path::Path| {
        let cert = cert.display().to_string();
        let (data, key) = (data.clone(), key.clone());
        async move { build(&data, &[("BMW_TLS_CERT", &cert), ("BMW_TLS_KEY", &key)]).await.err().unwrap().to_string() }
    };
    let err = refusal(&cert).await;
    assert!(err.contains("TLS"), "{err}");
    let missing = dir.path().join("missing.pem");
    let err = refusal(&missing).await;
    assert!(err.starts_with("BMW_TLS_CERT") && err.contains("missing.pem"), "{err}");
}
