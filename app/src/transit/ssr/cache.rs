//! What cannot change within a feed version, kept in memory: its calendar, the names of its
//! stops and routes, and a stop's next departures from the start of a minute. An imported version is never
//! modified, and every key carries its version, so an import needs no invalidation: once the
//! new version is active, its keys simply miss. MyBM shows the same busy stops to many users,
//! and each dashboard asks again every 30 seconds; this is what keeps that cheap.

use super::board::Timetable;
use crate::transit::model::Departure;
use quick_cache::sync::Cache;
use std::sync::Arc;

/// Old versions are never asked for again after a swap.
const TIMETABLES: usize = 32;
/// Stop and route names are a few dozen bytes each; boards about 2 KB.
const NAMES: usize = 50_000;
const BOARDS: usize = 4_096;

/// A board is computed for the start of its minute with this many more departures than asked,
/// so that every request within the minute can drop the ones already gone and still have
/// enough (a busy stop rarely sees more than two departures in one minute).
pub const BOARD_SLACK: usize = 5;

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum NameKey {
    Stop(i64, String),
    Route(i64, String),
}

/// A stop (by its feed-local id), narrowed to some routes (sorted; empty for all), how many
/// departures were asked for, and the minute (Unix seconds / 60).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct BoardKey {
    pub version: i64,
    pub stop: String,
    pub routes: Vec<String>,
    pub limit: usize,
    pub minute: i64,
    /// The board of the minutes before, where live data may find a late trip.
    pub lookback: bool,
}

/// The departures from the start of a minute, `limit + BOARD_SLACK` of them unless the feed
/// has fewer within the boards' horizon.
#[derive(Debug)]
pub struct MinuteBoard {
    pub departures: Vec<Departure>,
    /// Fewer than asked for: there are no more, so none is missing after the cut.
    pub complete: bool,
}

impl MinuteBoard {
    /// The next `limit` departures at `at_unix` (within the minute), or `None` when too many
    /// of them left in the minute's first seconds for the rest to be enough.
    pub fn from(&self, at_unix: i64, limit: usize) -> Option<Vec<Departure>> {
        let next: Vec<Departure> = self.departures.iter().filter(|d| d.unix >= at_unix).take(limit).cloned().collect();
        (next.len() == limit || self.complete).then_some(next)
    }
}

pub struct TransitCache {
    pub timetables: Cache<i64, Arc<Timetable>>,
    /// `None`: the version has no such stop or route.
    pub names: Cache<NameKey, Option<String>>,
    pub boards: Cache<BoardKey, Arc<MinuteBoard>>,
}

impl TransitCache {
    pub fn new() -> Self {
        Self { timetables: Cache::new(TIMETABLES), names: Cache::new(NAMES), boards: Cache::new(BOARDS) }
    }
}

impl Default for TransitCache {
    fn default() -> Self {
        Self::new()
    }
}
