//! Password hashing with argon2id at the OWASP parameters (m=19456 KiB, t=2, p=1), which are
//! exactly `argon2::Params::DEFAULT`.
//!
//! Hashing is CPU- and memory-heavy (~20 ms, 19 MiB), so it runs on the blocking pool, behind a
//! semaphore sized to the cores: a burst queues instead of starving the runtime or multiplying
//! memory use. Two lanes share it. New passwords (sign-ups, password changes) may hold at most
//! half the cores, so a flood of sign-ups never stands between a user and signing in. Each
//! lane's queue is bounded in length and in waiting time: past either, the answer is
//! `AppError::Busy` (503 with `Retry-After`) at once, with nothing done.

use crate::error::AppError;
use argon2::password_hash::{PasswordHash, PasswordHasher as _, PasswordVerifier, SaltString};
use argon2::{Argon2, Params};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Requests waiting per lane, beyond which the next is turned away at once.
const QUEUE: usize = 32;
/// The longest a request waits for a core before it is turned away.
const MAX_WAIT: Duration = Duration::from_secs(3);

/// Why a password is hashed: to check one (sign-in) or to store a new one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lane {
    Check,
    New,
}

/// One lane's bounded queue.
struct Queue {
    waiting: AtomicUsize,
}

/// A place in a [`Queue`], given back when dropped.
struct Place<'a>(&'a AtomicUsize);

impl Queue {
    fn enter(&self) -> Option<Place<'_>> {
        let before = self.waiting.fetch_add(1, Ordering::AcqRel);
        let place = Place(&self.waiting);
        (before < QUEUE).then_some(place)
    }
}

impl Drop for Place<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::AcqRel);
    }
}

#[derive(Clone)]
pub struct PasswordHasher {
    /// One per core: how many hashes run at once.
    cores: Arc<Semaphore>,
    /// Half the cores (at least one): how many of those may be new passwords.
    new_passwords: Arc<Semaphore>,
    queues: Arc<[Queue; 2]>,
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
        let queue = || Queue { waiting: AtomicUsize::new(0) };
        Self {
            cores: Arc::new(Semaphore::new(cores)),
            new_passwords: Arc::new(Semaphore::new((cores / 2).max(1))),
            queues: Arc::new([queue(), queue()]),
            dummy_hash: dummy.into(),
        }
    }

    /// Hashes a new password (sign-up, password change): the lane that may not crowd out
    /// sign-ins.
    pub async fn hash(&self, password: String) -> Result<String, AppError> {
        self.blocking(Lane::New, move || hash_now(&password)).await?
    }

    /// Checks `password` against `stored`, or against a dummy hash when there is no user, so the
    /// work done is the same either way. Returns false for the dummy.
    pub async fn verify(&self, password: String, stored: Option<String>) -> Result<bool, AppError> {
        let is_real = stored.is_some();
        let phc = stored.unwrap_or_else(|| self.dummy_hash.to_string());
        let matches = self.blocking(Lane::Check, move || verify_now(&password, &phc)).await??;
        Ok(matches && is_real)
    }

    async fn blocking<T: Send + 'static>(
        &self,
        lane: Lane,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, AppError> {
        let busy = || AppError::Busy { retry_after: MAX_WAIT.as_secs() };
        let _place = self.queues[lane as usize].enter().ok_or_else(busy)?;
        let wait = async {
            let lane_permit = match lane {
                Lane::New => Some(self.new_passwords.acquire().await),
                Lane::Check => None,
            };
            (lane_permit, self.cores.acquire().await)
        };
        let (lane_permit, core) = tokio::time::timeout(MAX_WAIT, wait).await.map_err(|_| busy())?;
        let _permits = (lane_permit.transpose().map_err(AppError::internal)?, core.map_err(AppError::internal)?);
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
