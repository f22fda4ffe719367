//! `cargo xtask dist`: the release build, the container's runtime tree (`target/dist`), and a
//! smoke test of that tree in Chromium, started exactly as the container image starts it.
//!
//! There is no Docker engine on the build machines, so the image itself cannot run here.
//! Instead the Dockerfile's runtime settings (`WORKDIR`, `ENV`, `ENTRYPOINT`) are read from the
//! Dockerfile and applied to the tree, with `/app` mapped to `target/dist` and the `/data`
//! volume to a fresh directory: what the image would run is what the smoke test runs.

use crate::setup::{self, Purpose};
use crate::shell::{Cmd, root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// Ports for the smoke test's servers: one container, and a split pair (pages, API).
const SINGLE_PORT: u16 = 3500;
const PAGES_PORT: u16 = 3510;
const API_PORT: u16 = 3511;

pub fn dist(args: &[&str]) -> Result<(), String> {
    let smoke = match args {
        [] => true,
        ["--no-smoke"] => false,
        _ => return Err(format!("unknown option {args:?}")),
    };
    setup::ensure(if smoke { Purpose::Test } else { Purpose::Release })?;
    build()?;
    if smoke {
        smoke_test()?;
    }
    Ok(())
}

/// Where the release build writes its site: apart from the dev build's `target/site`, whose
/// unhashed names `cargo leptos watch` serves.
const RELEASE_SITE: &str = "target/site-release";

/// What cargo-leptos is given for a release build: hashed names, the release site.
pub fn release_build_env() -> Vec<(&'static str, String)> {
    vec![("LEPTOS_HASH_FILES", "true".into()), ("LEPTOS_SITE_ROOT", RELEASE_SITE.into())]
}

/// Builds in release mode and assembles target/dist: `bmw` with its `hash.txt`, `site/` and
/// `Leptos.toml`, which is what the Dockerfile copies to /app. The wasm, JS and CSS bundles
/// get content hashes in their names (served as immutable) and every file of the site a
/// brotli and a gzip copy beside it (served to browsers that accept them).
pub fn build() -> Result<PathBuf, String> {
    Cmd::new("cargo").args(["leptos", "build", "--release", "--precompress"]).envs(release_build_env()).run()?;
    let dist = root().join("target/dist");
    let _ = std::fs::remove_dir_all(&dist);
    std::fs::create_dir_all(&dist).map_err(|e| e.to_string())?;
    copy(&root().join("target/release/bmw"), &dist.join("bmw"))?;
    copy(&root().join("target/release/hash.txt"), &dist.join("hash.txt"))?;
    copy(&root().join("Leptos.toml"), &dist.join("Leptos.toml"))?;
    copy_dir(&root().join(RELEASE_SITE), &dist.join("site"))?;
    println!("xtask: runtime tree in {}", dist.display());
    Ok(dist)
}

/// The shipped bundle of `kind` (wasm, js or css) in target/dist, under its hashed name.
pub fn bundle(kind: &str) -> Result<PathBuf, String> {
    let hashes = root().join("target/dist/hash.txt");
    let text = std::fs::read_to_string(&hashes).map_err(|e| format!("cannot read {}: {e}", hashes.display()))?;
    let hash = text
        .lines()
        .find_map(|line| line.split_once(':').filter(|(k, _)| k.trim() == kind).map(|(_, h)| h.trim().to_string()))
        .ok_or_else(|| format!("{} names no {kind} bundle", hashes.display()))?;
    Ok(root().join(format!("target/dist/site/pkg/bmw.{hash}.{kind}")))
}

/// The browser smoke suite (end2end/release.config.ts) against the runtime tree: one container
/// as the README runs it, and the 3000/8080-style split as two containers on one volume.
fn smoke_test() -> Result<(), String> {
    let image = Image::from_dockerfile()?;
    let volume = TempDir::new("smoke")?;
    // A real feed, as an operator would mount one and name it in BMW_FEEDS.
    let caltrain = format!("caltrain={}", crate::feeds::caltrain()?.display());
    let single = image.run(
        SINGLE_PORT,
        &volume.join("single"),
        &[("BMW_PUBLIC_ORIGIN", local(SINGLE_PORT)), ("BMW_FEEDS", caltrain)],
    )?;
    let split = [("BMW_PUBLIC_ORIGIN", localhost(PAGES_PORT)), ("BMW_API_ORIGIN", localhost(API_PORT))];
    // Started together on one fresh volume, as compose would.
    let api = image.run(API_PORT, &volume.join("split"), &[split[0].clone(), split[1].clone(), role("api")])?;
    let pages = image.run(PAGES_PORT, &volume.join("split"), &[split[0].clone(), split[1].clone(), role("web")])?;
    for server in [&single, &api, &pages] {
        server.wait_until_healthy()?;
    }
    single.wait_for("/api/stops/caltrain:place_MLBR")?;
    Cmd::new("npx")
        .args(["playwright", "test", "--config", "release.config.ts"])
        .dir(root().join("end2end"))
        .env("BMW_SMOKE_SINGLE", local(SINGLE_PORT))
        .env("BMW_SMOKE_PAGES", localhost(PAGES_PORT))
        .env("BMW_SMOKE_API", localhost(API_PORT))
        .run()?;
    println!("xtask: the release runtime tree hydrates in Chromium, alone and split");
    Ok(())
}

fn local(port: u16) -> String {
    format!("http://127.0.0.1:{port}")
}

fn localhost(port: u16) -> String {
    format!("http://localhost:{port}")
}

fn role(role: &str) -> (&'static str, String) {
    ("BMW_ROLE", role.to_string())
}

/// The runtime settings of the Dockerfile's final stage.
pub struct Image {
    workdir: String,
    env: Vec<(String, String)>,
    entrypoint: String,
}

impl Image {
    pub fn from_dockerfile() -> Result<Image, String> {
        let text = std::fs::read_to_string(root().join("Dockerfile")).map_err(|e| format!("Dockerfile: {e}"))?;
        // Only the last stage runs; join continued lines.
        let last_stage = text.rsplit("\nFROM ").next().unwrap_or(&text).replace("\\\n", " ");
        let mut image = Image { workdir: "/".into(), env: vec![], entrypoint: String::new() };
        for line in last_stage.lines().map(str::trim) {
            if let Some(dir) = line.strip_prefix("WORKDIR ") {
                image.workdir = dir.trim().to_string();
            } else if let Some(pairs) = line.strip_prefix("ENV ") {
                for pair in pairs.split_whitespace() {
                    let (key, value) =
                        pair.split_once('=').ok_or(format!("Dockerfile ENV {pair:?}: expected KEY=value"))?;
                    image.env.push((key.to_string(), value.trim_matches('"').to_string()));
                }
            } else if let Some(entry) = line.strip_prefix("ENTRYPOINT ") {
                image.entrypoint = entry
                    .trim()
                    .trim_matches(['[', ']'])
                    .split(',')
                    .next()
                    .unwrap_or("")
                    .trim()
                    .trim_matches('"')
                    .to_string();
            }
        }
        if image.entrypoint.is_empty() {
            return Err("the Dockerfile's last stage has no ENTRYPOINT".into());
        }
        Ok(image)
    }

    /// Runs the entrypoint with `/app` at target/dist and the `/data` volume at `volume`,
    /// published on `port` (like `docker run -p <port>:8080`), with `extra` as `-e` settings.
    pub fn run(&self, port: u16, volume: &Path, extra: &[(&str, String)]) -> Result<Server, String> {
        let dist = root().join("target/dist");
        let map = |value: &str| -> String {
            if let Some(rest) = value.strip_prefix("/app") {
                format!("{}{rest}", dist.display())
            } else if let Some(rest) = value.strip_prefix("/data") {
                format!("{}{rest}", volume.display())
            } else {
                value.to_string()
            }
        };
        std::fs::create_dir_all(volume).map_err(|e| e.to_string())?;
        let mut command = Command::new(map(&self.entrypoint));
        command.current_dir(map(&self.workdir)).env_clear().env("PATH", "/usr/bin:/bin").env("RUST_LOG", "warn");
        for (key, value) in &self.env {
            let value = match key.as_str() {
                // The published port: the container listens on all interfaces, like the image.
                "LEPTOS_SITE_ADDR" => format!("0.0.0.0:{port}"),
                _ => map(value),
            };
            command.env(key, value);
        }
        for (key, value) in extra {
            command.env(key, value);
        }
        let child =
            command.stdout(Stdio::null()).spawn().map_err(|e| format!("cannot start the image's entrypoint: {e}"))?;
        Ok(Server { child, port })
    }
}

/// A running server; stopped when dropped.
pub struct Server {
    child: Child,
    port: u16,
}

impl Server {
    /// Starts `command`, a server that will listen on `port`.
    pub fn spawn(mut command: Command, port: u16) -> Result<Server, String> {
        let child = command.spawn().map_err(|e| format!("cannot start {command:?}: {e}"))?;
        Ok(Server { child, port })
    }

    /// The dev binary on `port`, serving a fresh data directory in `data` with `feeds` (name,
    /// path) imported first; quiet but for warnings. Ready when this returns.
    pub fn dev_with_feeds(data: &TempDir, feeds: &[(&str, &Path)], port: u16) -> Result<Server, String> {
        let bmw = root().join("target/debug/bmw").display().to_string();
        let data_dir = data.join("data").display().to_string();
        for (name, path) in feeds {
            Cmd::new(&bmw)
                .args(["--data-dir", &data_dir, "gtfs", "import", &path.display().to_string(), "--feed", name])
                .run()?;
        }
        let mut serve = Command::new(&bmw);
        serve
            .args(["--data-dir", &data_dir, "--site-addr", &format!("127.0.0.1:{port}")])
            .env("RUST_LOG", "warn")
            .stdout(Stdio::null());
        let server = Server::spawn(serve, port)?;
        server.wait_until_healthy()?;
        Ok(server)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{path}", self.port)
    }

    /// The process's resident set size in KiB (`VmRSS`), while it runs.
    pub fn rss_kib(&self) -> Option<u64> {
        self.status_kib("VmRSS:")
    }

    /// The most the process has been resident since it started, in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        self.status_kib("VmHWM:")
    }

    fn status_kib(&self, field: &str) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.child.id())).ok()?;
        let line = status.lines().find(|l| l.starts_with(field))?;
        line.split_whitespace().nth(1)?.parse().ok()
    }

    /// CPU time the process has used so far (user and system), in clock ticks (1/100 s on Linux).
    pub fn cpu_ticks(&self) -> Option<u64> {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.child.id())).ok()?;
        // The command name (field 2) may hold spaces, so count from the ')' that closes it.
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
    }

    pub fn wait_until_healthy(&self) -> Result<(), String> {
        self.wait_for("/healthz")
    }

    /// Waits until `path` answers 200 (for example, once a configured feed is imported).
    pub fn wait_for(&self, path: &str) -> Result<(), String> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while Cmd::new("curl").args(["-fsS", "-o", "/dev/null", &self.url(path)]).output().is_none() {
            if Instant::now() > deadline {
                return Err(format!("the server on port {} did not answer {path} within 30 s", self.port));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(())
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub struct TempDir(PathBuf);

impl TempDir {
    pub fn new(purpose: &str) -> Result<TempDir, String> {
        let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        let path = std::env::temp_dir().join(format!("bmw-xtask-{purpose}-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).map_err(|e| e.to_string())?;
        Ok(TempDir(path))
    }

    pub fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
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
