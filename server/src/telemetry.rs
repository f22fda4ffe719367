//! Logging: `RUST_LOG` decides what is shown (default: info for our crates and for security
//! events, the `security` target; warn otherwise).

use tracing_subscriber::EnvFilter;

pub fn init() {
    let filter = EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| EnvFilter::new("warn,bmw=info,server=info,app=info,security=info,tower_http=warn"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_target(false).try_init();
}
