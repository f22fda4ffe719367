//! The load driver: reads files in dependency order, interns ids, validates and checks
//! references, and streams typed rows to the sink in batches.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::error::{FeedError, RowIssue};
use crate::report::{FileStats, Progress, Report, Warning};
use crate::sink::Sink;
use crate::source::FeedSource;
use crate::spec;
use crate::table::Table;

#[derive(Debug, Clone)]
pub struct Options {
    /// Skip bad rows (counted in the report) instead of failing on the first one.
    pub lenient: bool,
    /// Rows per sink call.
    pub batch_size: usize,
    /// Smaller headways are raised to this with a warning; 0 is always rejected.
    pub min_headway_secs: u32,
    /// Example issues kept per (file, reason) in lenient mode.
    pub max_examples: usize,
    /// Rows between [`Sink::progress`] calls.
    pub progress_every: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options { lenient: false, batch_size: 4096, min_headway_secs: 60, max_examples: 5, progress_every: 100_000 }
    }
}

const REQUIRED: [&str; 5] = ["agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt"];
const IMPORTED: [&str; 9] = [
    "agency.txt",
    "stops.txt",
    "routes.txt",
    "calendar.txt",
    "calendar_dates.txt",
    "trips.txt",
    "stop_times.txt",
    "frequencies.txt",
    "feed_info.txt",
];

/// Loads a feed into `sink`. On `Err` the sink must discard what it got.
pub fn load<S: Sink>(source: &mut FeedSource, sink: &mut S, options: &Options) -> Result<Report, FeedError> {
    let started = Instant::now();
    for file in REQUIRED {
        if !source.contains(file) {
            return Err(FeedError::MissingFile(file));
        }
    }
    if !source.contains("calendar.txt") && !source.contains("calendar_dates.txt") {
        return Err(FeedError::NoCalendar);
    }
    let mut loader = Loader::new(sink, options);
    for name in source.file_names() {
        if spec::NOT_IMPORTED.contains(&name.as_str()) {
            loader.report.ignored_files.push(name);
        } else if !IMPORTED.contains(&name.as_str()) {
            loader.report.warnings.push(Warning::UnknownFile { name });
        }
    }
    loader.agencies(source)?;
    loader.stops(source)?;
    loader.routes(source)?;
    loader.calendar(source)?;
    loader.calendar_dates(source)?;
    loader.trips(source)?;
    loader.stop_times(source)?;
    loader.frequencies(source)?;
    loader.feed_info(source)?;
    let mut report = loader.finish();
    report.unpacked_bytes = source.unpacked_bytes();
    report.elapsed = started.elapsed();
    Ok(report)
}

mod network;
mod service;
mod stop_times;

/// Text id → dense index. Indexes are never reused, so a row dropped in lenient mode leaves a gap.
#[derive(Default)]
pub(crate) struct Ids {
    map: HashMap<Box<[u8]>, u32>,
    next: u32,
}

impl Ids {
    pub fn get(&self, id: &[u8]) -> Option<u32> {
        self.map.get(id).copied()
    }

    pub fn contains(&self, id: &[u8]) -> bool {
        self.map.contains_key(id)
    }

    /// Assigns the next index; the caller has checked `id` is new.
    pub fn insert(&mut self, id: &[u8]) -> u32 {
        let index = self.next;
        self.next += 1;
        self.map.insert(id.into(), index);
        index
    }

    pub fn remove(&mut self, id: &[u8]) {
        self.map.remove(id);
    }

    pub fn get_or_insert(&mut self, id: &[u8]) -> u32 {
        match self.get(id) {
            Some(index) => index,
            None => self.insert(id),
        }
    }

    /// Number of indexes handed out (one past the highest).
    pub fn len(&self) -> u32 {
        self.next
    }

    /// The index of the only id (single-agency feeds).
    pub fn sole(&self) -> u32 {
        self.map.values().next().copied().unwrap_or_default()
    }

    /// Ids currently resolvable.
    pub fn count(&self) -> u32 {
        self.map.len() as u32
    }
}

