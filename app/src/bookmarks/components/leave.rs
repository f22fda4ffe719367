//! When to leave for a departure, and how long waits read.

use crate::bookmarks::model::TIME_TO_GO_MINUTES;

/// When to walk out of the door, at `now`, for a departure one must leave for at `leave_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaveSoon {
    In(i64),
    /// Within [`TIME_TO_GO_MINUTES`], or just past: go now.
    Now,
    /// Too late to walk there in time.
    TooLate,
}

pub fn leave_soon(leave_at: i64, now: i64) -> LeaveSoon {
    let minutes = (leave_at - now).div_euclid(60);
    match minutes {
        m if m > TIME_TO_GO_MINUTES => LeaveSoon::In(m),
        m if m >= -1 => LeaveSoon::Now,
        _ => LeaveSoon::TooLate,
    }
}

/// "7 min", or "2 h 05 min" for a departure tomorrow morning.
pub fn duration(minutes: i64) -> String {
    match minutes {
        m if m < 60 => format!("{m} min"),
        m => format!("{} h {:02} min", m / 60, m % 60),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_waits_are_in_hours() {
        assert_eq!(duration(59), "59 min");
        assert_eq!(duration(60), "1 h 00 min");
        assert_eq!(duration(1170), "19 h 30 min");
    }

    #[test]
    fn time_to_go_starts_two_minutes_ahead_and_ends_just_after() {
        let now = 1_000_000;
        assert_eq!(leave_soon(now + 10 * 60, now), LeaveSoon::In(10));
        assert_eq!(leave_soon(now + 3 * 60, now), LeaveSoon::In(3));
        assert_eq!(leave_soon(now + 2 * 60 + 59, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now - 60, now), LeaveSoon::Now);
        assert_eq!(leave_soon(now - 61, now), LeaveSoon::TooLate);
    }
}
