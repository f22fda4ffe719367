//! The bridge from the synchronous GTFS loader (on a blocking thread) to the async database
//! writer. Batches go over a bounded channel, so parsing and writing use both cores and memory
//! stays bounded by the channel's few batches. The loader's thread also does the work the
//! writer need not: stop_times leave already encoded as the arguments of fixed-size INSERTs
//! (measured: a second of the Brooklyn bus import saved), and derived tables are collected
//! here.

use super::derived::Derived;
use gtfs::{
    Agency, Calendar, CalendarDate, FeedInfo, Frequency, Progress, Route, Sink, Stop, StopTime, Trip, TripSummary,
};
use sqlx::Arguments;
use sqlx::sqlite::SqliteArguments;
use tokio::sync::mpsc::Sender;

/// stop_times rows per INSERT: always exactly this many but for the last, so the writer
/// prepares one statement (sqlx keeps one per distinct size, each large).
pub const STOP_TIME_ROWS: usize = 1024;
/// Columns of a stop_times row.
pub const STOP_TIME_COLUMNS: usize = 8;

pub enum Batch {
    Agencies(Vec<Agency>),
    Stops(Vec<Stop>),
    Routes(Vec<Route>),
    Calendars(Vec<Calendar>),
    CalendarDates(Vec<CalendarDate>),
    Trips(Vec<Trip>),
    StopTimes { args: SqliteArguments<'static>, rows: usize },
    TripSummaries(Vec<TripSummary>),
    Frequencies(Vec<Frequency>),
    Progress(Progress),
}

pub struct ChannelSink {
    sender: Sender<Batch>,
    args: SqliteArguments<'static>,
    rows: usize,
    pub derived: Derived,
}

/// Why the load stopped: the writer failed (and its error is the one to report), or a value
/// could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("the database writer stopped")]
    WriterGone,
    #[error("cannot encode a stop_time: {0}")]
    Encode(String),
}

impl ChannelSink {
    pub fn new(sender: Sender<Batch>) -> Self {
        Self { sender, args: SqliteArguments::default(), rows: 0, derived: Derived::default() }
    }

    fn send(&self, batch: Batch) -> Result<(), SinkError> {
        self.sender.blocking_send(batch).map_err(|_| SinkError::WriterGone)
    }

    /// Sends the stop_times held back: before any other table, and at the end.
    pub fn flush(&mut self) -> Result<(), SinkError> {
        if self.rows > 0 {
            let args = std::mem::take(&mut self.args);
            let rows = std::mem::take(&mut self.rows);
            self.send(Batch::StopTimes { args, rows })?;
        }
        Ok(())
    }

    fn encode(&mut self, st: &StopTime) -> Result<(), sqlx::error::BoxDynError> {
        if self.rows == 0 {
            self.args.reserve(STOP_TIME_ROWS * STOP_TIME_COLUMNS, 0);
        }
        self.args.add(i64::from(st.trip))?;
        self.args.add(i64::from(st.stop_sequence))?;
        self.args.add(i64::from(st.stop))?;
        self.args.add(st.arrival.map(i64::from))?;
        self.args.add(st.departure.map(i64::from))?;
        self.args.add(st.pickup_type as i64)?;
        self.args.add(st.drop_off_type as i64)?;
        self.args.add(st.stop_headsign.clone())?;
        self.rows += 1;
        Ok(())
    }
}

impl Sink for ChannelSink {
    type Error = SinkError;

    fn agencies(&mut self, rows: &[Agency]) -> Result<(), SinkError> {
        self.send(Batch::Agencies(rows.to_vec()))
    }
    fn stops(&mut self, rows: &[Stop]) -> Result<(), SinkError> {
        self.send(Batch::Stops(rows.to_vec()))
    }
    fn routes(&mut self, rows: &[Route]) -> Result<(), SinkError> {
        self.send(Batch::Routes(rows.to_vec()))
    }
    fn calendars(&mut self, rows: &[Calendar]) -> Result<(), SinkError> {
        self.send(Batch::Calendars(rows.to_vec()))
    }
    fn calendar_dates(&mut self, rows: &[CalendarDate]) -> Result<(), SinkError> {
        self.send(Batch::CalendarDates(rows.to_vec()))
    }
    fn trips(&mut self, rows: &[Trip]) -> Result<(), SinkError> {
        self.derived.trips(rows);
        self.send(Batch::Trips(rows.to_vec()))
    }
    fn stop_times(&mut self, rows: &[StopTime]) -> Result<(), SinkError> {
        for st in rows {
            self.derived.stop_time(st);
            self.encode(st).map_err(|e| SinkError::Encode(e.to_string()))?;
            if self.rows == STOP_TIME_ROWS {
                self.flush()?;
            }
        }
        Ok(())
    }
    fn trip_summaries(&mut self, rows: &[TripSummary]) -> Result<(), SinkError> {
        self.flush()?;
        self.derived.end_run();
        self.send(Batch::TripSummaries(rows.to_vec()))
    }
    fn frequencies(&mut self, rows: &[Frequency]) -> Result<(), SinkError> {
        self.flush()?;
        self.derived.frequencies(rows);
        self.send(Batch::Frequencies(rows.to_vec()))
    }
    fn feed_info(&mut self, _: &FeedInfo) -> Result<(), SinkError> {
        Ok(())
    }
    fn progress(&mut self, progress: &Progress) {
        // In-between reports are best effort (a full channel must not stall the load for
        // them); each file's final count always goes through.
        if progress.finished {
            let _ = self.send(Batch::Progress(*progress));
        } else {
            let _ = self.sender.try_send(Batch::Progress(*progress));
        }
    }
}
