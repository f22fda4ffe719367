//! `cargo xtask bench gtfs`: importing the Brooklyn bus feed (2.4 million stop_times) with
//! BMW and with node-gtfs in the same run, and the departures endpoint at the feed's busiest
//! stop (with real-time data off and on, `bench_live`), and MyBM for a user with 20 bookmarks
//! (`bench_mybm`). Figures are ratios within one run (see docs/benchmarks.md); writes
//! `target/bench/gtfs.md`.

use crate::dist::{self, Server, TempDir};
use crate::setup::{self, Purpose};
use crate::shell::{Cmd, root};
use crate::{bench, bench_live, bench_mybm, feeds};
use std::path::Path;
use std::process::{Command, Stdio};

const PORT: u16 = 3700;
/// BMW imports per run; the median is reported. node-gtfs takes a minute, so it runs once.
const BMW_RUNS: usize = 3;

pub fn run() -> Result<(), String> {
    // Test: the live-times part serves its messages with the browser tests' GTFS Realtime source.
    setup::ensure(Purpose::Test)?;
    setup::ensure_programs(&[("wrk", "wrk"), ("curl", "curl"), ("time", "time"), ("sqlite3", "sqlite3")])?;
    dist::build()?;
    let feed = feeds::mta("bus_bk")?;
    let node = feeds::node_gtfs()?;
    // The crate's own check of the whole feed (strict, no row skipped).
    Cmd::new("cargo")
        .args(["test", "--release", "--package", "gtfs", "--test", "real_feeds", "--", "--ignored"])
        .env("BMW_TEST_BUS_BK", feed.display().to_string())
        .run()?;

    let scratch = TempDir::new("bench-gtfs")?;
    let bmw = root().join("target/dist/bmw");
    let mut ours = vec![];
    for run in 0..BMW_RUNS {
        let data = scratch.join(&format!("bmw-{run}"));
        let args = ["--data-dir", &data.display().to_string(), "gtfs", "import", &feed.display().to_string()];
        ours.push(timed(Command::new(&bmw).args(args).args(["--feed", "bus_bk"]))?);
    }
    ours.sort_by(|a, b| a.seconds.total_cmp(&b.seconds));
    let ours = ours.swap_remove(BMW_RUNS / 2);
    let node_db = scratch.join("node-gtfs.db");
    let theirs = timed(Command::new("node").current_dir(&node).arg("import.mjs").arg(&feed).arg(&node_db))?;

    let data = scratch.join("bmw-0");
    let busiest = busiest_stops(&data.join("transit.db"), 20)?;
    let stop = busiest[0].clone();
    let mut serve = Command::new(&bmw);
    serve.args(["--data-dir", &data.display().to_string(), "--site-addr", &format!("127.0.0.1:{PORT}")]);
    serve.env("RUST_LOG", "warn").env("LEPTOS_SITE_ROOT", root().join("target/dist/site")).stdout(Stdio::null());
    let server = Server::spawn(serve, PORT)?;
    server.wait_until_healthy()?;
    // A weekday morning inside the feed's dates, so the board is full.
    let departures_path = format!("/api/stops/bus_bk:{stop}/departures?at=2026-10-06T08:00:00-04:00");
    let departures = server.url(&departures_path);
    bench::warm_up(&departures)?;
    let one_health = bench::latency(&server.url("/healthz"))?;
    let one_board = bench::latency(&departures)?;
    let health = bench::wrk(&server.url("/healthz"), None)?;
    let board = bench::wrk(&departures, None)?;
    let mybm = bench_mybm::measure(&server, &busiest)?;
    let live = bench_live::measure(&server, &data, &stop, &departures_path)?;

    let report = [
        "# GTFS benchmark run".to_string(),
        String::new(),
        format!("Feed: MTA Brooklyn bus (`bus_bk`, 2,400,187 stop_times), {}.", feed.display()),
        String::new(),
        "| import of the whole feed into SQLite | wall | peak RSS |".into(),
        "|---|---|---|".into(),
        format!("| node-gtfs 4.18.2 | {:.1} s | {} MB |", theirs.seconds, theirs.rss_kb / 1024),
        format!(
            "| BMW (`bmw gtfs import`, median of {BMW_RUNS}) | {:.1} s | {} MB |",
            ours.seconds,
            ours.rss_kb / 1024
        ),
        format!(
            "| **BMW ÷ node-gtfs** | **{:.3}×** (target ≤ 0.1) | **{:.3}×** (target ≤ 0.25) |",
            ours.seconds / theirs.seconds,
            ours.rss_kb as f64 / theirs.rss_kb as f64
        ),
        String::new(),
        format!("`GET /api/stops/bus_bk:{stop}/departures` (the busiest stop), release build:"),
        String::new(),
        "| request | one connection: p50 / p99 | req/s (wrk -t1 -c32) | ÷ /healthz |".into(),
        "|---|---|---|---|".into(),
        format!("| `/healthz` | {} / {} | {health:.0} | 1.00 |", one_health.p50, one_health.p99),
        format!(
            "| departures | {} / {} (target p99 ≤ 2 ms) | {board:.0} | {:.2} |",
            one_board.p50,
            one_board.p99,
            board / health
        ),
        String::new(),
    ]
    .into_iter()
    .chain(mybm)
    .chain([String::new()])
    .chain(live)
    .collect::<Vec<_>>()
    .join("\n");
    println!("{report}");
    std::fs::create_dir_all(root().join("target/bench")).map_err(|e| e.to_string())?;
    std::fs::write(root().join("target/bench/gtfs.md"), &report).map_err(|e| e.to_string())?;
    Ok(())
}

