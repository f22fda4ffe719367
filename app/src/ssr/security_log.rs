//! Security events (failed sign-ins, throttling, refused cross-site requests) are logged so that
//! brute force and probing can be seen (ASVS V16), but each kind at most [`PER_MINUTE`] lines a
//! minute: whoever causes them cannot flood the log or bury other lines. The first line let
//! through after a cut says how many were left out.

use std::sync::Mutex;
use std::time::{SystemTime, UNIX_EPOCH};

pub const PER_MINUTE: u32 = 30;

/// A kind of security event, each with its own budget.
#[derive(Debug, Clone, Copy)]
pub enum Event {
    SignInFailed,
    Throttled,
    PasswordCheckFailed,
    CsrfRefused,
}

#[derive(Default)]
struct Budget {
    minute: u64,
    logged: u32,
    left_out: u64,
}

static BUDGETS: [Mutex<Budget>; 4] = [const { Mutex::new(Budget { minute: 0, logged: 0, left_out: 0 }) }; 4];

/// Whether to log one more `event` now: `Some(left_out)`, the number of lines of this kind cut
/// since the last one logged, or `None` when this minute's budget is spent.
pub fn allow(event: Event) -> Option<u64> {
    let minute = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() / 60);
    allow_at(&BUDGETS[event as usize], minute)
}

fn allow_at(budget: &Mutex<Budget>, minute: u64) -> Option<u64> {
    let mut b = budget.lock().unwrap_or_else(|e| e.into_inner());
    if b.minute != minute {
        b.minute = minute;
        b.logged = 0;
    }
    if b.logged >= PER_MINUTE {
        b.left_out += 1;
        return None;
    }
    b.logged += 1;
    Some(std::mem::take(&mut b.left_out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_minute_logs_at_most_its_budget_and_then_says_what_was_cut() {
        let budget = Mutex::new(Budget::default());
        for _ in 0..PER_MINUTE {
            assert_eq!(allow_at(&budget, 7), Some(0));
        }
        for _ in 0..100 {
            assert_eq!(allow_at(&budget, 7), None);
        }
        assert_eq!(allow_at(&budget, 8), Some(100), "the next minute's first line counts the cut ones");
        assert_eq!(allow_at(&budget, 8), Some(0));
    }
}
