//! Request middleware, one file per concern. `startup::router` puts them in order; see
//! docs/architecture.md for the picture.

pub mod api_role;
pub mod body_limit;
pub mod cookie_screen;
pub mod cors;
pub mod csrf;
pub mod form_error_seal;
pub mod forwarded;
pub mod security_headers;
pub mod server_fn_status;
pub mod session;
