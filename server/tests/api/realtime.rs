//! Live arrivals end to end: a real Caltrain import, a loopback GTFS Realtime server that the
//! real `bmw` polls (messages built here: delays, a cancellation, a skipped stop, an added trip,
//! alerts, a stale timestamp, garbage, an oversized message), and what the API, the stop page (rendered
//! on the server, as a browser without JavaScript gets it) and MyBM show for each.

use crate::helpers::*;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use gtfs::realtime::proto::{
    Alert, EntitySelector, FeedEntity, FeedHeader, FeedMessage, TimeRange, TranslatedString, TripDescriptor,
    TripUpdate, translated_string::Translation, trip_descriptor, trip_update,
};
use prost::Message;
use serde_json::{Value, json};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const STATION: &str = "caltrain:place_MLBR";
const AT: &str = "2026-11-23T08:00:00-08:00";

/// What the loopback real-time server answers, and the headers of what it was asked.
#[derive(Default)]
struct Source {
    body: Mutex<(Vec<u8>, String)>,
    asked: Mutex<Vec<HeaderMap>>,
}

impl Source {
    fn serve(&self, body: Vec<u8>) {
        let etag = format!("\"v{}\"", self.asked().len());
        *self.body.lock().unwrap() = (body, etag);
    }

    fn asked(&self) -> Vec<HeaderMap> {
        self.asked.lock().unwrap().clone()
    }

