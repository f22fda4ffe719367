//! The attack suite: each test is one attack on the real server, which must fail.

use crate::helpers::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header, encode};
use reqwest::StatusCode;
use serde_json::{Value, json};
use std::time::{Duration, Instant};

const SECRET: &str = "an-integration-test-key-of-more-than-32-bytes";

const WITH_SECRET: Settings<'static> = &[("BMW_JWT_SECRET", SECRET)];

fn kid(secret: &str) -> String {
    app::ssr::crypto::sha256_hex(secret)[..16].to_string()
}

/// Signs `claims` as an attacker would, with full control of header and key.
fn forge(claims: &Value, alg: Algorithm, key: &str, kid_value: Option<String>, typ: &str) -> String {
    let mut header = Header::new(alg);
    header.typ = Some(typ.into());
    header.kid = kid_value;
    encode(&header, claims, &EncodingKey::from_secret(key.as_bytes())).unwrap()
}

fn now() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs()
}

/// Valid claims for `tokens`' session, to be corrupted one way at a time.
fn claims_of(tokens: &Tokens) -> Value {
    let real = tokens.claims();
    json!({"sub": real["sub"], "sid": real["sid"], "iss": "bmw", "aud": "bmw", "iat": now(), "exp": now() + 600})
}

async fn me_with_access(app: &TestApp, token: &str) -> StatusCode {
    app.me_status(&format!("bmw_access={token}")).await
}

#[tokio::test]
async fn the_forging_harness_itself_produces_accepted_tokens() {
    // Without this control, every "rejected" below could be rejected for a harness bug.
    let app = spawn_with(WITH_SECRET).await;
    let tokens = app.signed_up("control", PASSWORD).await;
    let token = forge(&claims_of(&tokens), Algorithm::HS256, SECRET, Some(kid(SECRET)), "at+jwt");
    assert_eq!(me_with_access(&app, &token).await, StatusCode::OK);
}

#[tokio::test]
async fn forged_tokens_are_all_rejected() {
    let app = spawn_with(WITH_SECRET).await;
    let tokens = app.signed_up("victim", PASSWORD).await;
    let good = claims_of(&tokens);
    let k = || Some(kid(SECRET));
    // Our key, algorithm, kid and type, over claims changed by `change`.
    let signed = |change: &dyn Fn(&mut serde_json::Map<String, Value>)| {
        let mut claims = good.clone();
        change(claims.as_object_mut().unwrap());
        forge(&claims, Algorithm::HS256, SECRET, k(), "at+jwt")
    };
    let without = |claim: &'static str| signed(&move |c| drop(c.remove(claim)));
    let set = |claim: &'static str, value: Value| signed(&move |c| drop(c.insert(claim.into(), value.clone())));
    let none_alg = {
        use base64::Engine;
        let b64 = |v: &Value| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(v.to_string());
        format!("{}.{}.", b64(&json!({"alg": "none", "typ": "at+jwt", "kid": kid(SECRET)})), b64(&good))
    };
    let cases: Vec<(&str, String)> = vec![
        ("alg none", none_alg),
        ("HS512 with the right key", forge(&good, Algorithm::HS512, SECRET, k(), "at+jwt")),
        ("wrong key", forge(&good, Algorithm::HS256, "another-key-that-is-also-long-enough!!", k(), "at+jwt")),
        ("expired", set("exp", json!(now() - 60))),
        ("exp as a string", set("exp", json!((now() + 600).to_string()))),
        ("missing iss", without("iss")),
        ("wrong iss", set("iss", json!("evil"))),
        ("missing aud", without("aud")),
        ("wrong aud", set("aud", json!("other-app"))),
        ("missing sid", without("sid")),
        ("sid as a number", set("sid", json!(7))),
        ("missing iat", without("iat")),
        ("unknown kid", forge(&good, Algorithm::HS256, SECRET, Some("0123456789abcdef".into()), "at+jwt")),
        ("no kid", forge(&good, Algorithm::HS256, SECRET, None, "at+jwt")),
        ("not an access token (typ JWT)", forge(&good, Algorithm::HS256, SECRET, k(), "JWT")),
    ];
    // The same helpers with no change produce an accepted token, so each refusal is meaningful.
    assert_eq!(me_with_access(&app, &signed(&|_| ())).await, StatusCode::OK);
    for (name, token) in cases {
        assert_eq!(me_with_access(&app, &token).await, StatusCode::UNAUTHORIZED, "{name} was accepted");
    }
}

#[tokio::test]
async fn a_token_signed_with_a_previous_key_works_until_that_key_is_removed() {
    let dir = tempfile::tempdir().unwrap();
    let old_key = "the-old-key-that-is-being-rotated-out-now";
    let new_key = "the-new-key-that-replaces-the-old-one-today";
    let first = spawn_in(dir.path(), &[("BMW_JWT_SECRET", old_key)]).await;
    let tokens = first.signed_up("rotator", PASSWORD).await;
    drop(first);

    let previous = format!("{old_key}, ");
    let second = spawn_in(dir.path(), &[("BMW_JWT_SECRET", new_key), ("BMW_JWT_PREVIOUS_SECRETS", &previous)]).await;
    assert_eq!(second.me_status(&tokens.access_only()).await, StatusCode::OK, "old key still accepted");
    drop(second);

    let third = spawn_in(dir.path(), &[("BMW_JWT_SECRET", new_key)]).await;
    assert_eq!(third.me_status(&tokens.access_only()).await, StatusCode::UNAUTHORIZED, "old key removed");
}

