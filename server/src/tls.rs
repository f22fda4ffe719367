//! Built-in HTTPS with rustls: certificate files, or the data dir's development certificate.

use crate::config::{ConfigError, TlsFiles, TlsSource};
use crate::data_dir::{DataDir, dev_certificate};

/// rustls needs one process-wide crypto provider; we use ring everywhere.
pub fn install_crypto_provider() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The PEM files to serve with. Call it under the data directory's init lock: a development
/// certificate may be generated.
pub fn prepare(source: &TlsSource, data_dir: &DataDir) -> Result<TlsFiles, ConfigError> {
    match source {
        TlsSource::Files { cert, key } => {
            for (path, key_name) in [(cert, "BMW_TLS_CERT"), (key, "BMW_TLS_KEY")] {
                if !path.is_file() {
                    return Err(ConfigError::Invalid {
                        key: key_name,
                        message: format!("{} is not a readable file", path.display()),
                    });
                }
            }
            Ok(TlsFiles { cert: cert.clone(), key: key.clone() })
        }
        TlsSource::SelfSigned { hosts } => dev_certificate::load_or_create(hosts, &data_dir.join("tls")),
    }
}
