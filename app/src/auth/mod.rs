//! Accounts and sign-in sessions: sign-up, sign-in and sign-out, the account page with its
//! sessions list and password change, and (server-only, in [`ssr`]) the service behind them:
//! passwords, tokens, throttling and their SQL.
//!
//! Other features use [`model`] and, on the server, `ssr::extract::CurrentUser` for the
//! signed-in user.

pub mod api;
pub mod components;
pub mod model;
pub mod pages;
pub mod session;
pub mod validate;

#[cfg(feature = "ssr")]
pub mod ssr;
