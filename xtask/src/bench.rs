//! `cargo xtask bench`: load figures measured against the release runtime tree, run the way
//! the container runs it (see `dist`).
//!
//! Figures are reported as ratios measured in the same run, because absolute numbers on shared
//! 2-core machines vary from run to run. Each hot path is compared with a peer started by the
//! run itself (`bench/`): the floor (bare axum doing the same cookie-JWT check on the same key,
//! no database), the template (Leptos' start-axum page, server-rendered) and the seed (the
//! original BMW's Express stack). The report goes to `target/bench/report.md`, with a chart of
//! the ratios in `target/bench/chart.svg`.

use crate::bench_report::{self, Pair, load};
use crate::dist::{self, Image, Server, TempDir};
use crate::setup::{self, Purpose};
use crate::shell::{Cmd, root};
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};

const PORT: u16 = 3200;
const FLOOR_PORT: u16 = 3201;
const TEMPLATE_PORT: u16 = 3202;
const SEED_PORT: u16 = 3203;

/// How long each load lasts: 10 s, or 3 s with `--quick` (for a figure while working; the
/// noise grows, so compare ratios of full runs).
static SECONDS: AtomicU64 = AtomicU64::new(10);

pub fn quick() {
    SECONDS.store(3, Ordering::Relaxed);
}

pub fn duration() -> String {
    format!("-d{}s", SECONDS.load(Ordering::Relaxed))
}

