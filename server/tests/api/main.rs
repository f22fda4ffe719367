//! The integration tests: one binary, one set of helpers. Each test starts the real server
//! (`server::startup::Application`) on port 0 with a fresh temporary database; nothing of ours
//! is mocked.

mod helpers;

mod attacks;
mod auth_api;
mod bookmarks;
mod concurrent_start;
mod csrf_cors;
mod doctor;
mod pages;
mod proxies;
mod realtime;
mod split;
mod tls;
mod transit;
