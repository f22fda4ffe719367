//! Server-rendered pages and server functions, as a browser without JavaScript sees them.

use crate::helpers::*;
use reqwest::StatusCode;

#[tokio::test]
async fn protected_pages_redirect_to_sign_in_and_back() {
    let app = spawn().await;
    let res = app.bare().get(app.url("/account")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(res.headers()["location"], "/signin?next=%2Faccount");

    let browser = app.browser();
    app.sign_up(&browser, "judy", PASSWORD).await;
    let page = browser.get(app.url("/account")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    assert!(page.text().await.unwrap().contains("judy"));
}

#[tokio::test]
async fn home_page_renders_and_unknown_pages_are_404() {
    let app = spawn().await;
    let home = app.bare().get(app.url("/")).send().await.unwrap();
    assert_eq!(home.status(), StatusCode::OK);
    assert!(home.text().await.unwrap().contains("Create an account"));
    let missing = app.bare().get(app.url("/no/such/page")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(missing.headers().get("x-content-type-options").unwrap(), "nosniff");
}

#[tokio::test]
async fn plain_form_sign_in_redirects_to_next_or_back_with_the_error() {
    let app = spawn().await;
    app.sign_up(&app.bare(), "ken", PASSWORD).await;
    let form = |password: &str| {
        app.bare()
            .post(app.url("/api/fn/sign_in"))
            .header("accept", "text/html")
            .header("referer", app.url("/signin?next=%2Faccount"))
            .form(&[("username", "ken"), ("password", password), ("next", "/account")])
            .send()
    };
    let ok = form(PASSWORD).await.unwrap();
    assert_eq!(ok.status(), StatusCode::FOUND);
    assert_eq!(ok.headers()["location"], "/account");
    assert!(set_cookie(ok.headers(), "bmw_access").is_some());

    let bad = form("wrong-password").await.unwrap();
    assert_eq!(bad.status(), StatusCode::FOUND);
    let location = bad.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&app.url("/signin?next=%2Faccount")) && location.contains("__err="), "{location}");
    // Following the redirect shows the message inline.
    let page = app.bare().get(&location).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Wrong username or password."), "inline error missing");
}

#[tokio::test]
async fn open_redirects_are_refused() {
    let app = spawn().await;
    app.sign_up(&app.bare(), "leo", PASSWORD).await;
    for next in ["//evil.test/", "https://evil.test/", "/\\evil.test"] {
        let res = app
            .bare()
            .post(app.url("/api/fn/sign_in"))
            .header("accept", "text/html")
            .form(&[("username", "leo"), ("password", PASSWORD), ("next", next)])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/account", "next={next}");
    }
}

#[tokio::test]
async fn server_functions_answer_hydrated_callers_with_real_statuses() {
    let app = spawn().await;
    let res = app
        .bare()
        .post(app.url("/api/fn/sign_up"))
        .form(&[("username", "x"), ("password", "short"), ("email", "no"), ("name", "")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(res).await;
    assert_eq!(body["error"], "validation");
    assert!(body["fields"]["username"].is_string());

    let res = app
        .bare()
        .post(app.url("/api/fn/sign_in"))
        .form(&[("username", "nobody"), ("password", "whatever1")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn form_redirects_never_leave_our_origins() {
    let app = spawn().await;
    app.sign_up(&app.bare(), "mia", PASSWORD).await;
    // Leptos answers a plain form post with a redirect to its Referer. The CSRF check only lets
    // through a Referer of an allowed origin, so a foreign one is refused before any redirect.
    for referer in ["http://evil.test/phish", "//evil.test/x"] {
        let res = app
            .bare()
            .post(app.url("/api/fn/sign_in"))
            .header("accept", "text/html")
            .header("referer", referer)
            .form(&[("username", "mia"), ("password", "wrong-password-1")])
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{referer}");
        assert!(res.headers().get("location").is_none(), "{referer}");
    }
    // Our own page as Referer: back to it, with the error.
    let res = app
        .form_post(&app.bare(), "sign_in", "/signin", &[("username", "mia"), ("password", "wrong-password-1")])
        .await;
    assert!(res.headers()["location"].to_str().unwrap().starts_with(&app.url("/signin?")));
}

/// The OpenAPI document is served, and the reference page shows every operation in it.
#[tokio::test]
async fn the_api_reference_page_shows_every_operation_of_the_document() {
    let app = spawn().await;
    let res = app.bare().get(app.url("/api/openapi.json")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["content-type"], "application/json");
    let doc = json_body(res).await;
    assert_eq!(doc["openapi"], "3.1.0");
    let operations: usize =
        doc["paths"].as_object().unwrap().values().map(|item| item.as_object().unwrap().len()).sum();
    assert!(operations >= 26, "{operations} operations");
    assert!(doc["paths"]["/api/bm-groups/{id}"]["patch"]["requestBody"].is_object());

    let page = app.bare().get(app.url("/docs/api")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.unwrap();
    assert_eq!(html.matches(r#"data-testid="api-op""#).count(), operations);
    assert!(html.contains(r#"id="schema-ErrorBody""#));
    assert!(html.contains(r#"href="/api/openapi.json""#), "one origin: the document is here");
}

/// `/healthz` says the process serves; `/readyz` that both databases answer too.
#[tokio::test]
async fn health_and_readiness_answer() {
    let app = spawn().await;
    for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
        let res = app.bare().get(app.url(path)).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "{path}");
        assert_eq!(res.text().await.unwrap(), body);
        // They sit before the CSRF guard, and take nothing but GET.
        let post = app.bare().post(app.url(path)).header("origin", "https://evil.test").send().await.unwrap();
        assert_eq!(post.status(), StatusCode::METHOD_NOT_ALLOWED, "{path}");
    }
}

/// A release build's hash file: pages link the hashed bundles, which are served precompressed
/// to browsers that accept it and cached for good; other files keep their usual caching.
#[tokio::test]
async fn hashed_bundles_are_linked_compressed_and_immutable() {
    let site = tempfile::tempdir().unwrap();
    let pkg = site.path().join("pkg");
    std::fs::create_dir_all(&pkg).unwrap();
    for (name, body) in [("bmw.H4sh-wasm.wasm", "wasm"), ("bmw.H4sh_js.js", "js"), ("bmw.H4shcss.css", "css")] {
        std::fs::write(pkg.join(name), body).unwrap();
    }
    std::fs::write(pkg.join("bmw.H4sh-wasm.wasm.br"), "brotli bytes").unwrap();
    std::fs::write(pkg.join("bmw.H4sh-wasm.wasm.gz"), "gzip bytes").unwrap();
    std::fs::write(pkg.join("snippet.js"), "plain").unwrap();
    let hashes = site.path().join("hash.txt");
    std::fs::write(&hashes, "js: H4sh_js\nwasm: H4sh-wasm\ncss: H4shcss\n").unwrap();
    let root = site.path().display().to_string();
    let app =
        spawn_with(&[("LEPTOS_SITE_ROOT", &root), ("LEPTOS_HASH_FILE_NAME", &hashes.display().to_string())]).await;
    let client = app.bare();

    let page = client.get(app.url("/")).send().await.unwrap().text().await.unwrap();
    for linked in ["/pkg/bmw.H4sh_js.js", "bmw.H4sh-wasm", "/pkg/bmw.H4shcss.css"] {
        assert!(page.contains(linked), "the page links {linked}");
    }
    assert!(!page.contains("/pkg/bmw.css"), "and not the unhashed stylesheet");

    let wasm = |encoding: Option<&'static str>| {
        let req = client.get(app.url("/pkg/bmw.H4sh-wasm.wasm"));
        let req = match encoding {
            Some(e) => req.header("accept-encoding", e),
            None => req,
        };
        req.send()
    };
    for (accepts, encoding, body) in [
        (Some("gzip, br"), Some("br"), "brotli bytes"),
        (Some("gzip"), Some("gzip"), "gzip bytes"),
        (None, None, "wasm"),
    ] {
        let res = wasm(accepts).await.unwrap();
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers().get("content-encoding").map(|v| v.to_str().unwrap()), encoding, "{accepts:?}");
        assert_eq!(res.headers()["cache-control"], "public, max-age=31536000, immutable", "{accepts:?}");
        assert_eq!(res.text().await.unwrap(), body, "{accepts:?}");
    }
    let other = client.get(app.url("/pkg/snippet.js")).send().await.unwrap();
    assert_eq!(other.status(), StatusCode::OK);
    assert!(other.headers().get("cache-control").is_none(), "an unhashed file is not immutable");
    let missing = client.get(app.url("/pkg/bmw.H4shcss.css.map")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_hash_file_that_does_not_fit_the_site_stops_the_start() {
    let dir = tempfile::tempdir().unwrap();
    let hashes = dir.path().join("hash.txt");
    std::fs::write(&hashes, "js = abc\n").unwrap();
    let err = build(dir.path(), &[("LEPTOS_HASH_FILE_NAME", &hashes.display().to_string())]).await.err().unwrap();
    let message = err.to_string();
    assert!(message.contains("LEPTOS_HASH_FILE_NAME") && message.contains("js = abc"), "{message}");

    // A site from another build than the hash file's.
    std::fs::write(&hashes, "js: abc\n").unwrap();
    let settings = [
        ("LEPTOS_HASH_FILE_NAME", hashes.display().to_string()),
        ("LEPTOS_SITE_ROOT", dir.path().display().to_string()),
    ];
    let settings: Vec<(&str, &str)> = settings.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let message = build(dir.path(), &settings).await.err().unwrap().to_string();
    assert!(message.contains("/pkg/bmw.abc.js") && message.contains("cargo xtask dist"), "{message}");
}
