//! `cargo xtask bench`: load figures measured against the release runtime tree, run the way
//! the container runs it (see `dist`).
//!
//! Figures are reported as ratios measured in the same run, because absolute numbers on shared
//! 2-core machines vary from run to run: to BMW's own `/healthz`, and to the floor peer
//! (`bench/floor`: bare axum doing the same cookie-JWT check on the same key, no database).

use crate::dist::{self, Image, Server, TempDir};
use crate::setup::{self, Purpose};
use crate::shell::{Cmd, root};
use std::sync::atomic::{AtomicU64, Ordering};

const PORT: u16 = 3200;
const FLOOR_PORT: u16 = 3201;

/// How long each load lasts: 10 s, or 3 s with `--quick` (for a figure while working; the
/// noise grows, so compare ratios of full runs).
static SECONDS: AtomicU64 = AtomicU64::new(10);

pub fn quick() {
    SECONDS.store(3, Ordering::Relaxed);
}

fn duration() -> String {
    format!("-d{}s", SECONDS.load(Ordering::Relaxed))
}

pub fn run() -> Result<(), String> {
    setup::ensure(Purpose::Release)?;
    dist::build()?;
    setup::ensure_programs(&[("wrk", "wrk"), ("curl", "curl"), ("gzip", "gzip")])?;
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

    let baseline = wrk(&server.url("/healthz"), None)?;
    report.push(String::new());
    report.push("| request | req/s | vs /healthz |".into());
    report.push("|---|---|---|".into());
    report.push(format!("| GET /healthz | {baseline:.0} | 1.00 |"));
    for (name, path, auth) in [
        ("GET /api/auth/me (signed in)", "/api/auth/me", Some(cookie.as_str())),
        ("GET / (SSR, signed out)", "/", None),
    ] {
        let rps = wrk(&server.url(path), auth)?;
        report.push(format!("| {name} | {rps:.0} | {:.2} |", rps / baseline));
    }
    report.extend(against_the_floor(&server, &volume.join("data/jwt_secret"), &cookie)?);
    if let Some(rss) = server.rss_kib() {
        report.push(format!("\nResident memory after the load: {:.1} MB.", rss as f64 / 1024.0));
    }
    report.push(String::new());
    report.push(format!(
        "wrk -t1 -c32 {} on loopback, {} cores shared by server and load generator.",
        duration(),
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    let text = report.join("\n");
    println!("{text}");
    std::fs::write(root().join("target/bench.md"), &text).map_err(|e| e.to_string())?;
    Ok(())
}

/// BMW's `/healthz` and signed-in `/api/auth/me` against the floor peer's, one after the
/// other in this run, with the same cookie (the floor verifies it with BMW's own key).
fn against_the_floor(server: &Server, key_file: &std::path::Path, cookie: &str) -> Result<Vec<String>, String> {
    Cmd::new("cargo").args(["build", "--release", "--quiet", "--package", "bench-floor"]).run()?;
    let mut command = std::process::Command::new(root().join("target/release/bench-floor"));
    command.arg(format!("127.0.0.1:{FLOOR_PORT}")).arg(key_file);
    let floor = Server::spawn(command, FLOOR_PORT)?;
    floor.wait_until_healthy()?;
    let mut rows =
        vec![String::new(), "| request | BMW req/s | floor req/s | BMW ÷ floor |".into(), "|---|---|---|---|".into()];
    for (name, path, auth) in
        [("GET /healthz", "/healthz", None), ("GET /api/auth/me (signed in)", "/api/auth/me", Some(cookie))]
    {
        let (bmw, bare) = (wrk(&server.url(path), auth)?, wrk(&floor.url(path), auth)?);
        rows.push(format!("| {name} | {bmw:.0} | {bare:.0} | {:.2} |", bmw / bare));
    }
    Ok(rows)
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
        r#"{{"username":"{username}","password":"quiet-lantern-meadow-7","email":"{username}@example.com","name":"Bench"}}"#
    );
    let headers = Cmd::new("curl")
        .args(["-sS", "-o", "/dev/null", "-D", "-", "-H", "content-type: application/json", "-d", &body])
        .arg(server.url("/api/auth/signup"))
        .output()
        .ok_or("the benchmark's sign-up failed")?;
    headers
        .lines()
        .find_map(|l| l.to_ascii_lowercase().starts_with("set-cookie: bmw_access=").then(|| l[12..].to_string()))
        .and_then(|v| v.split(';').next().map(str::to_string))
        .ok_or_else(|| format!("no access cookie in the sign-up answer:\n{headers}"))
}

/// Runs wrk with `flags` against `url` (with one extra header); its output, or an error if any
/// answer was not 2xx.
fn run_wrk(flags: &[&str], url: &str, header: Option<&str>) -> Result<String, String> {
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