struct Timed {
    seconds: f64,
    rss_kb: u64,
}

/// Wall time and peak RSS of a whole command, from GNU time.
fn timed(command: &mut Command) -> Result<Timed, String> {
    let program = command.get_program().to_string_lossy().into_owned();
    let mut wrapped = Command::new("/usr/bin/time");
    wrapped.arg("-v").arg(command.get_program()).args(command.get_args());
    if let Some(dir) = command.get_current_dir() {
        wrapped.current_dir(dir);
    }
    println!("$ /usr/bin/time -v {program} …");
    let out = wrapped.stdout(Stdio::null()).output().map_err(|e| format!("cannot run {program}: {e}"))?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    if !out.status.success() {
        return Err(format!("{program} failed:\n{stderr}"));
    }
    let field = |name: &str| stderr.lines().find_map(|l| l.trim().strip_prefix(name)).map(str::trim);
    let wall = field("Elapsed (wall clock) time (h:mm:ss or m:ss):").ok_or("no wall time from /usr/bin/time")?;
    let seconds = wall.split(':').try_fold(0.0, |acc, part| part.parse::<f64>().map(|v| acc * 60.0 + v));
    let rss_kb = field("Maximum resident set size (kbytes):").and_then(|v| v.parse().ok());
    match (seconds, rss_kb) {
        (Ok(seconds), Some(rss_kb)) => Ok(Timed { seconds, rss_kb }),
        _ => Err(format!("cannot read /usr/bin/time's output:\n{stderr}")),
    }
}

/// The `n` stops with the most stop_times in the active version, busiest first.
fn busiest_stops(catalog: &Path, n: usize) -> Result<Vec<String>, String> {
    let version = Cmd::new("sqlite3")
        .arg(catalog.display().to_string())
        .arg("SELECT active_version FROM feeds WHERE name = 'bus_bk'")
        .output()
        .ok_or("cannot read the catalog with sqlite3")?;
    let version = version.trim();
    let query = format!(
        "SELECT s.stop_id FROM stops s JOIN (SELECT stop_idx, count(*) AS n FROM stop_times_{version} GROUP BY stop_idx \
         ORDER BY n DESC LIMIT {n}) b ON s.idx = b.stop_idx WHERE s.version = {version} ORDER BY b.n DESC"
    );
    Cmd::new("sqlite3")
        .arg(catalog.display().to_string())
        .arg(query)
        .output()
        .map(|s| s.lines().map(str::to_string).collect::<Vec<_>>())
        .filter(|stops| stops.len() == n)
        .ok_or_else(|| format!("cannot find the {n} busiest stops"))
}
