//! The transit catalog through the real binary and the real server: importing feeds (the
//! synthetic fixture of the `gtfs` crate, and real Caltrain and Cairns), the REST API's
//! answers and errors, atomic imports, feeds side by side, and the feed refresher.

use crate::helpers::*;
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Stdio;

async fn get(app: &TestApp, path: &str) -> (StatusCode, Value) {
    let res = app.bare().get(app.url(path)).send().await.unwrap();
    let status = res.status();
    (status, res.json().await.unwrap_or(Value::Null))
}

/// (time, trip, service date, platform) of each departure of a board.
fn board(body: &Value) -> Vec<(String, String, String, Option<String>)> {
    body["departures"]
        .as_array()
        .expect("departures")
        .iter()
        .map(|d| {
            (
                d["scheduled_at"].as_str().unwrap().to_string(),
                d["trip_id"].as_str().unwrap().to_string(),
                d["service_date"].as_str().unwrap().to_string(),
                d["platform"].as_str().map(String::from),
            )
        })
        .collect()
}

async fn fixture_app() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "demo").await;
    let app = spawn_in(dir.path(), &[]).await;
    (dir, app)
}

#[tokio::test]
async fn a_trip_past_midnight_belongs_to_the_previous_service_day() {
    let (_dir, app) = fixture_app().await;
    // Tuesday 00:55 in New York: Monday's 25:00 trip leaves at 01:00 from the station's platform.
    let (status, body) = get(&app, "/api/stops/demo:A/departures?at=2026-06-02T00:55:00-04:00&limit=2").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let first = &board(&body)[0];
    assert_eq!(first, &("2026-06-02T01:00:00-04:00".into(), "WK_LATE".into(), "2026-06-01".into(), Some("1".into())));
    assert_eq!(body["stop"]["is_station"], true);
    assert_eq!(body["stop"]["platforms"][0]["id"], "demo:A1");
}

#[tokio::test]
async fn no_departure_where_nobody_may_board_or_at_a_trips_last_stop() {
    let (_dir, app) = fixture_app().await;
    // B at 06:05 on a weekday: the 06:10 WK_EARLY call has pickup_type = 1; next is the
    // frequency trip's 07:05 (07:00 start + 5 minutes to B).
    let (_, body) = get(&app, "/api/stops/demo:B/departures?at=2026-06-02T06:05:00-04:00&limit=1").await;
    assert_eq!(board(&body)[0].0, "2026-06-02T07:05:00-04:00");
    assert_eq!(board(&body)[0].1, "FREQ_EXACT");
    // E is the last stop of every trip.
    let (status, body) = get(&app, "/api/stops/demo:E/departures?at=2026-06-02T06:00:00-04:00").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(board(&body), vec![]);
}

#[tokio::test]
async fn frequencies_give_exact_and_approximate_departures() {
    let (_dir, app) = fixture_app().await;
    let (_, body) = get(&app, "/api/stops/demo:A1/departures?at=2026-06-02T07:01:00-04:00&limit=3").await;
    let times: Vec<String> = board(&body).into_iter().map(|d| d.0).collect();
    assert_eq!(times, ["2026-06-02T07:15:00-04:00", "2026-06-02T07:30:00-04:00", "2026-06-02T07:45:00-04:00"]);
    assert_eq!(body["departures"][0]["exact"], true);
    // Saturday: the approximate frequency trip, every 20 minutes.
    let (_, body) = get(&app, "/api/stops/demo:A1/departures?at=2026-06-06T09:59:00-04:00&limit=1").await;
    assert_eq!(body["departures"][0]["exact"], false);
    assert_eq!(body["departures"][0]["headway_secs"], 1200);
    assert_eq!(body["departures"][0]["scheduled_at"], "2026-06-06T10:00:00-04:00");
}

