//! The development certificate: generated with rcgen for the names given, kept in the data dir
//! (key 0600) and reused on later starts while the names stay the same.

use super::write_private;
use crate::config::{ConfigError, TlsFiles};
use std::path::Path;

/// Reuses the stored certificate when it was made for exactly these names; otherwise makes a
/// new one. Called under the data directory's init lock, so instances starting together share
/// one certificate. Browsers will still warn (nobody vouches for it): it is for development.
pub fn load_or_create(hosts: &[String], dir: &Path) -> Result<TlsFiles, ConfigError> {
    let files = TlsFiles { cert: dir.join("self-signed.crt"), key: dir.join("self-signed.key") };
    let names_file = dir.join("self-signed.names");
    let wanted = hosts.join(",");
    let fail = |e: &dyn std::fmt::Display| ConfigError::Invalid { key: "BMW_TLS_SELF_SIGNED", message: e.to_string() };
    if std::fs::read_to_string(&names_file).is_ok_and(|n| n == wanted) && files.cert.is_file() && files.key.is_file() {
        tracing::info!(cert = %files.cert.display(), "reusing the self-signed certificate");
        return Ok(files);
    }
    let generated = rcgen::generate_simple_self_signed(hosts.to_vec()).map_err(|e| fail(&e))?;
    write_private(&files.key, generated.signing_key.serialize_pem().as_bytes(), 0o600).map_err(|e| fail(&e))?;
    write_private(&files.cert, generated.cert.pem().as_bytes(), 0o644).map_err(|e| fail(&e))?;
    // Written last: it marks the pair above as complete.
    write_private(&names_file, wanted.as_bytes(), 0o644).map_err(|e| fail(&e))?;
    tracing::info!(cert = %files.cert.display(), names = %wanted, "generated a self-signed certificate");
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_self_signed_certificate_is_made_once_per_set_of_names() {
        let dir = tempfile::tempdir().unwrap();
        let hosts = vec!["app.bmw.test".to_string(), "localhost".to_string()];
        let first = load_or_create(&hosts, dir.path()).unwrap();
        let pem = std::fs::read_to_string(&first.cert).unwrap();
        assert!(pem.starts_with("-----BEGIN CERTIFICATE-----"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&first.key).unwrap().permissions().mode() & 0o777, 0o600);
        }
        load_or_create(&hosts, dir.path()).unwrap();
        assert_eq!(std::fs::read_to_string(&first.cert).unwrap(), pem, "reused");
        load_or_create(&["other.test".to_string()], dir.path()).unwrap();
        assert_ne!(std::fs::read_to_string(&first.cert).unwrap(), pem, "new names, new certificate");
    }
}
