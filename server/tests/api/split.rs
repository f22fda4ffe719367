//! Split deployment at the HTTP level: what each role serves, the API's CORS for the pages'
//! origin, the cookie per topology, and the topologies refused at start.

use crate::helpers::*;
use reqwest::StatusCode;

/// One half of a split deployment: `role` is "api" or "web".
fn split<'a>(role: &'a str, pages: &'a str, api: &'a str) -> [(&'a str, &'a str); 3] {
    [("BMW_ROLE", role), ("BMW_PUBLIC_ORIGIN", pages), ("BMW_API_ORIGIN", api)]
}

#[tokio::test]
async fn the_api_role_serves_the_api_and_sends_page_visits_to_the_pages() {
    let app = spawn_with(&split("api", "http://localhost:3000", "http://localhost:8080")).await;
    let page = app.bare().get(app.url("/account?tab=1")).send().await.unwrap();
    assert_eq!(page.status(), StatusCode::SEE_OTHER);
    assert_eq!(page.headers()["location"], "http://localhost:3000/account?tab=1");
    assert_eq!(app.sign_up(&app.bare(), "apirole", PASSWORD).await.status(), StatusCode::CREATED);
    let missing = app.bare().get(app.url("/api/nope")).send().await.unwrap();
    assert_eq!(missing.status(), StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_web_role_serves_pages_and_form_posts_but_not_the_rest_api() {
    let app = spawn_with(&split("web", "http://localhost:3000", "http://localhost:8080")).await;
    assert_eq!(app.bare().get(app.url("/")).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(app.sign_up(&app.bare(), "webrole", PASSWORD).await.status(), StatusCode::NOT_FOUND);
    let form = app
        .bare()
        .post(app.url("/api/fn/sign_up"))
        .header("origin", "http://localhost:3000")
        .header("accept", "text/html")
        .form(&[("username", "webform"), ("password", PASSWORD), ("email", "w@example.com"), ("name", "W")])
        .send()
        .await
        .unwrap();
    assert_eq!(form.status(), StatusCode::FOUND, "plain forms post to the pages' own origin");
    let html = app.bare().get(app.url("/")).send().await.unwrap().text().await.unwrap();
    assert!(
        html.contains(r#"<meta name="bmw-api-origin" content="http://localhost:8080""#),
        "the page tells the app where the API is"
    );
    let reference = app.bare().get(app.url("/docs/api")).send().await.unwrap().text().await.unwrap();
    assert!(
        reference.contains(r#"href="http://localhost:8080/api/openapi.json""#),
        "the API reference links the document where the API serves it"
    );
}

#[tokio::test]
async fn the_api_answers_the_pages_origin_with_credentials_and_exposes_what_the_app_reads() {
    let app = spawn_with(&split("api", "http://localhost:3000", "http://localhost:8080")).await;
    let res = app
        .bare()
        .post(app.url("/api/fn/current_user"))
        .header("origin", "http://localhost:3000")
        .header("content-type", "application/x-www-form-urlencoded")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let h = res.headers();
    assert_eq!(h["access-control-allow-origin"], "http://localhost:3000");
    assert_eq!(h["access-control-allow-credentials"], "true");
    let exposed = h["access-control-expose-headers"].to_str().unwrap().to_lowercase();
    for name in ["location", "serverfnredirect", "serverfnerror"] {
        assert!(exposed.contains(name), "{exposed}");
    }
    let stranger =
        app.bare().get(app.url("/api/auth/me")).header("origin", "http://localhost:3001").send().await.unwrap();
    assert!(stranger.headers().get("access-control-allow-origin").is_none());
}

#[tokio::test]
async fn sibling_hosts_share_a_domain_cookie_and_a_cross_site_api_a_partitioned_one() {
    let cases = [
        (
            "https://app.bmw.example.test",
            "https://api.bmw.example.test",
            "__Secure-bmw_access",
            &["Domain=bmw.example.test", "SameSite=Lax", "Secure"][..],
        ),
        (
            "https://bmw-app.test",
            "https://bmw-api.test",
            "__Host-bmw_access",
            &["SameSite=None", "Secure", "Partitioned"][..],
        ),
    ];
    for (pages, api, name, attributes) in cases {
        let app = spawn_with(&split("api", pages, api)).await;
        let res = app.sign_up(&app.bare(), "cookies", PASSWORD).await;
        let cookie = set_cookie(res.headers(), name).unwrap_or_else(|| panic!("no {name} for {pages} + {api}"));
        for attribute in attributes {
            assert!(cookie.contains(attribute), "{cookie} lacks {attribute}");
        }
    }
}

#[tokio::test]
async fn unworkable_topologies_are_refused_at_start_with_the_reason_and_the_fix() {
    let dir = tempfile::tempdir().unwrap();
    let refusal = |settings: Vec<(&'static str, &'static str)>| {
        let dir = dir.path().to_path_buf();
        async move { build(&dir, &settings).await.err().map(|e| e.to_string()).unwrap_or_default() }
    };
    let cross_http = refusal(split("api", "http://bmw-app.test", "http://bmw-api.test").to_vec()).await;
    assert!(cross_http.starts_with("BMW_API_ORIGIN") && cross_http.contains("Fix:"), "{cross_http}");
    let mixed = refusal(split("api", "http://app.bmw.test", "https://api.bmw.test").to_vec()).await;
    assert!(mixed.contains("same scheme"), "{mixed}");
    let lonely = refusal(vec![("BMW_ROLE", "web")]).await;
    assert!(lonely.starts_with("BMW_ROLE") && lonely.contains("BMW_API_ORIGIN"), "{lonely}");
    let path = refusal(vec![("BMW_API_ORIGIN", "https://api.bmw.test/v1")]).await;
    assert!(path.starts_with("BMW_API_ORIGIN") && path.contains("no path"), "{path}");
}

/// Review M2: the cookie's `Domain` was the whole registrable domain. Hosts that share nothing
/// narrower are refused unless the operator accepts a site-wide cookie, and then warned.
#[tokio::test]
async fn a_site_wide_cookie_domain_needs_an_explicit_yes() {
    let dir = tempfile::tempdir().unwrap();
    let settings = split("api", "https://app.bmw.test", "https://api.bmw.test");
    let refused = build(dir.path(), &settings).await.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(refused.contains("Domain=bmw.test") && refused.contains("BMW_COOKIE_SITE_WIDE"), "{refused}");
    let mut accepted = settings.to_vec();
    accepted.push(("BMW_COOKIE_SITE_WIDE", "true"));
    let app = spawn_with(&accepted).await;
    let res = app.sign_up(&app.bare(), "sitewide", PASSWORD).await;
    let cookie = set_cookie(res.headers(), "__Secure-bmw_access").expect("a cookie");
    assert!(cookie.contains("Domain=bmw.test"), "{cookie}");
}
