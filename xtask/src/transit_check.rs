//! Our departures against an independent implementation: the dev binary imports the real
//! feeds, serves them, and `xtask/scripts/compare_departures.py` recomputes sampled boards
//! with gtfs-kit (its own calendar handling, its own time-zone and after-midnight arithmetic)
//! and compares them with what our API answers.

use crate::dist::{Server, TempDir};
use crate::feeds;
use crate::shell::{Cmd, root};
use crate::test::TestFeeds;
use std::process::{Command, Stdio};

const PORT: u16 = 3600;

pub fn departures_match_gtfs_kit(test_feeds: &TestFeeds) -> Result<(), String> {
    let python = feeds::python_env()?;
    let data = TempDir::new("departures")?;
    let bmw = root().join("target/debug/bmw");
    let data_dir = data.join("data").display().to_string();
    let feeds = [("caltrain", &test_feeds.caltrain), ("cairns", &test_feeds.cairns)];
    for (name, path) in feeds {
        Cmd::new(&bmw.display().to_string())
            .args(["--data-dir", &data_dir, "gtfs", "import", &path.display().to_string(), "--feed", name])
            .run()?;
    }
    let mut serve = Command::new(&bmw);
    serve
        .args(["--data-dir", &data_dir, "--site-addr", &format!("127.0.0.1:{PORT}")])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::null());
    let server = Server::spawn(serve, PORT)?;
    server.wait_until_healthy()?;
    for (name, path) in feeds {
        Cmd::new(&python.display().to_string())
            .arg(root().join("xtask/scripts/compare_departures.py").display().to_string())
            .args(["--feed-path", &path.display().to_string(), "--feed-name", name, "--api", &server.url("")])
            .run()?;
    }
    println!("xtask: departures agree with gtfs-kit on Caltrain and Cairns");
    Ok(())
}
