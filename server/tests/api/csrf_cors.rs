//! CSRF and CORS at the HTTP level: forged cross-origin requests change nothing, and only
//! exactly-allowed origins may read answers with credentials.

use crate::helpers::*;
use reqwest::StatusCode;

/// Origins that must not be able to change state, relative to the app's own origin.
fn hostile_origins(app: &TestApp) -> Vec<String> {
    let port = app.addr.port();
    vec![
        "null".into(),
        "http://evil.test".into(),
        format!("http://127.0.0.1:{port}.evil.test"),
        format!("https://127.0.0.1:{port}"),
        format!("http://127.0.0.1:{}", port + 1),
        format!("http://evil-127.0.0.1:{port}"),
    ]
}

#[tokio::test]
async fn forged_state_changes_are_refused_and_change_nothing() {
    let app = spawn().await;
    let victim = app.signed_up("victim", PASSWORD).await;
    let targets = [
        ("POST", "/api/auth/signout"),
        ("POST", "/api/fn/sign_out"),
        ("DELETE", "/api/auth/sessions"),
        ("POST", "/api/auth/refresh"),
    ];
    for origin in hostile_origins(&app) {
        for (method, path) in targets {
            let res = app
                .bare()
                .request(method.parse().unwrap(), app.url(path))
                .header("origin", &origin)
                .header("cookie", victim.cookie())
                .header("content-type", "application/x-www-form-urlencoded")
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{method} {path} from {origin}");
            assert!(res.headers().get("set-cookie").is_none(), "{method} {path} from {origin} set a cookie");
            let body = json_body(res).await;
            assert_eq!(body["error"], "csrf");
            assert!(body["message"].as_str().unwrap().len() > 10);
        }
    }
    // Nothing happened: the victim is still signed in with the very same tokens.
    assert_eq!(app.me_status(&victim.access_only()).await, StatusCode::OK);
    assert_eq!(app.refresh_status(&victim).await, StatusCode::OK);
}

#[tokio::test]
async fn cross_site_fetch_metadata_and_foreign_referers_are_refused() {
    let app = spawn().await;
    let victim = app.signed_up("meta", PASSWORD).await;
    let own = app.base.clone();
    let cases: [(&str, &str); 3] =
        [("sec-fetch-site", "cross-site"), ("referer", "http://evil.test/attack.html"), ("referer", "not a url")];
    for (name, value) in cases {
        let mut req =
            app.bare().post(app.url("/api/auth/signout")).header("cookie", victim.cookie()).header(name, value);
        if name == "sec-fetch-site" {
            req = req.header("origin", &own);
        }
        assert_eq!(req.send().await.unwrap().status(), StatusCode::FORBIDDEN, "{name}: {value}");
    }
    assert_eq!(app.me_status(&victim.access_only()).await, StatusCode::OK);
}

#[tokio::test]
async fn login_and_sign_up_forms_are_protected_too() {
    let app = spawn().await;
    app.signed_up("existing", PASSWORD).await;
    let res = app
        .bare()
        .post(app.url("/api/fn/sign_in"))
        .header("origin", "http://evil.test")
        .header("accept", "text/html")
        .form(&[("username", "existing"), ("password", PASSWORD)])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.headers().get("set-cookie").is_none(), "no login CSRF");
    let res = app
        .bare()
        .post(app.url("/api/auth/signup"))
        .header("origin", "http://evil.test")
        .json(&serde_json::json!({"username": "planted", "password": PASSWORD, "email": "p@example.com", "name": "P"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM users WHERE username = 'planted'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert_eq!(count, 0);
}

#[tokio::test]
async fn our_own_pages_and_non_browser_clients_may_change_state() {
    let app = spawn().await;
    let mut tokens = app.signed_up("own", PASSWORD).await;
    // Our origin, and its loopback alias (a browser at localhost reaches the same server).
    for origin in [app.base.clone(), format!("http://localhost:{}", app.addr.port())] {
        let res = app
            .bare()
            .post(app.url("/api/auth/refresh"))
            .header("origin", &origin)
            .header("sec-fetch-site", "same-origin")
            .header("cookie", tokens.refresh_only())
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{origin}");
        tokens = Tokens::from_headers(res.headers());
    }
    // A Referer alone, as sent when a page suppresses Origin, is checked the same way.
    let out = app
        .bare()
        .post(app.url("/api/auth/signout"))
        .header("referer", app.url("/account"))
        .header("cookie", tokens.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    // No Origin, no Referer, no fetch metadata: not a browser (see policy::csrf).
    assert_eq!(app.sign_up(&app.bare(), "scripted", PASSWORD).await.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn cors_answers_only_the_exact_allowed_origin() {
    let allowed = "http://127.0.0.1:3999";
    let app = spawn_with(&[("BMW_ALLOWED_ORIGINS", allowed)]).await;
    let preflight = |origin: String| {
        app.bare()
            .request(reqwest::Method::OPTIONS, app.url("/api/auth/me"))
            .header("origin", origin)
            .header("access-control-request-method", "GET")
            .send()
    };
    let res = preflight(allowed.into()).await.unwrap();
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], allowed);
    assert_eq!(h["access-control-allow-credentials"], "true");
    let max_age: u64 = h["access-control-max-age"].to_str().unwrap().parse().unwrap();
    assert!((1..=7200).contains(&max_age), "{max_age}");
    assert!(h.get_all("vary").iter().any(|v| v.to_str().unwrap().to_lowercase().contains("origin")));
    let methods = h["access-control-allow-methods"].to_str().unwrap().to_string();
    assert!(!methods.contains('*') && !methods.contains("PUT"), "{methods}");

    let look_alikes = [
        "null",
        "http://evil.test",
        "http://127.0.0.1:3999.evil.test",
        "https://127.0.0.1:3999",
        "http://127.0.0.1:4000",
        "http://evil-127.0.0.1:3999",
        "http://localhost:3999",
    ];
    for origin in look_alikes {
        let res = preflight(origin.into()).await.unwrap();
        assert!(res.headers().get("access-control-allow-origin").is_none(), "preflight from {origin}");
        let simple = app.bare().get(app.url("/api/auth/me")).header("origin", origin).send().await.unwrap();
        assert!(simple.headers().get("access-control-allow-origin").is_none(), "GET from {origin}");
    }
    // The allowed origin may also change state (CSRF allowlist follows the CORS list).
    let tokens = app.signed_up("corsuser", PASSWORD).await;
    let res = app
        .bare()
        .post(app.url("/api/auth/signout"))
        .header("origin", allowed)
        .header("cookie", tokens.cookie())
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::NO_CONTENT);
}

#[tokio::test]
async fn a_single_origin_app_offers_cors_to_nobody() {
    let app = spawn().await;
    let res = app.bare().get(app.url("/api/auth/me")).header("origin", app.base.clone()).send().await.unwrap();
    assert!(res.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn a_cross_site_pair_over_http_is_refused_at_start_with_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let settings = [("BMW_PUBLIC_ORIGIN", "http://app.test:3000"), ("BMW_ALLOWED_ORIGINS", "http://other.test:8080")];
    let err = build(dir.path(), &settings).await.err().expect("refused").to_string();
    assert!(err.starts_with("BMW_ALLOWED_ORIGINS: http://other.test:8080 is cross-site"), "{err}");
    assert!(err.contains("Fix:"), "{err}");
}
