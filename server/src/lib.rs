//! The `bmw` server, the HTTP edge around the Leptos app: configuration, the data directory,
//! the database, the router with its middleware, and the REST API.
//!
//! A request goes in at `main.rs` → [`startup`] (router and layers) → the feature's handler
//! (`rest/<feature>.rs`, or the Leptos app's server functions and pages).

pub mod assets;
pub mod config;
pub mod data_dir;
pub mod db;
pub mod doctor;
pub mod feeds;
pub mod middleware;
pub mod rest;
pub mod shutdown;
pub mod startup;
pub mod state;
pub mod telemetry;
pub mod tls;
