//! Backoff for failed sign-ins, per account and per client IP; and for sign-ups, per client IP.
//!
//! An attempt is counted as a failure when it starts (`reserve`), under the same lock as the
//! check, and given back if it succeeds: so attempts sent together cannot all pass the check
//! before any of them has failed (a burst of 60 guesses gets the free 5 checked, and 429s).
//!
//! Backoff, not lockout: after `free` failures each further attempt must wait twice as long as
//! the one before (1 s, 2 s, 4 s, …) up to `cap`. A guesser is slowed to one try per `cap`.
//! A success clears the account's count (not the IP's: an attacker's own account must not reset
//! it). Counts are forgotten after `forget` without failures. State is in memory, per process.
//!
//! Two rules keep the backoff from locking out the innocent:
//! - An address's budget only holds back the usernames that have failed from it. Many users
//!   behind one address (a proxy, a NAT) are never stopped by each other's typos or by an
//!   attacker among them; a user who has not failed gets straight to the password check.
//! - A browser where the account signed in before (its device cookie, OWASP's "device
//!   cookies") has a budget of its own instead of the account's, so a stranger's trickle of
//!   wrong guesses cannot keep the owner out indefinitely.

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

/// Sign-ups per client address: each costs a password hash and an account, so after `free` in
/// an hour each further one must wait (1 s, 2 s, 4 s… up to 10 minutes).
pub fn sign_ups_per_ip(free: u32) -> Backoff {
    Backoff { free, cap: Duration::from_secs(600), forget: Duration::from_secs(3600) }
}

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
    #[cfg(test)]
    fn wait(&self, key: &str, now: SystemTime) -> Option<Duration> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.wait_in(&entries, key, now)
    }

    fn wait_in(&self, entries: &HashMap<String, Failures>, key: &str, now: SystemTime) -> Option<Duration> {
        let failures = entries.get(key)?;
        if failures.count < self.policy.free || since(now, failures.last) >= self.policy.forget {
            return None;
        }
        let doublings = (failures.count - self.policy.free).min(20);
        let delay = Duration::from_secs(1u64 << doublings).min(self.policy.cap);
        delay.checked_sub(since(now, failures.last)).filter(|d| !d.is_zero())
    }

    /// Counts an attempt as failed unless `key` must wait, in one step.
    fn reserve(&self, key: &str, now: SystemTime) -> Result<(), Duration> {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        match self.wait_in(&entries, key, now) {
            Some(wait) => Err(wait),
            None => {
                self.fail_in(&mut entries, key, now);
                Ok(())
            }
        }
    }

    /// Whether `key` has failures that are not forgotten yet.
    fn has_failed(&self, key: &str, now: SystemTime) -> bool {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(key).is_some_and(|f| f.count > 0 && since(now, f.last) < self.policy.forget)
    }

    /// Counts an attempt as failed, whatever the wait.
    fn record(&self, key: &str, now: SystemTime) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        self.fail_in(&mut entries, key, now);
    }

    /// Gives back one reserved attempt.
    fn give_back(&self, key: &str) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(failures) = entries.get_mut(key) {
            failures.count = failures.count.saturating_sub(1);
            if failures.count == 0 {
                entries.remove(key);
            }
        }
    }

    #[cfg(test)]
    fn fail(&self, key: &str, now: SystemTime) {
        self.record(key, now);
    }

    fn fail_in(&self, entries: &mut HashMap<String, Failures>, key: &str, now: SystemTime) {
        if entries.len() >= MAX_ENTRIES && !entries.contains_key(key) {
            let forget = self.policy.forget;
            entries.retain(|_, f| since(now, f.last) < forget);
            // Still full of live entries (a spray of fresh names or addresses): the oldest tenth
            // goes, so the table never passes its cap and the sweep runs once per many inserts.
            if entries.len() >= MAX_ENTRIES {
                let mut lasts: Vec<SystemTime> = entries.values().map(|f| f.last).collect();
                let cut = MAX_ENTRIES / 10;
                lasts.select_nth_unstable(cut);
                let before = lasts[cut];
                entries.retain(|_, f| f.last > before);
            }
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
    /// Failures per address and username: which names an address's budget holds back.
    pairs: Table,
    /// Failures per known device (its nonce), instead of the account's.
    devices: Table,
    clock: SharedClock,
}

impl SignInThrottle {
    /// The defaults documented in SECURITY.md.
    pub fn new(clock: SharedClock) -> Self {
        Self::with_policies(PER_ACCOUNT, PER_IP, clock)
    }

    pub fn with_policies(per_account: Backoff, per_ip: Backoff, clock: SharedClock) -> Self {
        let (accounts, ips) = (Table::new(per_account), Table::new(per_ip));
        Self { accounts, ips, pairs: Table::new(per_ip), devices: Table::new(per_account), clock }
    }

    /// Before checking a password: counts this attempt as failed, for the account (or the known
    /// `device`, the nonce of a valid device cookie for this account) and for the address, or
    /// answers the seconds to wait (rounded up) if one of them must wait. A success then calls
    /// `succeeded`; a failure needs nothing more.
    pub fn reserve(&self, account: &str, ip: Option<&str>, device: Option<&str>) -> Result<(), u64> {
        let now = self.clock.now();
        let (own, key) = match device {
            Some(device) => (&self.devices, device),
            None => (&self.accounts, account),
        };
        own.reserve(key, now).map_err(seconds)?;
        let Some(ip) = ip.map(network) else { return Ok(()) };
        let pair = format!("{ip} {account}");
        if self.pairs.has_failed(&pair, now) {
            if let Err(wait) = self.ips.reserve(&ip, now) {
                own.give_back(key);
                return Err(seconds(wait));
            }
        } else {
            self.ips.record(&ip, now);
        }
        self.pairs.record(&pair, now);
        Ok(())
    }

    /// The password was right: the account (or device) and the address-and-name pair start
    /// afresh, and the address gets its attempt back (an attacker's own account must not clear
    /// the address's count, only not add to it).
    pub fn succeeded(&self, account: &str, ip: Option<&str>, device: Option<&str>) {
        match device {
            Some(device) => self.devices.clear(device),
            None => self.accounts.clear(account),
        }
        if let Some(ip) = ip.map(network) {
            self.ips.give_back(&ip);
            self.pairs.clear(&format!("{ip} {account}"));
        }
    }
}

/// Sign-ups, counted per client address (every one, whatever its outcome: a "username taken"
/// answer is worth as much to someone enumerating names).
pub struct SignUpThrottle {
    ips: Table,
    clock: SharedClock,
}

impl SignUpThrottle {
    pub fn new(per_ip: Backoff, clock: SharedClock) -> Self {
        Self { ips: Table::new(per_ip), clock }
    }

    /// Counts a sign-up from `ip`, or answers the seconds it must wait.
    pub fn reserve(&self, ip: Option<&str>) -> Result<(), u64> {
        match ip {
            Some(ip) => self.ips.reserve(&network(ip), self.clock.now()).map_err(seconds),
            None => Ok(()),
        }
    }
}

/// Whole seconds, rounded up (for `Retry-After`).
fn seconds(d: Duration) -> u64 {
    d.as_secs() + u64::from(d.subsec_nanos() > 0)
}

/// The per-address key: an IPv6 client is its /64, since one subscriber or one cloud host
/// usually holds a whole /64 and could otherwise pick a fresh address for every guess. IPv4
/// (also when mapped into IPv6) is the address itself.
fn network(ip: &str) -> String {
    match ip.parse::<std::net::IpAddr>() {
        Ok(std::net::IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let prefix = u128::from(v6) & !((1u128 << 64) - 1);
                format!("{}/64", std::net::Ipv6Addr::from(prefix))
            }
        },
        Ok(std::net::IpAddr::V4(v4)) => v4.to_string(),
        Err(_) => ip.to_string(),
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

    /// Review M3: the sweep only removed stale entries, so a spray of fresh keys grew the table
    /// without bound.
    #[test]
    fn a_table_never_passes_its_cap() {
        let table = Table::new(POLICY);
        let t0 = SystemTime::now();
        for n in 0..MAX_ENTRIES + 5_000 {
            table.fail(&format!("k{n}"), t0 + Duration::from_millis(n as u64));
        }
        let entries = table.entries.lock().unwrap();
        assert!(entries.len() <= MAX_ENTRIES, "{}", entries.len());
        assert!(entries.contains_key(&format!("k{}", MAX_ENTRIES + 4_999)), "the newest stay");
        assert!(!entries.contains_key("k0"), "the oldest went");
    }

    #[test]
    fn an_ipv6_client_is_throttled_by_its_64() {
        assert_eq!(network("2001:db8:1:2:aaaa::1"), "2001:db8:1:2::/64");
        assert_eq!(network("2001:db8:1:2:ffff:ffff:ffff:ffff"), "2001:db8:1:2::/64");
        assert_eq!(network("::ffff:192.0.2.7"), "192.0.2.7");
        assert_eq!(network("192.0.2.7"), "192.0.2.7");
        let throttle = SignInThrottle::with_policies(POLICY, POLICY, std::sync::Arc::new(SystemClock));
        assert_eq!(throttle.reserve("a", Some("2001:db8::1"), None), Ok(()));
        assert_eq!(throttle.reserve("b", Some("2001:db8::2"), None), Ok(()));
        assert_eq!(throttle.reserve("a", Some("2001:db8::3"), None), Err(1), "one /64, one budget");
        assert_eq!(throttle.reserve("a", Some("2001:db8:0:1::3"), None), Ok(()), "the next /64 is another client");
    }

    #[test]
    fn attempts_count_when_they_start_and_a_success_gives_its_back() {
        let throttle = SignInThrottle::with_policies(POLICY, POLICY, std::sync::Arc::new(SystemClock));
        let ip = Some("10.0.0.1");
        assert_eq!(throttle.reserve("alice", ip, None), Ok(()));
        assert_eq!(throttle.reserve("alice", ip, None), Ok(()));
        assert_eq!(throttle.reserve("alice", ip, None), Err(1), "two in flight use up the free budget");
        throttle.succeeded("alice", ip, None);
        assert_eq!(throttle.reserve("alice", None, None), Ok(()), "a success clears the account");
        // The address gave back only the successful attempt: the failed one still counts.
        assert_eq!(throttle.reserve("bob", ip, None), Ok(()));
        assert_eq!(throttle.reserve("carol", ip, None), Ok(()), "carol has not failed here: not held back");
        assert!(throttle.reserve("carol", ip, None).is_err(), "now she has, and the address's failures count");
        assert_eq!(throttle.reserve("carol", None, None), Ok(()), "and carol's account was not charged for it");
    }

    /// Review H2: one address shared by many (a proxy, a NAT) must not stop a user who has not
    /// failed, however many others failed from it.
    #[test]
    fn a_shared_address_holds_back_only_the_names_that_failed_from_it() {
        let throttle = SignInThrottle::with_policies(POLICY, POLICY, std::sync::Arc::new(SystemClock));
        let proxy = Some("10.0.0.1");
        for n in 0..20 {
            assert_eq!(throttle.reserve(&format!("stranger{n}"), proxy, None), Ok(()));
        }
        assert_eq!(throttle.reserve("alice", proxy, None), Ok(()), "alice never failed");
        assert!(throttle.reserve("stranger0", proxy, None).is_err(), "a failing pair is slowed");
    }

    /// Review L3: a trickle of wrong guesses keeps the account in backoff, but not for a browser
    /// where the owner signed in before.
    #[test]
    fn a_known_device_has_its_own_budget() {
        let throttle = SignInThrottle::with_policies(POLICY, POLICY, std::sync::Arc::new(SystemClock));
        for _ in 0..2 {
            assert_eq!(throttle.reserve("dora", Some("192.0.2.1"), None), Ok(()));
        }
        assert!(throttle.reserve("dora", Some("198.51.100.9"), None).is_err(), "a stranger's guesses hold the account");
        assert_eq!(
            throttle.reserve("dora", Some("198.51.100.9"), Some("her-laptop")),
            Ok(()),
            "her laptop is not held"
        );
        throttle.succeeded("dora", Some("198.51.100.9"), Some("her-laptop"));
        assert!(throttle.reserve("dora", Some("203.0.113.5"), None).is_err(), "the account's backoff still stands");
    }
}
