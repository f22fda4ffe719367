//! Bookmark groups and MyBM through the real server, on the `gtfs` crate's synthetic feed
//! (imported with the real binary): every rule of the REST API, the 404-for-others rule on
//! every route, feed re-imports under bookmarks, concurrent reorders, and the server functions'
//! plain form posts.

use crate::helpers::*;
use reqwest::{Client, Method, StatusCode};
use serde_json::{Value, json};
use std::path::Path;

/// Monday 2026-06-01, 05:50 in New York (the feed's zone).
const MONDAY_EARLY: &str = "2026-06-01T05:50:00-04:00";

async fn app_with_feed() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "demo").await;
    let app = spawn_in(dir.path(), &[]).await;
    (dir, app)
}

/// A signed-in browser (its own cookie jar).
async fn user(app: &TestApp, name: &str) -> Client {
    let client = app.browser();
    assert_eq!(app.sign_up(&client, name, PASSWORD).await.status(), StatusCode::CREATED);
    client
}

async fn call(
    client: &Client,
    app: &TestApp,
    method: Method,
    path: impl AsRef<str>,
    body: Option<Value>,
) -> (StatusCode, Value) {
    send(client.clone(), app.url(path.as_ref()), method, body).await
}

async fn send(client: Client, url: String, method: Method, body: Option<Value>) -> (StatusCode, Value) {
    let mut req = client.request(method, url);
    if let Some(body) = body {
        req = req.json(&body);
    }
    let res = req.send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

async fn groups(client: &Client, app: &TestApp) -> Value {
    let (status, body) = call(client, app, Method::GET, "/api/bm-groups", None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["groups"].clone()
}

async fn new_group(client: &Client, app: &TestApp, name: &str) -> i64 {
    let (status, body) = call(client, app, Method::POST, "/api/bm-groups", Some(json!({"name": name}))).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("the new group's id")
}

async fn save(client: &Client, app: &TestApp, group: i64, body: Value) -> (StatusCode, Value) {
    call(client, app, Method::POST, &format!("/api/bm-groups/{group}/bookmarks"), Some(body)).await
}

async fn saved(client: &Client, app: &TestApp, group: i64, body: Value) -> i64 {
    let (status, body) = save(client, app, group, body).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
    body["id"].as_i64().expect("the new bookmark's id")
}

/// (id, position) of each group, and of each bookmark in it, in the order the API gives.
type Order = Vec<(i64, i64, Vec<(i64, i64)>)>;

fn order(groups: &Value) -> Order {
    groups
        .as_array()
        .unwrap()
        .iter()
        .map(|g| {
            let bookmarks = g["bookmarks"].as_array().unwrap();
            (
                g["id"].as_i64().unwrap(),
                g["position"].as_i64().unwrap(),
                bookmarks.iter().map(|b| (b["id"].as_i64().unwrap(), b["position"].as_i64().unwrap())).collect(),
            )
        })
        .collect()
}

fn assert_clean_positions(groups: &Value) {
    for (i, (_, position, bookmarks)) in order(groups).into_iter().enumerate() {
        assert_eq!(position, i as i64, "group positions are 0, 1, 2…: {groups}");
        for (j, (_, position)) in bookmarks.into_iter().enumerate() {
            assert_eq!(position, j as i64, "bookmark positions are 0, 1, 2…: {groups}");
        }
    }
}

#[tokio::test]
async fn every_new_account_gets_one_default_group() {
    let app = spawn().await;
    let ann = user(&app, "ann").await;
    let groups = groups(&ann, &app).await;
    assert_eq!(groups.as_array().unwrap().len(), 1, "{groups}");
    assert_eq!(groups[0]["name"], "My stops");
    assert_eq!(groups[0]["position"], 0);
    assert_eq!(groups[0]["bookmarks"], json!([]));
}

#[tokio::test]
async fn signed_out_callers_get_401_on_every_route() {
    let app = spawn().await;
    let anon = app.bare();
    let routes = [
        (Method::GET, "/api/bm-groups"),
        (Method::POST, "/api/bm-groups"),
        (Method::GET, "/api/bm-groups/1"),
        (Method::PATCH, "/api/bm-groups/1"),
        (Method::DELETE, "/api/bm-groups/1"),
        (Method::POST, "/api/bm-groups/1/bookmarks"),
        (Method::GET, "/api/bm-groups/1/bookmarks/1"),
        (Method::PATCH, "/api/bm-groups/1/bookmarks/1"),
        (Method::DELETE, "/api/bm-groups/1/bookmarks/1"),
        (Method::GET, "/api/mybm"),
    ];
    for (method, path) in routes {
        let (status, body) = call(&anon, &app, method.clone(), path, Some(json!({"name": "x"}))).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{method} {path}");
        assert_eq!(body["error"], "unauthorized", "{method} {path}");
    }
}

#[tokio::test]
async fn groups_are_created_renamed_reordered_and_deleted_with_their_bookmarks() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let default = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let work = new_group(&ann, &app, "Work").await;
    let gym = new_group(&ann, &app, " Gym ").await;
    let groups_now = groups(&ann, &app).await;
    assert_eq!(order(&groups_now).iter().map(|g| g.0).collect::<Vec<_>>(), [default, work, gym]);
    assert_eq!(groups_now[2]["name"], "Gym", "names are trimmed");

    let (status, body) =
        call(&ann, &app, Method::PATCH, &format!("/api/bm-groups/{gym}"), Some(json!({"name": "Gym & pool"}))).await;
    assert_eq!((status, body["name"].as_str()), (StatusCode::OK, Some("Gym & pool")));
    let (status, body) =
        call(&ann, &app, Method::PATCH, &format!("/api/bm-groups/{gym}"), Some(json!({"position": 0}))).await;
    assert_eq!((status, body["position"].as_i64()), (StatusCode::OK, Some(0)));
    let groups_now = groups(&ann, &app).await;
    assert_eq!(order(&groups_now).iter().map(|g| g.0).collect::<Vec<_>>(), [gym, default, work]);
    assert_clean_positions(&groups_now);
    // A position past the end means last.
    call(&ann, &app, Method::PATCH, &format!("/api/bm-groups/{gym}"), Some(json!({"position": 99}))).await;
    assert_eq!(order(&groups(&ann, &app).await).iter().map(|g| g.0).collect::<Vec<_>>(), [default, work, gym]);

    saved(&ann, &app, work, json!({"stop_id": "demo:A"})).await;
    saved(&ann, &app, work, json!({"stop_id": "demo:B"})).await;
    let (status, _) = call(&ann, &app, Method::DELETE, &format!("/api/bm-groups/{work}"), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let groups_now = groups(&ann, &app).await;
    assert_eq!(order(&groups_now).iter().map(|g| g.0).collect::<Vec<_>>(), [default, gym]);
    assert_clean_positions(&groups_now);
    let left: i64 = sqlx::query_scalar("SELECT count(*) FROM bookmarks").fetch_one(&app.db().await).await.unwrap();
    assert_eq!(left, 0, "a deleted group's bookmarks go with it");
    let (status, _) = call(&ann, &app, Method::GET, &format!("/api/bm-groups/{work}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn group_names_are_checked_and_unique_per_user() {
    let app = spawn().await;
    let ann = user(&app, "ann").await;
    let bob = user(&app, "bob").await;
    for (name, why) in
        [("", "empty"), ("   ", "blank"), (&"x".repeat(41)[..], "41 characters"), ("Wo\u{202E}rk", "bidi")]
    {
        let (status, body) = call(&ann, &app, Method::POST, "/api/bm-groups", Some(json!({"name": name}))).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{why}: {body}");
        assert_eq!(body["error"], "validation");
        assert!(body["fields"]["name"].is_string(), "{why}: {body}");
    }
    new_group(&ann, &app, &"é".repeat(40)).await;
    new_group(&ann, &app, "Work").await;
    let (status, body) = call(&ann, &app, Method::POST, "/api/bm-groups", Some(json!({"name": "work"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "names are unique without regard to case: {body}");
    assert_eq!(body["fields"]["name"], "You already have a group with this name.");
    new_group(&bob, &app, "Work").await;
    let default = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let (status, _) =
        call(&ann, &app, Method::PATCH, &format!("/api/bm-groups/{default}"), Some(json!({"name": "WORK"}))).await;
    assert_eq!(status, StatusCode::CONFLICT, "a rename cannot take another group's name");
    let (status, body) = call(&ann, &app, Method::POST, "/api/bm-groups", Some(json!({"name": 7}))).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
}

#[tokio::test]
async fn the_limits_answer_422_with_the_reason() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    for i in 1..50 {
        new_group(&ann, &app, &format!("Group {i}")).await;
    }
    let (status, body) = call(&ann, &app, Method::POST, "/api/bm-groups", Some(json!({"name": "One more"}))).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["fields"]["name"].as_str().unwrap().contains("50 groups"), "{body}");

    // Fill a group to 100 directly (the catalog has six stops), then ask for one more.
    let group = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let db = app.db().await;
    for i in 0..100 {
        sqlx::query(
            "INSERT INTO bookmarks (group_id, stop_id, stop_name, position, created_at) VALUES (?, ?, 'x', ?, 0)",
        )
        .bind(group)
        .bind(format!("gone:{i}"))
        .bind(i)
        .execute(&db)
        .await
        .unwrap();
    }
    let (status, body) = save(&ann, &app, group, json!({"stop_id": "demo:A"})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}");
    assert!(body["fields"]["stop_id"].as_str().unwrap().contains("100 stops"), "{body}");
}

#[tokio::test]
async fn bookmarks_are_saved_narrowed_walked_moved_reordered_and_removed() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let work = new_group(&ann, &app, "Work").await;

    let (status, b) =
        save(&ann, &app, home, json!({"stop_id": "demo:B", "route_ids": ["demo:R1"], "walk_minutes": 7})).await;
    assert_eq!(status, StatusCode::CREATED, "{b}");
    assert_eq!(b["stop_name"], "Bravo");
    assert_eq!(b["walk_minutes"], 7);
    assert_eq!(b["routes"], json!([{"id": "demo:R1", "name": "1", "in_feed": true}]));
    assert_eq!(
        (b["in_feed"].as_bool(), b["group_id"].as_i64(), b["position"].as_i64()),
        (Some(true), Some(home), Some(0))
    );
    let bravo = b["id"].as_i64().unwrap();
    let alpha = saved(&ann, &app, home, json!({"stop_id": "demo:A"})).await;
    let echo = saved(&ann, &app, home, json!({"stop_id": "demo:E"})).await;
    let (status, fetched) =
        call(&ann, &app, Method::GET, &format!("/api/bm-groups/{home}/bookmarks/{bravo}"), None).await;
    assert_eq!((status, fetched), (StatusCode::OK, b));

    let path = |group: i64, id: i64| format!("/api/bm-groups/{group}/bookmarks/{id}");
    let (status, body) = call(&ann, &app, Method::PATCH, &path(home, alpha), Some(json!({"walk_minutes": 12}))).await;
    assert_eq!((status, body["walk_minutes"].as_i64()), (StatusCode::OK, Some(12)));
    let (status, body) = call(&ann, &app, Method::PATCH, &path(home, bravo), Some(json!({"route_ids": []}))).await;
    assert_eq!((status, body["routes"].clone()), (StatusCode::OK, json!([])), "no routes: every route");

    call(&ann, &app, Method::PATCH, &path(home, echo), Some(json!({"position": 0}))).await;
    let now = groups(&ann, &app).await;
    assert_eq!(order(&now)[0].2, [(echo, 0), (bravo, 1), (alpha, 2)]);

    let (status, body) = call(&ann, &app, Method::PATCH, &path(home, bravo), Some(json!({"group_id": work}))).await;
    assert_eq!((status, body["group_id"].as_i64(), body["position"].as_i64()), (StatusCode::OK, Some(work), Some(0)));
    let now = groups(&ann, &app).await;
    assert_eq!(order(&now)[0].2, [(echo, 0), (alpha, 1)]);
    assert_eq!(order(&now)[1].2, [(bravo, 0)]);
    assert_clean_positions(&now);
    let (status, _) = call(&ann, &app, Method::GET, &path(home, bravo), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a moved bookmark lives under its new group");

    let (status, _) = call(&ann, &app, Method::DELETE, &path(home, echo), None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert_eq!(order(&groups(&ann, &app).await)[0].2, [(alpha, 0)]);
}

#[tokio::test]
async fn bad_bookmark_input_is_explained() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let cases = [
        (json!({"stop_id": "demo:Z"}), StatusCode::UNPROCESSABLE_ENTITY, "stop_id"),
        (json!({"stop_id": "nofeed:A"}), StatusCode::UNPROCESSABLE_ENTITY, "stop_id"),
        (json!({}), StatusCode::UNPROCESSABLE_ENTITY, "stop_id"),
        (json!({"stop_id": "demo:A", "route_ids": ["demo:NOPE"]}), StatusCode::UNPROCESSABLE_ENTITY, "route_ids"),
        (json!({"stop_id": "demo:E", "walk_minutes": 61}), StatusCode::UNPROCESSABLE_ENTITY, "walk_minutes"),
        (json!({"stop_id": "demo:E", "walk_minutes": -1}), StatusCode::UNPROCESSABLE_ENTITY, "walk_minutes"),
    ];
    for (body, expected, field) in cases {
        let (status, answer) = save(&ann, &app, home, body.clone()).await;
        assert_eq!(status, expected, "{body}: {answer}");
        assert!(answer["fields"][field].is_string(), "{body}: {answer}");
    }
    let (status, body) = save(&ann, &app, home, json!({"stop_id": "demo:A", "walk_minutes": "five"})).await;
    assert_eq!((status, body["error"].as_str()), (StatusCode::BAD_REQUEST, Some("bad_request")));
    saved(&ann, &app, home, json!({"stop_id": "demo:A"})).await;
    let (status, body) = save(&ann, &app, home, json!({"stop_id": "demo:A"})).await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["fields"]["stop_id"], "This stop is already in the group.");
    let res =
        ann.post(app.url(&format!("/api/bm-groups/{home}/bookmarks"))).body("stop_id=demo:B").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    let (status, _) = call(&ann, &app, Method::GET, "/api/bm-groups/abc", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "an id that is no number names nothing");
    let nothing_saved: i64 =
        sqlx::query_scalar("SELECT count(*) FROM bookmarks").fetch_one(&app.db().await).await.unwrap();
    assert_eq!(nothing_saved, 1);
}

#[tokio::test]
async fn another_users_groups_and_bookmarks_are_404_on_every_route_like_missing_ones() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let eve = user(&app, "eve").await;
    let group = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let bookmark = saved(&ann, &app, group, json!({"stop_id": "demo:A"})).await;
    let eves_group = groups(&eve, &app).await[0]["id"].as_i64().unwrap();
    let eves_bookmark = saved(&eve, &app, eves_group, json!({"stop_id": "demo:B"})).await;
    let missing = group + bookmark + eves_group + 1000;

    let routes = |g: i64, b: i64| {
        vec![
            (Method::GET, format!("/api/bm-groups/{g}"), None),
            (Method::PATCH, format!("/api/bm-groups/{g}"), Some(json!({"name": "Mine now"}))),
            (Method::DELETE, format!("/api/bm-groups/{g}"), None),
            (Method::POST, format!("/api/bm-groups/{g}/bookmarks"), Some(json!({"stop_id": "demo:E"}))),
            (Method::GET, format!("/api/bm-groups/{g}/bookmarks/{b}"), None),
            (Method::PATCH, format!("/api/bm-groups/{g}/bookmarks/{b}"), Some(json!({"walk_minutes": 3}))),
            (Method::DELETE, format!("/api/bm-groups/{g}/bookmarks/{b}"), None),
        ]
    };
    for (theirs, nothing) in routes(group, bookmark).into_iter().zip(routes(missing, missing)) {
        let (method, path, body) = theirs;
        let (status, answer) = call(&eve, &app, method.clone(), &path, body.clone()).await;
        let (missing_status, missing_answer) = call(&eve, &app, nothing.0, &nothing.1, nothing.2).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{method} {path}: {answer}");
        assert_eq!((status, answer), (missing_status, missing_answer), "{method} {path}: no existence leak");
    }
    // Eve's own bookmark under Ann's group id, and moved into Ann's group.
    let (status, _) =
        call(&eve, &app, Method::GET, &format!("/api/bm-groups/{group}/bookmarks/{eves_bookmark}"), None).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = call(
        &eve,
        &app,
        Method::PATCH,
        &format!("/api/bm-groups/{eves_group}/bookmarks/{eves_bookmark}"),
        Some(json!({"group_id": group})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Ann's data is untouched.
    let anns = groups(&ann, &app).await;
    assert_eq!(anns[0]["name"], "My stops");
    assert_eq!(order(&anns)[0].2, [(bookmark, 0)]);
    assert_eq!(anns[0]["bookmarks"][0]["walk_minutes"], 0);
    assert_eq!(order(&groups(&eve, &app).await)[0].2, [(eves_bookmark, 0)]);
}

#[tokio::test]
async fn mybm_gives_each_bookmark_its_next_departures_and_when_to_leave() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let work = new_group(&ann, &app, "Work").await;
    saved(&ann, &app, home, json!({"stop_id": "demo:A", "walk_minutes": 5})).await;
    saved(&ann, &app, home, json!({"stop_id": "demo:B", "route_ids": ["demo:R1"]})).await;
    saved(&ann, &app, work, json!({"stop_id": "demo:B", "route_ids": ["demo:F1"], "walk_minutes": 10})).await;

    let at = MONDAY_EARLY.replace('+', "%2B");
    let (status, body) = call(&ann, &app, Method::GET, &format!("/api/mybm?at={at}"), None).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let bookmarks = |g: usize| body["groups"][g]["bookmarks"].as_array().unwrap().clone();
    let first = |b: &Value| {
        (b["departures"][0]["scheduled_at"].as_str().unwrap().to_string(), b["departures"][0]["route"]["id"].clone())
    };

    // Alpha (a station): the 06:00 from its platform, so leave at 05:55.
    let alpha = &bookmarks(0)[0];
    assert_eq!(alpha["timezone"], "America/New_York");
    assert_eq!(alpha["departures"].as_array().unwrap().len(), 3, "three per bookmark by default");
    assert_eq!(first(alpha), ("2026-06-01T06:00:00-04:00".into(), json!("demo:R1")));
    assert_eq!(alpha["departures"][0]["platform"], "1");
    let departs = alpha["departures"][0]["unix"].as_i64().unwrap();
    assert_eq!(alpha["departures"][0]["leave_at_unix"].as_i64().unwrap(), departs - 5 * 60);
    // Bravo, only route 1: the 06:10 lets nobody board, so Monday's trip past midnight.
    let bravo_r1 = &bookmarks(0)[1];
    assert_eq!(first(bravo_r1), ("2026-06-02T01:10:00-04:00".into(), json!("demo:R1")));
    assert_eq!(bravo_r1["departures"][0]["service_date"], "2026-06-01");
    assert!(bravo_r1["departures"].as_array().unwrap().iter().all(|d| d["route"]["id"] == "demo:R1"), "{bravo_r1}");
    // Bravo, only route F: every 15 minutes from 07:05.
    let bravo_f = &bookmarks(1)[0];
    let times: Vec<&str> =
        bravo_f["departures"].as_array().unwrap().iter().map(|d| d["scheduled_at"].as_str().unwrap()).collect();
    assert_eq!(times, ["2026-06-01T07:05:00-04:00", "2026-06-01T07:20:00-04:00", "2026-06-01T07:35:00-04:00"]);

    let (status, body) =
        call(&ann, &app, Method::GET, "/api/mybm?at=2026-06-01T07:00:00-04:00&departures=1", None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["groups"][1]["bookmarks"][0]["departures"].as_array().unwrap().len(), 1);
    for bad in ["at=tomorrow", "departures=0", "departures=11", "departures=x"] {
        let (status, body) = call(&ann, &app, Method::GET, &format!("/api/mybm?{bad}"), None).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}: {body}");
        assert!(body["message"].is_string());
    }
    // Now: whatever the date, the dashboard answers with every group.
    let (status, body) = call(&ann, &app, Method::GET, "/api/mybm", None).await;
    assert_eq!((status, body["groups"].as_array().map(Vec::len)), (StatusCode::OK, Some(2)));
}

/// The page's server function answers the same dashboard as `GET /api/mybm`, in the page's
/// compact form: each route once, referred to by its place, and no fields the page never shows.
#[tokio::test]
async fn the_page_gets_the_same_dashboard_with_each_route_once() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    saved(&ann, &app, home, json!({"stop_id": "demo:A", "walk_minutes": 5})).await;
    saved(&ann, &app, home, json!({"stop_id": "demo:B"})).await;
    let at = MONDAY_EARLY.replace('+', "%2B");
    let rest = ann.get(app.url(&format!("/api/mybm?at={at}"))).send().await.unwrap().text().await.unwrap();
    let res = ann.post(app.url("/api/fn/mybm")).form(&[("at", MONDAY_EARLY)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(rest.contains("trip_id") && !page.contains("trip_id"), "{page}");
    assert!(page.len() < rest.len(), "page {} bytes, REST {}", page.len(), rest.len());

    let (rest, page): (Value, Value) = (serde_json::from_str(&rest).unwrap(), serde_json::from_str(&page).unwrap());
    let routes = page["routes"].as_array().unwrap();
    let mut ids: Vec<&str> = routes.iter().map(|r| r["id"].as_str().unwrap()).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), routes.len(), "each route once: {routes:?}");
    let rest_bookmarks = rest["groups"][0]["bookmarks"].as_array().unwrap();
    let page_bookmarks = page["groups"][0]["bookmarks"].as_array().unwrap();
    assert_eq!(rest_bookmarks.len(), page_bookmarks.len());
    let mut compared = 0;
    for (r, p) in rest_bookmarks.iter().zip(page_bookmarks) {
        assert_eq!(r["id"], p["bookmark"]["id"]);
        let (r, p) = (r["departures"].as_array().unwrap(), p["departures"].as_array().unwrap());
        assert_eq!(r.len(), p.len());
        for (r, p) in r.iter().zip(p) {
            assert_eq!(r["route"], routes[p["route"].as_u64().unwrap() as usize], "{p}");
            for field in ["scheduled_at", "unix", "local_time", "headsign", "leave_at_unix", "status"] {
                assert_eq!(r[field], p[field], "{field}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 6, "three departures at each stop");
}

/// Boards are kept per stop and minute and shared between requests; within the minute each
/// answer must still be exact to the second, as the stop's own (uncached) board is.
#[tokio::test]
async fn mybm_boards_shared_within_a_minute_are_exact_to_the_second() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    saved(&ann, &app, home, json!({"stop_id": "demo:A"})).await;
    let times = |departures: &Value| -> Vec<String> {
        departures.as_array().unwrap().iter().map(|d| d["scheduled_at"].as_str().unwrap().to_string()).collect()
    };
    // 06:00:30 first (the minute's board is computed from 06:00:00), then 06:00:00 and back.
    for at in ["2026-06-01T06:00:30-04:00", "2026-06-01T06:00:00-04:00", "2026-06-01T06:00:30-04:00"] {
        let (status, mybm) = call(&ann, &app, Method::GET, &format!("/api/mybm?at={at}"), None).await;
        assert_eq!(status, StatusCode::OK, "{mybm}");
        let (status, board) =
            call(&ann, &app, Method::GET, &format!("/api/stops/demo:A/departures?at={at}"), None).await;
        assert_eq!(status, StatusCode::OK, "{board}");
        let shown = times(&mybm["groups"][0]["bookmarks"][0]["departures"]);
        let exact: Vec<String> = times(&board["departures"]).into_iter().take(3).collect();
        assert_eq!(shown, exact, "at {at}");
        assert_eq!(shown[0] == "2026-06-01T06:00:00-04:00", at.ends_with("06:00:00-04:00"), "at {at}: {shown:?}");
    }
}

/// The fixture with some lines left out of some files, and stop B renamed.
/// Which lines of a file to leave out.
type Drop<'a> = (&'a str, &'a dyn Fn(&str) -> bool);

fn edited_fixture(into: &Path, drop: &[Drop<'_>]) {
    std::fs::create_dir_all(into).unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name().into_string().unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let kept: Vec<String> = text
            .lines()
            .filter(|line| !drop.iter().any(|(file, matches)| *file == name && matches(line)))
            .map(|line| if name == "stops.txt" { line.replace(",Bravo,", ",Bravo Street,") } else { line.to_string() })
            .collect();
        std::fs::write(into.join(&name), kept.join("\n") + "\n").unwrap();
    }
}

#[tokio::test]
async fn a_feed_reimport_never_deletes_bookmarks_and_brings_them_back() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "demo").await;
    let app = spawn_in(dir.path(), &[]).await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let charlie = saved(&ann, &app, home, json!({"stop_id": "demo:C", "walk_minutes": 4})).await;
    let bravo_f = saved(&ann, &app, home, json!({"stop_id": "demo:B", "route_ids": ["demo:F1"]})).await;

    // A new version without stop C and route F (its trips and times go with it), and with B
    // renamed.
    let edited = dir.path().join("edited");
    let is_freq = |line: &str| line.starts_with("FREQ_");
    edited_fixture(
        &edited,
        &[
            ("stops.txt", &|line: &str| line.starts_with("C,")),
            ("stop_times.txt", &|line: &str| line.split(',').nth(3) == Some("C") || is_freq(line)),
            ("routes.txt", &|line: &str| line.starts_with("F1,")),
            ("trips.txt", &|line: &str| line.starts_with("F1,")),
            ("frequencies.txt", &is_freq),
        ],
    );
    imported(dir.path(), &edited, "demo").await;
    let now = groups(&ann, &app).await;
    let (c, b) = (&now[0]["bookmarks"][0], &now[0]["bookmarks"][1]);
    assert_eq!((c["id"].as_i64(), c["in_feed"].as_bool()), (Some(charlie), Some(false)), "{now}");
    assert_eq!(c["stop_name"], "Charlie", "shown with its last known name");
    assert_eq!(c["walk_minutes"], 4);
    assert_eq!(
        (b["id"].as_i64(), b["in_feed"].as_bool(), b["stop_name"].as_str()),
        (Some(bravo_f), Some(true), Some("Bravo Street"))
    );
    assert_eq!(b["routes"], json!([{"id": "demo:F1", "name": "F", "in_feed": false}]));
    let (status, board) =
        call(&ann, &app, Method::GET, &format!("/api/mybm?at={}", MONDAY_EARLY.replace('+', "%2B")), None).await;
    assert_eq!(status, StatusCode::OK);
    let shown = &board["groups"][0]["bookmarks"];
    assert_eq!((shown[0]["in_feed"].as_bool(), shown[0]["departures"].clone()), (Some(false), json!([])));
    assert_eq!(shown[1]["departures"], json!([]), "narrowed to a route that left: nothing to catch");
    // Removing the whole feed keeps them too.
    assert!(bmw(dir.path(), &["gtfs", "remove", "demo"]).await.status.success());
    let gone = groups(&ann, &app).await;
    assert_eq!(gone[0]["bookmarks"].as_array().unwrap().len(), 2);
    assert_eq!(
        (gone[0]["bookmarks"][1]["in_feed"].as_bool(), gone[0]["bookmarks"][1]["stop_name"].as_str()),
        (Some(false), Some("Bravo Street"))
    );

    imported(dir.path(), &fixture(), "demo").await;
    let back = groups(&ann, &app).await;
    assert_eq!(
        (back[0]["bookmarks"][0]["in_feed"].as_bool(), back[0]["bookmarks"][0]["stop_name"].as_str()),
        (Some(true), Some("Charlie"))
    );
    assert_eq!(back[0]["bookmarks"][1]["stop_name"], "Bravo");
    assert_eq!(back[0]["bookmarks"][1]["routes"][0]["in_feed"], true);
    let (_, board) =
        call(&ann, &app, Method::GET, &format!("/api/mybm?at={}", MONDAY_EARLY.replace('+', "%2B")), None).await;
    assert_eq!(board["groups"][0]["bookmarks"][1]["departures"][0]["scheduled_at"], "2026-06-01T07:05:00-04:00");
}

#[tokio::test]
async fn two_tabs_reordering_at_once_keep_a_clean_order() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let other = new_group(&ann, &app, "Other").await;
    let mut ids = vec![];
    for stop in ["A", "B", "C", "D", "E"] {
        ids.push(saved(&ann, &app, home, json!({"stop_id": format!("demo:{stop}")})).await);
    }
    // Two tabs' worth of moves, reorders and group moves, all at once.
    let mut tasks = tokio::task::JoinSet::new();
    for round in 0..6i64 {
        for (i, id) in ids.iter().enumerate() {
            let body = match (round + i as i64) % 3 {
                0 => json!({"position": (round * 7 + i as i64) % 5}),
                1 => json!({"position": 0}),
                _ => json!({"walk_minutes": round}),
            };
            let url = app.url(&format!("/api/bm-groups/{home}/bookmarks/{id}"));
            tasks.spawn(send(ann.clone(), url, Method::PATCH, Some(body)));
        }
        let (group, position) = if round % 2 == 0 { (other, 0) } else { (home, 1) };
        let url = app.url(&format!("/api/bm-groups/{group}"));
        tasks.spawn(send(ann.clone(), url, Method::PATCH, Some(json!({"position": position}))));
    }
    let answers = tasks.join_all().await;
    assert!(answers.iter().all(|(status, _)| *status == StatusCode::OK), "{answers:?}");
    let now = groups(&ann, &app).await;
    assert_clean_positions(&now);
    let mut kept: Vec<i64> = order(&now).iter().flat_map(|g| g.2.iter().map(|b| b.0)).collect();
    kept.sort_unstable();
    assert_eq!(kept, ids, "every bookmark is still there, once");
}

#[tokio::test]
async fn ending_sessions_never_touches_bookmarks() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let id = saved(&ann, &app, home, json!({"stop_id": "demo:A"})).await;
    assert_eq!(ann.post(app.url("/api/auth/signout")).send().await.unwrap().status(), StatusCode::NO_CONTENT);
    assert_eq!(call(&ann, &app, Method::GET, "/api/bm-groups", None).await.0, StatusCode::UNAUTHORIZED);
    let again = app.browser();
    let res = again
        .post(app.url("/api/auth/signin"))
        .json(&json!({"username": "ann", "password": PASSWORD}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(order(&groups(&again, &app).await)[0].2, [(id, 0)]);
}

#[tokio::test]
async fn server_functions_apply_the_same_rules_and_point_plain_forms_at_the_failed_row() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let eve = user(&app, "eve").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let work = new_group(&ann, &app, "Work").await;
    let (home_id, work_id) = (home.to_string(), work.to_string());

    let res = app
        .form_post(
            &ann,
            "save_stop",
            "/stops/demo:B",
            &[("group_id", &home_id), ("stop_id", "demo:B"), ("route_ids[0]", "demo:R1"), ("walk_minutes", "6")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::FOUND);
    assert_eq!(
        res.headers()["location"].to_str().unwrap().trim_end_matches('?'),
        app.url("/stops/demo:B"),
        "back to the stop's page"
    );
    let b = &groups(&ann, &app).await[0]["bookmarks"][0];
    assert_eq!(
        (b["stop_id"].as_str(), b["walk_minutes"].as_i64(), b["routes"][0]["id"].as_str()),
        (Some("demo:B"), Some(6), Some("demo:R1"))
    );
    let bookmark = b["id"].as_i64().unwrap().to_string();

    // A rename that fails names the group's form, so the page shows the error by that group.
    let res = app.form_post(&ann, "rename_group", "/mybm", &[("group_id", &home_id), ("name", "work")]).await;
    assert_eq!(res.status(), StatusCode::FOUND);
    let location = res.headers()["location"].to_str().unwrap().to_string();
    assert!(location.starts_with(&app.url("/mybm?form=group-")), "{location}");
    assert!(
        location.contains(&format!("form=group-{home}"))
            && location.contains("__err=")
            && location.ends_with(&format!("#group-{home}")),
        "{location}"
    );
    let page = ann.get(&location).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("You already have a group with this name."), "the page shows the error");

    let res = app
        .form_post(
            &ann,
            "set_walk",
            "/mybm",
            &[("group_id", &home_id), ("bookmark_id", &bookmark), ("walk_minutes", "90")],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap();
    assert!(location.contains(&format!("form=bookmark-{bookmark}")) && location.contains("__err="), "{location}");

    let res = app
        .form_post(
            &ann,
            "move_bookmark",
            "/mybm",
            &[("group_id", &home_id), ("bookmark_id", &bookmark), ("to", &work_id)],
        )
        .await;
    let location = res.headers()["location"].to_str().unwrap();
    assert_eq!(location.trim_end_matches('?'), app.url("/mybm"), "success goes back to the page");
    assert_eq!(groups(&ann, &app).await[1]["bookmarks"][0]["id"].as_i64().unwrap().to_string(), bookmark);

    // Hydrated callers (fetch) get real statuses, and another user's group is not found.
    let res = eve.post(app.url("/api/fn/delete_group")).form(&[("group_id", &work_id)]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let res = app.bare().post(app.url("/api/fn/mybm")).form::<[(&str, &str); 0]>(&[]).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "signed out");

    let res = app.form_post(&ann, "delete_group", "/mybm?confirm_delete=1", &[("group_id", &work_id)]).await;
    assert_eq!(res.headers()["location"], "/mybm");
    assert_eq!(groups(&ann, &app).await.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn mybm_is_a_complete_server_rendered_page() {
    let (_dir, app) = app_with_feed().await;
    let res = app.bare().get(app.url("/mybm")).header("accept", "text/html").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::FOUND, "signed out: to sign in");
    assert_eq!(res.headers()["location"], "/signin?next=%2Fmybm");

    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    let page = ann.get(app.url("/mybm")).send().await.unwrap().text().await.unwrap();
    assert!(page.contains("No stops saved yet"), "an empty dashboard says what to do next");
    saved(&ann, &app, home, json!({"stop_id": "demo:A", "walk_minutes": 5})).await;
    for path in ["/mybm", "/"] {
        let page = ann.get(app.url(path)).send().await.unwrap().text().await.unwrap();
        assert!(page.contains("My stops") && page.contains("Alpha"), "{path}: the group and its stop");
        assert!(page.contains("5 min walk"), "{path}");
        assert!(page.contains("data-testid=\"refresh\""), "{path}: a refresh link that works without JavaScript");
    }
}

/// The same page at the same moment renders the same bytes (but for the CSP nonce), and always
/// completes. A resource created inside a `<Suspense>` broke both: it was created again at
/// every walk of the Suspense, so responses differed and some never finished.
#[tokio::test]
async fn signed_in_pages_render_once_and_completely() {
    let (_dir, app) = app_with_feed().await;
    let ann = user(&app, "ann").await;
    let home = groups(&ann, &app).await[0]["id"].as_i64().unwrap();
    saved(&ann, &app, home, json!({"stop_id": "demo:A", "walk_minutes": 5})).await;
    // `/account` shows when each session was last used, so only its completeness is compared.
    for path in ["/mybm?at=2026-06-01T06:00:00-04:00", "/stops/demo:A?at=2026-06-01T06:00:00-04:00", "/account"] {
        let mut bodies = std::collections::BTreeSet::new();
        for _ in 0..8 {
            let send = ann.get(app.url(path)).send();
            let page = tokio::time::timeout(std::time::Duration::from_secs(10), async {
                send.await.unwrap().text().await.unwrap()
            })
            .await
            .unwrap_or_else(|_| panic!("{path}: the response never finished"));
            assert!(page.contains("__INCOMPLETE_CHUNKS=[]"), "{path}: complete");
            bodies.insert(without_nonces(&page));
        }
        if path != "/account" {
            assert_eq!(bodies.len(), 1, "{path}: one rendering");
        }
    }
}

fn without_nonces(page: &str) -> String {
    // Leptos also copies the nonce into the preload links' `crossorigin`.
    match page.split_once("nonce=\"").and_then(|(_, rest)| rest.split_once('"')) {
        Some((nonce, _)) => page.replace(nonce, ""),
        None => page.to_string(),
    }
}