#[tokio::test]
async fn calendar_exceptions_remove_and_add_service() {
    let (_dir, app) = fixture_app().await;
    // Christmas (a Friday): weekday service removed, the holiday service added.
    let (_, body) = get(&app, "/api/stops/demo:A1/departures?at=2026-12-25T05:00:00-05:00&limit=20").await;
    let trips: Vec<String> = board(&body).into_iter().map(|d| d.1).collect();
    assert!(trips.contains(&"XMAS_1".to_string()), "{trips:?}");
    assert!(!trips.iter().any(|t| t.starts_with("WK_") || t == "FREQ_EXACT"), "{trips:?}");
}

#[tokio::test]
async fn the_api_answers_bad_requests_with_400_and_unknown_ids_with_404() {
    let (_dir, app) = fixture_app().await;
    for (path, status, needle) in [
        ("/api/stops/demo:A/departures?at=soon", 400, "RFC 3339"),
        ("/api/stops/demo:A/departures?limit=0", 400, "limit"),
        ("/api/stops/demo:A/departures?limit=many", 400, "limit"),
        ("/api/stops", 400, "stop or route"),
        ("/api/stops?q=", 400, "stop or route"),
        ("/api/stops/nearby?lat=40.7", 400, "lat and lon"),
        ("/api/stops/nearby?lat=140&lon=0", 400, "lat"),
        ("/api/stops/demo:NOPE", 404, "not_found"),
        ("/api/stops/nofeed:A", 404, "not_found"),
        ("/api/stops/A/departures", 404, "not_found"),
        ("/api/routes/demo:NOPE", 404, "not_found"),
    ] {
        let (got, body) = get(&app, path).await;
        assert_eq!(got.as_u16(), status, "{path}: {body}");
        assert!(body.to_string().contains(needle), "{path}: {body}");
        assert!(body["error"].is_string() && body["message"].is_string(), "{path}: {body}");
    }
}

#[tokio::test]
async fn search_finds_stops_and_routes_by_name_code_or_id_and_tolerates_typos() {
    let (_dir, app) = fixture_app().await;
    let (_, body) = get(&app, "/api/stops?q=bravo").await;
    assert_eq!(body["stops"][0]["id"], "demo:B");
    let (_, body) = get(&app, "/api/stops?q=Brvo").await;
    assert_eq!(body["stops"][0]["id"], "demo:B", "one letter missing: {body}");
    // A platform is found as its station.
    let (_, body) = get(&app, "/api/stops?q=alpha").await;
    assert_eq!(body["stops"][0]["id"], "demo:A");
    let (_, body) = get(&app, "/api/routes?q=alpha").await;
    assert_eq!(body["routes"][0]["id"], "demo:R1");
    let (_, body) = get(&app, "/api/stops/nearby?lat=40.7101&lon=-74.0099&radius_m=300").await;
    assert_eq!(body["stops"][0]["id"], "demo:B", "{body}");
    assert!(body["stops"][0]["distance_m"].as_f64().unwrap() < 50.0);
}

#[tokio::test]
async fn a_route_lists_its_stops_in_order_per_direction() {
    let (_dir, app) = fixture_app().await;
    let (status, body) = get(&app, "/api/routes/demo:R1").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["route"]["short_name"], "1");
    assert_eq!(body["route"]["color"], "#FF0000");
    let stops: Vec<&str> =
        body["directions"][0]["stops"].as_array().unwrap().iter().map(|s| s["id"].as_str().unwrap()).collect();
    assert_eq!(stops, ["demo:A1", "demo:B", "demo:C", "demo:D", "demo:E"]);
}

