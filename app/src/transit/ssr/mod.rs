//! Server-only code of the transit feature: importing GTFS feeds into the catalog database,
//! and the service that answers searches, stop and route pages and departure boards from it.

pub mod board;
mod cache;
pub mod colors;
mod convert;
pub mod import;
pub mod live;
pub mod many;
pub mod search;
pub mod service;
pub mod store;
