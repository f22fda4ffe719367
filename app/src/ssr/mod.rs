//! Server-only plumbing shared by every feature: the clock, randomness and digests, the
//! database handle, who is calling, the rate-limited security log, and the web policy (origins,
//! cookies, CORS, CSRF, CSP).
//! Nothing here knows about any feature.

pub mod client_info;
pub mod clock;
pub mod context;
pub mod crypto;
pub mod db;
pub mod form_redirect;
pub mod security_log;
pub mod web_policy;