pub fn run() -> Result<(), String> {
    setup::ensure(Purpose::Release)?;
    dist::build()?;
    setup::ensure_programs(&[("wrk", "wrk"), ("curl", "curl"), ("gzip", "gzip"), ("node", "nodejs"), ("npm", "npm")])?;
    let seed_dir = setup::npm_peer("bench/seed", "the seed peer (Express)")?;
    Cmd::new("cargo")
        .args(["build", "--release", "--quiet", "--package", "bench-floor", "--package", "bench-template"])
        .run()?;
    let mut report = vec!["# Benchmark run".to_string(), String::new()];
    for kind in ["wasm", "js", "css"] {
        let file = dist::bundle(kind)?;
        let kib = |ext: &str| std::fs::metadata(file.with_extension(ext)).map(|m| m.len() / 1024).unwrap_or(0);
        report.push(format!(
            "- bmw.{kind}: {} KiB raw; as served, {} KiB brotli, {} KiB gzip",
            kib(kind),
            kib(&format!("{kind}.br")),
            kib(&format!("{kind}.gz")),
        ));
    }
    report.push(wasm_opt_effect()?);
    let image = Image::from_dockerfile()?;
    report.extend(crate::bench_start::measure(&image, PORT)?);

    let volume = TempDir::new("bench")?;
    let server = image.run(PORT, &volume.join("data"), &[("BMW_PUBLIC_ORIGIN", format!("http://127.0.0.1:{PORT}"))])?;
    server.wait_until_healthy()?;
    let cookie = format!("Cookie: {}", sign_up(&server, "bench")?);
    let key_file = volume.join("data/jwt_secret");

    let addr = |port: u16| std::ffi::OsString::from(format!("127.0.0.1:{port}"));
    let release = |name: &str| root().join("target/release").join(name);
    let floor = peer(release("bench-floor"), &[addr(FLOOR_PORT), key_file.clone().into()], FLOOR_PORT)?;
    let template = peer(release("bench-template"), &[addr(TEMPLATE_PORT)], TEMPLATE_PORT)?;
    let seed_args = [seed_dir.join("server.mjs").into(), addr(SEED_PORT), key_file.into()];
    let seed = peer("node".into(), &seed_args, SEED_PORT)?;
    let seed_cookie = format!("Cookie: {}", sign_in(&seed, "bench")?);

    let (me, auth, seed_auth) = ("/api/auth/me", Some(cookie.as_str()), Some(seed_cookie.as_str()));
    let pairs = vec![
        compare("GET /healthz", Some(0.9), (&server, "/healthz", None), ("floor", (&floor, "/healthz", None)))?,
        compare("GET /api/auth/me, signed in", Some(0.8), (&server, me, auth), ("floor", (&floor, me, auth)))?,
        compare("GET / (SSR, signed out)", Some(0.6), (&server, "/", None), ("template", (&template, "/", None)))?,
        compare(
            "GET /account (SSR, signed in)",
            None,
            (&server, "/account", auth),
            ("template", (&template, "/", None)),
        )?,
        compare("GET /healthz", None, (&server, "/healthz", None), ("seed", (&seed, "/healthz", None)))?,
        compare("GET /api/auth/me, signed in", None, (&server, me, auth), ("seed", (&seed, me, seed_auth)))?,
    ];
    report.push(String::new());
    report.extend(bench_report::table(&pairs));
    if let Some(rss) = server.rss_kib() {
        report.push(format!("\nBMW's resident memory after the load: {:.1} MB.", rss as f64 / 1024.0));
    }
    report.push(String::new());
    report.push(format!(
        "wrk -t1 -c32 {} --latency on loopback, {} cores shared by the servers and the load generator; \
         CPU in percent of one core while loaded. The seed (Node) runs on one core, as the original did.",
        duration(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    let text = report.join("\n");
    println!("{text}");
    let out = root().join("target/bench");
    std::fs::create_dir_all(&out).map_err(|e| e.to_string())?;
    std::fs::write(out.join("report.md"), &text).map_err(|e| e.to_string())?;
    std::fs::write(out.join("chart.svg"), bench_report::chart(&pairs)).map_err(|e| e.to_string())?;
    println!("\nxtask: wrote {} and chart.svg", out.join("report.md").display());
    Ok(())
}

/// Starts a peer that will answer `/healthz` on `port`.
fn peer(program: std::path::PathBuf, args: &[std::ffi::OsString], port: u16) -> Result<Server, String> {
    let mut command = Command::new(program);
    command.args(args);
    let server = Server::spawn(command, port)?;
    server.wait_until_healthy()?;
    Ok(server)
}

/// A server, a path on it and the one extra header to send (a cookie).
type Target<'a> = (&'a Server, &'a str, Option<&'a str>);

/// A request on BMW, then its counterpart on a peer (each with its own cookie).
fn compare(
    request: &'static str,
    target: Option<f64>,
    (bmw, path, header): Target<'_>,
    (peer, (other, other_path, other_header)): (&'static str, Target<'_>),
) -> Result<Pair, String> {
    Ok(Pair { request, peer, bmw: load(bmw, path, header)?, other: load(other, other_path, other_header)?, target })
}

/// Raw and `gzip -9` bytes of a file.
fn sizes(file: &std::path::Path) -> (u64, u64) {
    let raw = std::fs::metadata(file).map(|m| m.len()).unwrap_or(0);
    let gz = Cmd::new("sh").args(["-c", &format!("gzip -9 -c '{}' | wc -c", file.display())]).output();
    (raw, gz.and_then(|s| s.trim().parse().ok()).unwrap_or(0))
}

/// What the wasm-opt pass buys: the shipped bundle against the same wasm through wasm-bindgen
/// alone (name and producers sections stripped, as a shipped bundle would be).
fn wasm_opt_effect() -> Result<String, String> {
    let raw_wasm = root().join("target/front/wasm32-unknown-unknown/wasm-release/frontend.wasm");
    let out = TempDir::new("wasm-opt")?;
    Cmd::new("wasm-bindgen")
        .args(["--target", "web", "--no-typescript", "--remove-name-section", "--remove-producers-section"])
        .args(["--out-name", "bmw", "--out-dir", &out.join("").display().to_string()])
        .arg(raw_wasm.display().to_string())
        .run()?;
    let (plain_raw, plain_gz) = sizes(&out.join("bmw_bg.wasm"));
    let (opt_raw, opt_gz) = sizes(&dist::bundle("wasm")?);
    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    Ok(format!(
        "- wasm-opt: {plain_raw} → {opt_raw} bytes raw ({:.2}×), {plain_gz} → {opt_gz} bytes gzip ({:.2}×)",
        ratio(opt_raw, plain_raw),
        ratio(opt_gz, plain_gz)
    ))
}

/// Signs a bench user up on `server`; returns its access cookie (`bmw_access=…`).
pub fn sign_up(server: &Server, username: &str) -> Result<String, String> {
    let body = format!(
        r#"{{"username":"{username}","password":"{PASSWORD}","email":"{username}@example.com","name":"Bench"}}"#
    );
    access_cookie(server, "/api/auth/signup", &body)
}

/// Signs `username` in on `server` (BMW or the seed); returns its access cookie.
pub fn sign_in(server: &Server, username: &str) -> Result<String, String> {
    access_cookie(server, "/api/auth/signin", &format!(r#"{{"username":"{username}","password":"{PASSWORD}"}}"#))
}

const PASSWORD: &str = "quiet-lantern-meadow-7";

/// Posts `body` as JSON to `path`; the `bmw_access` cookie the answer sets.
fn access_cookie(server: &Server, path: &str, body: &str) -> Result<String, String> {
    let headers = Cmd::new("curl")
        .args(["-sS", "-o", "/dev/null", "-D", "-", "-H", "content-type: application/json", "-d", body])
        .arg(server.url(path))
        .output()
        .ok_or_else(|| format!("the benchmark's POST {path} failed"))?;
    headers
        .lines()
        .find_map(|l| l.to_ascii_lowercase().starts_with("set-cookie: bmw_access=").then(|| l[12..].to_string()))
        .and_then(|v| v.split(';').next().map(str::to_string))
        .ok_or_else(|| format!("no access cookie in the answer to POST {path}:\n{headers}"))
}

/// Runs wrk with `flags` against `url` (with one extra header); its output, or an error if any
/// answer was not 2xx.
pub fn run_wrk(flags: &[&str], url: &str, header: Option<&str>) -> Result<String, String> {
    let mut args = flags.to_vec();
    if let Some(h) = header {
        args.extend(["-H", h]);
    }
    args.push(url);
    let out = Cmd::new("wrk").args(args).output().ok_or("wrk failed")?;
    if out.contains("Non-2xx") {
        return Err(format!("{url}: wrk saw non-2xx answers:\n{out}"));
    }
    Ok(out)
}

pub fn wrk(url: &str, header: Option<&str>) -> Result<f64, String> {
    let out = run_wrk(&["-t1", "-c32", &duration()], url, header)?;
    out.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("cannot read wrk output:\n{out}"))
}

/// Two seconds of load whose figures are thrown away: the first requests after an import or a
/// start read a cold page cache and would be reported as the tail.
pub fn warm_up(url: &str) -> Result<(), String> {
    run_wrk(&["-t1", "-c4", "-d2s"], url, None).map(drop)
}

/// Latency percentiles at one connection (one request at a time), as wrk prints them.
pub struct Latency {
    pub p50: String,
    pub p99: String,
}

pub fn latency(url: &str) -> Result<Latency, String> {
    latency_with(url, None)
}

pub fn latency_with(url: &str, header: Option<&str>) -> Result<Latency, String> {
    let out = run_wrk(&["-t1", "-c1", &duration(), "--latency"], url, header)?;
    let percentile = |p: &str| {
        out.lines()
            .find_map(|l| l.trim().strip_prefix(p).map(|v| v.trim().to_string()))
            .ok_or(format!("no {p} in:\n{out}"))
    };
    Ok(Latency { p50: percentile("50%")?, p99: percentile("99%")? })
}
