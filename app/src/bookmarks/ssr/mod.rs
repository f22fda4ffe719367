//! Server-only code of bookmarks: the service (the one implementation behind the REST API and
//! the server functions) and its SQL.

pub mod service;
pub mod store;
