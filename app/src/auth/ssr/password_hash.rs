//! Password hashing with argon2id at the OWASP parameters (m=19456 KiB, t=2, p=1), which are
//! exactly `argon2::Params::DEFAULT`.
//!
//! Hashing is CPU- and memory-heavy (~20 ms, 19 MiB), so it runs on the blocking pool, behind a
//! semaphore sized to the cores: a burst of sign-ins queues instead of starving the runtime or
//! multiplying memory use.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use std::sync::Arc;
use tokio::sync::Semaphore;

#[derive(Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// Verified against when the user does not exist, so that unknown and known users cost the
    /// same time.
    dummy_hash: Arc<str>,
}

impl Default for PasswordHasher {
    fn default() -> Self {
        Self::new()
    }
}

impl PasswordHasher {
    pub fn new() -> Self {
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let dummy = hash_now(&crate::ssr::crypto::token(24)).expect("hashing a fresh dummy password");
        Self { permits: Arc::new(Semaphore::new(cores)), dummy_hash: dummy.into() }
    }

    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.blocking(move || hash_now(&password)).await?
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no user, so the
    /// work done is the same either way. Returns false for the dummy.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        let is_real = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let matches = self.blocking(move || verify_now(&password, &phc)).await??;
        Ok(matches && is_real)
    }

    async fn blocking<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, AppError> {
        let _permit = self.permits.acquire().await.map_err(AppError::internal)?;
        tokio::task::spawn_blocking(work).await.map_err(AppError::internal)
    }
}

/// Whether a stored hash uses weaker parameters than today's policy (so it should be rehashed).
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else { return true };
    let Ok(params) = Params::try_from(&parsed) else { return true };
    parsed.algorithm != argon2::ARGON2ID_IDENT
        || params.m_cost() < Params::DEFAULT_M_COST
        || params.t_cost() < Params::DEFAULT_T_COST
        || params.p_cost() < Params::DEFAULT_P_COST
}

fn hash_now(password: &str) -> Result<String, AppError> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(AppError::internal)?;
    let salt = SaltString::encode_b64(&salt).map_err(AppError::internal)?;
    Argon2::default().hash_password(password.as_bytes(), &salt).map(|h| h.to_string()).map_err(AppError::internal)
}

fn verify_now(password: &str, phc: &str) -> Result<bool, AppError> {
    let parsed = PasswordHash::new(phc).map_err(AppError::internal)?;
    Ok(Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_with_owasp_argon2id_parameters() {
        let hasher = PasswordHasher::new();
        let phc = hasher.hash("correct horse".into()).await.unwrap();
        assert!(phc.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{phc}");
        assert!(!needs_rehash(&phc));
        assert!(hasher.verify("correct horse".into(), Some(phc.clone())).await.unwrap());
        assert!(!hasher.verify("wrong horse".into(), Some(phc)).await.unwrap());
        assert!(!hasher.verify("anything".into(), None).await.unwrap());
    }

    #[test]
    fn weaker_hashes_need_rehash() {
        let weak =
            Argon2::new(argon2::Algorithm::Argon2id, argon2::Version::V0x13, Params::new(4096, 1, 1, None).unwrap())
                .hash_password(b"pw", &SaltString::encode_b64(b"0123456789abcdef").unwrap())
                .unwrap()
                .to_string();
        assert!(needs_rehash(&weak));
    }
}
