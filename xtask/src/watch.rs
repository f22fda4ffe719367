//! Keeps `cargo leptos watch` healthy: runs it on a copy of the working tree, waits for it to
//! serve, edits a page in the copy, and waits for the new text to be served.
//!
//! The copy lives at a fixed place (`target/watch-check/`) with its own target directory, so
//! it never touches this tree's sources or build, and a second run only rebuilds what changed.

use crate::shell::{Cmd, root};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const PORT: u16 = 3400;
const RELOAD_PORT: u16 = 3401;
/// A page text to find and change. Any page works; this one is short and stable.
const NEEDLE: &str = "New to BMW? ";

pub fn check() -> Result<(), String> {
    let base = root().join("target/watch-check");
    let tree = base.join("tree");
    sync_tree(&tree)?;
    let page = find_file_containing(&tree.join("app/src"), NEEDLE)?
        .ok_or_else(|| format!("no page under app/src contains {NEEDLE:?}: update xtask/src/watch.rs"))?;

    println!("xtask: starting `cargo leptos watch` in {} (the first run builds from scratch)", tree.display());
    let log = std::fs::File::create(base.join("watch.log")).map_err(|e| e.to_string())?;
    let mut watch = Watch::start(&tree, &base.join("target"), log)?;
    let url = format!("http://127.0.0.1:{PORT}/signin");
    wait_for(&url, NEEDLE, Duration::from_secs(20 * 60), &mut watch)?;

    let marker = format!("New to BMW (edited {})? ", std::process::id());
    let original = std::fs::read_to_string(&page).map_err(|e| e.to_string())?;
    std::fs::write(&page, original.replacen(NEEDLE, &marker, 1)).map_err(|e| e.to_string())?;
    let served = wait_for(&url, &marker, Duration::from_secs(10 * 60), &mut watch);
    // Put the text back, so the copy matches this tree again.
    std::fs::write(&page, original).map_err(|e| e.to_string())?;
    served?;
    println!("xtask: `cargo leptos watch` served the edited page");
    Ok(())
}

/// `cargo leptos watch`, in its own process group so that stopping it stops the server too.
struct Watch(Child);

impl Watch {
    fn start(tree: &Path, target: &Path, log: std::fs::File) -> Result<Watch, String> {
        use std::os::unix::process::CommandExt;
        let err = log.try_clone().map_err(|e| e.to_string())?;
        let mut command = Command::new("cargo");
        // What is checked is the copy's Cargo.toml (with its own ports): a LEPTOS_* variable
        // in the caller's environment would override it.
        for (key, _) in std::env::vars_os() {
            if key.to_string_lossy().starts_with("LEPTOS_") {
                command.env_remove(key);
            }
        }
        let child = command
            .args(["leptos", "watch"])
            .current_dir(tree)
            .env("PATH", crate::shell::tool_path())
            .env("CARGO_TARGET_DIR", target)
            .stdin(Stdio::null())
            .stdout(log)
            .stderr(err)
            .process_group(0)
            .spawn()
            .map_err(|e| format!("cannot start cargo leptos watch: {e}"))?;
        Ok(Watch(child))
    }

    fn exited(&mut self) -> bool {
        matches!(self.0.try_wait(), Ok(Some(_)))
    }
}

impl Drop for Watch {
    fn drop(&mut self) {
        let group = format!("-{}", self.0.id());
        let _ = Command::new("kill").args(["-TERM", "--", &group]).status();
        let _ = self.0.wait();
    }
}

fn wait_for(url: &str, text: &str, limit: Duration, watch: &mut Watch) -> Result<(), String> {
    let deadline = Instant::now() + limit;
    loop {
        if Cmd::new("curl").args(["-fsS", url]).output().is_some_and(|body| body.contains(text)) {
            return Ok(());
        }
        if watch.exited() {
            return Err("cargo leptos watch exited; see target/watch-check/watch.log".into());
        }
        if Instant::now() > deadline {
            return Err(format!("{url} did not serve {text:?} within {limit:?}; see target/watch-check/watch.log"));
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}

/// Makes `tree` hold exactly the working tree's files (tracked, plus untracked ones that are
/// not ignored), rewriting only those whose content differs, so cargo sees unchanged mtimes.
fn sync_tree(tree: &Path) -> Result<(), String> {
    let listing = Cmd::new("git")
        .args(["ls-files", "-z", "--cached", "--others", "--exclude-standard"])
        .output()
        .ok_or("git ls-files failed: the watch check needs a git checkout")?;
    let files: Vec<&str> = listing.split('\0').filter(|f| !f.is_empty() && root().join(f).is_file()).collect();
    for file in &files {
        let (from, to) = (root().join(file), tree.join(file));
        let mut content = std::fs::read(&from).map_err(|e| format!("cannot read {file}: {e}"))?;
        if *file == "Cargo.toml" {
            content = with_own_ports(content)?;
        }
        if std::fs::read(&to).ok().as_deref() != Some(content.as_slice()) {
            std::fs::create_dir_all(to.parent().unwrap_or(tree)).map_err(|e| e.to_string())?;
            std::fs::write(&to, content).map_err(|e| format!("cannot write {}: {e}", to.display()))?;
        }
    }
    let keep: std::collections::HashSet<PathBuf> = files.iter().map(|f| tree.join(f)).collect();
    remove_stale(tree, &keep)
}

fn remove_stale(dir: &Path, keep: &std::collections::HashSet<PathBuf>) -> Result<(), String> {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if name == "target" || name == "node_modules" {
            continue;
        }
        if path.is_dir() {
            remove_stale(&path, keep)?;
        } else if !keep.contains(&path) {
            std::fs::remove_file(&path).map_err(|e| e.to_string())?;
        }
    }
    Ok(())
}

/// The copy serves on its own ports, so it can run beside `cargo xtask run`.
fn with_own_ports(manifest: Vec<u8>) -> Result<Vec<u8>, String> {
    let text = String::from_utf8(manifest).map_err(|e| e.to_string())?;
    let text = text
        .replace("site-addr = \"127.0.0.1:3000\"", &format!("site-addr = \"127.0.0.1:{PORT}\""))
        .replace("reload-port = 3001", &format!("reload-port = {RELOAD_PORT}"));
    if !text.contains(&format!(":{PORT}\"")) {
        return Err("cannot set the watch check's port in the copied Cargo.toml".into());
    }
    Ok(text.into_bytes())
}

fn find_file_containing(dir: &Path, needle: &str) -> Result<Option<PathBuf>, String> {
    for entry in std::fs::read_dir(dir).map_err(|e| e.to_string())?.flatten() {
        let path = entry.path();
        if path.is_dir() {
            if let Some(found) = find_file_containing(&path, needle)? {
                return Ok(Some(found));
            }
        } else if std::fs::read_to_string(&path).is_ok_and(|t| t.contains(needle)) {
            return Ok(Some(path));
        }
    }
    Ok(None)
}