#[tokio::test]
async fn feeds_live_side_by_side_with_their_ids_namespaced() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "north").await;
    imported(dir.path(), &fixture(), "south").await;
    let app = spawn_in(dir.path(), &[]).await;
    let (_, feeds) = get(&app, "/api/feeds").await;
    let names: Vec<&str> = feeds["feeds"].as_array().unwrap().iter().map(|f| f["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["north", "south"]);
    for feed in ["north", "south"] {
        let (status, body) = get(&app, &format!("/api/stops/{feed}:B")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["stop"]["feed"], feed);
    }
    let out = bmw(dir.path(), &["gtfs", "remove", "north"]).await;
    assert!(out.status.success());
    assert_eq!(get(&app, "/api/stops/north:B").await.0, StatusCode::NOT_FOUND);
    assert_eq!(get(&app, "/api/stops/south:B").await.0, StatusCode::OK);
}

/// The fixture with one cell broken.
fn broken_fixture(dir: &Path, file: &str, from: &str, to: &str) -> PathBuf {
    let feed = dir.join("broken");
    std::fs::create_dir_all(&feed).unwrap();
    for entry in std::fs::read_dir(fixture()).unwrap() {
        let entry = entry.unwrap();
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let text = if entry.file_name() == file { text.replacen(from, to, 1) } else { text };
        std::fs::write(feed.join(entry.file_name()), text).unwrap();
    }
    feed
}

/// The tables of the catalog: an import that failed must leave none of its own behind.
async fn catalog_tables(data: &Path) -> Vec<String> {
    let catalog = server::db::connect(&format!("sqlite://{}", data.join("transit.db").display())).await.unwrap();
    sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'stop_times_%' ORDER BY name")
        .fetch_all(&catalog)
        .await
        .unwrap()
}

#[tokio::test]
async fn a_bad_feed_is_refused_with_file_line_column_and_value_and_changes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "demo").await;
    let before = catalog_tables(dir.path()).await;
    let bad = broken_fixture(dir.path(), "stop_times.txt", "06:10:00,06:10:00", "06:1x:00,06:10:00");
    let out = import(dir.path(), &bad, "demo").await;
    assert!(!out.status.success());
    let message = String::from_utf8_lossy(&out.stderr);
    for part in ["stop_times.txt", "line 8", "arrival_time", "06:1x:00"] {
        assert!(message.contains(part), "{part} missing from: {message}");
    }
    assert_eq!(catalog_tables(dir.path()).await, before, "no half-imported version left");
    let app = spawn_in(dir.path(), &[]).await;
    let (_, feeds) = get(&app, "/api/feeds").await;
    assert_eq!(feeds["feeds"][0]["version"], 1, "the previous version still serves");
    assert_eq!(get(&app, "/api/stops/demo:B").await.0, StatusCode::OK);

    // --lenient skips the bad row and says so.
    let out = bmw(dir.path(), &["gtfs", "import", &bad.display().to_string(), "--feed", "demo", "--lenient"]).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let summary = String::from_utf8_lossy(&out.stdout);
    assert!(summary.contains("skipped 1 rows of stop_times.txt"), "{summary}");
    assert!(summary.contains("replacing version 1"), "{summary}");
}

#[tokio::test]
async fn an_import_killed_halfway_leaves_the_previous_version_serving() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &fixture(), "demo").await;
    let before = catalog_tables(dir.path()).await;
    let big = synthetic_feed(dir.path(), 400_000);
    let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_bmw"))
        .arg("--data-dir")
        .arg(dir.path())
        .args(["gtfs", "import", &big.display().to_string(), "--feed", "demo"])
        .stderr(Stdio::piped())
        .stdout(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    // Kill it once it reports reading stop_times: mid-transaction.
    let mut lines = tokio::io::AsyncBufReadExt::lines(tokio::io::BufReader::new(child.stderr.take().unwrap()));
    while let Some(line) = lines.next_line().await.unwrap() {
        if line.contains("stop_times.txt") {
            break;
        }
    }
    child.start_kill().unwrap();
    let status = child.wait().await.unwrap();
    assert!(!status.success(), "the import must have been killed, not finished");
    assert_eq!(catalog_tables(dir.path()).await, before);
    let app = spawn_in(dir.path(), &[]).await;
    let (_, feeds) = get(&app, "/api/feeds").await;
    assert_eq!(feeds["feeds"][0]["version"], 1);
    let (_, body) = get(&app, "/api/stops/demo:A/departures?at=2026-06-02T00:55:00-04:00&limit=1").await;
    assert_eq!(board(&body)[0].1, "WK_LATE");
}

