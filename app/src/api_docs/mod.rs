//! `/docs/api`: the REST API's reference, for people, drawn from the same OpenAPI document that
//! `/api/openapi.json` serves (built from the handlers in `server/src/rest`), so the two cannot
//! disagree.
//!
//! - [`model`]: the reference as the page shows it.
//! - `ssr`: the reference read out of the OpenAPI document.
//! - [`api`]: the page's server function. [`page`]: the page.

pub mod api;
pub mod model;
pub mod page;

#[cfg(feature = "ssr")]
pub mod ssr;
