//! Server-only: the offline analysis (it needs the Public Suffix List) and what the browser
//! engines do with cookies.

pub mod analysis;
pub mod browsers;
