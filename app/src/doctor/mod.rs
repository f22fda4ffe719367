//! The cookie and CORS doctor: for a page origin and an API origin, what the browser will do
//! with BMW's session cookies and what the server must answer, before anyone loses a day to a
//! cookie the browser silently refused.
//!
//! - [`model`] holds the verdicts, shared by the `bmw doctor` command, its `--json` output and the
//!   `/doctor` page.
//! - `ssr::analysis`: the offline verdict for two origins, derived from the one web policy
//!   (`crate::ssr::web_policy`), plus what each browser engine does with such cookies today.
//! - [`api`] has the page's server functions: the offline analysis (pure computation: the page
//!   never sends a request to a host a visitor typed), and the probe cookie of the in-browser
//!   truth test.
//! - [`pages`] has the `/doctor` page.
//!
//! The live checker (`bmw doctor --check`) sends real requests, so it lives in the server crate
//! (`server/src/doctor`).

pub mod api;
pub mod model;
pub mod pages;

#[cfg(feature = "ssr")]
pub mod ssr;
