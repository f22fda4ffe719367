//! `cargo xtask dist` and `cargo xtask bench`: the release build, the container's runtime tree,
//! and load figures measured against it.
//!
//! Figures are reported as ratios to `/healthz` measured in the same run, because absolute
//! numbers on shared 2-core machines vary from run to run.

use crate::setup::{self, Purpose};
use crate::shell::{Cmd, root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PORT: u16 = 3200;

/// Builds in release mode and assembles target/dist: `bmw`, `site/`, `Leptos.toml`, which is
/// what the Dockerfile copies. Unless `--no-smoke`, runs it from there as the image would.
pub fn dist(args: &[&str]) -> Result<(), String> {
    let smoke = match args {
        [] => true,
        ["--no-smoke"] => false,
        _ => return Err(format!("unknown option {args:?}")),
    };
    setup::ensure(Purpose::Release)?;
    Cmd::new("cargo").args(["leptos", "build", "--release"]).run()?;
    let dist = root().join("target/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    copy(&root().join("target/release/bmw"), &dist.join("bmw"))?;
    copy(&root().join("Leptos.toml"), &dist.join("Leptos.toml"))?;
    copy_dir(&root().join("target/site"), &dist.join("site"))?;
    println!("xtask: runtime tree in {}", dist.display());
    if smoke {
        let server = Server::start(&dist)?;
        for (path, want) in
            [("/healthz", "ok"), ("/pkg/bmw.wasm", ""), ("/pkg/bmw.css", ""), ("/", "Bus · Metro · Walk")]
        {
            let body = curl(&["-fsS", &server.url(path)]).ok_or_else(|| format!("{path} did not answer 200"))?;
            if !body.contains(want) {
                return Err(format!("{path} answered without {want:?}"));
            }
        }
        println!("xtask: the runtime tree serves pages, assets and /healthz");
    }
    Ok(())
}

pub fn run() -> Result<(), String> {
    dist(&["--no-smoke"])?;
    setup::ensure_programs(&[("wrk", "wrk"), ("curl", "curl"), ("gzip", "gzip")])?;
    let pkg = root().join("target/dist/site/pkg");
    let mut report = vec!["# Benchmark run".to_string(), String::new()];
    for file in ["bmw.wasm", "bmw.js", "bmw.css"] {
        let raw = std::fs::metadata(pkg.join(file)).map(|m| m.len()).unwrap_or(0);
        let gz = Cmd::new("sh").args(["-c", &format!("gzip -9 -c '{}' | wc -c", pkg.join(file).display())]).output();
        let gz: u64 = gz.and_then(|s| s.trim().parse().ok()).unwrap_or(0);
        report.push(format!("- {file}: {} KiB raw, {} KiB gzip", raw / 1024, gz / 1024));
    }

    let server = Server::start(&root().join("target/dist"))?;
    let signup =
        r#"{"username":"bench","password":"quiet-lantern-meadow-7","email":"bench@example.com","name":"Bench"}"#;
    let headers = curl(&[
        "-sS",
        "-o",
        "/dev/null",
        "-D",
        "-",
        "-H",
        "content-type: application/json",
        "-d",
        signup,
        &server.url("/api/auth/signup"),
    ])
    .ok_or("sign-up for the benchmark failed")?;
    let access = headers
        .lines()
        .find_map(|l| l.strip_prefix("set-cookie: bmw_access=").or_else(|| l.strip_prefix("Set-Cookie: bmw_access=")))
        .and_then(|v| v.split(';').next())
        .ok_or("no access cookie in the sign-up answer")?
        .to_string();
    let cookie = format!("Cookie: bmw_access={access}");

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
    report.push(String::new());
    report.push(format!(
        "wrk -t1 -c32 -d10s on loopback, {} cores shared by server and load generator.",
        std::thread::available_parallelism().map_or(1, |n| n.get())
    ));
    let text = report.join("\n");
    println!("{text}");
    std::fs::write(root().join("target/bench.md"), &text).map_err(|e| e.to_string())?;
    Ok(())
}

fn wrk(url: &str, header: Option<&str>) -> Result<f64, String> {
    let mut args = vec!["-t1", "-c32", "-d10s"];
    if let Some(h) = header {
        args.extend(["-H", h]);
    }
    args.push(url);
    let out = Cmd::new("wrk").args(args).output().ok_or("wrk failed")?;
    if out.contains("Non-2xx") {
        return Err(format!("{url}: wrk saw non-2xx answers:\n{out}"));
    }
    out.lines()
        .find_map(|l| l.strip_prefix("Requests/sec:"))
        .and_then(|v| v.trim().parse().ok())
        .ok_or_else(|| format!("cannot read wrk output:\n{out}"))
}

fn curl(args: &[&str]) -> Option<String> {
    Cmd::new("curl").args(args).output()
}

/// The release binary, run from a runtime tree the way the container runs it: another working
/// directory, configuration by environment, a fresh data directory.
struct Server {
    child: Child,
    _data: TempDir,
}

impl Server {
    fn start(tree: &Path) -> Result<Server, String> {
        let data = TempDir::new()?;
        let child = Command::new(tree.join("bmw"))
            .current_dir(&data.0)
            .env("LEPTOS_SITE_ROOT", tree.join("site"))
            .env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{PORT}"))
            .env("BMW_CONFIG", tree.join("Leptos.toml"))
            .env("BMW_DATA_DIR", data.0.join("data"))
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", tree.join("bmw").display()))?;
        let server = Server { child, _data: data };
        let deadline = Instant::now() + Duration::from_secs(20);
        while curl(&["-fsS", &server.url("/healthz")]).is_none() {
            if Instant::now() > deadline {
                return Err("the server did not answer /healthz within 20 s".into());
            }
            std::thread::sleep(Duration::from_millis(200));
        }
        Ok(server)
    }

    fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{PORT}{path}")
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct TempDir(PathBuf);

impl TempDir {
    fn new() -> Result<TempDir, String> {
        let path = std::env::temp_dir().join(format!(
            "bmw-xtask-{}-{}",
            std::process::id(),
            Instant::now().elapsed().as_nanos()
        ));
        std::fs::create_dir_all(&path).map_err(|e| e.to_string())?;
        Ok(TempDir(path))
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::copy(from, to).map(|_| ()).map_err(|e| format!("cannot copy {}: {e}", from.display()))
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), String> {
    std::fs::create_dir_all(to).map_err(|e| e.to_string())?;
    for entry in std::fs::read_dir(from).map_err(|e| format!("cannot read {}: {e}", from.display()))? {
        let entry = entry.map_err(|e| e.to_string())?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() { copy_dir(&entry.path(), &target)? } else { copy(&entry.path(), &target)? }
    }
    Ok(())
}