/// The grace window for replays of a spent refresh token (`startup::REFRESH_GRACE`).
const GRACE: Duration = Duration::from_secs(10);

#[tokio::test]
async fn refresh_token_reuse_revokes_the_whole_session() {
    let app = spawn().await;
    let original = app.signed_up("reuse", PASSWORD).await;
    let res =
        app.bare().post(app.url("/api/auth/refresh")).header("cookie", original.refresh_only()).send().await.unwrap();
    let rotated = Tokens::from_headers(res.headers());
    // A replay inside the grace window is a race between tabs; after it, a theft.
    assert_eq!(app.refresh_status(&original).await, StatusCode::OK);
    app.advance(GRACE + Duration::from_secs(1));
    assert_eq!(app.refresh_status(&original).await, StatusCode::UNAUTHORIZED);
    assert_eq!(app.refresh_status(&rotated).await, StatusCode::UNAUTHORIZED, "newest refresh token revoked");
    assert_eq!(app.me_status(&rotated.access_only()).await, StatusCode::UNAUTHORIZED, "access token revoked at once");
}

#[tokio::test]
async fn two_tabs_refreshing_at_once_both_stay_signed_in() {
    let app = spawn().await;
    let tokens = app.signed_up("twotabs", PASSWORD).await;
    let (a, b) = tokio::join!(app.refresh_status(&tokens), app.refresh_status(&tokens));
    assert_eq!((a, b), (StatusCode::OK, StatusCode::OK));
    assert_eq!(app.me_status(&tokens.access_only()).await, StatusCode::OK, "the session survives");
}

/// Review L1: a third parallel refresh used to revoke the session (restored tabs, a page's
/// parallel calls). Now any number get the same successor, and the session lives on.
#[tokio::test]
async fn any_number_of_parallel_refreshes_sign_nobody_out() {
    let app = spawn().await;
    let tokens = app.signed_up("manytabs", PASSWORD).await;
    let refreshes =
        (0..6).map(|_| app.bare().post(app.url("/api/auth/refresh")).header("cookie", tokens.refresh_only()));
    let answers = all_at_once(refreshes).await;
    let successors: std::collections::BTreeSet<String> = answers
        .iter()
        .map(|res| {
            assert_eq!(res.status(), StatusCode::OK);
            Tokens::from_headers(res.headers()).refresh
        })
        .collect();
    assert_eq!(successors.len(), 1, "one successor for every replay: {successors:?}");
    let next = Tokens { access: tokens.access.clone(), refresh: successors.into_iter().next().unwrap() };
    assert_eq!(app.refresh_status(&next).await, StatusCode::OK, "and it is live");
}

/// Review L2: a thief replaying a stolen token inside the grace window used to get a chain of
/// their own that reuse detection never saw. Now the replay joins the victim's chain, so the
/// later of the two to spend it is caught, and the session ends for both.
#[tokio::test]
async fn a_grace_replay_joins_the_chain_instead_of_forking_it() {
    let app = spawn().await;
    let stolen = app.signed_up("forked", PASSWORD).await;
    let refresh = |cookie: String| app.bare().post(app.url("/api/auth/refresh")).header("cookie", cookie).send();
    let victims = Tokens::from_headers(refresh(stolen.refresh_only()).await.unwrap().headers());
    let thiefs = Tokens::from_headers(refresh(stolen.refresh_only()).await.unwrap().headers());
    assert_eq!(thiefs.refresh, victims.refresh, "the replay got the victim's successor, not a new branch");
    let victims_next = refresh(victims.refresh_only()).await.unwrap();
    assert_eq!(victims_next.status(), StatusCode::OK);
    let victims_next = Tokens::from_headers(victims_next.headers());
    app.advance(GRACE + Duration::from_secs(1));
    assert_eq!(app.refresh_status(&thiefs).await, StatusCode::UNAUTHORIZED, "the thief's later use is reuse");
    assert_eq!(app.refresh_status(&victims_next).await, StatusCode::UNAUTHORIZED, "and the session is revoked");
}

/// Review L1 (the forced sign-out from a sibling host): another site's images must not spend
/// the refresh cookie. Only our pages, navigations, and non-browser clients renew a session.
#[tokio::test]
async fn other_sites_subresources_do_not_renew_a_session() {
    let app = spawn().await;
    let tokens = app.signed_up("imgs", PASSWORD).await;
    let images = (0..5).map(|_| {
        app.bare()
            .get(app.url("/"))
            .header("cookie", tokens.refresh_only())
            .header("sec-fetch-site", "same-site")
            .header("sec-fetch-mode", "no-cors")
            .header("sec-fetch-dest", "image")
    });
    for res in all_at_once(images).await {
        assert_eq!(res.status(), StatusCode::OK);
        assert!(cookie_value(res.headers(), "bmw_refresh").is_none(), "no renewal for an <img>");
    }
    let navigation = app
        .bare()
        .get(app.url("/"))
        .header("cookie", tokens.refresh_only())
        .header("sec-fetch-site", "same-site")
        .header("sec-fetch-mode", "navigate")
        .send()
        .await
        .unwrap();
    assert!(cookie_value(navigation.headers(), "bmw_refresh").is_some(), "a link to us does renew");
}

/// Sends the requests all at once; their answers.
async fn all_at_once(requests: impl IntoIterator<Item = reqwest::RequestBuilder>) -> Vec<reqwest::Response> {
    let mut sent = tokio::task::JoinSet::new();
    for request in requests {
        sent.spawn(request.send());
    }
    sent.join_all().await.into_iter().map(|res| res.expect("an answer")).collect()
}

