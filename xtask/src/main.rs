//! `cargo xtask`: the project's two commands, and the setup they share.
//!
//!   cargo xtask run [--release]    install what is missing, then serve on http://127.0.0.1:3000
//!                   [--feed nyc]   with Caltrain's timetable (default), or New York's subway and Brooklyn bus
//!   cargo xtask run --split        the same app as two processes: pages :3000, API :8080
//!   cargo xtask test               install what is missing, then run every test
//!   cargo xtask lint               rustfmt and clippy (server and wasm builds), warnings are errors
//!   cargo xtask setup              only install what is missing
//!   cargo xtask fuzz [N]           schemathesis against the REST API's OpenAPI document, N examples
//!                                  per operation (25 by default; `test` runs it too)
//!   cargo xtask dist               release build + the container's runtime tree, smoke-tested in Chromium
//!   cargo xtask bench [--quick]    release build + load figures (see docs/benchmarks.md); --quick
//!                                  measures 3 s instead of 10 s each
//!   cargo xtask bench gtfs [--quick] importing New York's Brooklyn bus feed, against node-gtfs; departures
//!   cargo xtask feeds [WHICH]      fetch the real GTFS feeds into target/feeds: caltrain, cairns, nyc
//!                                  (New York subway and Brooklyn bus) or all (the default)

mod bench;
mod bench_gtfs;
mod bench_live;
mod bench_mybm;
mod bench_report;
mod bench_start;
mod dist;
mod feeds;
mod fuzz;
mod lint;
mod setup;
mod shell;
mod test;
mod transit_check;
mod watch;

use shell::{Cmd, root};
use std::process::ExitCode;

pub const USAGE: &str = "usage: cargo xtask <run [--release] [--split] [--feed caltrain|nyc] | test [rust|e2e] | lint | setup | fuzz [N] | dist [--no-smoke] \
    | bench [gtfs] [--quick] | feeds [caltrain|cairns|nyc|all]>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["run", rest @ ..] => run(rest),
        ["test", rest @ ..] => test::run(rest),
        ["setup"] => setup::ensure(setup::Purpose::Test),
        ["lint"] => setup::ensure(setup::Purpose::Run).and_then(|()| lint::run()),
        ["bench", rest @ ..] => bench_only(rest),
        ["fuzz", rest @ ..] => fuzz_only(rest),
        ["dist", rest @ ..] => dist::dist(rest),
        ["feeds", rest @ ..] => feeds::prefetch(rest),
        ["help" | "--help" | "-h"] | [] => {
            println!("{USAGE}");
            Ok(())
        }
        _ => Err(format!("unknown command {:?}\n{USAGE}", args.join(" "))),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// `cargo xtask fuzz [N]`: the dev build, then schemathesis only, with N examples per operation.
fn bench_only(args: &[&str]) -> Result<(), String> {
    let (quick, which) = match args {
        [rest @ .., "--quick"] => (true, rest),
        rest => (false, rest),
    };
    if quick {
        bench::quick();
    }
    match which {
        [] => bench::run(),
        ["gtfs"] => bench_gtfs::run(),
        _ => Err(format!("unknown option {args:?}\n{USAGE}")),
    }
}

fn fuzz_only(args: &[&str]) -> Result<(), String> {
    let examples = match args {
        [] => fuzz::DEFAULT_EXAMPLES,
        [n] => n.parse().map_err(|_| format!("fuzz takes a number of examples, not {n:?}\n{USAGE}"))?,
        _ => return Err(format!("unknown option {args:?}\n{USAGE}")),
    };
    setup::ensure(setup::Purpose::Run)?;
    Cmd::new("cargo").args(["leptos", "build"]).run()?;
    fuzz::api_matches_its_document(&test::TestFeeds::fetch()?, examples)
}

fn run(args: &[&str]) -> Result<(), String> {
    let (mut release, mut split, mut nyc) = (false, false, false);
    let mut rest = args.iter();
    while let Some(arg) = rest.next() {
        match *arg {
            "--release" => release = true,
            "--split" => split = true,
            "--feed" => match rest.next() {
                Some(&"nyc") => nyc = true,
                Some(&"caltrain") => nyc = false,
                other => return Err(format!("--feed takes caltrain or nyc, not {other:?}\n{USAGE}")),
            },
            _ => return Err(format!("unknown option {arg:?}\n{USAGE}")),
        }
    }
    setup::ensure(if release { setup::Purpose::Release } else { setup::Purpose::Run })?;
    // Real departures from the first start: the server imports the feeds it is given that
    // it does not have yet (BMW_FEEDS), from the package registries' copies.
    let feeds = if nyc {
        format!("subway={},bus_bk={}", feeds::mta("subway")?.display(), feeds::mta("bus_bk")?.display())
    } else {
        format!("caltrain={}", feeds::caltrain()?.display())
    };
    if split {
        return run_split(&feeds);
    }
    let mut serve = Cmd::new("cargo").args(["leptos", "serve"]).env("BMW_FEEDS", &feeds);
    if release {
        // As `dist` builds it: hashed, precompressed bundles in the release site.
        serve = serve.args(["--release", "--precompress"]).envs(dist::release_build_env());
    }
    println!("xtask: serving on http://127.0.0.1:3000 (Ctrl-C stops it; data in ./data; feeds {feeds})");
    serve.run()
}

/// The original 3000/8080 layout: pages on http://localhost:3000, API on http://localhost:8080,
/// two processes of one binary sharing ./data.
fn run_split(feeds: &str) -> Result<(), String> {
    Cmd::new("cargo").args(["leptos", "build"]).run()?;
    let bmw = root().join("target/debug/bmw");
    let common = ["--public-origin", "http://localhost:3000", "--api-origin", "http://localhost:8080"];
    let bmw_cmd = |role: &str, addr: &str| {
        let mut cmd = std::process::Command::new(&bmw);
        cmd.current_dir(root()).env("LEPTOS_SITE_ROOT", "target/site").env("BMW_FEEDS", feeds);
        cmd.args(["--role", role, "--site-addr", addr]);
        cmd.args(common);
        cmd
    };
    let mut api = bmw_cmd("api", "127.0.0.1:8080").spawn().map_err(|e| format!("cannot start the api role: {e}"))?;
    println!("xtask: pages on http://localhost:3000, API on http://localhost:8080 (Ctrl-C stops both)");
    let web = bmw_cmd("web", "127.0.0.1:3000").status();
    let _ = api.kill();
    let _ = api.wait();
    web.map(|_| ()).map_err(|e| format!("cannot start the web role: {e}"))
}
