//! Live times' cost, part of `cargo xtask bench gtfs`: the departures endpoint's latency with
//! real-time data on and off, in the same run on the same data. A second server shares the
//! imported catalog and polls a loopback GTFS Realtime source (end2end/realtime-source.mjs)
//! every second, whose message delays every trip that calls at the stop and thousands of others,
//! with an alert on the stop; the two servers are measured in turns.

use crate::bench;
use crate::dist::Server;
use crate::shell::{Cmd, root};
use std::path::Path;
use std::process::{Command, Stdio};

const SOURCE_PORT: u16 = 3702;
const LIVE_PORT: u16 = 3703;
/// About what a big city's trip-updates feed holds at rush hour.
const TRIPS: usize = 3_000;
const ROUNDS: usize = 2;

/// `off` serves `data` without real-time data; `path` is the departures request.
pub fn measure(off: &Server, data: &Path, stop: &str, path: &str) -> Result<Vec<String>, String> {
    let source_cmd = {
        let mut c = Command::new("node");
        c.arg(root().join("end2end/realtime-source.mjs")).arg(SOURCE_PORT.to_string()).stdout(Stdio::null());
        c
    };
    let source = Server::spawn(source_cmd, SOURCE_PORT)?;
    source.wait_until_healthy()?;
    let message = root().join("target/bench/realtime-message.json");
    std::fs::write(&message, message_json(&trips(&data.join("transit.db"), stop)?)).map_err(|e| e.to_string())?;
    Cmd::new("curl")
        .args(["-fsS", "-X", "PUT", "--data-binary", &format!("@{}", message.display()), &source.url("/feed")])
        .run()?;

    let mut serve = Command::new(root().join("target/dist/bmw"));
    serve
        .args(["--data-dir", &data.display().to_string(), "--site-addr", &format!("127.0.0.1:{LIVE_PORT}")])
        .env("BMW_REALTIME", format!("bus_bk={}", source.url("/feed")))
        .env("BMW_REALTIME_POLL_SECS", "1")
        .env("RUST_LOG", "warn")
        .env("LEPTOS_SITE_ROOT", root().join("target/dist/site"))
        .stdout(Stdio::null());
    let live = Server::spawn(serve, LIVE_PORT)?;
    live.wait_until_healthy()?;
    wait_until_live(&live, path)?;
    bench::warm_up(&live.url(path))?;

    let (mut off_p99, mut on_p99) = (vec![], vec![]);
    let mut rows = vec![];
    for round in 1..=ROUNDS {
        for (name, server, p99s) in [("off", off, &mut off_p99), ("on", &live, &mut on_p99)] {
            let latency = bench::latency(&server.url(path))?;
            rows.push(format!("| {round} | real time {name} | {} | {} |", latency.p50, latency.p99));
            p99s.push(millis(&latency.p99)?);
        }
    }
    let best = |v: &[f64]| v.iter().copied().fold(f64::INFINITY, f64::min);
    let ratio = best(&on_p99) / best(&off_p99);
    Ok([
        format!(
            "Live times: the same departures with a GTFS Realtime source polled every second ({TRIPS} trips \
             delayed, every trip at the stop among them, and an alert), against none, in turns:"
        ),
        String::new(),
        "| round | server | p50 | p99 |".into(),
        "|---|---|---|---|".into(),
    ]
    .into_iter()
    .chain(rows)
    .chain([String::new(), format!("Best p99, real time on ÷ off: **{ratio:.2}×** (target ≤ 1.2)."), String::new()])
    .collect())
}

/// Every trip that calls at `stop`, then others, up to [`TRIPS`].
fn trips(catalog: &Path, stop: &str) -> Result<Vec<String>, String> {
    let sql = |query: String| {
        Cmd::new("sqlite3").arg(catalog.display().to_string()).arg(query).output().ok_or("cannot read the catalog")
    };
    let version = sql("SELECT active_version FROM feeds WHERE name = 'bus_bk'".into())?;
    let v = version.trim();
    let at_stop = sql(format!(
        "SELECT DISTINCT t.trip_id FROM stops s JOIN stop_times_{v} st ON st.stop_idx = s.idx \
         JOIN trips t ON t.version = {v} AND t.idx = st.trip_idx WHERE s.version = {v} AND s.stop_id = '{stop}'"
    ))?;
    let others = sql(format!("SELECT trip_id FROM trips WHERE version = {v} ORDER BY idx LIMIT {TRIPS}"))?;
    let mut trips: Vec<String> = at_stop.lines().chain(others.lines()).map(str::to_string).collect();
    trips.dedup();
    trips.truncate(TRIPS);
    Ok(trips)
}

/// The message as realtime-source.mjs takes it: each trip 2 minutes late on the bench's day, and
/// an alert on the stop.
fn message_json(trips: &[String]) -> String {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let updates: Vec<String> = trips
        .iter()
        .enumerate()
        .map(|(i, trip)| {
            let trip = trip.replace('\\', "\\\\").replace('"', "\\\"");
            format!(
                r#"{{"id":"u{i}","tripUpdate":{{"trip":{{"tripId":"{trip}","startDate":"20261006"}},"delay":120}}}}"#
            )
        })
        .collect();
    let alert = r#"{"id":"alert","alert":{"informedEntity":[{"agencyId":"MTA NYCT"}],"headerText":{"translation":[{"text":"Buses may be delayed","language":"en"}]}}}"#;
    format!(
        r#"{{"header":{{"gtfsRealtimeVersion":"2.0","timestamp":{now}}},"entity":[{},{alert}]}}"#,
        updates.join(",")
    )
}

/// Waits until the live server's board shows the delays (its first poll has been merged).
fn wait_until_live(live: &Server, path: &str) -> Result<(), String> {
    for _ in 0..100 {
        let board = Cmd::new("curl").args(["-fsS", &live.url(path)]).output().unwrap_or_default();
        if board.contains(r#""status":"late""#) {
            return Ok(());
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    }
    Err("the live server never showed the delays".into())
}

/// wrk's latency ("812.00us", "1.03ms") in milliseconds.
fn millis(text: &str) -> Result<f64, String> {
    let unit = text.trim_start_matches(|c: char| c.is_ascii_digit() || c == '.');
    let value: f64 = text[..text.len() - unit.len()].parse().map_err(|_| format!("not a latency: {text}"))?;
    match unit {
        "us" => Ok(value / 1000.0),
        "ms" => Ok(value),
        "s" => Ok(value * 1000.0),
        _ => Err(format!("not a latency: {text}")),
    }
}
