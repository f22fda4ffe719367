//! stop_times.txt, the only big file. Memory stays flat: rows are buffered only for the current
//! contiguous run of one trip (feeds are practically always grouped by trip), which is enough to
//! sort by stop_sequence, catch duplicate sequences and interpolate missing times before the
//! rows go to the sink. Per trip only a small [`TripState`] is kept.

use std::borrow::{Borrow, BorrowMut};

use super::{Batch, Loader};
use crate::error::{FeedError, IssueKind, RowIssue};
use crate::interpolate::fill_gaps;
use crate::model::{PickupDropOff, StopTime, TripSummary};
use crate::parse;
use crate::report::Warning;
use crate::sink::Sink;
use crate::source::FeedSource;
use crate::spec;

const FILE: &str = "stop_times.txt";
const EXAMPLES: usize = 5;

#[derive(Debug, Clone, Default)]
struct TripState {
    rows: u32,
    runs: u32,
    first_sequence: u32,
    last_sequence: u32,
    first_departure: Option<u32>,
    last_arrival: Option<u32>,
    first_line: u64,
    last_line: u64,
    /// Some row still has no time after run-level interpolation.
    unresolved: bool,
    interpolated: bool,
}

/// A row of the current run, with its line for error messages.
struct Pending {
    row: StopTime,
    line: u64,
}

impl Borrow<StopTime> for Pending {
    fn borrow(&self) -> &StopTime {
        &self.row
    }
}

impl BorrowMut<StopTime> for Pending {
    fn borrow_mut(&mut self) -> &mut StopTime {
        &mut self.row
    }
}

