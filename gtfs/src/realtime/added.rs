//! Trips the timetable does not have: an `ADDED` (or, in newer feeds, `NEW`) trip update names
//! its route and gives its own times at each stop.

use super::Realtime;
use super::proto::TripUpdate;
use super::proto::trip_update::stop_time_update::ScheduleRelationship as StopRelationship;

/// A trip added by the real-time feed, as it was given.
#[derive(Debug, Clone)]
pub(super) struct AddedTrip {
    trip_id: String,
    route_id: Option<String>,
    headsign: Option<String>,
    start_date: Option<String>,
    made_at: Option<i64>,
    /// (stop id, when it leaves there), for the stops it really calls at.
    calls: Vec<(String, i64)>,
}

impl AddedTrip {
    pub(super) fn new(update: &TripUpdate, produced_at: Option<i64>) -> Option<Self> {
        let calls = update
            .stop_time_update
            .iter()
            .filter(|u| u.schedule_relationship() != StopRelationship::Skipped)
            .filter_map(|u| {
                // Without a timetable only absolute times mean anything.
                let time = u.departure.and_then(|e| e.time).or_else(|| u.arrival.and_then(|e| e.time))?;
                Some((u.stop_id.clone()?, time))
            })
            .collect();
        Some(Self {
            trip_id: update.trip.trip_id.clone()?,
            route_id: update.trip.route_id.clone(),
            headsign: update.trip_properties.as_ref().and_then(|p| p.trip_headsign.clone()),
            start_date: update.trip.start_date.clone(),
            made_at: update.timestamp.map(|t| t as i64).or(produced_at),
            calls,
        })
    }
}

/// One call of an added trip at a stop.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedCall {
    pub trip_id: String,
    pub route_id: Option<String>,
    pub headsign: Option<String>,
    /// The service day, `YYYYMMDD`, when the feed gives it.
    pub start_date: Option<String>,
    pub stop_id: String,
    /// When it leaves, Unix seconds.
    pub time: i64,
    pub made_at: Option<i64>,
}

impl Realtime {
    /// The calls of added trips at `stop_ids` leaving in `from..to` (Unix seconds), earliest first.
    pub fn added_calls(&self, stop_ids: &[&str], from: i64, to: i64) -> Vec<AddedCall> {
        let mut calls: Vec<AddedCall> = self
            .added
            .iter()
            .flat_map(|trip| {
                trip.calls
                    .iter()
                    .filter(|(stop, time)| stop_ids.contains(&stop.as_str()) && (from..to).contains(time))
                    .map(|(stop, time)| AddedCall {
                        trip_id: trip.trip_id.clone(),
                        route_id: trip.route_id.clone(),
                        headsign: trip.headsign.clone(),
                        start_date: trip.start_date.clone(),
                        stop_id: stop.clone(),
                        time: *time,
                        made_at: trip.made_at,
                    })
            })
            .collect();
        calls.sort_by_key(|c| c.time);
        calls
    }

    /// Whether any trip was added.
    pub fn has_added(&self) -> bool {
        !self.added.is_empty()
    }
}
