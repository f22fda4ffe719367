//! BMW (Bus · Metro · Walk): the Leptos app, compiled twice: for the server (`ssr`) and for
//! the browser (`hydrate`).
//!
//! - Features live in their own folders: [`auth`] (accounts and sign-in sessions),
//!   [`transit`] (GTFS feeds: search, departure boards, routes), [`bookmarks`] (groups and
//!   MyBM), [`doctor`] (the cookie and CORS doctor) and [`api_docs`] (the REST API reference).
//!   Each holds
//!   its model, input rules, server functions, pages and components, and its server-only code
//!   in an `ssr` module.
//! - Shared, feature-agnostic parts: [`error`], [`ui`] (form parts, formatting), [`client`]
//!   (the browser's server-function client) and, on the server, [`ssr`] (clock, crypto,
//!   database handle, the web policy).
//! - [`routes`] (the `App` and its routes), [`shell`], [`layout`], [`home`] and [`not_found`]
//!   put the features together. This file only declares them.
//!
//! Features may use the shared parts and `auth`; nothing imports back up into this file.

// Without `--cfg erase_components` (a plain `cargo leptos build --release`), the wasm build
// computes the layouts of deeply nested view types, which passes rustc's default depth of 128.
#![recursion_limit = "256"]

pub mod api_docs;
pub mod auth;
pub mod bookmarks;
pub mod client;
pub mod doctor;
pub mod error;
pub mod home;
pub mod layout;
pub mod not_found;
pub mod routes;
pub mod shell;
pub mod transit;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod ssr;

pub use routes::App;
pub use shell::shell;