impl<S: Sink> Loader<'_, S> {
    pub(super) fn stop_times(&mut self, source: &mut FeedSource) -> Result<(), FeedError> {
        let Some((mut t, mut run)) = self.open(source, FILE, spec::STOP_TIMES)? else { return Ok(()) };
        let (trip_col, stop_col, seq_col) =
            (t.required("trip_id")?, t.required("stop_id")?, t.required("stop_sequence")?);
        let (arr_col, dep_col) = (t.required("arrival_time")?, t.required("departure_time")?);
        let (headsign_col, pickup_col, drop_col) =
            (t.column("stop_headsign"), t.column("pickup_type"), t.column("drop_off_type"));
        let (dist_col, timepoint_col) = (t.column("shape_dist_traveled"), t.column("timepoint"));

        let mut states = vec![TripState::default(); self.trips.len() as usize];
        let mut current: Vec<Pending> = Vec::new();
        let mut batch = Batch::new(self.options.batch_size);
        // Consecutive rows nearly always share the trip: skip the hash lookup for them.
        let (mut last_key, mut last_trip): (Vec<u8>, Option<u32>) = (Vec::new(), None);
        while let Some(row) = t.next_row()? {
            self.tick(&mut run);
            let parsed = (|| {
                let key = row.required_bytes(trip_col)?;
                let trip = match last_trip {
                    Some(trip) if key == last_key.as_slice() => trip,
                    _ => self
                        .trips
                        .get(key)
                        .ok_or_else(|| row.issue(trip_col, IssueKind::UnknownReference("trips.txt")))?,
                };
                let stop = self.stops.get(row.required_bytes(stop_col)?);
                let mut arrival = row.parse(arr_col, parse::time)?;
                let mut departure = row.parse(dep_col, parse::time)?;
                // One time given means no dwell: the other equals it.
                (arrival, departure) = (arrival.or(departure), departure.or(arrival));
                let st = StopTime {
                    trip,
                    stop: stop.ok_or_else(|| row.issue(stop_col, IssueKind::UnknownReference("stops.txt")))?,
                    stop_sequence: row.required(seq_col, parse::uint)?,
                    arrival,
                    departure,
                    interpolated: false,
                    stop_headsign: row.string(headsign_col)?,
                    pickup_type: row.parse(pickup_col, pickup_drop_off)?.unwrap_or_default(),
                    drop_off_type: row.parse(drop_col, pickup_drop_off)?.unwrap_or_default(),
                    shape_dist_traveled: row.parse(dist_col, parse::distance)?,
                    timepoint: row.parse(timepoint_col, |v| parse::code(v, |c| c <= 1))?.map(|v| v == 1),
                };
                Ok::<_, RowIssue>((key, st))
            })();
            match parsed {
                Ok((key, st)) => {
                    if last_trip != Some(st.trip) {
                        self.flush_run(&mut current, &mut states, &mut batch)?;
                        (last_trip, last_key) = (Some(st.trip), key.to_vec());
                    }
                    current.push(Pending { row: st, line: row.line });
                }
                Err(issue) => self.reject(issue)?,
            }
        }
        self.flush_run(&mut current, &mut states, &mut batch)?;
        batch.flush(|rows| self.sink.stop_times(rows)).map_err(Self::sink_error(FILE))?;
        self.finish_file(&t, run);
        self.summarise_trips(&states)
    }

    /// Sorts, checks and interpolates one contiguous run of a trip, then sends it on.
    fn flush_run(
        &mut self,
        current: &mut Vec<Pending>,
        states: &mut [TripState],
        batch: &mut Batch<StopTime>,
    ) -> Result<(), FeedError> {
        let Some(first) = current.first() else { return Ok(()) };
        let state = &mut states[first.row.trip as usize];
        current.sort_by_key(|p| (p.row.stop_sequence, p.line));
        let mut duplicates = Vec::new();
        for i in 0..current.len() {
            let seq = current[i].row.stop_sequence;
            let repeated_here = i > 0 && current[i - 1].row.stop_sequence == seq;
            let repeated_earlier = state.rows > 0 && (seq == state.first_sequence || seq == state.last_sequence);
            if repeated_here || repeated_earlier {
                duplicates.push(i);
            }
        }
        let state = state.clone();
        for &i in duplicates.iter().rev() {
            let p = current.remove(i);
            let issue = RowIssue {
                file: FILE,
                line: p.line,
                column: "stop_sequence",
                value: p.row.stop_sequence.to_string(),
                kind: IssueKind::DuplicateKey,
            };
            self.reject(issue)?;
        }
        let Some(trip) = current.first().map(|p| p.row.trip as usize) else { return Ok(()) };
        let filled = fill_gaps(current);
        self.report.interpolated_stop_times += filled as u64;
        states[trip] = merge_run(state, current, filled > 0);
        self.report.stop_times += current.len() as u64;
        for p in current.drain(..) {
            batch.push(p.row, |rows| self.sink.stop_times(rows)).map_err(Self::sink_error(FILE))?;
        }
        Ok(())
    }

    /// Endpoint checks, warnings and one [`TripSummary`] per trip with stop_times.
    fn summarise_trips(&mut self, states: &[TripState]) -> Result<(), FeedError> {
        let (mut empty, mut empty_examples) = (0u64, Vec::new());
        let (mut fragmented, mut fragmented_examples) = (0u64, Vec::new());
        let mut batch = Batch::new(self.options.batch_size);
        for (trip, state) in states.iter().enumerate() {
            if state.rows == 0 {
                empty += 1;
                if empty_examples.len() < EXAMPLES {
                    empty_examples.push(self.trip_ids[trip].clone());
                }
                continue;
            }
            if state.runs > 1 {
                fragmented += 1;
                if fragmented_examples.len() < EXAMPLES {
                    fragmented_examples.push(self.trip_ids[trip].clone());
                }
            }
            if state.first_departure.is_none() {
                self.reject(endpoint_issue(state.first_line, "departure_time"))?;
            } else if state.last_arrival.is_none() {
                self.reject(endpoint_issue(state.last_line, "arrival_time"))?;
            }
            let needs_interpolation = state.unresolved || (state.runs > 1 && state.interpolated);
            if needs_interpolation {
                self.report.trips_needing_interpolation.push(trip as u32);
            }
            let summary = TripSummary {
                trip: trip as u32,
                stop_count: state.rows,
                first_sequence: state.first_sequence,
                last_sequence: state.last_sequence,
                first_departure: state.first_departure,
                last_arrival: state.last_arrival,
                needs_interpolation,
            };
            batch.push(summary, |rows| self.sink.trip_summaries(rows)).map_err(Self::sink_error(FILE))?;
        }
        batch.flush(|rows| self.sink.trip_summaries(rows)).map_err(Self::sink_error(FILE))?;
        if empty > 0 {
            self.report.warnings.push(Warning::TripsWithoutStopTimes { trips: empty, examples: empty_examples });
        }
        if fragmented > 0 {
            self.report.warnings.push(Warning::FragmentedTrips { trips: fragmented, examples: fragmented_examples });
        }
        Ok(())
    }
}

/// Folds a sorted, de-duplicated run into what is known about its trip.
fn merge_run(mut state: TripState, run: &[Pending], interpolated: bool) -> TripState {
    let (first, last) = (&run[0], &run[run.len() - 1]);
    if state.rows == 0 || first.row.stop_sequence < state.first_sequence {
        state.first_sequence = first.row.stop_sequence;
        state.first_departure = first.row.departure;
        state.first_line = first.line;
    }
    if state.rows == 0 || last.row.stop_sequence > state.last_sequence {
        state.last_sequence = last.row.stop_sequence;
        state.last_arrival = last.row.arrival;
        state.last_line = last.line;
    }
    state.rows += run.len() as u32;
    state.runs += 1;
    state.unresolved |= run.iter().any(|p| p.row.departure.is_none());
    state.interpolated |= interpolated;
    state
}

fn endpoint_issue(line: u64, column: &'static str) -> RowIssue {
    RowIssue { file: FILE, line, column, value: String::new(), kind: IssueKind::EndpointWithoutTime }
}

fn pickup_drop_off(v: &[u8]) -> Result<PickupDropOff, IssueKind> {
    Ok(match parse::code(v, |c| c <= 3)? {
        0 => PickupDropOff::Regular,
        1 => PickupDropOff::NotAvailable,
        2 => PickupDropOff::PhoneAgency,
        _ => PickupDropOff::CoordinateWithDriver,
    })
}