pub(crate) struct Loader<'a, S: Sink> {
    pub sink: &'a mut S,
    pub options: &'a Options,
    pub report: Report,
    pub agencies: Ids,
    pub stops: Ids,
    pub routes: Ids,
    pub services: Ids,
    pub trips: Ids,
    pub trip_ids: Vec<String>,
}

/// Rows waiting for one sink call.
pub(crate) struct Batch<T> {
    rows: Vec<T>,
    size: usize,
}

impl<T> Batch<T> {
    pub fn new(size: usize) -> Self {
        Batch { rows: Vec::with_capacity(size.max(1)), size: size.max(1) }
    }

    pub fn push<E>(&mut self, row: T, flush: impl FnOnce(&[T]) -> Result<(), E>) -> Result<(), E> {
        self.rows.push(row);
        if self.rows.len() >= self.size { self.flush(flush) } else { Ok(()) }
    }

    pub fn flush<E>(&mut self, flush: impl FnOnce(&[T]) -> Result<(), E>) -> Result<(), E> {
        if !self.rows.is_empty() {
            flush(&self.rows)?;
            self.rows.clear();
        }
        Ok(())
    }
}

/// Row count and timing of the file being read, for progress and stats.
pub(crate) struct FileRun {
    pub file: &'static str,
    started: Instant,
    pub rows: u64,
}

impl<'a, S: Sink> Loader<'a, S> {
    fn new(sink: &'a mut S, options: &'a Options) -> Self {
        Loader {
            sink,
            options,
            report: Report::default(),
            agencies: Ids::default(),
            stops: Ids::default(),
            routes: Ids::default(),
            services: Ids::default(),
            trips: Ids::default(),
            trip_ids: Vec::new(),
        }
    }

    /// Opens a table; `None` if the file is absent or (with a warning) empty and optional.
    pub fn open<'s>(
        &mut self,
        source: &'s mut FeedSource,
        file: &'static str,
        known: &[&str],
    ) -> Result<Option<(Table<'s>, FileRun)>, FeedError> {
        let Some(stream) = source.open_file(file)? else { return Ok(None) };
        match Table::open(file, stream, known, &mut self.report.warnings)? {
            Some(table) => {
                self.report.files.push(FileStats { file, rows: 0, skipped: 0, elapsed: Duration::ZERO });
                Ok(Some((table, FileRun { file, started: Instant::now(), rows: 0 })))
            }
            None if REQUIRED.contains(&file) => Err(FeedError::EmptyFile(file)),
            None => {
                self.report.warnings.push(Warning::EmptyFile { file });
                Ok(None)
            }
        }
    }

    /// Counts a row and reports progress now and then.
    pub fn tick(&mut self, run: &mut FileRun) {
        run.rows += 1;
        if run.rows.is_multiple_of(self.options.progress_every.max(1)) {
            let progress = Progress { file: run.file, rows: run.rows, elapsed: run.started.elapsed(), finished: false };
            self.sink.progress(&progress);
        }
    }

    pub fn finish_file(&mut self, table: &Table<'_>, run: FileRun) {
        let elapsed = run.started.elapsed();
        self.sink.progress(&Progress { file: run.file, rows: run.rows, elapsed, finished: true });
        if let Some(stats) = self.report.files.iter_mut().find(|s| s.file == run.file) {
            (stats.rows, stats.elapsed) = (run.rows, elapsed);
        }
        if let Some(warning) = table.ragged_rows() {
            self.report.warnings.push(warning);
        }
    }

    /// Strict: the issue is the error. Lenient: count it and go on without the row.
    pub fn reject(&mut self, issue: RowIssue) -> Result<(), FeedError> {
        if self.options.lenient {
            self.report.record_skip(issue, self.options.max_examples);
            Ok(())
        } else {
            Err(issue.into())
        }
    }

    pub fn sink_error(file: &'static str) -> impl FnOnce(S::Error) -> FeedError {
        move |e| FeedError::Sink { file, source: Box::new(e) }
    }

    fn finish(self) -> Report {
        self.report
    }
}
