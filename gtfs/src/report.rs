//! What a load saw: counts, warnings (accepted oddities) and skipped rows (lenient mode).

use std::collections::BTreeMap;
use std::fmt;
use std::time::Duration;

use crate::calendar::ServiceCalendar;
use crate::error::{IssueKind, RowIssue};

/// Something odd that the loader accepted. Never an error.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Warning {
    Bom {
        file: &'static str,
    },
    PaddedHeader {
        file: &'static str,
        column: String,
    },
    DuplicateColumn {
        file: &'static str,
        column: String,
    },
    UnknownColumn {
        file: &'static str,
        column: String,
    },
    /// Not a GTFS file (standard files BMW does not import go to `Report::ignored_files`).
    UnknownFile {
        name: String,
    },
    RaggedRows {
        file: &'static str,
        rows: u64,
        first_line: u64,
    },
    /// An optional file with no header line; treated as absent.
    EmptyFile {
        file: &'static str,
    },
    /// headway_secs below `Options::min_headway_secs` was raised to it.
    HeadwaysClamped {
        rows: u64,
        first_line: u64,
        min_headway_secs: u32,
    },
    TripsWithoutStopTimes {
        trips: u64,
        examples: Vec<String>,
    },
    /// Agencies disagree on agency_timezone (the spec requires one zone per feed).
    MixedTimezones {
        zones: Vec<String>,
    },
    /// A trip's rows are not contiguous in stop_times.txt, so duplicate stop_sequence values
    /// across the separate runs can only be caught by the sink's primary key.
    FragmentedTrips {
        trips: u64,
        examples: Vec<String>,
    },
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Warning::Bom { file } => write!(f, "{file}: UTF-8 byte order mark ignored"),
            Warning::PaddedHeader { file, column } => write!(f, "{file}: header {column:?} had surrounding spaces"),
            Warning::DuplicateColumn { file, column } => write!(f, "{file}: column {column} repeated; first one used"),
            Warning::UnknownColumn { file, column } => write!(f, "{file}: unknown column {column} ignored"),
            Warning::UnknownFile { name } => write!(f, "unknown file {name} ignored"),
            Warning::RaggedRows { file, rows, first_line } => {
                write!(f, "{file}: {rows} rows with a field count unlike the header (first at line {first_line})")
            }
            Warning::EmptyFile { file } => write!(f, "{file}: empty file treated as absent"),
            Warning::HeadwaysClamped { rows, first_line, min_headway_secs } => write!(
                f,
                "frequencies.txt: {rows} headways below {min_headway_secs} s raised to it (first at line {first_line})"
            ),
            Warning::TripsWithoutStopTimes { trips, examples } => {
                write!(f, "{trips} trips have no stop_times (e.g. {})", examples.join(", "))
            }
            Warning::MixedTimezones { zones } => write!(f, "agencies use several time zones: {}", zones.join(", ")),
            Warning::FragmentedTrips { trips, examples } => write!(
                f,
                "stop_times.txt: rows of {trips} trips are not contiguous (e.g. {}); their times may need re-interpolation",
                examples.join(", ")
            ),
        }
    }
}

/// Rows skipped for one (file, reason) in lenient mode.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkippedRows {
    pub file: &'static str,
    pub kind: IssueKind,
    pub count: u64,
    /// The first few, in file order.
    pub examples: Vec<RowIssue>,
}

/// Rows read and time spent per file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileStats {
    pub file: &'static str,
    pub rows: u64,
    pub skipped: u64,
    pub elapsed: Duration,
}

#[derive(Debug, Clone, Default)]
pub struct Report {
    pub files: Vec<FileStats>,
    pub warnings: Vec<Warning>,
    pub skipped: Vec<SkippedRows>,
    /// Standard GTFS files present but not imported (shapes.txt, transfers.txt…).
    pub ignored_files: Vec<String>,
    pub agencies: u32,
    pub stops: u32,
    pub routes: u32,
    pub services: u32,
    pub trips: u32,
    pub stop_times: u64,
    pub calendar_dates: u64,
    pub frequencies: u64,
    /// stop_times filled by interpolation during the load.
    pub interpolated_stop_times: u64,
    /// Trips whose rows still lack times after the load (see [`crate::interpolate_trip`]).
    pub trips_needing_interpolation: Vec<u32>,
    /// The first agency's zone: GTFS times are measured in it.
    pub timezone: String,
    pub calendar: ServiceCalendar,
    pub unpacked_bytes: u64,
    pub elapsed: Duration,
}

impl Report {
    pub fn skipped_total(&self) -> u64 {
        self.skipped.iter().map(|s| s.count).sum()
    }

    /// Skipped count for one file and reason.
    pub fn skipped_count(&self, file: &str, kind: IssueKind) -> u64 {
        self.skipped.iter().filter(|s| s.file == file && s.kind == kind).map(|s| s.count).sum()
    }

    pub(crate) fn record_skip(&mut self, issue: RowIssue, max_examples: usize) {
        if let Some(stats) = self.files.iter_mut().find(|s| s.file == issue.file) {
            stats.skipped += 1;
        }
        match self.skipped.iter_mut().find(|s| s.file == issue.file && s.kind == issue.kind) {
            Some(entry) => {
                entry.count += 1;
                if entry.examples.len() < max_examples {
                    entry.examples.push(issue);
                }
            }
            None => self.skipped.push(SkippedRows {
                file: issue.file,
                kind: issue.kind,
                count: 1,
                examples: if max_examples > 0 { vec![issue] } else { Vec::new() },
            }),
        }
    }

    /// Skips grouped by file, for display.
    pub fn skipped_by_file(&self) -> BTreeMap<&'static str, u64> {
        let mut by_file = BTreeMap::new();
        for s in &self.skipped {
            *by_file.entry(s.file).or_default() += s.count;
        }
        by_file
    }
}

/// Periodic progress, passed to [`Sink::progress`](crate::Sink::progress).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Progress {
    pub file: &'static str,
    pub rows: u64,
    pub elapsed: Duration,
    /// True once for each file, after its last row.
    pub finished: bool,
}

impl Progress {
    pub fn rows_per_second(&self) -> f64 {
        let secs = self.elapsed.as_secs_f64();
        if secs > 0.0 { self.rows as f64 / secs } else { 0.0 }
    }
}
