//! GTFS Schedule import core and next-departures logic for BMW (Bus · Metro · Walk).
//!
//! No database, async or UI here: the app supplies a [`Sink`] (its database writer) and SQL
//! queries, and this crate does the parts that are easy to get wrong and fast to test.
//!
//! # Import
//! [`load`] streams a [`FeedSource`] (zip or directory) in dependency order — agency, stops,
//! routes, calendar, calendar_dates, trips, stop_times, frequencies, feed_info — and hands
//! typed rows to the sink in batches. Text ids are interned to dense `u32` indexes; only those
//! maps and a few bytes per trip are held, never stop_times, so memory does not grow with the
//! feed's size. Decompressed bytes are counted while streaming and capped
//! ([`DEFAULT_MAX_UNPACKED`], 2 GiB) against zip bombs.
//!
//! Errors name file, line, column and value ([`RowIssue`]). Strict mode (default) fails on the
//! first bad row; [`Options::lenient`] skips bad rows and counts them per file and reason in the
//! [`Report`]. Structural problems (missing file or column, bad zip, too large) always fail.
//! Accepted with a [`Warning`]: BOM, padded headers, ragged rows, unknown files and columns.
//! All values are trimmed. A failed load leaves the sink's data to be discarded: the sink
//! writes in a transaction or a new feed generation, so a bad feed changes nothing.
//!
//! Decisions worth knowing:
//! * Duplicate primary keys are errors (lenient: the later row is skipped, the first kept,
//!   since it already went to the sink). Duplicate `(trip_id, stop_sequence)` is caught within
//!   a trip's contiguous run of rows and against its first/last sequence; a trip whose rows are
//!   scattered over the file is reported ([`Warning::FragmentedTrips`]) and the sink's primary
//!   key is the last guard.
//! * Empty times are interpolated during the load inside each contiguous run of a trip (the
//!   rule is in [`interpolate_trip`]); rows are flagged `interpolated`. Trips still missing
//!   times (scattered rows) are listed in [`Report::trips_needing_interpolation`] and the app
//!   runs [`interpolate_trip`] over all of their rows afterwards.
//! * A stop_time with only one of arrival/departure gets the other copied from it.
//! * headway_secs of 0 is rejected; below [`Options::min_headway_secs`] (60) it is raised with
//!   a warning: the trip stays, and expansion cannot explode.
//! * frequencies `end_time` is inclusive; a departure produced by two adjacent rows is kept once.
//! * [`TripSummary`] rows give the app each trip's last stop_sequence (no departure there)
//!   and first departure (frequency offsets).
//!
//! # Departures
//! [`time::service_windows`] turns an instant, the agency zone and a horizon into the service
//! dates and GTFS-second ranges to query (yesterday's 25:10 is today's 01:10; service days start
//! at noon minus 12 h, which differs from midnight on DST days). The app queries candidate rows
//! per window, and [`next_departures`] merges them, expands frequencies, drops `pickup_type = 1`
//! and last stops, and returns instants.

pub mod calendar;
pub mod departures;
mod error;
mod interpolate;
mod load;
pub mod model;
pub mod parse;
pub mod realtime;
mod report;
mod sink;
mod source;
mod spec;
mod table;
pub mod time;

pub use calendar::ServiceCalendar;
pub use departures::{Candidate, Departure, FrequencyTemplate, Headway, ServiceDay, next_departures};
pub use error::{FeedError, IssueKind, RowIssue};
pub use interpolate::{InterpolationError, interpolate_trip};
pub use load::{Options, load};
pub use model::*;
pub use report::{FileStats, Progress, Report, SkippedRows, Warning};
pub use sink::{MemorySink, NullSink, Sink};
pub use source::{DEFAULT_MAX_UNPACKED, FeedSource, ReadSeek, Stream};
