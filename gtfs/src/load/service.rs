//! calendar.txt, calendar_dates.txt, frequencies.txt and feed_info.txt.

use std::collections::HashSet;

use jiff::civil::Date;

use super::{Batch, Loader};
use crate::error::{FeedError, IssueKind, RowIssue};
use crate::model::{Calendar, CalendarDate, Exception, FeedInfo, Frequency};
use crate::parse;
use crate::report::Warning;
use crate::sink::Sink;
use crate::source::FeedSource;
use crate::spec;

impl<S: Sink> Loader<'_, S> {
    pub(super) fn calendar(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "calendar.txt";
        const DAYS: [&str; 7] = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        let Some((mut t, mut run)) = self.open(source, FILE, spec::CALENDAR)? else { return Ok(()) };
        let id = t.required("service_id")?;
        let days = DAYS.map(|d| t.required(d));
        let days = days.into_iter().collect::<Result<Vec<_>, _>>()?;
        let (start, end) = (t.required("start_date")?, t.required("end_date")?);
        let mut batch = Batch::new(self.options.batch_size);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(id)?;
                if self.services.contains(key) {
                    return Err(row.issue(id, IssueKind::DuplicateKey));
                }
                let mut weekdays = [false; 7];
                for (flag, &col) in weekdays.iter_mut().zip(&days) {
                    *flag = row.required(col, |v| parse::code(v, |c| c <= 1))? == 1;
                }
                let calendar = Calendar {
                    service: 0,
                    service_id: row.required_text(id)?.to_owned(),
                    weekdays,
                    start_date: row.required(start, parse::date)?,
                    end_date: row.required(end, parse::date)?,
                };
                if calendar.end_date < calendar.start_date {
                    return Err(row.issue(end, IssueKind::EmptyInterval));
                }
                Ok(calendar)
            })();
            match parsed {
                Ok(mut calendar) => {
                    calendar.service = self.services.insert(calendar.service_id.as_bytes());
                    self.report.calendar.add_calendar(&calendar);
                    batch.push(calendar, |rows| self.sink.calendars(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.calendars(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        Ok(())
    }

    pub(super) fn calendar_dates(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "calendar_dates.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::CALENDAR_DATES)? else { return Ok(()) };
        let (id, date, kind) = (t.required("service_id")?, t.required("date")?, t.required("exception_type")?);
        let mut seen: HashSet<(u32, Date)> = HashSet::new();
        let mut batch = Batch::new(self.options.batch_size);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(id)?;
                let exception = match row.required(kind, |v| parse::code(v, |c| c == 1 || c == 2))? {
                    1 => Exception::Added,
                    _ => Exception::Removed,
                };
                let entry = CalendarDate {
                    service: self.services.get(key).unwrap_or(u32::MAX),
                    service_id: row.required_text(id)?.to_owned(),
                    date: row.required(date, parse::date)?,
                    exception,
                };
                if seen.contains(&(entry.service, entry.date)) {
                    return Err(row.issue(date, IssueKind::DuplicateKey));
                }
                Ok(entry)
            })();
            match parsed {
                Ok(mut entry) => {
                    entry.service = self.services.get_or_insert(entry.service_id.as_bytes());
                    seen.insert((entry.service, entry.date));
                    self.report.calendar.add_calendar_date(&entry);
                    self.report.calendar_dates += 1;
                    batch.push(entry, |rows| self.sink.calendar_dates(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.calendar_dates(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        Ok(())
    }

    pub(super) fn frequencies(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "frequencies.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::FREQUENCIES)? else { return Ok(()) };
        let (trip, start, end) = (t.required("trip_id")?, t.required("start_time")?, t.required("end_time")?);
        let (headway, exact) = (t.required("headway_secs")?, t.column("exact_times"));
        let min_headway = self.options.min_headway_secs;
        let (mut clamped, mut first_clamped) = (0u64, 0u64);
        let mut seen: HashSet<(u32, u32)> = HashSet::new();
        let mut batch = Batch::new(self.options.batch_size);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let trip_index = self.trips.get(row.required_bytes(trip)?);
                let frequency = Frequency {
                    trip: trip_index.ok_or_else(|| row.issue(trip, IssueKind::UnknownReference("trips.txt")))?,
                    start: row.required(start, parse::time)?,
                    end: row.required(end, parse::time)?,
                    headway_secs: row.required(headway, parse::uint)?,
                    exact_times: row.parse(exact, |v| parse::code(v, |c| c <= 1))? == Some(1),
                };
                if frequency.end < frequency.start {
                    return Err(row.issue(end, IssueKind::EmptyInterval));
                }
                if frequency.headway_secs == 0 {
                    return Err(row.issue(headway, IssueKind::OutOfRange));
                }
                if seen.contains(&(frequency.trip, frequency.start)) {
                    return Err(row.issue(start, IssueKind::DuplicateKey));
                }
                Ok(frequency)
            })();
            match parsed {
                Ok(mut frequency) => {
                    seen.insert((frequency.trip, frequency.start));
                    if frequency.headway_secs < min_headway {
                        // A 7 s headway would explode any expansion (MOTIS #721); keep the trip, slow it.
                        frequency.headway_secs = min_headway;
                        first_clamped = if clamped == 0 { row.line } else { first_clamped };
                        clamped += 1;
                    }
                    self.report.frequencies += 1;
                    batch.push(frequency, |rows| self.sink.frequencies(rows)).map_err(Self::sink_error(FILE))?;
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        batch.flush(|rows| self.sink.frequencies(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        if clamped > 0 {
            let warning =
                Warning::HeadwaysClamped { rows: clamped, first_line: first_clamped, min_headway_secs: min_headway };
            self.report.warnings.push(warning);
        }
        Ok(())
    }

    pub(super) fn feed_info(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        const FILE: &str = "feed_info.txt";
        let Some((mut t, mut run)) = self.open(source, FILE, spec::FEED_INFO)? else { return Ok(()) };
        let (name, url, lang) =
            (t.column("feed_publisher_name"), t.column("feed_publisher_url"), t.column("feed_lang"));
        let (start, end, version) = (t.column("feed_start_date"), t.column("feed_end_date"), t.column("feed_version"));
        let mut info = None;
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            if info.is_some() {
                continue; // the spec allows one row; later ones are ignored
            }
            let parsed = (|| {
                Ok::<_, RowIssue>(FeedInfo {
                    publisher_name: row.string(name)?.unwrap_or_default(),
                    publisher_url: row.string(url)?.unwrap_or_default(),
                    lang: row.string(lang)?.unwrap_or_default(),
                    start_date: row.parse(start, parse::date)?,
                    end_date: row.parse(end, parse::date)?,
                    version: row.string(version)?,
                })
            })();
            match parsed {
                Ok(parsed) => info = Some(parsed),
                Err(issue) => self.reject(issue)?,
            }
        }
        if let Some(info) = &info {
            self.sink.feed_info(info).map_err(Self::sink_error(FILE))?;
        }
        self.finish_file(&t, run);
        Ok(())
    }
}
