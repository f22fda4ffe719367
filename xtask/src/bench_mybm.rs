//! MyBM under load, part of `cargo xtask bench gtfs`: a user with 4 groups of 5 bookmarks at
//! the Brooklyn bus feed's 20 busiest stops. The signed-in MyBM page against the signed-out
//! home page, and `GET /api/mybm` at one connection, all at one weekday morning inside the
//! feed's dates so that every bookmark has its departures.

use crate::bench;
use crate::dist::Server;
use crate::shell::Cmd;

const AT: &str = "2026-10-06T08:00:00-04:00";
const GROUPS: usize = 4;
const PER_GROUP: usize = 5;

pub fn measure(server: &Server, stops: &[String]) -> Result<Vec<String>, String> {
    let cookie = bench::sign_up(server, "mybm")?;
    let mut groups = vec![first_group(server, &cookie)?];
    for name in ["Work", "Gym", "Friends"].iter().take(GROUPS - 1) {
        groups.push(id_in(&post(server, &cookie, "/api/bm-groups", &format!(r#"{{"name":"{name}"}}"#))?)?);
    }
    for (i, stop) in stops.iter().take(GROUPS * PER_GROUP).enumerate() {
        let body = format!(r#"{{"stop_id":"bus_bk:{stop}","walk_minutes":{}}}"#, i % 12);
        post(server, &cookie, &format!("/api/bm-groups/{}/bookmarks", groups[i / PER_GROUP]), &body)?;
    }
    let at = format!("at={}", AT.replace(':', "%3A").replace('+', "%2B"));
    let page = server.url(&format!("/mybm?{at}"));
    let api = server.url(&format!("/api/mybm?{at}"));
    let header = format!("Cookie: {cookie}");
    let api_latency = bench::latency_with(&api, Some(&header))?;
    let home = bench::wrk(&server.url("/"), None)?;
    let mybm = bench::wrk(&page, Some(&header))?;
    let api_rps = bench::wrk(&api, Some(&header))?;
    Ok(vec![
        format!(
            "MyBM: {GROUPS} groups, {} bookmarks (the busiest stops), 3 departures each, at {AT}:",
            GROUPS * PER_GROUP
        ),
        String::new(),
        "| request | one connection: p50 / p99 | req/s (wrk -t1 -c32) | ÷ signed-out home |".into(),
        "|---|---|---|---|".into(),
        format!("| `GET /` (SSR, signed out) | | {home:.0} | 1.00 |"),
        format!("| `GET /mybm` (SSR, signed in) | | {mybm:.0} | {:.2} (target ≥ 0.5) |", mybm / home),
        format!(
            "| `GET /api/mybm` | {} / {} (target p99 ≤ 5 ms) | {api_rps:.0} | {:.2} |",
            api_latency.p50,
            api_latency.p99,
            api_rps / home
        ),
    ])
}

fn first_group(server: &Server, cookie: &str) -> Result<String, String> {
    let groups = Cmd::new("curl")
        .args(["-sS", "--fail-with-body", "-H", &format!("Cookie: {cookie}")])
        .arg(server.url("/api/bm-groups"))
        .output()
        .ok_or("cannot list the bench user's groups")?;
    id_in(&groups)
}

fn post(server: &Server, cookie: &str, path: &str, body: &str) -> Result<String, String> {
    Cmd::new("curl")
        .args(["-sS", "--fail-with-body", "-H", "content-type: application/json", "-H", &format!("Cookie: {cookie}")])
        .args(["-d", body])
        .arg(server.url(path))
        .output()
        .ok_or_else(|| format!("POST {path} {body} failed"))
}

/// The first `"id":N` of a JSON answer (xtask has no JSON parser, and needs no more).
fn id_in(json: &str) -> Result<String, String> {
    json.split_once("\"id\":")
        .map(|(_, rest)| rest.chars().take_while(char::is_ascii_digit).collect::<String>())
        .filter(|id| !id.is_empty())
        .ok_or_else(|| format!("no id in {json}"))
}
