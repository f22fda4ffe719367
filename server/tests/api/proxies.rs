//! Trusted reverse proxies (`BMW_TRUSTED_PROXIES`): the client's address comes from
//! `X-Forwarded-For` only when the peer is a trusted proxy, and everything keyed by address
//! (sessions, throttles) uses the resolved one.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::json;

async fn sign_up_via(app: &TestApp, forwarded_for: &str, username: &str) -> reqwest::Response {
    app.bare()
        .post(app.url("/api/auth/signup"))
        .header("x-forwarded-for", forwarded_for)
        .json(&json!({"username": username, "password": PASSWORD, "email": format!("{username}@example.com"), "name": "P"}))
        .send()
        .await
        .unwrap()
}

async fn recorded_address(app: &TestApp, forwarded_for: &str, username: &str) -> String {
    let res = sign_up_via(app, forwarded_for, username).await;
    assert_eq!(res.status(), StatusCode::CREATED);
    let tokens = Tokens::from_headers(res.headers());
    app.sessions(&tokens).await[0]["ip"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn behind_a_trusted_proxy_the_client_is_the_hop_the_proxy_added() {
    let app = spawn_with(&[("BMW_TRUSTED_PROXIES", "127.0.0.1")]).await;
    assert_eq!(recorded_address(&app, "203.0.113.7", "first").await, "203.0.113.7");
    // What a client writes itself is left of the proxy's hop and never read.
    assert_eq!(recorded_address(&app, "1.1.1.1, 203.0.113.9", "second").await, "203.0.113.9");
    assert_eq!(recorded_address(&app, "not-an-address", "third").await, "127.0.0.1");
}

#[tokio::test]
async fn from_a_peer_that_is_not_a_trusted_proxy_forwarded_headers_are_ignored() {
    let app = spawn_with(&[("BMW_TRUSTED_PROXIES", "10.0.0.0/8")]).await;
    assert_eq!(recorded_address(&app, "203.0.113.7", "first").await, "127.0.0.1");
}

/// Two clients behind one proxy are two addresses to the throttles; without the proxy trusted
/// they are one, whatever they claim.
#[tokio::test]
async fn throttles_count_per_client_behind_a_trusted_proxy() {
    for (trusted, second_client) in [(true, StatusCode::CREATED), (false, StatusCode::TOO_MANY_REQUESTS)] {
        let mut settings = vec![("BMW_SIGN_UPS_PER_ADDRESS", "2")];
        if trusted {
            settings.push(("BMW_TRUSTED_PROXIES", "127.0.0.0/8"));
        }
        let app = spawn_with(&settings).await;
        for name in ["ann1", "ann2"] {
            assert_eq!(sign_up_via(&app, "198.51.100.1", name).await.status(), StatusCode::CREATED);
        }
        assert_eq!(sign_up_via(&app, "198.51.100.1", "ann3").await.status(), StatusCode::TOO_MANY_REQUESTS);
        assert_eq!(sign_up_via(&app, "198.51.100.2", "bob1").await.status(), second_client, "trusted: {trusted}");
    }
}

#[tokio::test]
async fn trusting_every_address_is_refused_at_start_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    let err = build(dir.path(), &[("BMW_TRUSTED_PROXIES", "0.0.0.0/0")]).await.err().expect("refused");
    let message = err.to_string();
    assert!(message.contains("BMW_TRUSTED_PROXIES") && message.contains("every address"), "{message}");
}