    /// Waits until the server has been asked `more` more times (polls are a second apart, more
    /// after errors).
    async fn polled(&self, more: usize) {
        let target = self.asked().len() + more;
        for _ in 0..200 {
            if self.asked().len() >= target {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("bmw stopped polling the real-time source");
    }
}

async fn answer(State(source): State<Arc<Source>>, headers: HeaderMap) -> (StatusCode, HeaderMap, Vec<u8>) {
    source.asked.lock().unwrap().push(headers.clone());
    let (body, etag) = source.body.lock().unwrap().clone();
    let mut out = HeaderMap::new();
    out.insert("etag", etag.parse().unwrap());
    match headers.get("if-none-match").is_some_and(|tag| tag == etag.as_str()) {
        true => (StatusCode::NOT_MODIFIED, out, vec![]),
        false => (StatusCode::OK, out, body),
    }
}

async fn source_server() -> (Arc<Source>, String) {
    let source = Arc::new(Source::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/trip-updates", listener.local_addr().unwrap());
    let router = axum::Router::new().route("/trip-updates", axum::routing::get(answer)).with_state(source.clone());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (source, url)
}

fn now() -> i64 {
    SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() as i64
}

fn text(translations: &[(&str, &str)]) -> Option<TranslatedString> {
    let translation = translations
        .iter()
        .map(|(language, text)| Translation { text: text.to_string(), language: Some(language.to_string()) })
        .collect();
    Some(TranslatedString { translation })
}

fn alert(id: &str, selector: EntitySelector, header: &[(&str, &str)], period: Option<(i64, i64)>) -> FeedEntity {
    let active_period =
        period.map(|(start, end)| TimeRange { start: Some(start as u64), end: Some(end as u64) }).into_iter().collect();
    let alert =
        Alert { informed_entity: vec![selector], header_text: text(header), active_period, ..Default::default() };
    FeedEntity { id: id.into(), alert: Some(alert), ..Default::default() }
}

fn update(
    trip_id: &str,
    relationship: trip_descriptor::ScheduleRelationship,
    stops: Vec<trip_update::StopTimeUpdate>,
) -> FeedEntity {
    let trip = TripDescriptor {
        trip_id: Some(trip_id.into()),
        start_date: Some("20261123".into()),
        schedule_relationship: Some(relationship as i32),
        ..Default::default()
    };
    let trip_update = TripUpdate { trip, stop_time_update: stops, ..Default::default() };
    FeedEntity { id: format!("trip-{trip_id}"), trip_update: Some(trip_update), ..Default::default() }
}

fn at_stop(
    (seq, stop_id): (u32, &str),
    delay: Option<i32>,
    time: Option<i64>,
    relationship: trip_update::stop_time_update::ScheduleRelationship,
) -> trip_update::StopTimeUpdate {
    trip_update::StopTimeUpdate {
        stop_sequence: Some(seq),
        stop_id: Some(stop_id.into()),
        departure: Some(trip_update::StopTimeEvent { delay, time, ..Default::default() }),
        schedule_relationship: Some(relationship as i32),
        ..Default::default()
    }
}

fn message(made_at: i64, entity: Vec<FeedEntity>) -> Vec<u8> {
    let header =
        FeedHeader { gtfs_realtime_version: "2.0".into(), timestamp: Some(made_at as u64), ..Default::default() };
    FeedMessage { header, entity }.encode_to_vec()
}

/// Each call of a trip: (stop_sequence, stop id, scheduled departure in GTFS seconds), from the
/// catalog itself, since the API does not show stop sequences.
async fn calls(app: &TestApp, trip_id: &str) -> Vec<(u32, String, i64)> {
    let catalog = server::db::connect(&format!("sqlite://{}/transit.db", app.dir.display())).await.unwrap();
    let version: i64 = sqlx::query_scalar("SELECT active_version FROM feeds WHERE name = 'caltrain'")
        .fetch_one(&catalog)
        .await
        .unwrap();
    let sql = format!(
        "SELECT st.seq, s.stop_id, st.departure FROM stop_times_{version} st
         JOIN trips t ON t.version = ?1 AND t.idx = st.trip_idx
         JOIN stops s ON s.version = ?1 AND s.idx = st.stop_idx
         WHERE t.trip_id = ?2 ORDER BY st.seq"
    );
    let rows: Vec<(i64, String, i64)> =
        sqlx::query_as(&sql).bind(version).bind(trip_id).fetch_all(&catalog).await.unwrap();
    rows.into_iter().map(|(seq, stop, departure)| (seq as u32, stop, departure)).collect()
}

async fn get_json(client: &reqwest::Client, url: String) -> Value {
    let res = client.get(url).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    res.json().await.unwrap()
}

async fn board(app: &TestApp, at: &str) -> Value {
    let path = format!("/api/stops/{STATION}/departures?at={}&limit=10", at.replace('+', "%2B"));
    get_json(&app.bare(), app.url(&path)).await
}

/// Asks for the board until `done` says it shows what is awaited (the poller runs each second).
async fn board_until(app: &TestApp, done: impl Fn(&Value) -> bool) -> Value {
    for _ in 0..200 {
        let body = board(app, AT).await;
        if done(&body) {
            return body;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("the board never showed it: {}", board(app, AT).await);
}

fn departure<'a>(body: &'a Value, trip: &str) -> &'a Value {
    body["departures"].as_array().unwrap().iter().find(|d| d["trip_id"] == trip).unwrap_or_else(|| {
        panic!("{trip} is not on the board: {body}");
    })
}

fn unix(departure: &Value) -> i64 {
    departure["unix"].as_i64().unwrap()
}

#[tokio::test]
async fn live_predictions_cancellations_skips_and_alerts_reach_the_api_the_stop_page_and_mybm() {
    use trip_descriptor::ScheduleRelationship::{Canceled, New, Scheduled};
    use trip_update::stop_time_update::ScheduleRelationship::{Scheduled as Runs, Skipped};
    let (source, url) = source_server().await;
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &real_feed("BMW_TEST_CALTRAIN"), "caltrain").await;
    let sources = format!("caltrain={url}");
    let settings = [
        ("BMW_REALTIME", sources.as_str()),
        ("BMW_REALTIME_POLL_SECS", "1"),
        ("BMW_REALTIME_HEADERS", "caltrain=x-api-key: k3y-for-the-test"),
    ];
    let app = spawn_in(dir.path(), &settings).await;

    // The timetable first: nothing has come yet (the source answers an empty body, which is an
    // empty message), so nothing is live.
    let scheduled = board(&app, AT).await;
    let trips: Vec<String> =
        scheduled["departures"].as_array().unwrap().iter().map(|d| d["trip_id"].as_str().unwrap().into()).collect();
    assert_eq!(trips.len(), 10, "{scheduled}");
    assert!(scheduled["departures"].as_array().unwrap().iter().all(|d| d["status"] == "scheduled"));
    // A trip due at 07:4x that will run 20 minutes late: a board at 08:00 must still show it.
    let before = board(&app, "2026-11-23T07:30:00-08:00").await;
    let late_one = before["departures"]
        .as_array()
        .unwrap()
        .iter()
        .rfind(|d| {
            unix(d) < unix(&scheduled["departures"][0]) && !trips.contains(&d["trip_id"].as_str().unwrap().into())
        })
        .expect("a departure between 07:30 and 08:00")
        .clone();

    let call_here = |calls: &[(u32, String, i64)], d: &Value| {
        let here = d["stop_id"].as_str().unwrap().trim_start_matches("caltrain:").to_string();
        calls.iter().find(|(_, stop, _)| *stop == here).cloned().expect("the trip calls here")
    };
    let mut entities = vec![];
    let (d0, d1, d2, d3, d4) = (
        &scheduled["departures"][0],
        &trips[1],
        &scheduled["departures"][2],
        &scheduled["departures"][3],
        &scheduled["departures"][4],
    );
    // Seven minutes late, said at this stop.
    let c0 = call_here(&calls(&app, &trips[0]).await, d0);
    entities.push(update(&trips[0], Scheduled, vec![at_stop((c0.0, &c0.1), Some(420), None, Runs)]));
    entities.push(update(d1, Canceled, vec![]));
    let c2 = call_here(&calls(&app, &trips[2]).await, d2);
    entities.push(update(&trips[2], Scheduled, vec![at_stop((c2.0, &c2.1), None, None, Skipped)]));
    // Three minutes late at the stop before, as an absolute time only: it propagates here.
    let calls3 = calls(&app, &trips[3]).await;
    let c3 = call_here(&calls3, d3);
    let previous = calls3.iter().rev().find(|(seq, _, _)| *seq < c3.0).expect("a stop before this one").clone();
    let previous_unix = unix(d3) - (c3.2 - previous.2);
    entities.push(update(
        &trips[3],
        Scheduled,
        vec![at_stop((previous.0, &previous.1), None, Some(previous_unix + 180), Runs)],
    ));
    let c4 = call_here(&calls(&app, &trips[4]).await, d4);
    entities.push(update(&trips[4], Scheduled, vec![at_stop((c4.0, &c4.1), Some(20), None, Runs)]));
    let late_trip = late_one["trip_id"].as_str().unwrap();
    let late_delay = (unix(&scheduled["departures"][0]) + 300 - unix(&late_one)) as i32;
    let cl = call_here(&calls(&app, late_trip).await, &late_one);
    entities.push(update(late_trip, Scheduled, vec![at_stop((cl.0, &cl.1), Some(late_delay), None, Runs)]));
    let route0 = d0["route"]["id"].as_str().unwrap().trim_start_matches("caltrain:").to_string();
    // A trip the timetable lacks, on d0's route, from d0's platform two minutes after it.
    let mut extra = update("extra-1", New, vec![at_stop((1, &c0.1), None, Some(unix(d0) + 120), Runs)]);
    let extra_update = extra.trip_update.as_mut().unwrap();
    extra_update.trip.route_id = Some(route0.clone());
    extra_update.trip_properties =
        Some(trip_update::TripProperties { trip_headsign: Some("Special event train".into()), ..Default::default() });
    entities.push(extra);
    let (t, hour) = (now(), 3600);
    let route_alert = EntitySelector { route_id: Some(route0.clone()), ..Default::default() };
    entities.push(alert(
        "line",
        route_alert,
        &[("en", "Delays on the line"), ("fr", "Retards sur la ligne")],
        Some((t - hour, t + hour)),
    ));
    let station = EntitySelector { stop_id: Some("place_MLBR".into()), ..Default::default() };
    entities.push(alert("lift", station, &[("en", "Elevator <out> of service")], None));
    let old = EntitySelector { stop_id: Some("place_MLBR".into()), ..Default::default() };
    entities.push(alert("old", old, &[("en", "Yesterday's news")], Some((t - 2 * hour, t - hour))));
    source.serve(message(t, entities.clone()));

    let body = board_until(&app, |b| b["live"]["state"] == "live" && b["departures"][0]["status"] != "scheduled").await;
    let late = departure(&body, &trips[0]);
    assert_eq!((late["status"].as_str(), late["delay_s"].as_i64()), (Some("late"), Some(420)), "{late}");
    assert_eq!(late["scheduled_at"], d0["scheduled_at"], "the timetable's time stays");
    let predicted = late["predicted_at"].as_str().unwrap().parse::<jiff::Timestamp>().unwrap();
    assert_eq!(predicted.as_second(), unix(d0) + 420);
    assert!(late["prediction_made_at"].as_str().unwrap().ends_with("-08:00"));
    assert_eq!(late["alerts"][0]["header"], "Delays on the line", "a route alert is on its departures");
    let cancelled = departure(&body, d1);
    assert_eq!((cancelled["status"].as_str(), cancelled.get("predicted_at")), (Some("cancelled"), None));
    assert_eq!(departure(&body, &trips[2])["status"], "skipped");
    let propagated = departure(&body, &trips[3]);
    assert_eq!(
        (propagated["status"].as_str(), propagated["delay_s"].as_i64()),
        (Some("late"), Some(180)),
        "{propagated}"
    );
    assert_eq!(departure(&body, &trips[4])["status"], "on_time");
    let found_late = departure(&body, late_trip);
    assert_eq!(
        found_late["delay_s"].as_i64(),
        Some(i64::from(late_delay)),
        "a late trip due before 08:00 is still on the board"
    );
    let added = departure(&body, "extra-1");
    assert_eq!((added["status"].as_str(), added["headsign"].as_str()), (Some("added"), Some("Special event train")));
    assert_eq!((added["unix"].as_i64(), &added["route"]["id"]), (Some(unix(d0) + 120), &d0["route"]["id"]));
    let leaves: Vec<i64> = body["departures"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| unix(d) + d["delay_s"].as_i64().unwrap_or_default())
        .collect();
    assert!(leaves.windows(2).all(|w| w[0] <= w[1]), "in the order they will leave: {leaves:?}");
    let headers: Vec<&str> = body["alerts"].as_array().unwrap().iter().map(|a| a["header"].as_str().unwrap()).collect();
    assert!(headers.contains(&"Elevator <out> of service") && headers.contains(&"Delays on the line"), "{headers:?}");
    assert!(!headers.contains(&"Yesterday's news"), "an alert whose active period ended is not shown");
    let french = app
        .bare()
        .get(app.url(&format!("/api/stops/{STATION}/departures?at={AT}")))
        .header("accept-language", "fr-CA,fr;q=0.9");
    let french: Value = french.send().await.unwrap().json().await.unwrap();
    assert_eq!(departure(&french, &trips[0])["alerts"][0]["header"], "Retards sur la ligne");

    // The source was asked with the API key, and conditionally once it had given an ETag.
    source.polled(2).await;
    let asked = source.asked();
    assert!(asked.iter().all(|h| h["x-api-key"] == "k3y-for-the-test"));
    assert!(asked.iter().any(|h| h.get("if-none-match").is_some()), "conditional requests");

    // The stop page as a browser without JavaScript gets it.
    let page = app.bare().get(app.url(&format!("/stops/{STATION}?at=2026-11-23T08:00"))).send().await.unwrap();
    let html = page.text().await.unwrap();
    for expected in [
        "7 min late",
        "3 min late",
        "cancelled",
        "skips this stop",
        "on time",
        "Live times, updated",
        "Elevator &lt;out&gt; of service",
    ] {
        assert!(html.contains(expected), "the stop page lacks {expected:?}");
    }

    // MyBM: when to leave follows the prediction.
    let client = app.browser();
    assert_eq!(app.sign_up(&client, "rider", PASSWORD).await.status(), StatusCode::CREATED);
    let group =
        json_body(client.post(app.url("/api/bm-groups")).json(&json!({"name": "Work"})).send().await.unwrap()).await;
    let bookmark = json!({"stop_id": STATION, "walk_minutes": 5});
    let saved = client
        .post(app.url(&format!("/api/bm-groups/{}/bookmarks", group["id"])))
        .json(&bookmark)
        .send()
        .await
        .unwrap();
    assert_eq!(saved.status(), StatusCode::CREATED);
    let mybm = get_json(&client, app.url(&format!("/api/mybm?at={}&departures=6", AT.replace('+', "%2B")))).await;
    let row = mybm["groups"].as_array().unwrap().iter().find(|g| g["name"] == "Work").unwrap()["bookmarks"][0].clone();
    assert_eq!(row["live"]["state"], "live");
    let leave = row["departures"].as_array().unwrap().iter().find(|d| d["trip_id"] == trips[0].as_str()).unwrap();
    assert_eq!(leave["leave_at_unix"].as_i64(), Some(unix(d0) + 420 - 300), "leave by the predicted time");
    assert!(row["alerts"].as_array().unwrap().iter().any(|a| a["header"] == "Elevator <out> of service"));
    let extra = row["departures"].as_array().unwrap().iter().find(|d| d["trip_id"] == "extra-1");
    assert_eq!(extra.map(|d| &d["status"]), Some(&json!("added")), "MyBM shows the added trip too");
    let html = client.get(app.url("/mybm?at=2026-11-23T16:00:00Z")).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("min late") && html.contains("Live times, updated"), "MyBM shows the live times");

    // Garbage, then a 5 MB message: both are dropped and the last good data stays.
    source.serve(b"this is not a protobuf message \xff\xff\xff".to_vec());
    source.polled(2).await;
    source.serve(vec![7u8; 5 << 20]);
    source.polled(2).await;
    let body = board(&app, AT).await;
    assert_eq!(
        (body["live"]["state"].as_str(), departure(&body, &trips[0])["delay_s"].as_i64()),
        (Some("live"), Some(420))
    );

    // A message made ten minutes ago is too old to be shown as live: schedule only.
    source.serve(message(now() - 600, entities));
    let body = board_until(&app, |b| b["live"]["state"] == "stale").await;
    assert!(
        body["departures"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["status"] == "scheduled" && d.get("predicted_at").is_none())
    );
    let html = app
        .bare()
        .get(app.url(&format!("/stops/{STATION}?at=2026-11-23T08:00")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("Schedule only: live times are unavailable") && !html.contains("7 min late"));
}

#[tokio::test]
async fn a_feed_without_a_real_time_source_says_schedule_only() {
    let dir = tempfile::tempdir().unwrap();
    imported(dir.path(), &real_feed("BMW_TEST_CALTRAIN"), "caltrain").await;
    let app = spawn_in(dir.path(), &[]).await;
    let body = board(&app, AT).await;
    assert_eq!(body["live"], json!({"state": "off"}));
    assert!(body["departures"].as_array().unwrap().iter().all(|d| d["status"] == "scheduled"));
    let html = app.bare().get(app.url(&format!("/stops/{STATION}"))).send().await.unwrap().text().await.unwrap();
    assert!(html.contains("Schedule only: this feed has no live times"));
}
