//! `cargo xtask lint`: formatting and clippy, for the server build and for the wasm build, with
//! every warning an error. `cargo xtask test` runs it first.

use crate::shell::{Cmd, leptos_build_env};

pub fn run() -> Result<(), String> {
    Cmd::new("cargo").args(["fmt", "--all", "--", "--check"]).run()?;
    // The same environment as the builds, so clippy reuses their dependency checks.
    Cmd::new("cargo")
        .args([
            "clippy",
            "--package",
            "server",
            "--package",
            "app",
            "--package",
            "gtfs",
            "--package",
            "xtask",
            "--package",
            "bench-floor",
            "--package",
            "bench-template",
        ])
        .arg("--all-targets")
        .args(["--features", "app/ssr", "--", "-D", "warnings"])
        .envs(leptos_build_env())
        .run()?;
    Cmd::new("cargo")
        .args(["clippy", "--package", "frontend", "--package", "app", "--target", "wasm32-unknown-unknown"])
        .args(["--", "-D", "warnings"])
        .envs(leptos_build_env())
        .run()
}
