//! Where loaded rows go. Synchronous on purpose: the app runs [`load`](crate::load) inside
//! `spawn_blocking` and forwards batches over a bounded channel to its async writer.

use std::convert::Infallible;

use crate::model::{Agency, Calendar, CalendarDate, FeedInfo, Frequency, Route, Stop, StopTime, Trip, TripSummary};
use crate::report::Progress;

/// Receives rows in file order, in batches of at most `Options::batch_size`.
///
/// Calls come in dependency order: agencies, stops, routes, calendars, calendar dates, trips,
/// stop times, trip summaries, frequencies, feed info. An error aborts the load. If the load
/// fails, everything received so far must be discarded (the app writes into a transaction or a
/// fresh feed generation), which is how a bad feed "changes nothing".
pub trait Sink {
    type Error: std::error::Error + Send + Sync + 'static;

    fn agencies(&mut self, _rows: &[Agency]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn stops(&mut self, _rows: &[Stop]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn routes(&mut self, _rows: &[Route]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn calendars(&mut self, _rows: &[Calendar]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn calendar_dates(&mut self, _rows: &[CalendarDate]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn trips(&mut self, _rows: &[Trip]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn stop_times(&mut self, _rows: &[StopTime]) -> Result<(), Self::Error> {
        Ok(())
    }
    /// One summary per trip that has stop_times, after stop_times.txt is done.
    fn trip_summaries(&mut self, _rows: &[TripSummary]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn frequencies(&mut self, _rows: &[Frequency]) -> Result<(), Self::Error> {
        Ok(())
    }
    fn feed_info(&mut self, _info: &FeedInfo) -> Result<(), Self::Error> {
        Ok(())
    }
    /// Called every `Options::progress_every` rows and once at the end of each file.
    fn progress(&mut self, _progress: &Progress) {}
}

/// Discards everything: parse and validate only.
#[derive(Debug, Default, Clone, Copy)]
pub struct NullSink;

impl Sink for NullSink {
    type Error = Infallible;
}

/// Keeps every row in memory. For tests and small feeds only (it holds all stop_times).
#[derive(Debug, Default, Clone)]
pub struct MemorySink {
    pub agencies: Vec<Agency>,
    pub stops: Vec<Stop>,
    pub routes: Vec<Route>,
    pub calendars: Vec<Calendar>,
    pub calendar_dates: Vec<CalendarDate>,
    pub trips: Vec<Trip>,
    pub stop_times: Vec<StopTime>,
    pub trip_summaries: Vec<TripSummary>,
    pub frequencies: Vec<Frequency>,
    pub feed_info: Option<FeedInfo>,
    pub progress: Vec<Progress>,
}

impl Sink for MemorySink {
    type Error = Infallible;

    fn agencies(&mut self, rows: &[Agency]) -> Result<(), Infallible> {
        self.agencies.extend_from_slice(rows);
        Ok(())
    }
    fn stops(&mut self, rows: &[Stop]) -> Result<(), Infallible> {
        self.stops.extend_from_slice(rows);
        Ok(())
    }
    fn routes(&mut self, rows: &[Route]) -> Result<(), Infallible> {
        self.routes.extend_from_slice(rows);
        Ok(())
    }
    fn calendars(&mut self, rows: &[Calendar]) -> Result<(), Infallible> {
        self.calendars.extend_from_slice(rows);
        Ok(())
    }
    fn calendar_dates(&mut self, rows: &[CalendarDate]) -> Result<(), Infallible> {
        self.calendar_dates.extend_from_slice(rows);
        Ok(())
    }
    fn trips(&mut self, rows: &[Trip]) -> Result<(), Infallible> {
        self.trips.extend_from_slice(rows);
        Ok(())
    }
    fn stop_times(&mut self, rows: &[StopTime]) -> Result<(), Infallible> {
        self.stop_times.extend_from_slice(rows);
        Ok(())
    }
    fn trip_summaries(&mut self, rows: &[TripSummary]) -> Result<(), Infallible> {
        self.trip_summaries.extend_from_slice(rows);
        Ok(())
    }
    fn frequencies(&mut self, rows: &[Frequency]) -> Result<(), Infallible> {
        self.frequencies.extend_from_slice(rows);
        Ok(())
    }
    fn feed_info(&mut self, info: &FeedInfo) -> Result<(), Infallible> {
        self.feed_info = Some(info.clone());
        Ok(())
    }
    fn progress(&mut self, progress: &Progress) {
        self.progress.push(*progress);
    }
}
