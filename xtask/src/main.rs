//! `cargo xtask`: the project's two commands, and the setup they share.
//!
//!   cargo xtask run [--release]    install what is missing, then serve on http://127.0.0.1:3000
//!   cargo xtask run --split        the same app as two processes: pages :3000, API :8080
//!   cargo xtask test               install what is missing, then run every test
//!   cargo xtask lint               rustfmt and clippy (server and wasm builds), warnings are errors
//!   cargo xtask setup              only install what is missing
//!   cargo xtask dist               release build + the container's runtime tree, smoke-tested in Chromium
//!   cargo xtask bench              release build + load figures (see docs/benchmarks.md)

mod bench;
mod dist;
mod lint;
mod setup;
mod shell;
mod watch;

use shell::{Cmd, root};
use std::process::ExitCode;

const USAGE: &str =
    "usage: cargo xtask <run [--release | --split] | test [rust|e2e] | lint | setup | dist [--no-smoke] | bench>";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["run", rest @ ..] => run(rest),
        ["test", rest @ ..] => test(rest),
        ["setup"] => setup::ensure(setup::Purpose::Test),
        ["lint"] => setup::ensure(setup::Purpose::Run).and_then(|()| lint::run()),
        ["bench"] => bench::run(),
        ["dist", rest @ ..] => dist::dist(rest),
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

fn run(args: &[&str]) -> Result<(), String> {
    let (release, split) = match args {
        [] => (false, false),
        ["--release"] => (true, false),
        ["--split"] => (false, true),
        _ => return Err(format!("unknown option {args:?}\n{USAGE}")),
    };
    setup::ensure(if release { setup::Purpose::Release } else { setup::Purpose::Run })?;
    if split {
        return run_split();
    }
    let mut serve = Cmd::new("cargo").args(["leptos", "serve"]);
    if release {
        serve = serve.arg("--release");
    }
    println!("xtask: serving on http://127.0.0.1:3000 (Ctrl-C stops it; data in ./data)");
    serve.run()
}

/// The original 3000/8080 layout: pages on http://localhost:3000, API on http://localhost:8080,
/// two processes of one binary sharing ./data.
fn run_split() -> Result<(), String> {
    Cmd::new("cargo").args(["leptos", "build"]).run()?;
    let bmw = root().join("target/debug/bmw");
    let common = ["--public-origin", "http://localhost:3000", "--api-origin", "http://localhost:8080"];
    let bmw_cmd = |role: &str, addr: &str| {
        let mut cmd = std::process::Command::new(&bmw);
        cmd.current_dir(root()).env("LEPTOS_SITE_ROOT", "target/site").args(["--role", role, "--site-addr", addr]);
        cmd.args(common);
        cmd
    };
    // Migrate once up front, so the two processes never race to do it.
    Cmd::new(&bmw.display().to_string()).arg("migrate").run()?;
    let mut api = bmw_cmd("api", "127.0.0.1:8080").spawn().map_err(|e| format!("cannot start the api role: {e}"))?;
    println!("xtask: pages on http://localhost:3000, API on http://localhost:8080 (Ctrl-C stops both)");
    let web = bmw_cmd("web", "127.0.0.1:3000").status();
    let _ = api.kill();
    let _ = api.wait();
    web.map(|_| ()).map_err(|e| format!("cannot start the web role: {e}"))
}

fn test(args: &[&str]) -> Result<(), String> {
    let (rust, e2e) = match args {
        [] => (true, true),
        ["rust"] => (true, false),
        ["e2e"] => (false, true),
        _ => return Err(format!("unknown option {args:?}\n{USAGE}")),
    };
    let everything = args.is_empty();
    setup::ensure(if e2e { setup::Purpose::Test } else { setup::Purpose::Run })?;
    if everything {
        lint::run()?;
    }
    if rust {
        // Both crates in one invocation, built exactly as `cargo leptos build` builds the
        // server, so the e2e build below reuses these artifacts.
        Cmd::new("cargo")
            .args(["test", "--package", "server", "--package", "app", "--features", "app/ssr"])
            .envs(shell::leptos_build_env())
            .run()?;
    }
    if e2e {
        Cmd::new("cargo").args(["leptos", "build"]).run()?;
        Cmd::new("npx").args(["playwright", "test"]).dir(root().join("end2end")).run()?;
        // What ships must be what is tested: the release build, run as the container runs it.
        dist::dist(&[])?;
    }
    if everything {
        watch::check()?;
    }
    Ok(())
}
