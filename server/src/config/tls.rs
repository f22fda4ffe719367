//! Where the TLS certificate comes from, if TLS is on.

use super::settings::TlsSettings;
use super::{ConfigError, invalid};
use std::path::PathBuf;

/// PEM files ready for rustls.
#[derive(Debug, Clone)]
pub struct TlsFiles {
    pub cert: PathBuf,
    pub key: PathBuf,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TlsSource {
    Files { cert: PathBuf, key: PathBuf },
    SelfSigned { hosts: Vec<String> },
}

pub fn source(s: &TlsSettings) -> Result<Option<TlsSource>, ConfigError> {
    let hosts: Vec<String> = s
        .tls_self_signed
        .iter()
        .flat_map(|list| list.split(','))
        .map(|h| h.trim().to_ascii_lowercase())
        .filter(|h| !h.is_empty())
        .collect();
    match (&s.tls_cert, &s.tls_key, hosts.is_empty()) {
        (None, None, true) => Ok(None),
        (None, None, false) => Ok(Some(TlsSource::SelfSigned { hosts })),
        (Some(cert), Some(key), true) => Ok(Some(TlsSource::Files { cert: cert.clone(), key: key.clone() })),
        (Some(_), Some(_), false) => {
            Err(invalid("BMW_TLS_SELF_SIGNED", "set either certificate files or BMW_TLS_SELF_SIGNED, not both"))
        }
        _ => Err(invalid("BMW_TLS_CERT", "BMW_TLS_CERT and BMW_TLS_KEY go together: set both")),
    }
}
