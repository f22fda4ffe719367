//! Trip updates applied to one scheduled departure: the stop's own update when there is one,
//! else the delay of the last updated stop before it (the specification's propagation rule).

use super::Realtime;
use super::proto::TripUpdate;
use super::proto::trip_descriptor::ScheduleRelationship as TripRelationship;
use super::proto::trip_update::StopTimeUpdate;
use super::proto::trip_update::stop_time_update::ScheduleRelationship as StopRelationship;

/// Within a minute either way counts as on time.
const ON_TIME_SECS: i64 = 60;

/// A departure from the schedule, as the app knows it.
#[derive(Debug, Clone, Copy)]
pub struct ScheduledStop<'a> {
    pub trip_id: &'a str,
    /// The service day, `YYYYMMDD` (the form of GTFS Realtime's `start_date`).
    pub start_date: &'a str,
    pub stop_id: &'a str,
    pub stop_sequence: u32,
    /// The scheduled departure, Unix seconds.
    pub scheduled: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    OnTime,
    Late,
    Early,
    /// The whole trip is cancelled (or deleted by the agency).
    Cancelled,
    /// The trip runs but does not stop here.
    Skipped,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Prediction {
    pub status: Status,
    /// When it will leave, Unix seconds; none when cancelled or skipped.
    pub predicted: Option<i64>,
    /// Seconds late (negative: early); none when cancelled or skipped.
    pub delay: Option<i64>,
    /// When the producer made it (the trip update's timestamp, else the message's).
    pub made_at: Option<i64>,
}

impl Prediction {
    fn running(delay: i64, stop: &ScheduledStop<'_>, made_at: Option<i64>) -> Self {
        let status = match delay {
            d if d >= ON_TIME_SECS => Status::Late,
            d if d <= -ON_TIME_SECS => Status::Early,
            _ => Status::OnTime,
        };
        Self { status, predicted: Some(stop.scheduled + delay), delay: Some(delay), made_at }
    }

    fn not_running(status: Status, made_at: Option<i64>) -> Self {
        Self { status, predicted: None, delay: None, made_at }
    }

    /// Whether it was made at most `max_age` seconds before `now`. One without a time is
    /// never fresh: nobody can say how old it is.
    pub fn is_fresh(&self, now: i64, max_age: i64) -> bool {
        self.made_at.is_some_and(|made| now - made <= max_age)
    }
}

/// One trip's updates, with its stops' updates in stop order.
#[derive(Debug, Clone)]
pub(super) struct TripUpdates {
    start_date: Option<String>,
    relationship: TripRelationship,
    made_at: Option<i64>,
    /// The trip-wide delay, for stops without an update of their own before them.
    delay: Option<i64>,
    stops: Vec<StopTimeUpdate>,
}

impl TripUpdates {
    pub(super) fn new(update: &TripUpdate, produced_at: Option<i64>) -> Self {
        let mut stops = update.stop_time_update.clone();
        // Updates with a sequence in stop order; those with only a stop id keep their place
        // at the end (they can be matched, but not ordered).
        stops.sort_by_key(|u| u.stop_sequence.unwrap_or(u32::MAX));
        Self {
            start_date: update.trip.start_date.clone(),
            relationship: update.trip.schedule_relationship(),
            made_at: update.timestamp.map(|t| t as i64).or(produced_at),
            delay: update.delay.map(i64::from),
            stops,
        }
    }
}

impl Realtime {
    /// What the updates say about `stop`, or `None` when they say nothing (no update for the
    /// trip on that day, `NO_DATA`, or no update at or before the stop). `scheduled_at` gives
    /// the same trip's scheduled departure at another stop sequence (and, when the update names
    /// it, that stop's id): propagating an update that carries an absolute time needs it.
    pub fn predict(
        &self,
        stop: &ScheduledStop<'_>,
        scheduled_at: impl Fn(u32, Option<&str>) -> Option<i64>,
    ) -> Option<Prediction> {
        let instances = self.trips.get(stop.trip_id)?;
        // The update for this service day, else one that names no day (the current instance).
        let trip = instances
            .iter()
            .find(|t| t.start_date.as_deref() == Some(stop.start_date))
            .or_else(|| instances.iter().find(|t| t.start_date.is_none()))?;
        #[allow(deprecated)]
        match trip.relationship {
            TripRelationship::Canceled | TripRelationship::Deleted => {
                return Some(Prediction::not_running(Status::Cancelled, trip.made_at));
            }
            TripRelationship::Scheduled => {}
            // Other kinds (unscheduled, replacement, duplicated) describe trips that are not this
            // scheduled one; added and new trips are kept apart (`added_calls`).
            _ => return None,
        }
        let own = trip.stops.iter().find(|u| match u.stop_sequence {
            Some(sequence) => sequence == stop.stop_sequence,
            None => u.stop_id.as_deref() == Some(stop.stop_id),
        });
        if let Some(own) = own {
            match own.schedule_relationship() {
                StopRelationship::Skipped => return Some(Prediction::not_running(Status::Skipped, trip.made_at)),
                StopRelationship::NoData => return None,
                _ => {}
            }
            if let Some(delay) = event_delay(own, Some(stop.scheduled)) {
                return Some(Prediction::running(delay, stop, trip.made_at));
            }
        }
        // Propagation: the last update before this stop that is not a skip.
        let before = trip
            .stops
            .iter()
            .rev()
            .filter(|u| u.stop_sequence.is_some_and(|s| s < stop.stop_sequence))
            .find(|u| u.schedule_relationship() != StopRelationship::Skipped);
        let delay = match before {
            Some(update) if update.schedule_relationship() == StopRelationship::NoData => return None,
            Some(update) => {
                let scheduled = update.stop_sequence.and_then(|seq| scheduled_at(seq, update.stop_id.as_deref()));
                event_delay(update, scheduled)?
            }
            None => trip.delay?,
        };
        Some(Prediction::running(delay, stop, trip.made_at))
    }
}

/// The delay an update gives (its departure's, else its arrival's): its time less the scheduled
/// time at that stop, which wins over a stated delay as the specification says; the stated
/// delay when that schedule is unknown.
fn event_delay(update: &StopTimeUpdate, scheduled: Option<i64>) -> Option<i64> {
    let event = update.departure.or(update.arrival)?;
    match (event.delay, event.time, scheduled) {
        (_, Some(time), Some(scheduled)) => Some(time - scheduled),
        (Some(delay), _, _) => Some(i64::from(delay)),
        _ => None,
    }
}
