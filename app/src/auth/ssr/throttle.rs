//! Backoff for failed sign-ins, per account and per client IP.
//!
//! Backoff, not lockout: after `free` failures each further attempt must wait twice as long as
//! the one before (1 s, 2 s, 4 s, …) up to `cap`. A guesser is slowed to one try per `cap`,
//! while the real owner is never locked out for longer than `cap`. A success clears the
//! account's count (not the IP's: an attacker's own account must not reset it). Counts are
//! forgotten after `forget` without failures. State is in memory, per process.

use crate::ssr::clock::SharedClock;
use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, SystemTime};

#[derive(Debug, Clone, Copy)]
pub struct Backoff {
    pub free: u32,
    pub cap: Duration,
    pub forget: Duration,
}

/// The defaults documented in SECURITY.md.
pub const PER_ACCOUNT: Backoff =
    Backoff { free: 5, cap: Duration::from_secs(60), forget: Duration::from_secs(15 * 60) };
pub const PER_IP: Backoff = Backoff { free: 20, cap: Duration::from_secs(300), forget: Duration::from_secs(15 * 60) };

/// Entries kept per table before stale ones are swept, bounding memory under a spray of names.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Failures {
    count: u32,
    last: SystemTime,
}

struct Table {
    policy: Backoff,
    entries: Mutex<HashMap<String, Failures>>,
}

impl Table {
    fn new(policy: Backoff) -> Self {
        Self { policy, entries: Mutex::new(HashMap::new()) }
    }

    /// How long `key` must still wait, if at all.
    fn wait(&self, key: &str, now: SystemTime) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        let failures = entries.get(key)?;
        if failures.count < self.policy.free || since(now, failures.last) >= self.policy.forget {
            return None;
        }
        let doublings = (failures.count - self.policy.free).min(20);
        let delay = Duration::from_secs(1u64 << doublings).min(self.policy.cap);
        delay.checked_sub(since(now, failures.last)).filter(|d| !d.is_zero())
    }

    fn fail(&self, key: &str, now: SystemTime) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if entries.len() >= MAX_ENTRIES {
            let forget = self.policy.forget;
            entries.retain(|_, f| since(now, f.last) < forget);
        }
        let entry = entries.entry(key.to_string()).or_insert(Failures { count: 0, last: now });
        if since(now, entry.last) >= self.policy.forget {
            entry.count = 0;
        }
        entry.count = entry.count.saturating_add(1);
        entry.last = now;
    }

    fn clear(&self, key: &str) {
        self.entries.lock().unwrap_or_else(|e| e.into_inner()).remove(key);
    }
}

/// Time between two readings of the clock; zero if the clock was set back.
fn since(now: SystemTime, then: SystemTime) -> Duration {
    now.duration_since(then).unwrap_or_default()
}

pub struct SignInThrottle {
    accounts: Table,
    ips: Table,
    clock: SharedClock,
}

impl SignInThrottle {
    /// The defaults documented in SECURITY.md.
    pub fn new(clock: SharedClock) -> Self {
        Self::with_policies(PER_ACCOUNT, PER_IP, clock)
    }

    pub fn with_policies(per_account: Backoff, per_ip: Backoff, clock: SharedClock) -> Self {
        Self { accounts: Table::new(per_account), ips: Table::new(per_ip), clock }
    }

    /// Seconds to wait before this attempt may be checked, rounded up; None to go ahead.
    pub fn retry_after(&self, account: &str, ip: Option<&str>) -> Option<u64> {
        let now = self.clock.now();
        let by_account = self.accounts.wait(account, now);
        let by_ip = ip.and_then(|ip| self.ips.wait(ip, now));
        by_account.max(by_ip).map(|d| d.as_secs() + u64::from(d.subsec_nanos() > 0))
    }

    pub fn failed(&self, account: &str, ip: Option<&str>) {
        let now = self.clock.now();
        self.accounts.fail(account, now);
        if let Some(ip) = ip {
            self.ips.fail(ip, now);
        }
    }

    pub fn succeeded(&self, account: &str) {
        self.accounts.clear(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ssr::clock::SystemClock;

    const POLICY: Backoff = Backoff { free: 2, cap: Duration::from_secs(8), forget: Duration::from_secs(60) };

    #[test]
    fn backs_off_exponentially_up_to_the_cap() {
        let table = Table::new(POLICY);
        let t0 = SystemTime::now();
        table.fail("a", t0);
        table.fail("a", t0);
        assert_eq!(table.wait("a", t0), Some(Duration::from_secs(1)));
        assert_eq!(table.wait("a", t0 + Duration::from_secs(1)), None);
        for _ in 0..10 {
            table.fail("a", t0);
        }
        assert_eq!(table.wait("a", t0), Some(Duration::from_secs(8)), "capped");
        assert_eq!(table.wait("a", t0 + Duration::from_secs(60)), None, "forgotten");
        assert_eq!(table.wait("b", t0), None, "per key");
    }

    #[test]
    fn success_clears_the_account_but_not_the_ip() {
        let throttle = SignInThrottle::with_policies(POLICY, POLICY, std::sync::Arc::new(SystemClock));
        for _ in 0..3 {
            throttle.failed("alice", Some("10.0.0.1"));
        }
        throttle.succeeded("alice");
        assert_eq!(throttle.retry_after("alice", None), None);
        assert!(throttle.retry_after("bob", Some("10.0.0.1")).is_some());
    }
}
