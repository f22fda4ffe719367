//! The REST auth API against the real server: status codes, bodies, cookies, storage.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn sign_up_returns_201_with_the_user_and_signs_in() {
    let app = spawn().await;
    let browser = app.browser();
    let res = app.sign_up(&browser, "Alice", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    assert!(set_cookie(res.headers(), "bmw_access").is_some());
    assert!(set_cookie(res.headers(), "bmw_refresh").is_some());
    let body = json_body(res).await;
    assert_eq!(body["user"]["username"], "alice", "usernames are stored lower-cased");
    assert_eq!(body["user"]["email"], "Alice@example.com");
    assert!(body["user"].get("password_hash").is_none());

    let me = browser.get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK);
    assert_eq!(json_body(me).await["user"]["username"], "alice");
}

#[tokio::test]
async fn sign_up_reports_every_invalid_field_with_422() {
    let app = spawn().await;
    let res = app
        .bare()
        .post(app.url("/api/auth/signup"))
        .json(&json!({"username": "a!", "password": "short", "email": "not-an-email", "name": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let body = json_body(res).await;
    assert_eq!(body["error"], "validation");
    for field in ["username", "password", "email", "name"] {
        assert!(body["fields"][field].is_string(), "no message for {field}: {body}");
    }
}

#[tokio::test]
async fn missing_properties_are_field_errors_not_malformed_bodies() {
    let app = spawn().await;
    let res = app.bare().post(app.url("/api/auth/signup")).json(&json!({})).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(json_body(res).await["fields"].as_object().unwrap().len(), 4);
}

#[tokio::test]
async fn passwords_over_128_characters_are_refused_never_truncated() {
    let app = spawn().await;
    let res = app.sign_up(&app.bare(), "longpw", &"p".repeat(129)).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(res).await["fields"]["password"].is_string());
    let ok = app.sign_up(&app.bare(), "longpw", &"p".repeat(128)).await;
    assert_eq!(ok.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn malformed_bodies_get_400_and_wrong_content_type_415() {
    let app = spawn().await;
    let client = app.bare();
    let send = |body: &'static str, content_type: &'static str| {
        client.post(app.url("/api/auth/signup")).header("content-type", content_type).body(body).send()
    };
    let res = send("{not json", "application/json").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let body = json_body(res).await;
    assert_eq!(body["error"], "bad_request");
    assert!(body["message"].as_str().unwrap().len() > 10);

    let res = send(r#"{"username": 42}"#, "application/json").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);

    // serde reads a struct from an array too; the API takes objects only (found by schemathesis).
    let res = send(r#"["bob", "pw"]"#, "application/json").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(json_body(res).await["message"], "The request body must be a JSON object.");
    let res = send(r#" {"username": "x"}"#, "application/problem+json; charset=utf-8").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "a +json type is JSON");

    let res = send("username=a", "application/x-www-form-urlencoded").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(json_body(res).await["error"], "unsupported_media_type");
}

#[tokio::test]
async fn taken_usernames_get_409_whatever_their_case() {
    let app = spawn().await;
    assert_eq!(app.sign_up(&app.bare(), "bob", PASSWORD).await.status(), StatusCode::CREATED);
    let res = app.sign_up(&app.bare(), "BOB", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body = json_body(res).await;
    assert_eq!(body["error"], "conflict");
    assert!(body["fields"]["username"].is_string());
}

#[tokio::test]
async fn sign_in_succeeds_with_200_and_fails_with_401() {
    let app = spawn().await;
    app.sign_up(&app.bare(), "carol", PASSWORD).await;
    let browser = app.browser();
    let res = browser
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "Carol", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(set_cookie(res.headers(), "bmw_access").is_some());
    assert_eq!(json_body(res).await["user"]["username"], "carol");

    let wrong = app
        .bare()
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "carol", "password": "not-the-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(set_cookie(wrong.headers(), "bmw_access").is_none());
    let wrong_body = json_body(wrong).await;

    let unknown = app
        .bare()
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "nobody", "password": "not-the-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_body(unknown).await, wrong_body, "unknown users must be indistinguishable");
}

#[tokio::test]
async fn me_without_a_session_is_401() {
    let app = spawn().await;
    let res = app.bare().get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(json_body(res).await["error"], "unauthorized");
    assert_eq!(app.me_status("bmw_access=eyJhbGciOiJub25lIn0.e30.").await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cookies_are_httponly_lax_and_unprefixed_over_http() {
    let app = spawn().await;
    let res = app.sign_up(&app.bare(), "dave", PASSWORD).await;
    assert_eq!(res.headers().get("cache-control").unwrap(), "no-store");
    for (name, max_age) in [("bmw_access", "Max-Age=900"), ("bmw_refresh", "Max-Age=2592000")] {
        let cookie = set_cookie(res.headers(), name).unwrap_or_else(|| panic!("no {name} cookie"));
        for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", max_age] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(!cookie.contains("Secure") && !cookie.contains("Domain"), "{cookie}");
    }
}

#[tokio::test]
async fn cookies_are_secure_and_host_prefixed_when_the_public_origin_is_https() {
    let app = spawn_with(&[("BMW_PUBLIC_ORIGIN", "https://bmw.test")]).await;
    let res = app.sign_up(&app.bare(), "erin", PASSWORD).await;
    for name in ["__Host-bmw_access", "__Host-bmw_refresh"] {
        let cookie = set_cookie(res.headers(), name).unwrap_or_else(|| panic!("no {name} cookie"));
        for attribute in ["HttpOnly", "Secure", "SameSite=Lax", "Path=/"] {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
        assert!(!cookie.contains("Domain"), "__Host- cookies cannot have a Domain: {cookie}");
    }
}

#[tokio::test]
async fn passwords_are_stored_as_owasp_argon2id_hashes_only() {
    let app = spawn().await;
    let password = "UniquePlaintextMarker-93751";
    app.sign_up(&app.bare(), "frank", password).await;

    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'frank'")
        .fetch_one(&app.db().await)
        .await
        .unwrap();
    assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{hash}");

    // Every byte on disk: the database, its write-ahead log and shared memory.
    let mut checked = 0;
    for entry in std::fs::read_dir(&app.dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            !bytes.windows(password.len()).any(|w| w == password.as_bytes()),
            "plaintext password found in {}",
            path.display()
        );
        checked += bytes.len();
    }
    assert!(checked > 4096, "expected database files to check, found {checked} bytes");
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_transparently() {
    let app = spawn_with(&[("BMW_ACCESS_TTL_SECS", "1")]).await;
    let browser = app.browser();
    let signed_up = app.sign_up(&browser, "grace", PASSWORD).await;
    let first_refresh = cookie_value(signed_up.headers(), "bmw_refresh").unwrap();
    // Past the 1 s access token's lifetime and the clock-skew leeway, by the server's clock.
    let expired = std::time::Duration::from_secs(1 + app::auth::ssr::tokens::LEEWAY_SECS + 1);
    app.advance(expired);
    let me = browser.get(app.url("/api/auth/me")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::OK, "an active user must not be signed out");
    assert!(cookie_value(me.headers(), "bmw_access").is_some(), "a new access token is set");
    let rotated = cookie_value(me.headers(), "bmw_refresh").expect("a new refresh token is set");
    assert_ne!(rotated, first_refresh);
    assert_eq!(json_body(me).await["user"]["username"], "grace");

    // Pages refresh too: the home page greets the user after another expiry.
    app.advance(expired);
    let page = browser.get(app.url("/")).send().await.unwrap();
    assert!(cookie_value(page.headers(), "bmw_access").is_some());
    let html = page.text().await.unwrap();
    assert!(html.contains("Test User") && html.contains("Hello, "), "{html}");
}

#[tokio::test]
async fn refresh_rotates_the_token_on_every_use() {
    let app = spawn().await;
    let res = app.sign_up(&app.bare(), "heidi", PASSWORD).await;
    let original = cookie_value(res.headers(), "bmw_refresh").unwrap();
    let refresh = |token: String| {
        app.bare().post(app.url("/api/auth/refresh")).header("cookie", format!("bmw_refresh={token}")).send()
    };

    let rotated = refresh(original.clone()).await.unwrap();
    assert_eq!(rotated.status(), StatusCode::OK);
    let next = cookie_value(rotated.headers(), "bmw_refresh").unwrap();
    assert_ne!(next, original, "every refresh issues a new token");
    assert!(cookie_value(rotated.headers(), "bmw_access").is_some());
    assert_eq!(json_body(rotated).await["user"]["username"], "heidi");

    // The new token works in turn (reuse of old ones: see the attack suite).
    assert_eq!(refresh(next).await.unwrap().status(), StatusCode::OK);
}

#[tokio::test]
async fn sign_out_revokes_the_session_and_clears_cookies_with_their_attributes() {
    let app = spawn().await;
    let res = app.sign_up(&app.bare(), "ivan", PASSWORD).await;
    let access = cookie_value(res.headers(), "bmw_access").unwrap();
    let refresh = cookie_value(res.headers(), "bmw_refresh").unwrap();
    let cookies = format!("bmw_access={access}; bmw_refresh={refresh}");

    let out = app.bare().post(app.url("/api/auth/signout")).header("cookie", &cookies).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    for name in ["bmw_access", "bmw_refresh"] {
        let cleared = set_cookie(out.headers(), name).unwrap();
        for attribute in ["Max-Age=0", "HttpOnly", "SameSite=Lax", "Path=/"] {
            assert!(cleared.contains(attribute), "{cleared} lacks {attribute}");
        }
        assert!(cleared.starts_with(&format!("{name}=;")), "{cleared}");
    }

    let replay = app
        .bare()
        .post(app.url("/api/auth/refresh"))
        .header("cookie", format!("bmw_refresh={refresh}"))
        .send()
        .await
        .unwrap();
    assert_eq!(replay.status(), StatusCode::UNAUTHORIZED, "refresh token must die with the session");
    let me =
        app.bare().get(app.url("/api/auth/me")).header("cookie", format!("bmw_access={access}")).send().await.unwrap();
    assert_eq!(me.status(), StatusCode::UNAUTHORIZED, "the access token dies with the session too");
}

#[tokio::test]
async fn no_state_changes_on_get_and_unknown_api_paths_are_json_404() {
    let app = spawn().await;
    let get_signout = app.bare().get(app.url("/api/auth/signout")).send().await.unwrap();
    assert_eq!(get_signout.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(json_body(get_signout).await["error"], "method_not_allowed");
    let missing = app.bare().get(app.url("/api/nope")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
    assert_eq!(json_body(missing).await["error"], "not_found");
}

#[tokio::test]
async fn healthz_answers_200() {
    let app = spawn().await;
    let res = app.bare().get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers().get("x-content-type-options").unwrap(), "nosniff");
}
