//! Bookmark groups ("bm-groups", as the original BMW called them) and the MyBM dashboard: a
//! signed-in user's stops in named groups, each with the next departures and when to leave.
//! Built on the transit catalog, whose service the server side asks for names and departures.

pub mod api;
pub mod components;
pub mod edit;
pub mod model;
pub mod page_data;
pub mod pages;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod ssr;
