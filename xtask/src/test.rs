//! `cargo xtask test`: every test, after installing what is missing.
//!
//! lint → Rust tests (unit, integration against the real server, the `gtfs` crate on real
//! feeds) → dev build → departures checked against gtfs-kit → the REST API fuzzed from its
//! OpenAPI document (schemathesis) → Playwright on the dev build →
//! the release build as it ships (`dist`, smoke-tested in Chromium) → the watch check.

use crate::shell::{self, Cmd, root};
use crate::{dist, feeds, fuzz, lint, setup, transit_check, watch};

pub fn run(args: &[&str]) -> Result<(), String> {
    let (rust, e2e) = match args {
        [] => (true, true),
        ["rust"] => (true, false),
        ["e2e"] => (false, true),
        _ => return Err(format!("unknown option {args:?}\n{}", crate::USAGE)),
    };
    let everything = args.is_empty();
    setup::ensure(if e2e { setup::Purpose::Test } else { setup::Purpose::Run })?;
    if everything {
        lint::run()?;
    }
    let feeds = TestFeeds::fetch()?;
    if rust {
        // All crates in one invocation, built exactly as `cargo leptos build` builds the
        // server, so the e2e build below reuses these artifacts.
        Cmd::new("cargo")
            .args(["test", "--package", "server", "--package", "app", "--package", "gtfs", "--features", "app/ssr"])
            .envs(shell::leptos_build_env())
            .envs(feeds.env())
            .run()?;
    }
    if e2e {
        Cmd::new("cargo").args(["leptos", "build"]).run()?;
        transit_check::departures_match_gtfs_kit(&feeds)?;
        fuzz::api_matches_its_document(&feeds, fuzz::DEFAULT_EXAMPLES)?;
        Cmd::new("npx").args(["playwright", "test"]).dir(root().join("end2end")).envs(feeds.env()).run()?;
        // What ships must be what is tested: the release build, run as the container runs it.
        dist::dist(&[])?;
    }
    if everything {
        watch::check()?;
    }
    Ok(())
}

/// The real feeds the tests read (pinned downloads, see `feeds`).
pub struct TestFeeds {
    pub caltrain: std::path::PathBuf,
    pub cairns: std::path::PathBuf,
}

impl TestFeeds {
    pub fn fetch() -> Result<TestFeeds, String> {
        Ok(TestFeeds { caltrain: feeds::caltrain()?, cairns: feeds::cairns()? })
    }

    /// Where the tests find them.
    pub fn env(&self) -> Vec<(&'static str, String)> {
        vec![
            ("BMW_TEST_CALTRAIN", self.caltrain.display().to_string()),
            ("BMW_TEST_CAIRNS", self.cairns.display().to_string()),
        ]
    }
}
