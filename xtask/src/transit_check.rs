//! Our departures against an independent implementation: the dev binary imports the real
//! feeds, serves them, and `xtask/scripts/compare_departures.py` recomputes sampled boards
//! with gtfs-kit (its own calendar handling, its own time-zone and after-midnight arithmetic)
//! and compares them with what our API answers.

use crate::dist::{Server, TempDir};
use crate::feeds;
use crate::shell::{Cmd, root};
use crate::test::TestFeeds;

const PORT: u16 = 3600;

pub fn departures_match_gtfs_kit(test_feeds: &TestFeeds) -> Result<(), String> {
    let python = feeds::python_env()?;
    let data = TempDir::new("departures")?;
    let feeds = [("caltrain", test_feeds.caltrain.as_path()), ("cairns", test_feeds.cairns.as_path())];
    let server = Server::dev_with_feeds(&data, &feeds, PORT)?;
    for (name, path) in feeds {
        Cmd::new(&python.display().to_string())
            .arg(root().join("xtask/scripts/compare_departures.py").display().to_string())
            .args(["--feed-path", &path.display().to_string(), "--feed-name", name, "--api", &server.url("")])
            .run()?;
    }
    println!("xtask: departures agree with gtfs-kit on Caltrain and Cairns");
    Ok(())
}
