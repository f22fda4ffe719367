//! Running commands, loudly: every command is echoed before it runs.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// The workspace root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask lives in the workspace").to_path_buf()
}

pub struct Cmd {
    inner: Command,
    shown: String,
}

impl Cmd {
    pub fn new(program: &str) -> Self {
        let mut inner = Command::new(program);
        inner.current_dir(root());
        // Our tools must be found even if ~/.cargo/bin is not on PATH.
        inner.env("PATH", tool_path());
        Cmd { inner, shown: program.to_string() }
    }

    pub fn arg(mut self, arg: impl AsRef<str>) -> Self {
        self.shown.push(' ');
        self.shown.push_str(arg.as_ref());
        self.inner.arg(arg.as_ref());
        self
    }

    pub fn args<I: IntoIterator<Item = S>, S: AsRef<str>>(self, args: I) -> Self {
        args.into_iter().fold(self, |cmd, a| cmd.arg(a))
    }

    pub fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Self {
        self.inner.env(key, value);
        self
    }

    pub fn envs(self, vars: Vec<(&'static str, String)>) -> Self {
        vars.into_iter().fold(self, |cmd, (k, v)| cmd.env(k, v))
    }

    pub fn dir(mut self, dir: impl AsRef<Path>) -> Self {
        self.inner.current_dir(dir);
        self
    }

    /// Runs with inherited output; fails with the command line if it fails.
    pub fn run(mut self) -> Result<(), String> {
        println!("$ {}", self.shown);
        let status = self.inner.status().map_err(|e| format!("cannot start `{}`: {e}", self.shown))?;
        if status.success() { Ok(()) } else { Err(format!("`{}` failed ({status})", self.shown)) }
    }

    /// Runs quietly and returns stdout, or None if the program is missing or fails.
    pub fn output(mut self) -> Option<String> {
        let out = self.inner.stdin(Stdio::null()).stderr(Stdio::null()).output().ok()?;
        out.status.success().then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

pub fn cargo_bin() -> PathBuf {
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo"));
    home.join("bin")
}

/// Tools installed by `cargo install`, and the npm build tools of xtask/tools (wasm-opt), come
/// first: an older wasm-opt elsewhere on PATH would break the release bundle.
pub fn tool_path() -> std::ffi::OsString {
    let mut paths = vec![root().join("xtask/tools/node_modules/.bin"), cargo_bin()];
    paths.extend(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default()));
    std::env::join_paths(paths).unwrap_or_default()
}

/// The variables `cargo leptos build` (dev) gives cargo for the server. Passing the same ones
/// to plain `cargo test` keeps the two sharing one set of artifacts: a different RUSTFLAGS
/// alone would rebuild every crate.
pub fn leptos_build_env() -> Vec<(&'static str, String)> {
    [
        ("LEPTOS_OUTPUT_NAME", "bmw"),
        ("LEPTOS_SITE_ROOT", "target/site"),
        ("LEPTOS_SITE_PKG_DIR", "pkg"),
        ("LEPTOS_SITE_ADDR", "127.0.0.1:3000"),
        ("LEPTOS_RELOAD_PORT", "3001"),
        ("LEPTOS_LIB_DIR", "frontend"),
        ("LEPTOS_BIN_DIR", "server"),
        ("LEPTOS_JS_MINIFY", "false"),
        ("LEPTOS_HASH_FILES", "false"),
        ("RUSTFLAGS", "--cfg erase_components"),
    ]
    .into_iter()
    .map(|(k, v)| (k, v.to_string()))
    .collect()
}