/// A feed with `stop_times` rows (one stop, one route, one service), to have something that
/// takes long enough to interrupt.
fn synthetic_feed(dir: &Path, stop_times: usize) -> PathBuf {
    use std::io::Write;
    let feed = dir.join("big");
    std::fs::create_dir_all(&feed).unwrap();
    let write = |name: &str, text: &str| std::fs::write(feed.join(name), text).unwrap();
    write("agency.txt", "agency_name,agency_url,agency_timezone\nBig,https://example.org,UTC\n");
    write("stops.txt", "stop_id,stop_name,stop_lat,stop_lon\nS1,One,0,0\nS2,Two,0,0.01\n");
    write("routes.txt", "route_id,route_short_name,route_type\nR,R,3\n");
    write(
        "calendar.txt",
        "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\nX,1,1,1,1,1,1,1,20260101,20261231\n",
    );
    let trips = stop_times / 2;
    let mut t = std::io::BufWriter::new(std::fs::File::create(feed.join("trips.txt")).unwrap());
    let mut st = std::io::BufWriter::new(std::fs::File::create(feed.join("stop_times.txt")).unwrap());
    writeln!(t, "route_id,service_id,trip_id").unwrap();
    writeln!(st, "trip_id,arrival_time,departure_time,stop_id,stop_sequence").unwrap();
    for i in 0..trips {
        writeln!(t, "R,X,T{i}").unwrap();
        let (h, m) = (i / 60 % 24, i % 60);
        writeln!(st, "T{i},{h:02}:{m:02}:00,{h:02}:{m:02}:00,S1,1").unwrap();
        writeln!(st, "T{i},{h:02}:{m:02}:30,{h:02}:{m:02}:30,S2,2").unwrap();
    }
    feed
}

