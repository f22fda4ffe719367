//! The transit catalog: GTFS feeds imported into the app's catalog database; stop and route
//! search, stops near a point, departure boards, and route pages. Everything here is public:
//! no sign-in needed.
//!
//! Other features use [`model`] and, on the server, `ssr::service::TransitService` (bookmarks
//! ask it for the departures at a user's stops).

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod ssr;
