//! The site's built files as the release build names them. With `hash-files`, cargo-leptos puts
//! a hash of each file's content in the names of the wasm, JS and CSS bundles and lists the
//! hashes in `hash.txt` next to the binary. A name changes whenever its content does, so
//! browsers may keep those files for good (`immutable`) and never ask again; every other file
//! keeps its name and its usual caching.

use crate::config::ConfigError;
use leptos::config::LeptosOptions;
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// The URL paths of the hashed bundles (`/pkg/bmw.<hash>.wasm`…); empty for a build without
/// hashes (`cargo leptos watch`).
#[derive(Debug, Default)]
pub struct HashedAssets {
    paths: HashSet<String>,
}

impl HashedAssets {
    /// Reads the hash file if there is one (`file`, relative to the binary's directory, or
    /// `hash.txt`) and points Leptos at it: its `<HydrationScripts>` and `<HashedStylesheet>`
    /// then link the hashed names. A hash file that is there but unreadable, or that names
    /// bundles the site root does not have, stops the start: every page would link files that
    /// do not exist.
    pub fn resolve(options: &mut LeptosOptions, file: Option<&Path>) -> Result<Self, ConfigError> {
        let path = beside_binary(file.unwrap_or(Path::new("hash.txt")));
        options.hash_files = path.is_file();
        if !options.hash_files {
            return Ok(Self::default());
        }
        let invalid = |message: String| ConfigError::Invalid { key: "LEPTOS_HASH_FILE_NAME", message };
        let text =
            std::fs::read_to_string(&path).map_err(|e| invalid(format!("cannot read {}: {e}", path.display())))?;
        let paths = parse(&text, options)
            .map_err(|line| invalid(format!("{}: expected `js|wasm|css: <hash>`, found {line:?}", path.display())))?;
        let site = Path::new(&*options.site_root);
        if let Some(missing) = paths.iter().find(|p| !site.join(p.trim_start_matches('/')).is_file()) {
            return Err(invalid(format!(
                "{} names {missing}, which is not in the site root {}: the binary and the site come from \
                 different builds. Rebuild both with `cargo xtask dist`, or point LEPTOS_SITE_ROOT at the site \
                 built with this binary",
                path.display(),
                site.display()
            )));
        }
        options.hash_file = path.display().to_string().into();
        tracing::info!(hashes = %path.display(), "serving hashed asset names");
        Ok(Self { paths })
    }

    /// Whether `path` names a file whose content can never change.
    pub fn is_immutable(&self, path: &str) -> bool {
        self.paths.contains(path)
    }
}

/// Where Leptos looks: relative paths start at the binary's directory.
fn beside_binary(file: &Path) -> PathBuf {
    let dir = std::env::current_exe().ok().and_then(|exe| exe.parent().map(Path::to_path_buf)).unwrap_or_default();
    dir.join(file)
}

/// `js: <hash>` lines as cargo-leptos writes them, into the URL paths they name.
fn parse(text: &str, options: &LeptosOptions) -> Result<HashSet<String>, String> {
    let (name, pkg) = (&options.output_name, &options.site_pkg_dir);
    let mut paths = HashSet::new();
    for line in text.lines().map(str::trim).filter(|l| !l.is_empty()) {
        let Some((kind, hash)) = line.split_once(':') else { return Err(line.to_string()) };
        let hash = hash.trim();
        let safe = !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        match kind.trim() {
            ext @ ("js" | "wasm" | "css") if safe => paths.insert(format!("/{pkg}/{name}.{hash}.{ext}")),
            // Entries for wasm splitting (`--split`), which BMW does not use.
            "split" | "manifest" if safe => false,
            _ => return Err(line.to_string()),
        };
    }
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> LeptosOptions {
        leptos::config::get_config_from_str("[package.metadata.leptos]\noutput-name = \"bmw\"\n").unwrap()
    }

    #[test]
    fn the_hash_file_names_the_three_bundles() {
        let paths = parse("js: AbC-1_x\nwasm: Zz9\n\ncss: q\n", &options()).unwrap();
        let expected = ["/pkg/bmw.AbC-1_x.js", "/pkg/bmw.Zz9.wasm", "/pkg/bmw.q.css"];
        assert_eq!(paths, expected.iter().map(|p| p.to_string()).collect());
    }

    #[test]
    fn anything_else_is_refused() {
        for bad in ["js AbC", "js: ", "js: a/../b", "png: abc"] {
            assert_eq!(parse(bad, &options()), Err(bad.trim().to_string()), "{bad}");
        }
    }

    #[test]
    fn without_a_hash_file_nothing_is_immutable() {
        let mut options = options();
        let assets = HashedAssets::resolve(&mut options, Some(Path::new("/nonexistent/hash.txt"))).unwrap();
        assert!(!options.hash_files);
        assert!(!assets.is_immutable("/pkg/bmw.wasm"));
    }
}