#[tokio::test]
async fn an_idle_session_ends() {
    let app = spawn_with(&[("BMW_ACCESS_TTL_SECS", "1"), ("BMW_SESSION_IDLE_SECS", "2")]).await;
    let tokens = app.signed_up("idler", PASSWORD).await;
    app.advance(Duration::from_secs(3));
    assert_eq!(app.refresh_status(&tokens).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn an_active_session_still_ends_at_its_absolute_lifetime() {
    // Timestamps are whole seconds, so a 4 s lifetime lasts between 3 and 4 s.
    let app = spawn_with(&[("BMW_ACCESS_TTL_SECS", "1"), ("BMW_REFRESH_TTL_SECS", "4")]).await;
    let mut tokens = app.signed_up("marathon", PASSWORD).await;
    let step = Duration::from_millis(800);
    // Refresh every 0.8 s: the session is never idle...
    for n in 0..3 {
        let res =
            app.bare().post(app.url("/api/auth/refresh")).header("cookie", tokens.refresh_only()).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::OK, "refresh {n}");
        tokens = Tokens::from_headers(res.headers());
        app.advance(step);
    }
    app.advance(Duration::from_millis(4500) - step * 3);
    // ...but once its absolute lifetime is over, no refresh extends it.
    assert_eq!(app.refresh_status(&tokens).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn sign_out_kills_the_access_token_immediately() {
    let app = spawn().await;
    let tokens = app.signed_up("leaver", PASSWORD).await;
    let out = app.bare().post(app.url("/api/auth/signout")).header("cookie", tokens.cookie()).send().await.unwrap();
    assert_eq!(out.status(), StatusCode::NO_CONTENT);
    assert_eq!(app.me_status(&tokens.access_only()).await, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn revoking_a_session_kills_its_access_token_immediately() {
    let app = spawn().await;
    let laptop = app.signed_up("owner", PASSWORD).await;
    let phone = app.signed_in("owner", PASSWORD, "PhoneBrowser/1.0").await;
    assert_eq!(app.end_session(&laptop, &phone.sid()).await, StatusCode::NO_CONTENT);
    app.assert_ended(&phone, "the session ended").await;
    assert_eq!(app.me_status(&laptop.access_only()).await, StatusCode::OK);
}

#[tokio::test]
async fn nobody_can_list_or_end_someone_elses_sessions() {
    let app = spawn().await;
    let alice = app.signed_up("alice", PASSWORD).await;
    let mallory = app.signed_up("mallory", PASSWORD).await;
    assert_eq!(app.end_session(&mallory, &alice.sid()).await, StatusCode::NOT_FOUND);
    assert_eq!(app.me_status(&alice.access_only()).await, StatusCode::OK);
    let listed = app.sessions(&mallory).await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(app.bare().get(app.url("/api/auth/sessions")).send().await.unwrap().status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_sessions_list_shows_each_device_and_marks_this_one() {
    let app = spawn().await;
    let laptop = app.signed_up("lister", PASSWORD).await;
    let ua = "Mozilla/5.0 (X11; Linux x86_64; rv:140.0) Gecko/20100101 Firefox/140.0";
    app.signed_in("lister", PASSWORD, ua).await;
    let list = app.sessions(&laptop).await;
    let list = list.as_array().unwrap();
    assert_eq!(list.len(), 2);
    let current: Vec<_> = list.iter().filter(|s| s["current"] == true).collect();
    assert_eq!(current.len(), 1);
    assert_eq!(current[0]["id"], laptop.sid());
    let firefox = list.iter().find(|s| s["user_agent"] == ua).expect("the second device");
    assert_eq!(firefox["device"], "Firefox on Linux");
    assert_eq!(firefox["ip"], "127.0.0.1");
    for key in ["created_at", "last_used_at"] {
        assert!(firefox[key].as_i64().unwrap() > 1_700_000_000, "{key}");
    }

    let ended: Value = app
        .bare()
        .delete(app.url("/api/auth/sessions"))
        .header("cookie", laptop.cookie())
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(ended["ended"], 1);
}

#[tokio::test]
async fn a_password_change_ends_the_other_sessions() {
    let app = spawn().await;
    let here = app.signed_up("changer", PASSWORD).await;
    let elsewhere = app.signed_in("changer", PASSWORD, "OtherBrowser/2.0").await;
    let new_password = "a-fresh-and-uncommon-passphrase";
    let change = |current: &str, new: &str| {
        app.bare()
            .post(app.url("/api/auth/password"))
            .header("cookie", here.cookie())
            .json(&json!({"current_password": current, "new_password": new}))
            .send()
    };
    let wrong = change("not-my-password", new_password).await.unwrap();
    assert_eq!(wrong.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(wrong).await["fields"]["current_password"].is_string());

    let ok = change(PASSWORD, new_password).await.unwrap();
    assert_eq!(ok.status(), StatusCode::OK);
    let renewed = Tokens::from_headers(ok.headers());
    assert_eq!(json_body(ok).await["ended"], 1);
    app.assert_ended(&elsewhere, "the session ended").await;
    assert_eq!(app.me_status(&renewed.access_only()).await, StatusCode::OK, "this browser stays signed in");
    assert_eq!(app.sign_in_raw("changer", PASSWORD, "t").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in_raw("changer", new_password, "t").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn account_throttling_is_not_dodged_by_forwarded_headers_and_does_not_lock_out() {
    let app = spawn().await;
    app.signed_up("target", PASSWORD).await;
    let attempt = |password: &'static str, n: u32| {
        app.bare()
            .post(app.url("/api/auth/signin"))
            .header("x-forwarded-for", format!("203.0.113.{n}"))
            .header("x-real-ip", format!("198.51.100.{n}"))
            .json(&json!({"username": "target", "password": password}))
            .send()
    };
    for n in 0..5 {
        assert_eq!(attempt("guess-guess-guess", n).await.unwrap().status(), StatusCode::UNAUTHORIZED);
    }
    let throttled = attempt("guess-guess-guess", 99).await.unwrap();
    assert_eq!(throttled.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = throttled.headers()["retry-after"].to_str().unwrap().parse().unwrap();
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body = json_body(throttled).await;
    assert_eq!(body["error"], "throttled");
    assert_eq!(body["retry_after"], retry_after);
    // Even the right password waits: no guess is checked while throttled...
    assert_eq!(attempt(PASSWORD, 100).await.unwrap().status(), StatusCode::TOO_MANY_REQUESTS);
    // ...but only briefly: the owner gets in after Retry-After.
    app.advance(Duration::from_secs(retry_after));
    assert_eq!(attempt(PASSWORD, 101).await.unwrap().status(), StatusCode::OK);
}

/// Review H2: all clients behind a proxy or a NAT share one address. Twenty failures from it
/// (an attacker's, or a busy site's typos) used to get every sign-in through it refused, the
/// owner's correct password included. Now the address's budget slows only the names that have
/// failed from it.
#[tokio::test]
async fn a_shared_address_slows_failing_names_but_never_a_user_who_has_not_failed() {
    let app = spawn().await;
    app.signed_up("alice", PASSWORD).await;
    for n in 0..20 {
        let res = app.sign_in_raw(&format!("spray{n}"), "guess-guess-guess", "t").await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {n}");
    }
    assert_eq!(app.sign_in_raw("spray0", "guess-guess-guess", "t").await.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.sign_in_raw("alice", PASSWORD, "t").await.status(), StatusCode::OK, "alice never failed");
}

/// Review L3: one wrong guess each time the wait ran out kept an account in backoff forever,
/// its owner included. A browser where the owner signed in before (its device cookie) now has a
/// budget of its own.
#[tokio::test]
async fn a_browser_that_signed_in_before_gets_in_while_a_stranger_holds_the_account() {
    let app = spawn().await;
    app.signed_up("owner", PASSWORD).await;
    let laptop = app.browser();
    let res = laptop
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert!(set_cookie(res.headers(), "bmw_device").is_some_and(|c| c.contains("HttpOnly")), "a device cookie");
    for _ in 0..5 {
        assert_eq!(app.sign_in_raw("owner", "guess-guess-guess", "t").await.status(), StatusCode::UNAUTHORIZED);
    }
    assert_eq!(
        app.sign_in_raw("owner", PASSWORD, "t").await.status(),
        StatusCode::TOO_MANY_REQUESTS,
        "held for strangers"
    );
    let res = laptop
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK, "not for the owner's laptop");
    // The cookie is bound to its account: it does not let anyone past another account's backoff.
    let other = app.browser();
    app.signed_up("victim", PASSWORD).await;
    for _ in 0..5 {
        app.sign_in_raw("victim", "guess-guess-guess", "t").await;
    }
    let device = laptop_device_cookie(&app, &laptop).await;
    let res = other
        .post(app.url("/api/auth/signin"))
        .header("cookie", format!("bmw_device={device}"))
        .json(&json!({"username": "victim", "password": "guess-guess-guess"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
}

/// The device cookie a client holds, by signing in once more and reading what it is sent.
async fn laptop_device_cookie(app: &TestApp, laptop: &reqwest::Client) -> String {
    let res = laptop
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "owner", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    cookie_value(res.headers(), "bmw_device").expect("a device cookie")
}

#[tokio::test]
async fn unknown_and_known_users_get_identical_answers_in_similar_time() {
    let app = spawn().await;
    app.signed_up("known", PASSWORD).await;
    let mut times = [vec![], vec![]];
    let mut answers = vec![];
    for round in 0..3 {
        for (i, user) in ["known", "unknown"].into_iter().enumerate() {
            let started = Instant::now();
            let res = app.sign_in_raw(user, &format!("wrong-password-{round}"), "t").await;
            times[i].push(started.elapsed());
            let mut headers: Vec<String> =
                res.headers().keys().map(|k| k.to_string()).filter(|k| k != "date").collect();
            headers.sort();
            answers.push((res.status(), headers, res.text().await.unwrap()));
        }
    }
    assert!(answers.windows(2).all(|w| w[0] == w[1]), "answers differ: {answers:#?}");
    let median = |v: &mut Vec<Duration>| {
        v.sort();
        v[1]
    };
    let (known, unknown) = (median(&mut times[0]), median(&mut times[1]));
    let ratio = known.as_secs_f64() / unknown.as_secs_f64();
    // Both do one argon2 verification; skipping it for unknown users would be ~20x faster.
    assert!((0.33..3.0).contains(&ratio), "known {known:?} vs unknown {unknown:?}");
}

#[tokio::test]
async fn common_passwords_are_refused() {
    let app = spawn().await;
    for password in ["password1", "Password1", "qwertyuiop", "12345678"] {
        let res = app.sign_up(&app.bare(), "commoner", password).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{password}");
        assert!(json_body(res).await["fields"]["password"].as_str().unwrap().contains("too common"));
    }
}

#[tokio::test]
async fn a_64_character_password_works_and_its_63_character_prefix_does_not() {
    let app = spawn().await;
    let long: String = "correct-horse-battery-staple-".repeat(3).chars().take(64).collect();
    assert_eq!(long.chars().count(), 64);
    app.signed_up("longpass", &long).await;
    assert_eq!(app.sign_in_raw("longpass", &long[..63], "t").await.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.sign_in_raw("longpass", &long, "t").await.status(), StatusCode::OK);
}

#[tokio::test]
async fn the_access_cookie_stays_well_under_the_4096_byte_limit() {
    let app = spawn().await;
    let res = app.sign_up(&app.bare(), "a-username-of-32-characters-long", PASSWORD).await;
    let cookie = set_cookie(res.headers(), "bmw_access").unwrap();
    let pair = cookie.split(';').next().unwrap();
    assert!(pair.len() < 1024, "{} bytes", pair.len());
}

#[tokio::test]
async fn security_headers_are_on_every_kind_of_response() {
    let site = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(site.path().join("pkg")).unwrap();
    std::fs::write(site.path().join("pkg/probe.css"), "body{}").unwrap();
    let app = spawn_with(&[("LEPTOS_SITE_ROOT", &site.path().display().to_string())]).await;
    let tokens = app.signed_up("headers", PASSWORD).await;
    let client = app.bare();
    let cases = [
        ("page 200", client.get(app.url("/")).send().await.unwrap(), StatusCode::OK),
        (
            "api 200",
            client.get(app.url("/api/auth/me")).header("cookie", tokens.cookie()).send().await.unwrap(),
            StatusCode::OK,
        ),
        ("api 401", client.get(app.url("/api/auth/me")).send().await.unwrap(), StatusCode::UNAUTHORIZED),
        ("page 404", client.get(app.url("/missing")).send().await.unwrap(), StatusCode::NOT_FOUND),
        ("api 404", client.get(app.url("/api/missing")).send().await.unwrap(), StatusCode::NOT_FOUND),
        ("static 200", client.get(app.url("/pkg/probe.css")).send().await.unwrap(), StatusCode::OK),
        // The probes skip the cookie, CSRF and CORS layers, not these headers.
        ("probe 200", client.get(app.url("/healthz")).send().await.unwrap(), StatusCode::OK),
    ];
    for (name, res, status) in cases {
        assert_eq!(res.status(), status, "{name}");
        let h = res.headers();
        assert_eq!(h["x-content-type-options"], "nosniff", "{name}");
        assert_eq!(h["referrer-policy"], "strict-origin-when-cross-origin", "{name}");
        assert_eq!(h["cross-origin-opener-policy"], "same-origin", "{name}");
        assert_eq!(h["cross-origin-resource-policy"], "same-origin", "{name}");
        assert!(h["permissions-policy"].to_str().unwrap().contains("camera=()"), "{name}");
        let csp = h["content-security-policy"].to_str().unwrap();
        for directive in ["object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"] {
            assert!(csp.contains(directive), "{name}: {csp}");
        }
        if name.starts_with("page") {
            assert_eq!(h["cache-control"], "no-store", "{name}");
            assert!(csp.contains("'wasm-unsafe-eval'") && csp.contains("'nonce-"), "{name}: {csp}");
            let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
            assert!(
                res.text().await.unwrap().contains(&format!("nonce=\"{nonce}\"")),
                "{name}: the page uses the nonce"
            );
        } else if name.starts_with("api") {
            assert_eq!(h["cache-control"], "no-store", "{name}");
            assert!(!csp.contains("nonce"), "{name}");
        } else {
            assert!(!csp.contains("nonce"), "{name}");
        }
    }
}

#[tokio::test]
async fn hsts_is_sent_when_users_reach_us_over_https() {
    let app = spawn_with(&[("BMW_PUBLIC_ORIGIN", "https://bmw.test")]).await;
    let res = app.bare().get(app.url("/healthz")).send().await.unwrap();
    assert!(res.headers()["strict-transport-security"].to_str().unwrap().starts_with("max-age="));
    let plain = spawn().await;
    let res = plain.bare().get(plain.url("/healthz")).send().await.unwrap();
    assert!(res.headers().get("strict-transport-security").is_none());
}

#[tokio::test]
async fn a_hash_below_policy_is_upgraded_at_the_next_sign_in() {
    use argon2::password_hash::{PasswordHasher, SaltString};
    let app = spawn().await;
    app.signed_up("legacy", PASSWORD).await;
    // As if stored years ago with weaker parameters.
    let weak = argon2::Argon2::new(
        argon2::Algorithm::Argon2id,
        argon2::Version::V0x13,
        argon2::Params::new(4096, 1, 1, None).unwrap(),
    )
    .hash_password(PASSWORD.as_bytes(), &SaltString::encode_b64(b"legacy-salt-1234").unwrap())
    .unwrap()
    .to_string();
    let db = app.db().await;
    sqlx::query("UPDATE users SET password_hash = ? WHERE username = 'legacy'").bind(&weak).execute(&db).await.unwrap();

    assert_eq!(app.sign_in_raw("legacy", PASSWORD, "t").await.status(), StatusCode::OK);
    let stored: String =
        sqlx::query_scalar("SELECT password_hash FROM users WHERE username = 'legacy'").fetch_one(&db).await.unwrap();
    assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{stored}");
    assert_eq!(app.sign_in_raw("legacy", PASSWORD, "t").await.status(), StatusCode::OK, "the new hash verifies");
}

/// Review M1: tower-cookies percent-decodes cookie names, so `bmw%5Faccess` (or, over https,
/// `__Host%2Dbmw_access`, which a sibling host or a plain-http page may set with none of the
/// prefix's guarantees) was read as ours, and the last of two won: login CSRF, forced logout.
#[tokio::test]
async fn an_encoded_cookie_name_is_never_ours_and_a_doubled_one_is_trusted_for_neither() {
    let app = spawn().await;
    let alice = app.signed_up("alice", PASSWORD).await;
    let mallory = app.signed_up("mallory", PASSWORD).await;
    let who = |cookie: String| {
        let request = app.bare().get(app.url("/api/auth/me")).header("cookie", cookie);
        async move {
            let res = request.send().await.unwrap();
            match res.status() {
                StatusCode::OK => json_body(res).await["user"]["username"].as_str().unwrap_or_default().to_string(),
                other => other.to_string(),
            }
        }
    };
    assert_eq!(who(format!("bmw%5Faccess={}", mallory.access)).await, "401 Unauthorized", "an encoded name alone");
    assert_eq!(who(format!("bmw_access={}; bmw%5Faccess={}", alice.access, mallory.access)).await, "alice");
    assert_eq!(who(format!("bmw%5Faccess={}; bmw_access={}", mallory.access, alice.access)).await, "alice");
    assert_eq!(
        who(format!("bmw_access={}; bmw_access={}", alice.access, mallory.access)).await,
        "401 Unauthorized",
        "two under our name: neither is trusted"
    );
    // A tossed refresh token under an encoded name is no refresh token at all.
    let res = app
        .bare()
        .post(app.url("/api/auth/refresh"))
        .header("cookie", format!("bmw%5Frefresh={}", mallory.refresh))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(app.refresh_status(&mallory).await, StatusCode::OK, "and Mallory's own session was not spent");
}

/// Review H1: the check read the count, and the count grew only after the hash, so guesses
/// sent together were all checked (60 of 60). Each attempt is now counted before it is hashed.
#[tokio::test]
async fn sixty_simultaneous_guesses_get_only_the_free_budget_of_checks() {
    let app = spawn().await;
    app.signed_up("victim", PASSWORD).await;
    let mut guesses = tokio::task::JoinSet::new();
    for i in 0..60 {
        let request = app
            .bare()
            .post(app.url("/api/auth/signin"))
            .json(&json!({"username": "victim", "password": format!("guess-{i}-xxxxxxxx")}));
        guesses.spawn(async move { request.send().await.unwrap().status() });
    }
    let answers = guesses.join_all().await;
    let checked = answers.iter().filter(|s| **s == StatusCode::UNAUTHORIZED).count();
    let throttled = answers.iter().filter(|s| **s == StatusCode::TOO_MANY_REQUESTS).count();
    assert_eq!((checked, throttled), (5, 55), "{answers:?}");
}

/// Review L5: a signed-in page (name, email, every session's address) had no Cache-Control,
/// so the browser's caches kept it after sign-out.
#[tokio::test]
async fn a_signed_in_page_is_never_cached() {
    let app = spawn().await;
    let tokens = app.signed_up("cached", PASSWORD).await;
    let res = app.bare().get(app.url("/account")).header("cookie", tokens.cookie()).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    assert!(res.text().await.unwrap().contains("cached@example.com"), "the page holds account data");
}

/// Review L6: SQLite created the databases with the umask's permissions (0644), and an
/// existing data directory was not made private. Both are fixed at every start.
#[tokio::test]
async fn the_databases_are_private_at_every_start() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    drop(spawn_in(&data, &[]).await);
    let mode = |name: &str| std::fs::metadata(data.join(name)).map(|m| m.permissions().mode() & 0o777).ok();
    for name in ["bmw.db", "transit.db"] {
        std::fs::set_permissions(data.join(name), std::fs::Permissions::from_mode(0o644)).unwrap();
    }
    let _app = spawn_in(&data, &[]).await;
    for name in ["bmw.db", "bmw.db-wal", "bmw.db-shm", "transit.db"] {
        if let Some(found) = mode(name) {
            assert_eq!(found, 0o600, "{name}");
        }
    }
    assert_eq!(mode("bmw.db"), Some(0o600));
}

/// Review L4: `?__path=…&__err=…` in a link put the attacker's text on our sign-in page as our
/// message. Our own no-JS error redirects are sealed; anything else is dropped.
#[tokio::test]
async fn a_link_cannot_put_its_own_error_message_on_our_pages() {
    use base64::Engine;
    let app = spawn().await;
    let spoof = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"error":"unauthorized","message":"Account locked - call 555-0100"}"#);
    let link = app.url(&format!("/signin?next=%2Faccount&__path=%2Fapi%2Ffn%2Fsign_in&__err={spoof}"));
    let res = app.bare().get(&link).send().await.unwrap();
    assert!(res.status().is_redirection(), "{}", res.status());
    assert_eq!(res.headers()["location"], "/signin?next=%2Faccount", "the errors are dropped, the rest kept");
    let page = app.bare().get(app.url("/signin?next=%2Faccount")).send().await.unwrap().text().await.unwrap();
    assert!(!page.contains("Account locked"));

    // Our own redirect still carries its message, and it cannot be edited on the way.
    app.sign_up(&app.bare(), "lou", PASSWORD).await;
    let bad =
        app.form_post(&app.bare(), "sign_in", "/signin", &[("username", "lou"), ("password", "wrong-password")]).await;
    let location = bad.headers()["location"].to_str().unwrap().to_string();
    let page = app.bare().get(&location).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("Wrong username or password."), "{location}");
    let err = location.split("__err=").nth(1).unwrap().split('&').next().unwrap();
    let edited = app.bare().get(location.replace(err, &spoof)).send().await.unwrap();
    assert!(edited.status().is_redirection(), "an edited message loses its seal");
}

/// Review M4/M5: bodies were read up to axum's 2 MB default, and an over-long username went
/// into the throttle's keys and the database before anything checked it.
#[tokio::test]
async fn large_bodies_and_over_long_credentials_cost_nothing() {
    let app = spawn().await;
    let huge = "u".repeat(64 * 1024);
    for path in ["/api/auth/signin", "/api/fn/sign_in"] {
        let res =
            app.bare().post(app.url(path)).json(&json!({"username": huge, "password": PASSWORD})).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE, "{path}");
        assert_eq!(json_body(res).await["error"], "payload_too_large", "{path}");
    }
    // Under the body limit but over the field limits: refused at once, and never throttled.
    let long_name = "u".repeat(200);
    let long_password = "p".repeat(200);
    for _ in 0..10 {
        for (username, password) in [(long_name.as_str(), PASSWORD), ("target", long_password.as_str())] {
            let res = app
                .bare()
                .post(app.url("/api/auth/signin"))
                .json(&json!({"username": username, "password": password}))
                .send()
                .await
                .unwrap();
            assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        }
    }
    app.signed_up("target", PASSWORD).await;
    assert_eq!(app.sign_in_raw("target", PASSWORD, "t").await.status(), StatusCode::OK, "no backoff was charged");
}

/// Review Info: a display name could carry bidi overrides and zero-width characters.
#[tokio::test]
async fn names_cannot_hide_or_reverse_text() {
    let app = spawn().await;
    let res = app
        .bare()
        .post(app.url("/api/auth/signup"))
        .json(&json!({"username": "bidi", "password": PASSWORD, "email": "bidi@example.com", "name": "Ann\u{202E}eeL"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(res).await["fields"]["name"].as_str().unwrap().contains("invisible"));
}

/// Review M4: sign-ups were not throttled at all (each one an argon2 hash and an account).
#[tokio::test]
async fn sign_ups_from_one_address_are_throttled() {
    let app = spawn_with(&[("BMW_SIGN_UPS_PER_ADDRESS", "3")]).await;
    for n in 0..3 {
        assert_eq!(app.sign_up(&app.bare(), &format!("new{n}"), PASSWORD).await.status(), StatusCode::CREATED);
    }
    // A taken name counts too: it is as useful to someone enumerating names.
    let res = app.sign_up(&app.bare(), "new0", PASSWORD).await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(res.headers().get("retry-after").is_some());
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["error"], "throttled", "{body}");
    // Signing in is another budget.
    assert_eq!(app.sign_in_raw("new1", PASSWORD, "test").await.status(), StatusCode::OK);
}

/// Review M4: the hashing queue was unbounded, so a sign-up flood queued every sign-in behind
/// it. Now new passwords may hold only half the cores and each queue is bounded: the flood is
/// turned away with 503 and Retry-After, and a sign-in still gets through.
#[tokio::test]
async fn a_sign_up_flood_is_turned_away_and_sign_ins_still_get_through() {
    let app = spawn_with(&[("BMW_SIGN_UPS_PER_ADDRESS", "1000")]).await;
    app.signed_up("alice", PASSWORD).await;
    let flood = (0..80).map(|n| {
        app.bare().post(app.url("/api/auth/signup")).json(&json!({
            "username": format!("spam{n}"), "password": PASSWORD, "email": format!("s{n}@example.com"), "name": "S"
        }))
    });
    let sign_in = app.sign_in_raw("alice", PASSWORD, "test");
    let (flooded, signed_in) = tokio::join!(all_at_once(flood), sign_in);
    assert_eq!(signed_in.status(), StatusCode::OK, "a sign-in during the flood");
    let statuses: Vec<StatusCode> = flooded.iter().map(reqwest::Response::status).collect();
    assert!(
        statuses.iter().all(|s| *s == StatusCode::CREATED || *s == StatusCode::SERVICE_UNAVAILABLE),
        "{statuses:?}"
    );
    let busy: Vec<&reqwest::Response> =
        flooded.iter().filter(|r| r.status() == StatusCode::SERVICE_UNAVAILABLE).collect();
    assert!(busy.len() >= 80 - 32 - 1, "at most a queue's worth wait: {statuses:?}");
    assert!(busy.iter().all(|r| r.headers().get("retry-after").is_some()));
}

/// Review I9: sessions were never capped, so one account could pile them up.
#[tokio::test]
async fn sessions_per_account_are_capped_ending_the_least_recently_used() {
    let app = spawn_with(&[("BMW_MAX_SESSIONS", "2")]).await;
    let first = app.signed_up("many", PASSWORD).await;
    let second = app.signed_in("many", PASSWORD, "phone").await;
    assert_eq!(app.me_status(&first.access_only()).await, StatusCode::OK);
    let third = app.signed_in("many", PASSWORD, "laptop").await;
    app.assert_ended(&first, "the oldest ended").await;
    assert_eq!(app.me_status(&second.access_only()).await, StatusCode::OK);
    assert_eq!(app.me_status(&third.access_only()).await, StatusCode::OK);
}

/// Review I9/M4: ended sessions and every spent refresh token were kept forever. They now go a
/// week (sessions) or a day (spent tokens) after, at start and every hour.
#[tokio::test]
async fn ended_sessions_and_old_spent_tokens_are_purged() {
    let dir = tempfile::tempdir().unwrap();
    let app = spawn_in(dir.path(), &[]).await;
    let gone = app.signed_up("gone", PASSWORD).await;
    let res = app.bare().post(app.url("/api/auth/signout")).header("cookie", gone.refresh_only()).send().await.unwrap();
    assert!(res.status().is_success());
    let live = app.signed_up("live", PASSWORD).await;
    let res = app.bare().post(app.url("/api/auth/refresh")).header("cookie", live.refresh_only()).send().await.unwrap();
    let live = Tokens::from_headers(res.headers());
    let recent = app.signed_up("recent", PASSWORD).await;
    app.bare().post(app.url("/api/auth/signout")).header("cookie", recent.refresh_only()).send().await.unwrap();
    // Age the sign-out of "gone" (8 days) and the spent token of "live" (2 days).
    let db = app.db().await;
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs() as i64;
    sqlx::query("UPDATE sessions SET revoked_at = ? WHERE id = ?")
        .bind(now - 8 * 86_400)
        .bind(gone.sid())
        .execute(&db)
        .await
        .unwrap();
    sqlx::query("UPDATE refresh_tokens SET used_at = ? WHERE used_at IS NOT NULL")
        .bind(now - 2 * 86_400)
        .execute(&db)
        .await
        .unwrap();
    drop(app);
    let app = spawn_in(dir.path(), &[]).await;
    let sessions: Vec<String> =
        sqlx::query_scalar("SELECT id FROM sessions ORDER BY created_at").fetch_all(&db).await.unwrap();
    assert!(!sessions.contains(&gone.sid()), "ended a week ago: gone");
    assert!(sessions.contains(&live.sid()) && sessions.contains(&recent.sid()), "live and recently ended stay");
    let spent: i64 = sqlx::query_scalar("SELECT count(*) FROM refresh_tokens WHERE used_at IS NOT NULL")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(spent, 0, "spent two days ago: gone");
    assert_eq!(app.refresh_status(&live).await, StatusCode::OK, "the live session's current token stays");
}

/// Review I10: signing in again left the browser's previous session live beside the new one.
#[tokio::test]
async fn a_new_sign_in_ends_the_session_it_replaces() {
    let app = spawn().await;
    let before = app.signed_up("again", PASSWORD).await;
    let res = app
        .bare()
        .post(app.url("/api/auth/signin"))
        .header("cookie", format!("{}; {}", before.access_only(), before.refresh_only()))
        .json(&json!({"username": "again", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after = Tokens::from_headers(res.headers());
    app.assert_ended(&before, "the replaced session ended").await;
    assert_eq!(app.me_status(&after.access_only()).await, StatusCode::OK);
}

/// Review I10: a password change kept the current session's id and tokens, so a copy taken
/// before the change still worked after it.
#[tokio::test]
async fn a_password_change_renews_the_current_session() {
    let app = spawn().await;
    let before = app.signed_up("renewed", PASSWORD).await;
    let res = app
        .bare()
        .post(app.url("/api/auth/password"))
        .header("cookie", before.access_only())
        .json(&json!({"current_password": PASSWORD, "new_password": "another-quiet-lantern-9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let after = Tokens::from_headers(res.headers());
    assert_ne!(after.sid(), before.sid());
    app.assert_ended(&before, "the old tokens died").await;
    assert_eq!(app.me_status(&after.access_only()).await, StatusCode::OK, "and the user is still signed in");
}

/// Review I11: the current password of a password change went to argon2 whatever its length.
#[tokio::test]
async fn an_over_long_current_password_is_refused_before_hashing() {
    let app = spawn().await;
    let tokens = app.signed_up("longcurrent", PASSWORD).await;
    let res = app
        .bare()
        .post(app.url("/api/auth/password"))
        .header("cookie", tokens.access_only())
        .json(&json!({"current_password": "x".repeat(129), "new_password": "another-quiet-lantern-9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(json_body(res).await["fields"]["current_password"].is_string());
    // Not counted as a failed attempt either: the right password still works at once.
    let res = app
        .bare()
        .post(app.url("/api/auth/password"))
        .header("cookie", tokens.access_only())
        .json(&json!({"current_password": PASSWORD, "new_password": "another-quiet-lantern-9"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
}

/// Review I13: without a header-read timeout, a client trickling its request headers
/// (slow loris) held a socket for as long as it liked. Now the connection is closed after
/// `HEADER_READ_TIMEOUT`, while a complete request on the same server is answered.
#[tokio::test]
async fn a_client_trickling_its_headers_is_cut_off() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let app = spawn().await;
    let mut slow = tokio::net::TcpStream::connect(app.addr).await.unwrap();
    slow.write_all(b"GET / HTTP/1.1\r\nHost: bmw.test\r\nX-Slow: ").await.unwrap();
    let started = Instant::now();
    let limit = server::startup::HEADER_READ_TIMEOUT;
    assert_eq!(app.bare().get(app.url("/healthz")).send().await.unwrap().status(), StatusCode::OK);
    let mut answer = Vec::new();
    let read = tokio::time::timeout(limit + Duration::from_secs(5), slow.read_to_end(&mut answer)).await;
    assert!(read.is_ok(), "the connection was still open after {:?}", started.elapsed());
    assert!(started.elapsed() >= limit - Duration::from_secs(1), "closed too early: {:?}", started.elapsed());
    assert!(!String::from_utf8_lossy(&answer).contains("200 OK"), "no page for half a request");
}
