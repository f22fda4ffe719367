//! The JWT signing key: given, or generated once and kept in the data dir with mode 0600.

use super::write_private;
use crate::config::ConfigError;
use app::auth::ssr::tokens::MIN_SECRET_BYTES;
use std::path::Path;

const FILE_NAME: &str = "jwt_secret";

/// The secret from the configuration, or else the one in the data directory, generated on
/// first start. Call it while holding the data directory's init lock, so instances starting
/// together agree on one key.
pub fn load_or_create(given: Option<&str>, data_dir: &Path) -> Result<Vec<u8>, ConfigError> {
    if let Some(secret) = given {
        return check_length(secret.as_bytes().to_vec(), "BMW_JWT_SECRET");
    }
    let path = data_dir.join(FILE_NAME);
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            refuse_loose_permissions(&path)?;
            check_length(text.trim_end().as_bytes().to_vec(), &path.display().to_string())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let secret = app::ssr::crypto::token(32);
            write_private(&path, secret.as_bytes(), 0o600).map_err(|e| {
                ConfigError::Secret(format!("cannot store a new JWT secret in {}: {e}", path.display()))
            })?;
            tracing::info!(path = %path.display(), "generated a new JWT secret (mode 0600)");
            Ok(secret.into_bytes())
        }
        Err(e) => Err(ConfigError::Secret(format!("cannot read {}: {e}", path.display()))),
    }
}

fn check_length(secret: Vec<u8>, source: &str) -> Result<Vec<u8>, ConfigError> {
    if secret.len() < MIN_SECRET_BYTES {
        return Err(ConfigError::Secret(format!(
            "{source}: the JWT secret has {} bytes; at least {MIN_SECRET_BYTES} are required. \
             Generate one with: openssl rand -base64 48",
            secret.len()
        )));
    }
    Ok(secret)
}

#[cfg(unix)]
fn refuse_loose_permissions(path: &Path) -> Result<(), ConfigError> {
    use std::os::unix::fs::PermissionsExt;
    let mode = std::fs::metadata(path).map_err(|e| ConfigError::Secret(e.to_string()))?.permissions().mode();
    if mode & 0o077 != 0 {
        return Err(ConfigError::Secret(format!(
            "{} is readable by other users (mode {:o}); fix it with: chmod 600 {}",
            path.display(),
            mode & 0o777,
            path.display()
        )));
    }
    Ok(())
}

#[cfg(not(unix))]
fn refuse_loose_permissions(_: &Path) -> Result<(), ConfigError> {
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generates_once_with_0600_and_reuses() {
        let dir = tempfile::tempdir().unwrap();
        let first = load_or_create(None, dir.path()).unwrap();
        assert!(first.len() >= MIN_SECRET_BYTES);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(dir.path().join(FILE_NAME)).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        assert_eq!(load_or_create(None, dir.path()).unwrap(), first);
    }

    #[test]
    fn refuses_short_and_exposed_secrets() {
        let dir = tempfile::tempdir().unwrap();
        assert!(load_or_create(Some("too short"), dir.path()).is_err());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let path = dir.path().join(FILE_NAME);
            std::fs::write(&path, "x".repeat(40)).unwrap();
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
            let err = load_or_create(None, dir.path()).unwrap_err().to_string();
            assert!(err.contains("chmod 600"), "{err}");
        }
    }
}
