//! Errors: a load either fails with one [`FeedError`] or reports skipped [`RowIssue`]s (lenient mode).

use std::fmt;
use std::path::PathBuf;

/// Why a single field or row was rejected. `Copy` + `Ord` so reports can group by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, thiserror::Error)]
pub enum IssueKind {
    #[error("required value is empty")]
    MissingValue,
    #[error("not valid UTF-8")]
    InvalidUtf8,
    #[error("invalid GTFS time (expected H:MM:SS, minutes and seconds below 60)")]
    BadTime,
    #[error("invalid date (expected YYYYMMDD)")]
    BadDate,
    #[error("invalid number")]
    BadNumber,
    #[error("value not allowed for this column")]
    BadEnum,
    #[error("invalid colour (expected six hex digits RRGGBB)")]
    BadColor,
    #[error("value out of range")]
    OutOfRange,
    #[error("unknown time zone")]
    BadTimezone,
    #[error("end is before start")]
    EmptyInterval,
    #[error("duplicate primary key")]
    DuplicateKey,
    #[error("refers to an id missing from {0}")]
    UnknownReference(&'static str),
    /// Checked after the whole file. In lenient mode the trip's rows were already sent and
    /// stay; the endpoint simply has no time, so it yields no departure.
    #[error("first or last stop of the trip has no time")]
    EndpointWithoutTime,
}

/// A rejected row: where it is and what was wrong with which value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowIssue {
    pub file: &'static str,
    /// 1-based physical line of the record start (the header is line 1).
    pub line: u64,
    pub column: &'static str,
    /// The offending value after trimming, shortened to 80 characters.
    pub value: String,
    pub kind: IssueKind,
}

impl fmt::Display for RowIssue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} line {}, column {}: {} (value {:?})", self.file, self.line, self.column, self.kind, self.value)
    }
}

impl std::error::Error for RowIssue {}

/// A load that cannot continue. The sink must discard everything it received (roll back).
#[derive(Debug, thiserror::Error)]
pub enum FeedError {
    #[error("cannot read {}: {source}", path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{origin} is not a usable zip archive: {reason}")]
    BadZip { origin: String, reason: String },
    #[error("feed unpacks to more than {limit} bytes; refusing it as a possible zip bomb (raise the limit if genuine)")]
    TooLarge { limit: u64 },
    #[error("required file {0} is missing")]
    MissingFile(&'static str),
    #[error("feed has neither calendar.txt nor calendar_dates.txt")]
    NoCalendar,
    #[error("{0} is empty (no header line)")]
    EmptyFile(&'static str),
    #[error("{file} line 1: required column {column} is missing from the header")]
    MissingColumn { file: &'static str, column: &'static str },
    #[error("{file} line {line}: malformed CSV: {reason}")]
    Csv { file: &'static str, line: u64, reason: String },
    #[error("{0}")]
    Row(Box<RowIssue>),
    #[error("sink failed while storing {file}: {source}")]
    Sink { file: &'static str, source: Box<dyn std::error::Error + Send + Sync> },
}

impl From<RowIssue> for FeedError {
    fn from(issue: RowIssue) -> Self {
        FeedError::Row(Box::new(issue))
    }
}
