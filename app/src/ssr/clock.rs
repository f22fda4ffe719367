//! The time, injected. Production reads the system clock; tests use an [`OffsetClock`] and move
//! it forward instead of sleeping until a token or a session expires.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub trait Clock: Send + Sync + 'static {
    fn now(&self) -> SystemTime;

    /// Seconds since the Unix epoch. All timestamps in the database use this.
    fn unix_secs(&self) -> i64 {
        self.now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs() as i64)
    }
}

pub type SharedClock = Arc<dyn Clock>;

pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> SystemTime {
        SystemTime::now()
    }
}

/// The system clock plus an offset that only moves forward. Time keeps flowing as usual, and a
/// test jumps ahead with [`OffsetClock::advance`].
#[derive(Clone, Default)]
pub struct OffsetClock {
    offset_ms: Arc<AtomicI64>,
}

impl OffsetClock {
    pub fn advance(&self, by: Duration) {
        self.offset_ms.fetch_add(by.as_millis() as i64, Ordering::SeqCst);
    }
}

impl Clock for OffsetClock {
    fn now(&self) -> SystemTime {
        SystemTime::now() + Duration::from_millis(self.offset_ms.load(Ordering::SeqCst).max(0) as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_offset_clock_jumps_ahead_and_keeps_running() {
        let clock = OffsetClock::default();
        let before = SystemClock.unix_secs();
        clock.advance(Duration::from_secs(3600));
        assert!(clock.unix_secs() >= before + 3600);
        assert!(clock.unix_secs() < before + 3600 + 60);
    }
}