#[tokio::test]
async fn configured_feeds_are_imported_at_start() {
    let dir = tempfile::tempdir().unwrap();
    let feeds = format!("demo={}", fixture().display());
    let app = spawn_in(dir.path(), &[("BMW_FEEDS", &feeds)]).await;
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let (_, body) = get(&app, "/api/feeds").await;
        if body["feeds"].as_array().is_some_and(|f| !f.is_empty()) {
            assert_eq!(body["feeds"][0]["name"], "demo");
            break;
        }
        assert!(std::time::Instant::now() < deadline, "the configured feed was not imported");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_url_feed_is_refreshed_only_when_it_changed() {
    use server::config::{ConfiguredFeed, FeedLocation};
    use server::feeds::{Outcome, refresh::Refresher};
    // A loopback feed server that honours If-None-Match, like a real one.
    let zip = zip_of(&fixture());
    let hits = std::sync::Arc::new(std::sync::Mutex::new(vec![]));
    let seen = hits.clone();
    let etag = std::sync::Arc::new(std::sync::Mutex::new("\"v1\"".to_string()));
    let current = etag.clone();
    let handler = move |headers: http::HeaderMap| {
        let (zip, seen, current) = (zip.clone(), seen.clone(), current.clone());
        async move {
            let asked = headers.get("if-none-match").and_then(|v| v.to_str().ok()).map(String::from);
            seen.lock().unwrap().push(asked.clone());
            let etag = current.lock().unwrap().clone();
            if asked.as_deref() == Some(etag.as_str()) {
                return axum::response::IntoResponse::into_response((StatusCode::NOT_MODIFIED, ""));
            }
            axum::response::IntoResponse::into_response(([(http::header::ETAG, etag)], zip))
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/feed.zip", listener.local_addr().unwrap());
    tokio::spawn(async move {
        axum::serve(listener, axum::Router::new().route("/feed.zip", axum::routing::get(handler))).await
    });

    let dir = tempfile::tempdir().unwrap();
    let catalog =
        server::db::connect_transit(&format!("sqlite://{}", dir.path().join("transit.db").display())).await.unwrap();
    server::db::TRANSIT_MIGRATOR.run(&catalog).await.unwrap();
    let feed = ConfiguredFeed { name: "demo".into(), source: FeedLocation::Url(url) };
    let refresher = Refresher {
        catalog,
        feeds: vec![feed.clone()],
        every: std::time::Duration::from_secs(3600),
        scratch: dir.path().join("downloads"),
        clock: std::sync::Arc::new(app::ssr::clock::SystemClock),
    };
    assert!(matches!(refresher.refresh(&feed).await.unwrap(), Outcome::Imported(i) if i.version == 1));
    assert!(matches!(refresher.refresh(&feed).await.unwrap(), Outcome::Unchanged));
    *etag.lock().unwrap() = "\"v2\"".into();
    assert!(matches!(refresher.refresh(&feed).await.unwrap(), Outcome::Imported(i) if i.version == 2));
    assert_eq!(*hits.lock().unwrap(), [None, Some("\"v1\"".to_string()), Some("\"v1\"".to_string())]);
    assert_eq!(std::fs::read_dir(dir.path().join("downloads")).unwrap().count(), 0, "downloads are deleted");
}

/// A directory's files as a zip, in memory.
fn zip_of(dir: &Path) -> Vec<u8> {
    let out = std::process::Command::new("python3")
        .args(["-c", "import io,os,sys,zipfile\nb=io.BytesIO()\nz=zipfile.ZipFile(b,'w',zipfile.ZIP_DEFLATED)\n[z.write(os.path.join(sys.argv[1],f),f) for f in sorted(os.listdir(sys.argv[1]))]\nz.close()\nsys.stdout.buffer.write(b.getvalue())"])
        .arg(dir)
        .output()
        .expect("python3 zips the fixture");
    assert!(out.status.success());
    out.stdout
}

#[tokio::test]
async fn real_feeds_import_through_the_binary_and_serve_correct_boards() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &real_feed("BMW_TEST_CALTRAIN"), "caltrain").await;
    imported(dir.path(), &real_feed("BMW_TEST_CAIRNS"), "cairns").await;
    let app = spawn_in(dir.path(), &[]).await;
    let (_, feeds) = get(&app, "/api/feeds").await;
    let caltrain = &feeds["feeds"][1];
    assert_eq!((caltrain["stops"].as_i64(), caltrain["stop_times"].as_i64()), (Some(106), Some(5468)));
    assert_eq!(feeds["feeds"][0]["stop_times"], 37_790);

    let (_, found) = get(&app, "/api/stops?q=millbrae").await;
    assert_eq!(found["stops"][0]["id"], "caltrain:place_MLBR");
    // A weekday morning at Millbrae: both platforms, sorted, in Pacific time.
    let (_, body) = get(&app, "/api/stops/caltrain:place_MLBR/departures?at=2026-11-23T08:00:00-08:00&limit=6").await;
    let departures = board(&body);
    assert_eq!(departures.len(), 6);
    assert!(departures.windows(2).all(|w| w[0].0 <= w[1].0), "{departures:?}");
    assert!(departures.iter().all(|d| d.0.starts_with("2026-11-23T08:") && d.0.ends_with("-08:00")), "{departures:?}");
    let platforms: std::collections::BTreeSet<_> = departures.iter().filter_map(|d| d.3.clone()).collect();
    assert_eq!(platforms.len(), 2, "northbound and southbound: {platforms:?}");

    // Cairns just after midnight: the previous service day's 24:xx trips.
    let (_, body) = get(&app, "/api/stops/cairns:750346/departures?at=2014-10-11T00:10:00%2B10:00&limit=3").await;
    let first = &board(&body)[0];
    assert_eq!(first.2, "2014-10-10", "{first:?}");
}
