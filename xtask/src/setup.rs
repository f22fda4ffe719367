//! Installs what the build and the tests need, and only what is missing. Safe to run again:
//! when everything is present it takes a second and installs nothing.
//!
//! The facts behind each step are in docs/development.md (why nightly for cargo-leptos, why
//! wasm-bindgen must match Cargo.lock exactly, why Debian's Chromium).

use crate::shell::{Cmd, root};
use std::path::{Path, PathBuf};

const CARGO_LEPTOS_VERSION: &str = "0.3.11";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// `cargo xtask run`: the dev build.
    Run,
    /// `--release`: also wasm-opt.
    Release,
    /// `cargo xtask test`: also Chromium and Playwright.
    Test,
}

pub fn ensure(purpose: Purpose) -> Result<(), String> {
    wasm_target()?;
    cargo_leptos()?;
    wasm_bindgen()?;
    if purpose != Purpose::Run {
        // wasm-opt for release builds, from npm's binaryen (pinned in xtask/tools): Debian
        // bookworm's binaryen 108 mangles today's wasm and the page never hydrates.
        npm_ci("binaryen's wasm-opt", &root().join("xtask/tools"))?;
    }
    if purpose == Purpose::Test {
        apt(&[("chromium", "chromium")])?;
        npm_ci("Playwright", &root().join("end2end"))?;
    }
    Ok(())
}

fn installing(what: &str) {
    println!("xtask: installing {what}");
}

fn wasm_target() -> Result<(), String> {
    let installed = Cmd::new("rustup").args(["target", "list", "--installed"]).output().unwrap_or_default();
    if installed.lines().any(|t| t.trim() == "wasm32-unknown-unknown") {
        return Ok(());
    }
    installing("the wasm32-unknown-unknown target");
    Cmd::new("rustup").args(["target", "add", "wasm32-unknown-unknown"]).run()
}

fn cargo_leptos() -> Result<(), String> {
    let version = Cmd::new("cargo").args(["leptos", "--version"]).output().unwrap_or_default();
    if version.contains(CARGO_LEPTOS_VERSION) {
        return Ok(());
    }
    // Its dependencies need a newer rustc than stable 1.95, so it is built with nightly.
    let toolchains = Cmd::new("rustup").args(["toolchain", "list"]).output().unwrap_or_default();
    if !toolchains.lines().any(|t| t.starts_with("nightly")) {
        installing("the nightly toolchain (to build cargo-leptos)");
        Cmd::new("rustup").args(["toolchain", "install", "nightly", "--profile", "minimal"]).run()?;
    }
    installing(&format!("cargo-leptos {CARGO_LEPTOS_VERSION} (about 17 minutes on 2 cores)"));
    Cmd::new("cargo").args(["+nightly", "install", "cargo-leptos", "--version", CARGO_LEPTOS_VERSION, "--locked"]).run()
}

/// cargo-leptos would download wasm-bindgen, and cannot here; it also does not check the
/// version of the one on PATH, so we install exactly the version in Cargo.lock.
fn wasm_bindgen() -> Result<(), String> {
    let wanted = locked_version("wasm-bindgen")?;
    let have = Cmd::new("wasm-bindgen").arg("--version").output().unwrap_or_default();
    if have.split_whitespace().nth(1) == Some(wanted.as_str()) {
        return Ok(());
    }
    installing(&format!("wasm-bindgen-cli {wanted} (matches Cargo.lock)"));
    // Not --locked: its lockfile pins a crate version the registry no longer serves.
    Cmd::new("cargo").args(["install", "wasm-bindgen-cli", "--version", &wanted, "--force"]).run()
}

pub fn locked_version(package: &str) -> Result<String, String> {
    let lock =
        std::fs::read_to_string(root().join("Cargo.lock")).map_err(|e| format!("cannot read Cargo.lock: {e}"))?;
    let needle = format!("name = \"{package}\"\nversion = \"");
    let start = lock.find(&needle).ok_or_else(|| format!("{package} is not in Cargo.lock"))? + needle.len();
    Ok(lock[start..].split('"').next().unwrap_or_default().to_string())
}

/// Programs from Debian packages, as (program, package) pairs.
pub fn ensure_programs(needed: &[(&str, &str)]) -> Result<(), String> {
    apt(needed)
}

fn apt(needed: &[(&str, &str)]) -> Result<(), String> {
    let missing: Vec<&str> = needed
        .iter()
        .filter(|(program, _)| Cmd::new("which").arg(program).output().is_none())
        .map(|(_, package)| *package)
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    installing(&format!("Debian packages: {}", missing.join(" ")));
    let sudo =
        if Cmd::new("id").arg("-u").output().is_some_and(|uid| uid.trim() == "0") { vec![] } else { vec!["sudo"] };
    let apt_get = |args: Vec<&str>| {
        let argv: Vec<&str> = sudo.iter().copied().chain(["apt-get"]).chain(args).collect();
        Cmd::new(argv[0]).args(&argv[1..]).env("DEBIAN_FRONTEND", "noninteractive").run()
    };
    apt_get(vec!["update", "-qq"])?;
    apt_get([vec!["install", "-y", "-qq", "--no-install-recommends"], missing].concat()).map_err(|e| {
        format!("{e}\nInstall these packages by hand: {}", needed.iter().map(|p| p.1).collect::<Vec<_>>().join(" "))
    })
}

/// `npm ci` in `dir`, only when its lockfile changed since the last install (npm writes
/// `node_modules/.package-lock.json` last, and `npm ci` starts by deleting node_modules).
/// Playwright drives Debian's /usr/bin/chromium (its own browser download cannot work here).
fn npm_ci(what: &str, dir: &Path) -> Result<(), String> {
    let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
    if let (Some(installed), Some(wanted)) =
        (modified(&dir.join("node_modules/.package-lock.json")), modified(&dir.join("package-lock.json")))
        && installed >= wanted
    {
        return Ok(());
    }
    installing(&format!("{what} (npm ci in {})", dir.strip_prefix(root()).unwrap_or(dir).display()));
    let mut npm_ci = Cmd::new("npm").args(["ci", "--no-audit", "--no-fund"]).dir(dir);
    // Native addons (node-gtfs' better-sqlite3) would fetch prebuilt binaries and Node's headers
    // from outside the registry, so they compile against the headers Debian's nodejs installs.
    if Path::new("/usr/include/node/node.h").is_file() {
        npm_ci = npm_ci.env("npm_config_nodedir", "/usr");
    }
    npm_ci.run()
}

/// A Node peer of the benchmarks (`dir`, relative to the repository), its locked packages
/// installed.
pub fn npm_peer(dir: &str, what: &str) -> Result<PathBuf, String> {
    let dir = root().join(dir);
    npm_ci(what, &dir)?;
    Ok(dir)
}
